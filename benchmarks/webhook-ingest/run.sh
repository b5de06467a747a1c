#!/usr/bin/env bash
# Release build, then tracking webhooks/s into the gateway (durable inbox, NDR
# detection running concurrently) against a minimal Hummingbird endpoint, and
# latency at a fixed offered load. Embedded PostgreSQL with fsync on.
# Env: SHIPMENTS (400), SECONDS_PER_PHASE (3), RATE (2000), LATENCY_SECONDS (20, the fixed-rate phase), PROCESSORS (1, as serve runs), ROUNDS (15),
# CONNECTIONS (unset: each endpoint at its best count from a sweep of 32/64/128/256; set: that count for both).
# Short alternating phases, many rounds: the shared machine's speed drifts by 20% within a minute.
# Own scratch path so the release build does not hold the shared debug .build lock.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SCRATCH="$ROOT/.build-release"
swift build -c release --package-path "$ROOT" --scratch-path "$SCRATCH" --product WebhookBenchmark >&2
BIN="$(swift build -c release --package-path "$ROOT" --scratch-path "$SCRATCH" --show-bin-path)/WebhookBenchmark"
"$BIN" --shipments "${SHIPMENTS:-400}" --seconds "${SECONDS_PER_PHASE:-3}" ${CONNECTIONS:+--connections "$CONNECTIONS"} \
       --rate "${RATE:-2000}" --latency-seconds "${LATENCY_SECONDS:-20}" --processors "${PROCESSORS:-1}" --rounds "${ROUNDS:-15}" "$@"
