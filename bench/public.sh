#!/usr/bin/env bash
# Announcement-day reads (issue 19): the residents' landing `/api/public/projects` under
# `wrk -c32` against the release binary on the million-building demo. Prints requests/s and
# p99 for the first page, a city's page, and revalidation with the page's ETag (304).
# Targets: ≥ 5,000 requests/s and p99 < 50 ms.
# env: BENCH_DB (default onemap_bench; give a copy of your own), WRK_SECONDS (10), RUNS (3: the median).
. "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
db=${BENCH_DB:-onemap_bench}
port=${BENCH_PORT:-18795}
seconds=${WRK_SECONDS:-10}
runs=${RUNS:-3}
bench_prelude
command -v wrk >/dev/null || apt_install wrk
url=$(cluster_url "$db")
psql "$url" -Atc "SELECT count(*) FROM buildings" >/dev/null 2>&1 || { echo "run bench/foundation.sh first (or set BENCH_DB)" >&2; exit 1; }
"$bin" --database-url "$url" migrate
serve_as_service "$bin" "$db" --bind "127.0.0.1:$port" --frontend /nonexistent >/tmp/onemap-public-bench.log 2>&1 &
server=$!
work=$(mktemp -d /tmp/onemap-public-bench.XXXXXX)
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
base="http://127.0.0.1:$port/api/public/projects"
for _ in $(seq 150); do curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.2; done

# the whole list, as it was answered before paging, for the size it had
whole=$(curl -sf "$base?limit=200" | python3 -c 'import json,sys; print(json.load(sys.stdin)["all"])')
first=$(curl -sf -w '%{size_download}' -o /dev/null "$base")
city=$(curl -sf "$base" | python3 -c 'import json,sys,urllib.parse; print(urllib.parse.quote(json.load(sys.stdin)["cities"][0]))')
etag=$(curl -sfI "$base" | sed -n 's/^etag: *//Ip' | tr -d '\r')

cat >"$work/report.lua" <<'LUA'
function done(summary, latency)
  io.write(string.format("RESULT %.0f %.1f %d %d\n", summary.requests / (summary.duration / 1e6), latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout, math.floor(summary.bytes / math.max(summary.requests, 1))))
end
LUA
load() { # URL [header] → the median run's "requests/s p99_ms errors bytes/answer"
    for _ in $(seq "$runs"); do
        wrk -t2 -c32 -d"${seconds}s" ${2:+-H "$2"} -s "$work/report.lua" "$1" | sed -n 's/^RESULT //p'
    done | sort -n | sed -n "$(((runs + 1) / 2))p"
}

echo
echo "public landing at $(psql "$url" -Atc "SELECT count(*) FROM buildings") buildings, $whole published projects; first page $first bytes"
echo "wrk -t2 -c32, ${seconds}s × $runs runs (median), $(nproc) cores, $(uptime | sed 's/.*load/load/')"
printf '%-28s %10s %8s %7s %8s\n' answer req/s p99_ms errors bytes
for case in "first page|$base|" "a city's page|$base?city=$city|" "revalidated (304)|$base|If-None-Match: $etag"; do
    IFS='|' read -r name target header <<<"$case"
    read -r rps p99 errors bytes <<<"$(load "$target" "$header")"
    printf '%-28s %10s %8s %7s %8s\n' "$name" "$rps" "$p99" "$errors" "$bytes"
done
echo "targets: ≥ 5000 requests/s, p99 < 50 ms"
