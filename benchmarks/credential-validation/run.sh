#!/usr/bin/env bash
# Builds the Swift benchmark in release mode, runs it and bench.py on the same
# cases, and prints validations/s for both plus the Swift/Python ratio.
#
# Env: ROUNDS (default 7), MIN_TIME seconds per round (default 0.25),
#      ONLY=<case name>, PYTHON (default python3),
#      SWIFT_PACKAGE_DIR (package to build; default the repository root).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PACKAGE_DIR="${SWIFT_PACKAGE_DIR:-$ROOT}"
ROUNDS="${ROUNDS:-7}"
MIN_TIME="${MIN_TIME:-0.25}"
PYTHON="${PYTHON:-python3}"
CASES="$HERE/cases"
ADAPTERS="$ROOT/adapters"
ONLY_ARGS=()
if [[ -n "${ONLY:-}" ]]; then ONLY_ARGS=(--only "$ONLY"); fi

"$PYTHON" -c 'import jsonschema' 2>/dev/null || {
    echo "python jsonschema is not installed (pip install jsonschema)" >&2
    exit 1
}

echo "building CredentialValidationBenchmark (release) in $PACKAGE_DIR ..." >&2
swift build -c release --package-path "$PACKAGE_DIR" --product CredentialValidationBenchmark >&2
BIN="$(swift build -c release --package-path "$PACKAGE_DIR" --show-bin-path)/CredentialValidationBenchmark"

OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

echo "running Swift ($ROUNDS rounds) ..." >&2
"$BIN" --json --rounds "$ROUNDS" --min-time "$MIN_TIME" --cases "$CASES" --adapters "$ADAPTERS" \
    ${ONLY_ARGS[@]+"${ONLY_ARGS[@]}"} >"$OUT/swift.jsonl"
echo "running Python jsonschema ($ROUNDS rounds) ..." >&2
"$PYTHON" "$HERE/bench.py" --json --rounds "$ROUNDS" --min-time "$MIN_TIME" --cases "$CASES" --adapters "$ADAPTERS" \
    ${ONLY_ARGS[@]+"${ONLY_ARGS[@]}"} >"$OUT/python.jsonl"

"$PYTHON" - "$OUT/swift.jsonl" "$OUT/python.jsonl" "$ROUNDS" <<'EOF'
import json, statistics, sys

def load(path):
    with open(path) as f:
        return {row["case"]: row for row in map(json.loads, filter(str.strip, f))}

swift, python, rounds = load(sys.argv[1]), load(sys.argv[2]), sys.argv[3]
print(f"validations/s, median of {rounds} rounds (one validation = all errors of one parsed instance)")
header = f"{'case':26s} {'set':8s} {'n':>4s} {'Swift/s':>12s} {'Python/s':>10s} {'ratio':>7s}"
print(header)
print("-" * len(header))
ratios = []
for name in sorted(swift):
    if name not in python:
        continue
    for kind in ("valid", "invalid"):
        s, p = swift[name][f"{kind}_per_s"], python[name][f"{kind}_per_s"]
        n = swift[name][f"{kind}_instances"]
        if n == 0 or p == 0:
            continue
        ratio = s / p
        ratios.append(ratio)
        print(f"{name:26s} {kind:8s} {n:4d} {s:12,d} {p:10,d} {ratio:6.1f}x")
    se, pe = swift[name]["invalid_errors"], python[name]["invalid_errors"]
    if se != pe:
        print(f"{'':26s} note: errors reported on invalid set: Swift {se}, Python {pe}")
print("-" * len(header))
if ratios:
    print(f"overall median ratio (Swift/Python): {statistics.median(ratios):.1f}x over {len(ratios)} measurements")
else:
    print("no comparable measurements")
EOF
