#!/usr/bin/env bash
# Hostile uploads against the release binary (issue 11): a 1 GiB zip bomb and a polygon of
# 1,000,000 vertices (as GeoJSON and as a zipped Shapefile) posted to /api/overlay as a
# planner and to /api/imports as an admin. Prints each answer, the time to refusal and the
# server's memory (VmRSS, VmHWM from /proc) before, sampled during, and after.
. "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
port=${BENCH_PORT:-18096}
db=onemap_bench_uploads
bench_prelude
work=$(mktemp -d /tmp/onemap-uploads-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

# A small demo city to import into, on a database of its own
drop_database "$db" >/dev/null 2>&1
create_database "$db" >/dev/null 2>&1
owner=$(role_url owner "$db")
export RUST_LOG=error
"$bin" --database-url "$owner" migrate
"$bin" --database-url "$owner" demo --buildings 3000 >/dev/null
for account in bench-admin:admin bench-planner:planner; do
    echo "bench-uploads-password" | "$bin" --database-url "$owner" user add --username "${account%%:*}" --role "${account##*:}" --password-stdin >/dev/null
done
project=$(psql "$owner" -Atc "SELECT code FROM projects ORDER BY id LIMIT 1")

log "writing the files"
python3 - "$work" <<'PY'
import math, sys, zipfile
work = sys.argv[1]
# 1 GiB of zeros deflated, after a valid Shapefile header: the bomb is the .dbf
with zipfile.ZipFile(f"{work}/bomb.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    z.writestr("parcels.shp", bytes([0, 0, 0x27, 0x0A, 0, 0, 0, 0]))
    zeros = bytes(1 << 20)
    with z.open("parcels.dbf", "w") as member:
        for _ in range(1024):
            member.write(zeros)
# row 1 a small square, row 2 a ring of 1,000,000 vertices
n = 1_000_000
with open(f"{work}/huge.geojson", "w") as f:
    f.write('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"small"},'
            '"geometry":{"type":"Polygon","coordinates":[[[120.5,30.0],[120.5001,30.0],[120.5001,30.0001],[120.5,30.0]]]}},'
            '{"type":"Feature","properties":{"code":"huge"},"geometry":{"type":"Polygon","coordinates":[[')
    f.write(",".join("[%.7f,%.7f]" % (120.58 + 0.001 * math.cos(2 * math.pi * i / (n - 1)), 30.0 + 0.001 * math.sin(2 * math.pi * i / (n - 1))) for i in range(n - 1)))
    f.write(',[120.581,30.0]]]}}]}')
PY
ogr2ogr -f "ESRI Shapefile" "$work/huge.shp.zip" "$work/huge.geojson"
ls -l "$work"/bomb.zip "$work"/huge.geojson "$work"/huge.shp.zip | awk '{printf "%-40s %12d bytes\n", $9, $5}'

RUST_LOG=info serve_as_service "$bin" "$db" --bind "127.0.0.1:$port" --frontend /nonexistent --files-dir "$work/files" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
login() {
    curl -sf -X POST "http://127.0.0.1:$port/api/login" -H 'content-type: application/json' \
        -d "{\"username\":\"$1\",\"password\":\"bench-uploads-password\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
admin=$(login bench-admin)
planner=$(login bench-planner)

memory() { awk '/^VmRSS/ {rss = $2} /^VmHWM/ {hwm = $2} END {printf "VmRSS %4d MB, VmHWM %4d MB", rss / 1024, hwm / 1024}' "/proc/$server/status"; }
# sample PID: the largest VmRSS of the server, sampled every 20 ms while PID runs, into $peak (KB)
sample() {
    local rss
    while kill -0 "$1" 2>/dev/null; do
        rss=$(awk '/^VmRSS/ {print $2}' "/proc/$server/status")
        [ "$rss" -gt "$peak" ] && peak=$rss
        sleep 0.02
    done
}
# post LABEL TOKEN URL FILE NAME: the answer and the time to it (an accepted import: until its
# job has failed or finished), with the server's memory before, during and after
post() {
    local label=$1 token=$2 url=$3 file=$4 name=$5 code seconds id
    peak=0
    echo "$label: before: $(memory)"
    local started; started=$(date +%s%N)
    curl -s -o "$work/answer" -w '%{http_code}\n' -H "authorization: Bearer $token" -H 'x-requested-with: bench' \
        -F "file=@$file;filename=$name" "http://127.0.0.1:$port$url" >"$work/status" &
    sample $!
    read -r code <"$work/status"
    if [ "$code" = 202 ]; then
        id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$work/answer")
        (while curl -s -H "authorization: Bearer $token" "http://127.0.0.1:$port/api/imports/$id" >"$work/answer" &&
            ! grep -q '"state":"\(done\|failed\)"' "$work/answer"; do sleep 0.1; done) &
        sample $!
        code="202, then the job: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["state"])' "$work/answer")"
    fi
    seconds=$(( ($(date +%s%N) - started) / 1000000 ))
    echo "$label: HTTP $code in $seconds ms; during: VmRSS peak $((peak / 1024)) MB; after: $(memory)"
    echo "    $(head -c 300 "$work/answer")"
}
echo "server idle: $(memory)"
post "overlay, zip bomb (planner)" "$planner" /api/overlay "$work/bomb.zip" parcels.zip
post "import, zip bomb (admin)" "$admin" "/api/imports?target=parcels&project=$project" "$work/bomb.zip" parcels.zip
post "overlay, 1M-vertex GeoJSON (planner)" "$planner" /api/overlay "$work/huge.geojson" huge.geojson
post "import, 1M-vertex GeoJSON (admin)" "$admin" "/api/imports?target=buildings&project=$project" "$work/huge.geojson" huge.geojson
post "overlay, 1M-vertex Shapefile (planner)" "$planner" /api/overlay "$work/huge.shp.zip" huge.shp.zip
post "import, 1M-vertex Shapefile (admin)" "$admin" "/api/imports?target=buildings&project=$project" "$work/huge.shp.zip" huge.shp.zip
echo "server at the end: $(memory)"
kill "$server"; wait "$server" 2>/dev/null || true
drop_database "$db" >/dev/null 2>&1
