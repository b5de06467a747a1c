#!/usr/bin/env bash
# Release build, then orders/s from the mock Shopify into an embedded PostgreSQL.
# Env: ORDERS (default 100000), ROUNDS (default 3).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
swift build -c release --package-path "$ROOT" --product OrderPullBenchmark >&2
BIN="$(swift build -c release --package-path "$ROOT" --show-bin-path)/OrderPullBenchmark"
"$BIN" --orders "${ORDERS:-100000}" --rounds "${ROUNDS:-3}"
