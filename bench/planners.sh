#!/usr/bin/env bash
# Planners' benchmark (issue 5): import N building footprints from one GeoJSON file (time and
# peak memory) side by side with ogr2ogr loading the same file into PostGIS, then OGC API
# paging through every building of the largest project (features per second).
# Works on a copy of the million-building database of bench/foundation.sh.
. "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
n=${N:-1000000}
port=${BENCH_PORT:-18094}
ensure_postgis
ensure_gdal
ensure_cluster
command -v /usr/bin/time >/dev/null || apt_install time
src=$(cluster_url onemap_bench)
psql "$src" -Atc "SELECT count(*) FROM buildings" >/dev/null 2>&1 || { echo "run bench/foundation.sh first" >&2; exit 1; }
cargo build --release --quiet --bins
bin="$ROOT/target/release/onemap"
work=$(mktemp -d /tmp/onemap-planners-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

# The file: N footprints of the demo under new codes, in one project that covers both of its
# cities (one parcel as large), so every footprint passes the project checks.
db=onemap_bench_import
drop_database "$db"
psql "$(cluster_url postgres)" -qc "CREATE DATABASE $db TEMPLATE onemap_bench" >/dev/null
url=$(cluster_url "$db")
psql "$url" -q -v ON_ERROR_STOP=1 <<SQL
INSERT INTO projects (code, name, kind, region_id, start_date, target_date, budget_yuan, geom)
SELECT 'BENCH-IMPORT', '导入基准', 'house_expropriation', min(id), '2026-01-01', '2027-01-01', 0, ST_Multi(ST_Union(geom))
  FROM regions WHERE level = 'city';
INSERT INTO project_figures (project_id) SELECT id FROM projects WHERE code = 'BENCH-IMPORT';
INSERT INTO parcels (code, project_id, land_use, geom)
SELECT 'BENCH-IMPORT-P', p.id, 'residential', p.geom FROM projects p WHERE code = 'BENCH-IMPORT';
SQL
log "writing $n footprints to GeoJSON"
ogr2ogr -f GeoJSON "$work/buildings.geojson" "PG:host=127.0.0.1 port=$PG_PORT user=postgres dbname=$db" \
    -sql "SELECT 'BI-' || id AS code, floors, floor_area::float8 AS floor_area, use, geom FROM buildings ORDER BY id LIMIT $n"
ls -l "$work/buildings.geojson" | awk '{printf "file: %.0f MB\n", $5 / 1048576}'

measure() { # label, command...: wall seconds and peak resident memory
    local label=$1; shift
    /usr/bin/time -f "$label: %e s wall, %M KB peak RSS" "$@" >"$work/out.txt" 2>"$work/time.txt" || { cat "$work/time.txt"; exit 1; }
    grep -h '^seconds:' "$work/out.txt" || true
    tail -n 1 "$work/time.txt"
}
measure "onemap import" "$bin" --database-url "$url" import --target buildings --project BENCH-IMPORT "$work/buildings.geojson"
measure "ogr2ogr to PostGIS" ogr2ogr -f PostgreSQL "PG:host=127.0.0.1 port=$PG_PORT user=postgres dbname=$db" \
    "$work/buildings.geojson" -nln ogr_buildings -lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=GIST
psql "$url" -Atc "SELECT 'imported rows: ' || count(*) FROM buildings WHERE code LIKE 'BI-%'"
psql "$url" -Atc "SELECT 'ogr2ogr rows: ' || count(*) FROM ogr_buildings"
drop_database "$db"

# OGC API paging on the untouched million-building database
serve_as_service "$bin" onemap_bench --bind "127.0.0.1:$port" --frontend /nonexistent >/tmp/onemap-planners-bench.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
psql "$src" -Atc "SELECT 1 FROM users WHERE username = 'bench'" | grep -q 1 ||
    echo "bench-password" | "$bin" --database-url "$src" user add --username bench --role admin --password-stdin
project=$(psql "$src" -Atc "SELECT p.code FROM projects p JOIN buildings b ON b.project_id = p.id GROUP BY p.code ORDER BY count(*) DESC LIMIT 1")
python3 - "$port" "$project" <<'PY'
import base64, json, sys, time, urllib.request
port, project = sys.argv[1], sys.argv[2]
auth = "Basic " + base64.b64encode(b"bench:bench-password").decode()
def walk(limit):
    url, features, pages = f"http://127.0.0.1:{port}/ogc/collections/buildings/items?project={project}&limit={limit}", 0, 0
    start = time.perf_counter()
    while url:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Authorization": auth})) as r:
            page = json.load(r)
        features += len(page["features"]); pages += 1
        url = next((l["href"] for l in page["links"] if l["rel"] == "next"), None)
    return features, pages, time.perf_counter() - start
for limit in (100, 1000):
    runs = sorted((walk(limit) for _ in range(5)), key=lambda r: r[2])
    features, pages, seconds = runs[2]
    print(f"OAPIF paging, project {project}, limit {limit}: {features} features in {pages} pages, "
          f"median {seconds:.2f} s = {features / seconds:,.0f} features/s")
# at scale: the first 200,000 buildings of the city, unfiltered, in pages of 10,000
url, features, start = f"http://127.0.0.1:{port}/ogc/collections/buildings/items?limit=10000", 0, time.perf_counter()
while url and features < 200_000:
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Authorization": auth})) as r:
        page = json.load(r)
    features += len(page["features"])
    url = next((l["href"] for l in page["links"] if l["rel"] == "next"), None)
seconds = time.perf_counter() - start
print(f"OAPIF paging, all buildings (numberMatched {page['numberMatched']:,}), limit 10000: {features:,} features "
      f"in {seconds:.1f} s = {features / seconds:,.0f} features/s")
PY
