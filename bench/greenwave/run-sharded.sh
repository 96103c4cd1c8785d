#!/bin/sh
# The SUMO green-wave bench (bench/greenwave-sumo.bench.ts) as one shard per corridor side by side,
# then the merged table and the 20-signal solve time. SUMO's results depend only on the seeds, so the
# table equals that of `npm run bench -- greenwave`; only the wall time differs.
# Usage: sh bench/greenwave/run-sharded.sh   (logs in $TMPDIR/cimtwin-greenwave-shards/)
set -e
cd "$(dirname "$0")/../.."
T=${TMPDIR:-/tmp}
LOGS=$T/cimtwin-greenwave-shards
mkdir -p "$LOGS"
CORRIDORS="U400-50 U500-50 IRR-50 U700-60 IRR-60 SHORT-40 PEER-50"
date
PIDS=""
for c in $CORRIDORS; do
  GW_TAG=f-$c GW_CORRIDORS=$c GW_SOLVE_TIME=0 node --import tsx bench/greenwave-sumo.bench.ts > "$LOGS/$c.log" 2>&1 &
  PIDS="$PIDS $!"
done
FAILED=0
for p in $PIDS; do wait "$p" || FAILED=1; done
date
if [ "$FAILED" != 0 ]; then echo "a shard failed: see $LOGS/*.log" >&2; exit 1; fi
M=""
for c in $CORRIDORS; do M="$M,$T/cimtwin-greenwave-bench-f-$c/results.json"; done
GW_MERGE=${M#,} node --import tsx bench/greenwave-sumo.bench.ts | tee "$LOGS/merged.log"
date
