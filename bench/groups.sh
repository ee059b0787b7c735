#!/usr/bin/env bash
# Work group benchmark (issue 15): the group ranking of a week (`/api/rankings?level=group`, its
# SQL backend/sql/figures/group_rankings.sql) at a million buildings, city-wide and for the
# largest project: the median and the slowest of RUNS runs, before (the read-time count of the
# events, as the query was before migration 0039: taken from git, RUNS_BEFORE runs) and after
# (the kept group_daily_figures). Measured on a copy of the million-building demo database
# `onemap_bench` (bench/foundation.sh makes it; BENCH_DB=name copies another), so the shared
# database keeps its migrations: the copy is migrated (timed: migration 0039 recounts the
# groups' figures), given the demo's groups, their people and assignment history as `onemap demo`
# makes them if it has none (backend/sql/demo/groups.sql, group_people.sql, row triggers paused
# as the demo's bulk load pauses them, then recount_group_figures() as the demo calls it), the
# recount timed again (what the demo's bulk load adds), measured and dropped (KEEP=1 keeps it).
# BIN=path picks the binary that migrates (default target/debug/onemap; the ranking is one query).
# REUSE=1 measures a copy left by an earlier run (KEEP=1) instead of making it again (20 min).
. "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
source_db=${BENCH_DB:-${DB:-onemap_bench}}
copy=${COPY:-${source_db}_groups}
[ "$copy" != "$source_db" ] || { echo "COPY names the source database: it would be dropped" >&2; exit 1; }
runs=${RUNS:-15}
runs_before=${RUNS_BEFORE:-3}
ensure_cluster
if [ -z "${BIN:-}" ]; then cargo build --quiet; BIN="$ROOT/target/debug/onemap"; fi
url=$(cluster_url "$copy")
if [ -z "${REUSE:-}" ] || ! psql "$url" -Atc 'SELECT 1' >/dev/null 2>&1; then
    drop_database "$copy" >/dev/null
    started=$(date +%s.%N)
    as_superuser -d postgres -c "CREATE DATABASE \"$copy\" TEMPLATE \"$source_db\" STRATEGY FILE_COPY" >/dev/null
    printf 'copy of %s: %.0f s\n' "$source_db" "$(echo "$(date +%s.%N) - $started" | bc)"
fi
started=$(date +%s.%N)
"$BIN" --database-url "$url" migrate >/dev/null
printf 'migrate (0039 recounts the groups'"'"' figures when the copy has none yet): %.1f s\n' "$(echo "$(date +%s.%N) - $started" | bc)"
if [ "$(psql "$url" -Atc 'SELECT count(*) FROM work_groups')" = 0 ]; then
    started=$(date +%s.%N)
    {
        echo "BEGIN;"
        for t in parcels buildings households status_events work_group_assignments; do echo "ALTER TABLE $t DISABLE TRIGGER USER;"; done
        cat backend/sql/demo/groups.sql
        echo ";"
        cat backend/sql/demo/group_people.sql
        echo ";"
        for t in parcels buildings households status_events work_group_assignments; do echo "ALTER TABLE $t ENABLE TRIGGER USER;"; done
        echo "SELECT recount_group_figures();"
        echo "COMMIT; ANALYZE work_groups; ANALYZE work_group_assignments; ANALYZE households; ANALYZE buildings;"
    } | psql "$url" -q -v ON_ERROR_STOP=1 >/dev/null
    printf 'demo groups, people and history written: %.0f s\n' "$(echo "$(date +%s.%N) - $started" | bc)"
fi
psql "$url" -Atc "SELECT (SELECT count(*) FROM buildings) || ' buildings, ' || (SELECT count(*) FROM households) || ' households, '
    || (SELECT count(*) FROM work_groups) || ' groups, ' || (SELECT count(*) FROM work_group_assignments) || ' assignment rows, '
    || (SELECT count(*) FROM status_events) || ' events'"
# the server process's CPU time (user + system, clock ticks), read from /proc as the superuser
# may: on a shared machine the wall time waits for a core, the CPU time is what the query costs
cpu="SELECT 'cpu ' || (split_part(s, ' ', 14)::bigint + split_part(s, ' ', 15)::bigint) FROM pg_read_file('/proc/' || pg_backend_pid() || '/stat') s;"
tick=$(getconf CLK_TCK)
# what the demo's bulk load adds: the groups' figures recounted from the events and the history
# (RECOUNT=0 leaves it out, on a copy an earlier run timed it on)
if [ "${RECOUNT:-1}" != 0 ]; then
    started=$(date +%s.%N)
    ticks=$(psql "$url" -q -At -v ON_ERROR_STOP=1 -c "$cpu" -c "SELECT recount_group_figures()" -c "$cpu" | sed -n 's/^cpu //p' | tr '\n' ' ')
    printf 'recount_group_figures() (the demo calls it once after its bulk load): %.1f s, server CPU %s s, %s kept rows\n' \
        "$(echo "$(date +%s.%N) - $started" | bc)" "$(echo "$ticks" | awk -v t="$tick" '{printf "%.1f", ($2 - $1) / t}')" \
        "$(psql "$url" -Atc 'SELECT count(*) FROM group_daily_figures')"
fi
psql "$url" -q -c "VACUUM ANALYZE group_daily_figures" -c "VACUUM ANALYZE group_holdings"
# the week up to the last day with events, as the wall asks for it
day=$(psql "$url" -Atc "SELECT max((at AT TIME ZONE 'Asia/Shanghai')::date) FROM status_events")
project=$(psql "$url" -Atc "SELECT g.project_id FROM work_groups g JOIN households h ON h.group_id = g.id GROUP BY g.project_id ORDER BY count(*) DESC LIMIT 1")
# before: the query as it was before migration 0039 added the kept figures
added=$(git log -1 --format=%H --diff-filter=A -- migrations/0039_group_daily_figures.sql)
sql_before=$(git show "$added~1:backend/sql/figures/group_rankings.sql")
sql_after=$(cat backend/sql/figures/group_rankings.sql)
stats() { sort -n | awk '{a[NR]=$1} END {printf "median %s ms, slowest %s ms", (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2, a[NR]}'; }
measure() { # what, SQL, runs, project (NULL for the city)
    local what=$1 sql=$2 n=$3 p=$4 out times ticks
    out=$( {
        # as the service runs it (reports/rankings.rs): planned for its parameters every time
        echo "SET plan_cache_mode = force_custom_plan;"
        echo "PREPARE ranking AS $sql;"
        echo "$cpu"
        echo '\timing on'
        for _ in $(seq "$n"); do
            echo "EXECUTE ranking ('$day'::date - extract(isodow FROM '$day'::date)::int + 1, '$day', '$day'::date - extract(isodow FROM '$day'::date)::int - 6, '$day'::date - extract(isodow FROM '$day'::date)::int, $p, NULL);"
        done
        echo '\timing off'
        echo "$cpu"
    } | psql "$url" -q -At 2>&1)
    times=$(echo "$out" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p')
    ticks=$(echo "$out" | sed -n 's/^cpu \([0-9]*\)$/\1/p' | tr '\n' ' ')
    rows=$(psql "$url" -Atc "SELECT count(*) FROM work_groups g WHERE $p IS NULL OR g.project_id = $p")
    printf '%s (%s groups, week to %s): %s of %s runs, server CPU %s ms a run (%s)\n' "$what" "$rows" "$day" \
        "$(echo "$times" | stats)" "$n" "$(echo "$ticks" | awk -v n="$n" -v t="$tick" '{printf "%.0f", ($2 - $1) * 1000 / t / n}')" \
        "$(echo "$times" | tr '\n' ' ' | sed 's/ $//')"
}
# the machine is shared: say how busy it was
printf 'load average before measuring: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
measure "before: group ranking, city-wide" "$sql_before" "$runs_before" NULL
measure "before: group ranking, largest project" "$sql_before" "$runs_before" "$project"
measure "after: group ranking, city-wide" "$sql_after" "$runs" NULL
measure "after: group ranking, largest project" "$sql_after" "$runs" "$project"
printf 'load average after: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
if [ -z "${KEEP:-}" ]; then drop_database "$copy" >/dev/null; fi
