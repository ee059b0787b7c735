#!/usr/bin/env bash
# Figures right after events (issue 19): the release binary on the million-building demo
# (BENCH_DB, default onemap_bench; it writes EVENTS status events, pending → surveyed, to it),
# EVENTS writes each followed at once by the all-project gauges, the full roll-up and the city's
# gauges; p50/p99 printed for the former way (ONEMAP_FIGURES_REBUILD=1: a rebuild after every
# event) and the kept lists changed by each event's delta, on the same database, RUNS times each.
. "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
db=${BENCH_DB:-onemap_bench}
port=${BENCH_PORT:-18093}
events=${EVENTS:-100}
runs=${RUNS:-3}
ensure_cluster
url=$(cluster_url "$db")
psql "$url" -Atc "SELECT count(*) FROM buildings" >/dev/null 2>&1 || { echo "no database $db: run bench/foundation.sh first" >&2; exit 1; }
# BIN=path: a release binary built before (a build under load takes long)
if [ -z "${BIN:-}" ]; then cargo build --release --quiet --bins; BIN="$ROOT/target/release/onemap"; fi
bin=$BIN
"$bin" --database-url "$url" migrate >/dev/null
psql "$url" -Atc "SELECT 1 FROM users WHERE username = 'bench'" | grep -q 1 ||
    echo "bench-password" | "$bin" --database-url "$url" user add --username bench --role admin --password-stdin >/dev/null
city=$(psql "$url" -Atc "SELECT code FROM regions WHERE parent_id IS NULL ORDER BY code LIMIT 1")
psql "$url" -Atc "SELECT (SELECT count(*) FROM buildings) || ' buildings, ' || (SELECT count(*) FROM projects) || ' projects, '
    || (SELECT count(*) FROM regions) || ' regions, ' || (SELECT count(*) FROM cases WHERE state = 'open') || ' open cases'"
echo "load: $(uptime | sed 's/.*load average/load average/')"
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null' EXIT
measure() { # label, ONEMAP_FIGURES_REBUILD value
    local label=$1 rebuild=$2 households token
    # pending households of projects spread over the city, with their versions
    households=$(psql "$url" -Atc "SELECT string_agg(id || ':' || version, ',') FROM (
        SELECT h.id, h.version FROM households h JOIN buildings b ON b.id = h.building_id
         WHERE h.status = 'pending' AND b.status = 'pending' ORDER BY md5(h.id::text || now()::text) LIMIT $events) x")
    ONEMAP_FIGURES_REBUILD=$rebuild serve_as_service "$bin" "$db" --bind "127.0.0.1:$port" --frontend /nonexistent --metrics-token bench-metrics >/tmp/onemap-figures-bench.log 2>&1 &
    server=$!
    for _ in $(seq 150); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
    token=$(curl -sf -X POST "http://127.0.0.1:$port/api/login" -H 'content-type: application/json' \
        -d '{"username":"bench","password":"bench-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
    python3 bench/figures.py --url "http://127.0.0.1:$port" --token "$token" --households "$households" --city "$city" --label "$label"
    { curl -sf -H "authorization: Bearer bench-metrics" "http://127.0.0.1:$port/metrics" |
        grep -E '^onemap_figure_(rebuilds|deltas)_total' | grep -v ' 0$' | sed "s/^/$label   /"; } || true
    kill "$server"; wait "$server" 2>/dev/null || true; server=
}
for run in $(seq "$runs"); do
    echo "run $run of $runs"
    measure before 1
    measure after 0
done
