#!/usr/bin/env bash
# Cockpit benchmark (issue 4) on the million-building database of bench/foundation.sh: the
# migration that builds the daily history, `onemap verify` (a full recount), then latency of
# the all-project gauges, the region roll-up, "as of" a year back and the week's rankings.
. "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
db=onemap_bench
port=${BENCH_PORT:-18093}
ensure_postgis
ensure_gdal
ensure_cluster
url=$(cluster_url "$db")
psql "$url" -Atc "SELECT count(*) FROM buildings" >/dev/null 2>&1 || { echo "run bench/foundation.sh first" >&2; exit 1; }
cargo build --release --quiet --bins
bin="$ROOT/target/release/onemap"
start=$(date +%s%N)
"$bin" --database-url "$url" migrate
log "migrate (daily history of $(psql "$url" -Atc 'SELECT count(*) FROM status_events') events): $(( ($(date +%s%N) - start) / 1000000 )) ms"
start=$(date +%s%N)
"$bin" --database-url "$url" verify | tail -n 1
log "verify: $(( ($(date +%s%N) - start) / 1000000 )) ms"
serve_as_service "$bin" "$db" --bind "127.0.0.1:$port" --frontend /nonexistent --kiosk-token bench-kiosk >/tmp/onemap-cockpit-bench.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
token=$(curl -sf -X POST "http://127.0.0.1:$port/api/login" -H 'content-type: application/json' \
    -d '{"kiosk_token":"bench-kiosk"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
psql "$url" -Atc "SELECT 1 FROM users WHERE username = 'bench'" | grep -q 1 ||
    echo "bench-password" | "$bin" --database-url "$url" user add --username bench --role admin --password-stdin
admin=$(curl -sf -X POST "http://127.0.0.1:$port/api/login" -H 'content-type: application/json' \
    -d '{"username":"bench","password":"bench-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
python3 "$ROOT/bench/cockpit.py" --url "http://127.0.0.1:$port" --token "$token" --admin-token "$admin"
