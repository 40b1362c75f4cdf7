#!/usr/bin/env bash
# Both engines of the data gate on the shared harness's dataset, each next to DuckDB:
#
#   ROWS=5000000 bash bench/engines.sh
#
# 1. the streaming engine (the bundled `aidlc gate`), RUNS times, alternating with DuckDB;
# 2. the SQL engine: the queries Athena runs, executed offline by DuckDB (bench/sql-gate.mjs),
#    SQL_RUNS times (default 1: it reads the file twice and parses every field with regular
#    expressions, so it takes minutes at 5M rows), alternating with DuckDB.
# Both print the harness's table, with counts and violations checked against the ground truth.
# HARNESS (default ../shared/bench beside the repository) is the harness's folder.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HARNESS="${HARNESS:-$HERE/../../shared/bench}"
[ -f "$HARNESS/run.sh" ] || { echo "engines.sh: no harness at $HARNESS (set HARNESS)" >&2; exit 3; }
export ROWS="${ROWS:-5000000}"
echo "== streaming engine (aidlc gate) =="
RUNS="${RUNS:-3}" ENGINES="${ENGINES:-duckdb}" GATE_CMD="bash $HERE/datagate.sh" GATE_NAME=aidlc-streaming bash "$HARNESS/run.sh"
echo
echo "== SQL engine (the Athena queries, run by DuckDB) =="
RUNS="${SQL_RUNS:-1}" ENGINES="${ENGINES:-duckdb}" GATE_CMD="ENGINE=sql bash $HERE/datagate.sh" GATE_NAME=aidlc-sql bash "$HARNESS/run.sh"
