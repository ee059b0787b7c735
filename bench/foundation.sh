#!/usr/bin/env bash
# Foundation benchmark (issue 2): demo generator time at N buildings (default 1,000,000),
# then tile latency p50/p99 per layer and zoom and the largest tile per layer and zoom, with
# the tile cache off so every tile runs its query.
# Uses the project cluster (scripts/lib.sh) and a database of its own; prints its figures.
. "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
buildings=${1:-1000000}
db=onemap_bench
port=${BENCH_PORT:-18090}
ensure_postgis
ensure_gdal
ensure_cluster
cargo build --release --quiet
url=$(cluster_url "$db")
bin="$ROOT/target/release/onemap"
# REUSE=1 measures tiles on the database a previous run generated
if [ -z "${REUSE:-}" ]; then
drop_database "$db"
create_database "$db"
"$bin" --database-url "$url" migrate
log "generating the demo city at $buildings buildings"
start=$(date +%s%N)
"$bin" --database-url "$url" demo --buildings "$buildings" --as-of 2026-11-20
end=$(date +%s%N)
ms=$(( (end - start) / 1000000 ))
printf 'generator: %s buildings in %d.%01d s (target < 180 s)\n' "$buildings" $((ms / 1000)) $((ms % 1000 / 100))
psql "$url" -Atc "SELECT 'rows: ' || (SELECT count(*) FROM projects) || ' projects, ' || (SELECT count(*) FROM parcels) || ' parcels, '
    || (SELECT count(*) FROM buildings) || ' buildings, ' || (SELECT count(*) FROM households) || ' households, '
    || (SELECT count(*) FROM status_events) || ' events; database ' || pg_size_pretty(pg_database_size(current_database()))"
fi
serve_as_service "$bin" "$db" --bind "127.0.0.1:$port" --frontend /nonexistent --kiosk-token bench-kiosk --tile-cache-mb 0 >/tmp/onemap-bench-serve.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
token=$(curl -sf -X POST "http://127.0.0.1:$port/api/login" -H 'content-type: application/json' \
    -d '{"kiosk_token":"bench-kiosk"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
python3 "$ROOT/bench/tiles.py" --url "http://127.0.0.1:$port" --db "$url" --token "$token"
