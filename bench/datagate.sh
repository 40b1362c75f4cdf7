#!/usr/bin/env bash
# The data gate of this package under the shared benchmark harness (../shared/bench):
#
#   GATE_CMD="bash bench/datagate.sh" GATE_NAME=aidlc bash ../shared/bench/run.sh
#
# Reads $DATA (the CSV) and $CONTRACT (the neutral contract), converts the contract and its drift
# baseline to this engine's formats, runs the bundled CLI (`npx projen bundle` first) and prints
# the harness's result JSON. Exits 0 on pass and on fail (the verdict is in the JSON); any other
# exit means the gate could not run. THREADS (default: the CLI's choice) sets --threads.
# ENGINE=sql runs the SQL engine instead (the queries Athena runs, on DuckDB: bench/sql-gate.mjs).
set -euo pipefail
: "${DATA:?DATA must name the CSV file}"
: "${CONTRACT:?CONTRACT must name the neutral contract.json}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CLI="$HERE/../lib/assets/cli/aidlc.js"
[ -f "$CLI" ] || { echo "datagate.sh: $CLI is missing; run npx projen bundle" >&2; exit 3; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

node "$HERE/neutral-contract.mjs" "$CONTRACT" "$WORK/contract.json" "$WORK/baseline.json"
code=0
if [ "${ENGINE:-streaming}" = sql ]; then
  node "$HERE/sql-gate.mjs" --contract "$WORK/contract.json" --baseline "$WORK/baseline.json" --data "$DATA" \
    --report "$WORK/report.json" >"$WORK/summary.txt" || code=$?
else
  node "$CLI" gate --contract "$WORK/contract.json" --baseline "$WORK/baseline.json" --data "$DATA" \
    --report "$WORK/report.json" ${THREADS:+--threads "$THREADS"} >"$WORK/summary.txt" || code=$?
fi
if [ "$code" -gt 1 ]; then
  cat "$WORK/summary.txt" >&2
  exit "$code"
fi
node "$HERE/result-json.mjs" "$WORK/report.json" "$CONTRACT"
