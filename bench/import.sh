#!/usr/bin/env bash
# Partial imports (issue 17): the time of `onemap import --accept-valid` of N building
# footprints (default 100,000) of which 1 % are bad (half of them 0.4 m slivers, half with
# 层数 3.5), into one project of a scratch database made here and dropped at the end. Each of
# RUNS runs (default 3) starts from an empty project; prints each run's seconds (total, and
# reading / checking / writing from the report) and the medians.
. "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
n=${N:-100000}
runs=${RUNS:-3}
bench_prelude
db=onemap_bench_partial_import
work=$(mktemp -d /tmp/onemap-import-bench.XXXXXX)
trap 'drop_database "$db" >/dev/null 2>&1; rm -rf "$work"' EXIT
drop_database "$db" >/dev/null 2>&1
create_database "$db" >/dev/null
owner=$(role_url owner "$db")
export RUST_LOG=error
"$bin" --database-url "$owner" migrate

# One region, one project of 6 × 6 km near 120.6°E 30.0°N, one parcel as large: every good
# footprint (10 × 10 m on a 15 m grid) stands in it.
psql "$owner" -q -v ON_ERROR_STOP=1 <<'SQL'
INSERT INTO regions (code, name, level, parent_id, geom_source, geom)
VALUES ('330600', '基准市', 'city', NULL, 'bench', ST_Multi(ST_MakeEnvelope(120.50, 29.90, 120.70, 30.10, 4326)));
INSERT INTO projects (code, name, kind, region_id, start_date, target_date, budget_yuan, geom)
SELECT 'BENCH-PARTIAL', '导入基准', 'house_expropriation', id, '2026-01-01', '2027-01-01', 0,
       ST_Multi(ST_MakeEnvelope(120.57, 29.97, 120.632, 30.024, 4326)) FROM regions;
INSERT INTO parcels (code, project_id, land_use, geom)
SELECT 'BENCH-PARTIAL-P1', id, 'residential', geom FROM projects;
SQL

log "writing $n footprints, 1 % bad"
python3 - "$work/buildings.geojson" "$n" <<'PY'
import json, math, sys
path, n = sys.argv[1], int(sys.argv[2])
lon0, lat0, side = 120.571, 29.971, math.ceil(math.sqrt(n))
dlon, dlat = 1 / (111320 * math.cos(math.radians(lat0))), 1 / 110540
with open(path, "w") as f:
    f.write('{"type":"FeatureCollection","features":[\n')
    for i in range(n):
        x, y = lon0 + (i % side) * 15 * dlon, lat0 + (i // side) * 15 * dlat
        size, floors = 10, 2
        if i % 200 == 50:
            size = 0.4          # a sliver: rejected
        if i % 200 == 150:
            floors = 3.5        # not a whole number of floors: rejected
        ring = [[x, y], [x + size * dlon, y], [x + size * dlon, y + size * dlat], [x, y + size * dlat], [x, y]]
        feature = {"type": "Feature", "properties": {"编码": f"BP-{i:06d}", "层数": floors, "建筑面积": 180.5, "用途": "住宅"},
                   "geometry": {"type": "Polygon", "coordinates": [[[round(a, 8), round(b, 8)] for a, b in ring]]}}
        f.write(("," if i else "") + json.dumps(feature, ensure_ascii=False) + "\n")
    f.write("]}\n")
PY
ls -l "$work/buildings.geojson" | awk '{printf "file: %d bytes\n", $5}'

: >"$work/times"
for run in $(seq "$runs"); do
    psql "$owner" -qc "DELETE FROM buildings WHERE project_id = (SELECT id FROM projects WHERE code = 'BENCH-PARTIAL')"
    start=$(date +%s.%N)
    "$bin" --database-url "$owner" import --target buildings --project BENCH-PARTIAL --accept-valid \
        --rejected "$work/rejected.geojson" "$work/buildings.geojson" >"$work/report.txt" 2>/dev/null
    end=$(date +%s.%N)
    phases=$(sed -n 's/^seconds: reading and staging \([0-9.]*\), checking \([0-9.]*\), writing \([0-9.]*\)$/\1 \2 \3/p' "$work/report.txt")
    written=$(grep '^written:' "$work/report.txt")
    took=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
    echo "$took $phases" >>"$work/times"
    printf 'run %d: %6.1f s (reading %s, checking %s, writing %s) — %s\n' "$run" "$took" $phases "$written"
done
grep '^rejected rows:' "$work/report.txt" | sed "s|$work/||"
python3 - "$work/times" <<'PY'
import statistics, sys
rows = [list(map(float, line.split())) for line in open(sys.argv[1]) if line.strip()]
names = ["total", "reading and staging", "checking", "writing"]
print("median of %d runs: " % len(rows) + ", ".join("%s %.1f s" % (name, statistics.median(col)) for name, col in zip(names, zip(*rows))))
PY
