#!/usr/bin/env bash
# Selection day benchmark (issue 16): one project of 1,000 signed property-swap households and an
# estate of 1,200 units in its own database (onemap_bench_selection), a day in signing order,
# then 10 clerks over loopback each calling, choosing (the unit nearest the entitlement, the next
# one after a 409) and confirming until the queue is empty, while one hall screen follows the
# day's SSE feed. Prints the time per choice (call + choose + confirm) and the hall's update
# latency (confirm answered → the hall event showing it) p50/p99. ONEMAP_BIN=… to time another
# binary than the release build (e.g. target/debug/onemap on a machine without the time to build it).
. "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
ensure_postgis
ensure_cluster
ensure_secrets
command -v python3 >/dev/null || apt_install python3
if [ -z "${ONEMAP_BIN:-}" ]; then cargo build --release --quiet --bins; fi
bin=${ONEMAP_BIN:-$ROOT/target/release/onemap}
db=onemap_bench_selection
port=${BENCH_PORT:-18096}
households=${HOUSEHOLDS:-1000}
units=${UNITS:-1200}
clerks=${CLERKS:-10}
drop_database "$db" >/dev/null
create_database "$db" >/dev/null
url=$(cluster_url "$db")
"$bin" --database-url "$(role_url owner "$db")" migrate >/dev/null 2>&1
# the project (published), its standard, the households signed a minute apart, the estate:
# 10 buildings × 2 entrances × 30 floors × 2 rooms = 1,200 units of 75, 90, 120 and 144 m²
psql "$url" -q -v ON_ERROR_STOP=1 <<SQL
INSERT INTO regions (code, name, level, parent_id, geom_source, geom)
    VALUES ('430700', '常德市', 'city', NULL, 'bench', ST_Multi(ST_MakeEnvelope(111.60, 28.90, 111.80, 29.10, 4326)));
INSERT INTO projects (code, name, kind, region_id, start_date, target_date, budget_yuan, geom, published)
    SELECT 'SEL-B', '选房基准项目', 'house_expropriation', id, '2026-01-01', '2026-12-31', 2000000000,
           ST_Multi(ST_MakeEnvelope(111.61, 28.91, 111.62, 28.92, 4326)), true FROM regions;
INSERT INTO parcels (code, project_id, land_use, geom) SELECT 'SEL-B-P1', id, 'residential', geom FROM projects;
SELECT recount_figures();
INSERT INTO buildings (code, project_id, parcel_id, use, legality, floors, floor_area, geom)
    SELECT 'SEL-B-B' || n, p.project_id, p.id, 'residential', 'legal', 6, 1800,
           ST_Multi(ST_MakeEnvelope(111.61 + n * 0.00001, 28.911, 111.61 + n * 0.00001 + 0.000005, 28.9115, 4326))
      FROM parcels p, generate_series(1, 100) n;
INSERT INTO compensation_standards (project_id, relocation_yuan, transition_yuan_per_m2_month, transition_months)
    SELECT id, 5000, 20, 24 FROM projects;
INSERT INTO compensation_rates (project_id, use, legality, yuan_per_m2) SELECT id, 'residential', 'legal', 5000 FROM projects;
INSERT INTO selection_rules (project_id, incentive_area, beyond_max_area) SELECT id, 10, 30 FROM projects;
INSERT INTO households (code, building_id, holder_name, holder_id_number, members, recorded_area, resettlement)
    SELECT b.code || '-H' || lpad(n::text, 2, '0'), b.id, '基准' || b.id || n, '43070219800101' || lpad((b.id * 10 + n)::text, 4, '0'), 3,
           60 + ((b.id * 7 + n * 13) % 80), 'property_swap'
      FROM buildings b, generate_series(1, ceil($households / 100.0)::int) n;
-- the gates are not this benchmark's subject: opened as the tests open them, then signed with a reason
\\i tests/fixtures/open_gates.sql
INSERT INTO status_events (household_id, from_status, to_status, actor, reason, at)
    SELECT id, 'pending', 'signed', 'bench', '基准：直接签约', timestamptz '2026-03-01 09:00+08' + (row_number() OVER (ORDER BY id) || ' minutes')::interval
      FROM households ORDER BY id LIMIT $households;
INSERT INTO estates (code, name, region_id, geom)
    SELECT 'SEL-E', '基准安置小区', id, ST_Multi(ST_MakeEnvelope(111.63, 28.93, 111.64, 28.94, 4326)) FROM regions;
INSERT INTO estate_unit_types (estate_id, code, name, area)
    SELECT e.id, t.code, t.name, t.area FROM estates e, (VALUES ('A', 'A户型', 75), ('B', 'B户型', 90), ('C', 'C户型', 120), ('D', 'D户型', 144)) t(code, name, area);
INSERT INTO estate_buildings (estate_id, code, floors) SELECT e.id, n::text, 30 FROM estates e, generate_series(1, 10) n;
INSERT INTO estate_units (estate_id, building_id, entrance, floor, room, type_id, area, price_per_m2, market_price_per_m2)
    SELECT b.estate_id, b.id, ent, fl, lpad(fl::text, 2, '0') || ent || r, t.id, t.area, 1500, 6000
      FROM estate_buildings b, generate_series(1, 2) ent, generate_series(1, 30) fl, generate_series(1, 2) r, estate_unit_types t
     WHERE t.code = (ARRAY['A', 'B', 'C', 'D'])[1 + (ent * 2 + r + b.id) % 4]
     LIMIT $units;
INSERT INTO project_estates SELECT p.id, e.id FROM projects p, estates e;
ANALYZE;
SQL
for i in $(seq 1 "$clerks"); do
    psql "$url" -qc "WITH u AS (INSERT INTO users (username, password_hash, role) VALUES ('clerk$i', '!', 'admin') RETURNING id)
        INSERT INTO sessions (token_hash, user_id, expires_at) SELECT sha256('bench-clerk-$i'::bytea), id, now() + interval '1 day' FROM u" >/dev/null
done
log "$(psql "$url" -Atc "SELECT format('%s signed swap households, %s units', (SELECT count(*) FROM agreements), (SELECT count(*) FROM estate_units))")"
serve_as_service "$bin" "$db" --bind "127.0.0.1:$port" --frontend /nonexistent --pool 24 >/tmp/onemap-selection-bench.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
python3 bench/selection.py "http://127.0.0.1:$port" "$clerks"
psql "$url" -Atc "SELECT format('after: %s choices confirmed, %s units selected, %s settled, fund differences %s',
    (SELECT count(*) FROM selection_choices WHERE state = 'confirmed'), (SELECT count(*) FROM estate_units WHERE status = 'selected'),
    (SELECT count(*) FROM swap_settlements), (SELECT count(*) FROM fund_differences()))"
