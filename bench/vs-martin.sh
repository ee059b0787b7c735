#!/usr/bin/env bash
# onemap's building tiles side by side with Martin 1.14 (issue 19): the same buildings table
# with the same properties (Martin reads them through a view), the same dense z16 tiles,
# `wrk -t2 -c8` against each server in turn, cold (no tile cache) and warm (every tile cached),
# plain and with a browser's Accept-Encoding. Prints requests/s and the ratios onemap/Martin.
#
# Martin is built once (about 15–20 minutes) into $MARTIN_CACHE, outside the repository.
# env: BENCH_DB (default onemap_bench; give a copy of your own), MARTIN_CACHE, TILES (how many
# dense tiles, 200), WRK_SECONDS (per run, 10), RUNS (runs per case, the median is kept, 3),
# CACHES ("cold warm"; "warm" alone to measure the per-request costs).
. "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
db=${BENCH_DB:-onemap_bench}
martin_cache=${MARTIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/onemap-martin}
tiles=${TILES:-200}
seconds=${WRK_SECONDS:-10}
runs=${RUNS:-3}
onemap_port=${BENCH_PORT:-18793}
martin_port=$((onemap_port + 1))
work=$(mktemp -d /tmp/onemap-vs-martin.XXXXXX)
browser='Accept-Encoding: gzip, deflate, br, zstd'

bench_prelude
command -v wrk >/dev/null || apt_install wrk
martin="$martin_cache/bin/martin"
if [ ! -x "$martin" ]; then
    log "building Martin 1.14 into $martin_cache (once; about 15–20 minutes)"
    nice -n 19 cargo install martin@1.14.0 --locked --no-default-features --features postgres --root "$martin_cache"
fi
"$martin" --version | grep -q '1\.14\.' || { echo "$martin is not Martin 1.14" >&2; exit 1; }
url=$(cluster_url "$db")
psql "$url" -Atc "SELECT count(*) FROM buildings" >/dev/null 2>&1 || { echo "run bench/foundation.sh first (or set BENCH_DB)" >&2; exit 1; }
"$bin" --database-url "$url" migrate

# Martin's source: the buildings layer's own feature SQL without the tile filter, as a view
# in a schema of its own (Martin adds the envelope test on geom_3857 itself). Read as
# onemap_app, like onemap.
psql "$url" -q -v ON_ERROR_STOP=1 <<SQL
CREATE SCHEMA IF NOT EXISTS bench_martin;
CREATE OR REPLACE VIEW bench_martin.buildings AS
$(sed -e '/^--/d' -e '/JOIN tile ON/d' backend/sql/tiles/buildings.sql);
GRANT USAGE ON SCHEMA bench_martin TO onemap_app;
GRANT SELECT ON bench_martin.buildings TO onemap_app;
SQL

# the densest z16 tiles of buildings (by footprint centres), the same list for both servers
psql "$url" -Atc "
  WITH t AS (SELECT floor((ST_X(c) + 20037508.342789244) / (40075016.685578488 / 65536))::int AS x,
                    floor((20037508.342789244 - ST_Y(c)) / (40075016.685578488 / 65536))::int AS y
               FROM (SELECT ST_Centroid(ST_Envelope(geom_3857)) AS c FROM buildings) b)
  SELECT '16/' || x || '/' || y FROM t GROUP BY x, y ORDER BY count(*) DESC, x, y LIMIT $tiles" >"$work/tiles"
log "$(wc -l <"$work/tiles") dense z16 tiles"

cat >"$work/tiles.lua" <<'LUA'
-- every thread walks the tile list from its own start; PREFIX and SUFFIX make the paths
local paths, i = {}, 0
for line in io.lines(os.getenv("TILE_LIST")) do paths[#paths + 1] = os.getenv("PREFIX") .. line .. os.getenv("SUFFIX") end
local threads = 0
function setup(thread) thread:set("start", threads * 97); threads = threads + 1 end
function init() i = tonumber(start) or 0 end
function request() i = i % #paths + 1; return wrk.format("GET", paths[i]) end
function done(summary, latency)
  io.write(string.format("RESULT %.1f %d %d %d\n", summary.requests / (summary.duration / 1e6), math.floor(summary.bytes / math.max(summary.requests, 1)),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout, latency:percentile(99)))
end
LUA

psql "$url" -qc "DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE username = 'bench')" >/dev/null
psql "$url" -Atc "SELECT 1 FROM users WHERE username = 'bench'" | grep -q 1 ||
    echo "bench-password" | "$bin" --database-url "$url" user add --username bench --role admin --password-stdin

server=
stop() { [ -n "$server" ] && kill "$server" 2>/dev/null && { wait "$server" 2>/dev/null || true; }; server=; }
trap 'stop; rm -rf "$work"' EXIT
wait_for() { for _ in $(seq 150); do curl -sf -o /dev/null "$1" && return; sleep 0.2; done; echo "no answer from $1" >&2; exit 1; }

start_onemap() { # cache MB
    # as many tile queries at once as Martin's pool has connections (onemap's default of 4
    # keeps cores for writes; cold plain at 4: 0.93–0.98×, same per-tile CPU, idle gaps)
    serve_as_service "$bin" "$db" --bind "127.0.0.1:$onemap_port" --frontend /nonexistent --pool 8 --tile-queries 8 --tile-cache-mb "$1" \
        >"$work/onemap.log" 2>&1 &
    server=$!
    wait_for "http://127.0.0.1:$onemap_port/healthz"
    token=$(curl -sf -X POST "http://127.0.0.1:$onemap_port/api/login" -H 'content-type: application/json' \
        -d '{"username":"bench","password":"bench-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
    prefix="http://127.0.0.1:$onemap_port/tiles/buildings/" suffix=.mvt auth="Authorization: Bearer $token"
}

start_martin() { # cache MB (0: none)
    local cache="cache: disable"
    [ "$1" = 0 ] || cache="cache: {size_mb: $(($1 * 2))}" # half of Martin's cache holds tiles
    cat >"$work/martin.yaml" <<YAML
listen_addresses: '127.0.0.1:$martin_port'
$cache
postgres:
  connection_string: '$(role_url app "$db")'
  pool_size: 8
  auto_publish: false
  tables:
    buildings:
      schema: bench_martin
      table: buildings
      srid: 3857
      geometry_column: geom_3857
      geometry_type: MULTIPOLYGON
      id_column: id
      extent: 4096
      buffer: 64
      clip_geom: true
      properties: {code: text, project_id: int8, parcel_id: int8, status: text, households: int4, floor_area: float8,
                   floors: int2, use: text, legality: text, group_id: int4, case_open: bool}
YAML
    "$martin" --config "$work/martin.yaml" >"$work/martin.log" 2>&1 &
    server=$!
    wait_for "http://127.0.0.1:$martin_port/health"
    prefix="http://127.0.0.1:$martin_port/buildings/" suffix= auth="X-Bench: martin"
}

load() { # encoding header → "requests/s bytes/request errors p99µs", the median of $runs runs by requests/s
    for _ in $(seq "$runs"); do
        TILE_LIST="$work/tiles" PREFIX=$prefix SUFFIX=$suffix wrk -t2 -c8 -d"${seconds}s" -H "$auth" ${1:+-H "$1"} \
            -s "$work/tiles.lua" "$prefix" | sed -n 's/^RESULT //p'
    done | sort -n | sed -n "$(((runs + 1) / 2))p"
}

warm_up() { # every tile once, in both encodings
    while read -r t; do
        curl -sf -o /dev/null -H "$auth" "$prefix$t$suffix"
        curl -sf -o /dev/null -H "$auth" -H "$browser" "$prefix$t$suffix"
    done <"$work/tiles"
}

declare -A result
for cache in ${CACHES:-cold warm}; do
    for server_name in onemap martin; do
        mb=0; [ $cache = warm ] && mb=256
        "start_$server_name" $mb
        # the first pass reads the pages Postgres needs into its buffers: both servers then
        # start from the same shared buffers, and warm runs from a full cache
        warm_up
        result[$server_name-$cache-plain]=$(load "")
        result[$server_name-$cache-gzip]=$(load "$browser")
        stop
    done
done

echo
echo "onemap vs Martin 1.14: $(wc -l <"$work/tiles") dense z16 building tiles, wrk -t2 -c8, ${seconds}s × $runs runs (median), $(nproc) cores, $(uptime | sed 's/.*load/load/')"
printf '%-12s %12s %10s %12s %10s %8s %8s\n' case onemap_req/s bytes martin_req/s bytes ratio target
for case in cold-gzip cold-plain warm-plain warm-gzip; do
    [ -n "${result[onemap-$case]:-}" ] || continue
    read -r o_rps o_bytes o_err o_p99 <<<"${result[onemap-$case]}"
    read -r m_rps m_bytes m_err m_p99 <<<"${result[martin-$case]}"
    case $case in cold-gzip) target=1.2 ;; cold-plain | warm-plain) target=1.0 ;; *) target=- ;; esac
    printf '%-12s %12s %10s %12s %10s %8s %8s' "$case" "$o_rps" "$o_bytes" "$m_rps" "$m_bytes" \
        "$(python3 -c "print(f'{$o_rps / $m_rps:.2f}')")" "$target"
    [ "$o_err$m_err" = 00 ] || printf '   errors: onemap %s, martin %s' "$o_err" "$m_err"
    printf '   p99 ms: %s / %s\n' "$(python3 -c "print(round($o_p99 / 1000, 1))")" "$(python3 -c "print(round($m_p99 / 1000, 1))")"
done
