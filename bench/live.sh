#!/usr/bin/env bash
# Live benchmark (issue 3): 200 SSE clients and 100 status writes per second over loopback
# against the release binary on the million-building database of bench/foundation.sh.
# Prints write→receive latency p50/p99 and tiles/s served meanwhile.
. "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
db=onemap_bench
port=${BENCH_PORT:-18092}
ensure_postgis
ensure_gdal
ensure_cluster
url=$(cluster_url "$db")
psql "$url" -Atc "SELECT count(*) FROM buildings" >/dev/null 2>&1 || { echo "run bench/foundation.sh first" >&2; exit 1; }
cargo build --release --quiet --bins --example live_bench
bin="$ROOT/target/release/onemap"
"$bin" --database-url "$url" migrate
psql "$url" -qc "DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE username = 'bench')" >/dev/null
psql "$url" -Atc "SELECT 1 FROM users WHERE username = 'bench'" | grep -q 1 ||
    echo "bench-password" | "$bin" --database-url "$url" user add --username bench --role admin --password-stdin
serve_as_service "$bin" "$db" --bind "127.0.0.1:$port" --frontend /nonexistent --pool 24 >/tmp/onemap-live-bench.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
token=$(curl -sf -X POST "http://127.0.0.1:$port/api/login" -H 'content-type: application/json' \
    -d '{"username":"bench","password":"bench-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
"$ROOT/target/release/examples/live_bench" --url "http://127.0.0.1:$port" --db "$url" --token "$token" \
    --clients "${CLIENTS:-200}" --rate "${RATE:-100}" --seconds "${SECONDS_RUN:-20}" --tile-workers "${TILE_WORKERS:-4}" --tile-rate "${TILE_RATE:-0}"
