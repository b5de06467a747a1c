#!/usr/bin/env bash
# Release build, then orders/s from the mock Shopify into an embedded PostgreSQL.
# Env: ORDERS (default 100000), ROUNDS (default 3).
# Own scratch path so the release build does not hold the shared debug .build lock.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SCRATCH="$ROOT/.build-release"
swift build -c release --package-path "$ROOT" --scratch-path "$SCRATCH" --product OrderPullBenchmark >&2
BIN="$(swift build -c release --package-path "$ROOT" --scratch-path "$SCRATCH" --show-bin-path)/OrderPullBenchmark"
"$BIN" --orders "${ORDERS:-100000}" --rounds "${ROUNDS:-3}" "$@"
