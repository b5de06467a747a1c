#!/usr/bin/env bash
# Builds RPCBenchmark in release mode (own scratch path, so it never waits on
# or invalidates the debug build) and runs it: system.health through RPCServer
# against a bare NIO echo server with the same line framing, on Unix sockets.
#
# Env: ROUNDS (default 5), LATENCY_REQUESTS per round (default 5000),
#      THROUGHPUT_REQUESTS per round (default 40000), CONNECTIONS (default 8),
#      PIPELINE in flight per connection (default 16),
#      EXECUTOR (global | eventloop | both; default both).
# Exit status 2 when a target is missed.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

echo "building RPCBenchmark (release) ..." >&2
swift build -c release --package-path "$ROOT" --scratch-path "$ROOT/.build-release" --product RPCBenchmark >&2
BIN="$(swift build -c release --package-path "$ROOT" --scratch-path "$ROOT/.build-release" --show-bin-path)/RPCBenchmark"
"$BIN" --rounds "${ROUNDS:-5}" --latency-requests "${LATENCY_REQUESTS:-5000}" \
    --throughput-requests "${THROUGHPUT_REQUESTS:-40000}" --connections "${CONNECTIONS:-8}" \
    --pipeline "${PIPELINE:-16}" --executor "${EXECUTOR:-both}"
