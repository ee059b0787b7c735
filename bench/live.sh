#!/usr/bin/env bash
# Live benchmark (issues 3 and 19): 200 SSE clients, status writes at a fixed rate and 4 tile
# loaders as fast as they can, over loopback against the release binary on the million-building
# database (BENCH_DB, default onemap_bench: bench with a copy, the writes change it).
# Each run prints write→receive latency p50/p99, the writers' lock hold per event and tiles/s.
#   RATE=200 RUNS=5 bench/live.sh        five consecutive runs at 200 writes/s, then their medians
#   STEP="100 200 300 400" bench/live.sh one run per rate: the highest rate with p99 < 250 ms
#   SERVER_BIN=path                      measure another server build (e.g. before a change)
. "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
db=${BENCH_DB:-onemap_bench}
port=${BENCH_PORT:-18092}
ensure_postgis
ensure_gdal
ensure_cluster
url=$(cluster_url "$db")
psql "$url" -Atc "SELECT count(*) FROM buildings" >/dev/null 2>&1 || { echo "run bench/foundation.sh first" >&2; exit 1; }
cargo build --release --quiet --bins --example live_bench
bin=${SERVER_BIN:-$ROOT/target/release/onemap}
"$bin" --database-url "$url" migrate
psql "$url" -qc "DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE username = 'bench')" >/dev/null
psql "$url" -Atc "SELECT 1 FROM users WHERE username = 'bench'" | grep -q 1 ||
    echo "bench-password" | "$bin" --database-url "$url" user add --username bench --role admin --password-stdin
# the pools and the tile gate as a command centre would run them (docs/operations.md); settings
# go by environment, so an older build without them still starts
ONEMAP_METRICS_TOKEN=bench-metrics ONEMAP_LIVE_POOL=${LIVE_POOL:-4} ONEMAP_TILE_QUERIES=${TILE_QUERIES:-4} \
    serve_as_service "$bin" "$db" --bind "127.0.0.1:$port" --frontend /nonexistent --pool 24 >/tmp/onemap-live-bench.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
token=$(curl -sf -X POST "http://127.0.0.1:$port/api/login" -H 'content-type: application/json' \
    -d '{"username":"bench","password":"bench-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
out=$(mktemp)
run() {
    echo "== $1 writes/s ($(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg))"
    "$ROOT/target/release/examples/live_bench" --url "http://127.0.0.1:$port" --db "$url" --token "$token" \
        --metrics-token bench-metrics --clients "${CLIENTS:-200}" --rate "$1" --seconds "${SECONDS_RUN:-20}" \
        --tile-workers "${TILE_WORKERS:-4}" --tile-rate "${TILE_RATE:-0}" | tee "$out"
    p99=$(sed -n 's/^write→receive latency: .*p99 \([0-9.]*\) ms.*/\1/p' "$out")
    hold=$(sed -n 's/^writers. lock hold per event: mean \([0-9.]*\) ms.*/\1/p' "$out")
}
median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
if [ -n "${STEP:-}" ]; then
    best=none
    for rate in $STEP; do
        run "$rate"
        awk -v p="$p99" 'BEGIN {exit !(p != "" && p < 250)}' && best=$rate
    done
    echo "highest rate with write→receive p99 < 250 ms: $best writes/s (of $STEP)"
else
    p99s=() holds=()
    for i in $(seq "${RUNS:-1}"); do
        run "${RATE:-100}"
        p99s+=("$p99") holds+=("${hold:-nan}")
    done
    echo "runs at ${RATE:-100} writes/s: p99 ${p99s[*]} ms; lock hold per event (mean) ${holds[*]} ms"
    echo "median p99 $(printf '%s\n' "${p99s[@]}" | median) ms; median lock hold $(printf '%s\n' "${holds[@]}" | median) ms; load $(cut -d' ' -f1-3 /proc/loadavg)"
fi
