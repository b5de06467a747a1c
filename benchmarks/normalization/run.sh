#!/usr/bin/env bash
# Builds NormalizationBenchmark in release mode and runs it on a 250-order
# Shopify page built from contracts/providers/shopify; prints the median
# microseconds per order (parse + normalize), and parse / normalize apart.
#
# Env: ROUNDS (default 15), PAGES per round (default 8), ORDERS per page
#      (default 250), JSON=1 for one JSON line, SWIFT_PACKAGE_DIR (package to
#      build; default the repository root).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PACKAGE_DIR="${SWIFT_PACKAGE_DIR:-$ROOT}"
ARGS=(--rounds "${ROUNDS:-15}" --pages "${PAGES:-8}" --orders "${ORDERS:-250}" --samples "$ROOT/contracts/providers/shopify")
if [[ "${JSON:-0}" == "1" ]]; then ARGS+=(--json); fi

echo "building NormalizationBenchmark (release) in $PACKAGE_DIR ..." >&2
swift build -c release --package-path "$PACKAGE_DIR" --product NormalizationBenchmark >&2
BIN="$(swift build -c release --package-path "$PACKAGE_DIR" --show-bin-path)/NormalizationBenchmark"
"$BIN" "${ARGS[@]}"
