#!/usr/bin/env bash
# Stage roll-up benchmark (issue 14) on the million-building database of bench/foundation.sh:
# medians of the region figures with projects and households by stage (live and as of a day),
# the drill-down rows with theirs and the all-regions list, plus the roll-up query alone.
# ONEMAP_BIN picks the binary (default: a release build); BENCH_DB another database, which
# must carry this build's schema (`onemap migrate`; a copy: CREATE DATABASE … TEMPLATE onemap_bench).
. "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
db=${BENCH_DB:-onemap_bench}
port=${BENCH_PORT:-18094}
as_of=${AS_OF:-2026-10-20}
ensure_cluster
url=$(cluster_url "$db")
psql "$url" -Atc "SELECT count(*) FROM buildings" >/dev/null 2>&1 || { echo "run bench/foundation.sh first" >&2; exit 1; }
bin=${ONEMAP_BIN:-$ROOT/target/release/onemap}
[ -n "${ONEMAP_BIN:-}" ] || cargo build --release --quiet --bins
psql "$url" -Atc "SELECT count(*) || ' buildings, ' || (SELECT count(*) FROM projects) || ' projects, ' || (SELECT count(*) FROM step_events) || ' step events' FROM buildings"
city=$(psql "$url" -Atc "SELECT r.code FROM regions r WHERE r.level = 'city' ORDER BY (SELECT count(*) FROM projects p JOIN regions pr ON pr.id = p.region_id WHERE r.id = ANY (pr.lineage)) DESC LIMIT 1")
for day in NULL "'$as_of'"; do
    # the roll-up's query alone (every project's stage), server-side time of 5 runs
    q="SELECT stage, count(*) FROM (SELECT CASE WHEN $day::date IS NULL THEN p.stage ELSE procedure_stage(p.id, $day::date) END AS stage FROM projects p) x GROUP BY 1"
    args=(-c '\timing on'); for _ in 1 2 3 4 5; do args+=(-c "$q"); done
    psql "$url" -At "${args[@]}" | grep -o 'Time: [0-9.]* ms' | sort -t' ' -k2 -n | sed -n 3p |
        sed "s/^Time: /project stages query (as of $day), median of 5: /"
done
serve_as_service "$bin" "$db" --bind "127.0.0.1:$port" --frontend /nonexistent --kiosk-token bench-kiosk >/tmp/onemap-stage-bench.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
token=$(curl -sf -X POST "http://127.0.0.1:$port/api/login" -H 'content-type: application/json' \
    -d '{"kiosk_token":"bench-kiosk"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
python3 "$ROOT/bench/stage.py" --url "http://127.0.0.1:$port" --token "$token" --region "$city" --as-of "$as_of"
