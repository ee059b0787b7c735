#!/usr/bin/env bash
# 疑难个案 benchmark (issue 15) on the million-building demo city of bench/foundation.sh, on a
# copy (<source>_cases: the shared onemap_bench keeps the migrations of main): migrated (the
# backfill opens a case per flagged household), its cases then replaced by the demo's
# (backend/sql/demo/cases.sql, timed), then the medians and slowest of 7 runs (and the server's
# CPU time a run) of the open-case board
# city-wide (first page of 50, and overdue only), the cases panel city-wide, the figures of all
# projects and regions with their open/overdue counts, and the escalation job with nothing due.
. "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
ensure_postgis
ensure_cluster
# BENCH_DB=name copies another million-building database than the shared onemap_bench
src=${BENCH_DB:-onemap_bench}
db=${COPY:-${src}_cases}
[ "$db" != "$src" ] || { echo "COPY names the source database: it would be dropped" >&2; exit 1; }
runs=${RUNS:-7}
# BENCH_REUSE=1: time the queries on the copy made last time
if [ "${BENCH_REUSE:-}" != 1 ]; then
    drop_database "$db"
    as_superuser -d postgres -qc "CREATE DATABASE $db TEMPLATE $src" >/dev/null ||
        { echo "cannot copy $src (someone connected to it?): run again" >&2; exit 1; }
    url=$(cluster_url "$db")
    cargo build --quiet --bins
    start=$(date +%s%N)
    "$ROOT/target/debug/onemap" --database-url "$url" migrate
    log "migrate with the backfill: $(( ($(date +%s%N) - start) / 1000000 )) ms, $(psql "$url" -Atc "SELECT count(*) FROM cases") cases"
    as_of=$(psql "$url" -Atc "SELECT max(at AT TIME ZONE 'Asia/Shanghai')::date FROM status_events")
    psql "$url" -q -v ON_ERROR_STOP=1 -c "SET session_replication_role = replica;
        TRUNCATE case_status_events, case_conference_attachments, case_conferences, case_events, cases RESTART IDENTITY"
    start=$(date +%s%N)
    { echo "BEGIN; SELECT set_config('onemap.as_of', '$as_of', true);"; cat backend/sql/demo/cases.sql; echo "COMMIT; ANALYZE cases; ANALYZE case_events;"; } |
        psql "$url" -q -v ON_ERROR_STOP=1 >/dev/null
    log "demo cases as of $as_of: $(( ($(date +%s%N) - start) / 1000000 )) ms"
    psql "$url" -Atc "SELECT format('%s households, %s cases (%s open, %s overdue now), %s events', (SELECT count(*) FROM households),
        count(*), count(*) FILTER (WHERE state = 'open'), count(*) FILTER (WHERE state = 'open' AND due_at <= now()),
        (SELECT count(*) FROM case_events)) FROM cases"
fi
url=$(cluster_url "$db")

# the server process's CPU time (user + system, clock ticks), read from /proc as the superuser
# may: on a shared machine the wall time waits for a core, the CPU time is what the query costs
cpu="SELECT 'cpu ' || (split_part(s, ' ', 14)::bigint + split_part(s, ' ', 15)::bigint) FROM pg_read_file('/proc/' || pg_backend_pid() || '/stat') s;"
tick=$(getconf CLK_TCK)
# the median and slowest of $runs runs of one statement (psql's \timing, after one warm-up
# run; $3 is run once before, untimed: the PREPAREs), and the server's CPU time a run
median() {
    local name=$1 sql=$2 setup=${3:-}
    local out times ticks
    out=$( { echo "$setup"; echo "$sql"; echo "$cpu"; echo '\timing on'; for _ in $(seq 1 "$runs"); do echo "$sql"; done;
             echo '\timing off'; echo "$cpu"; } | psql "$url" -q -At 2>&1)
    times=$(echo "$out" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | sort -n)
    ticks=$(echo "$out" | sed -n 's/^cpu \([0-9]*\)$/\1/p' | tr '\n' ' ')
    printf '%-44s median %8.1f ms, slowest %8.1f ms, server CPU %4.0f ms a run   (%s)\n' "$name" \
        "$(echo "$times" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')" "$(echo "$times" | tail -1)" \
        "$(echo "$ticks" | awk -v n="$runs" -v t="$tick" '{print ($2 - $1) * 1000 / t / n}')" "$(echo $times)"
}
board=$(cat backend/sql/cases/board.sql)
summary=$(cat backend/sql/cases/summary.sql)
# custom plans, as the service asks for them (`.persistent(false)`)
prepare="SET plan_cache_mode = force_custom_plan; PREPARE board(integer, text, integer, text, boolean, text, boolean, bigint, bigint, timestamptz) AS $board;
         PREPARE summary(bigint[], timestamptz) AS $summary;"
# before: the board as it was before it carried only the sort keys (from git)
narrowed=$(git log -1 --format=%H -S'Only the sort keys go through' -- backend/sql/cases/board.sql)
if [ -n "$narrowed" ]; then
    board_before=$(git show "$narrowed~1:backend/sql/cases/board.sql")
    median "before: board: open, city-wide, first 50" "EXECUTE board_before(NULL, NULL, NULL, 'open', NULL, NULL, true, 50, 0, now());" \
        "SET plan_cache_mode = force_custom_plan; PREPARE board_before(integer, text, integer, text, boolean, text, boolean, bigint, bigint, timestamptz) AS $board_before;"
    median "before: board: overdue only, city-wide" "EXECUTE board_before(NULL, NULL, NULL, 'open', true, NULL, true, 50, 0, now());" \
        "SET plan_cache_mode = force_custom_plan; PREPARE board_before(integer, text, integer, text, boolean, text, boolean, bigint, bigint, timestamptz) AS $board_before;"
fi
printf 'load average: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
median "board: open, city-wide, first 50 (admin)" "EXECUTE board(NULL, NULL, NULL, 'open', NULL, NULL, true, 50, 0, now());" "$prepare"
median "board: overdue only, city-wide" "EXECUTE board(NULL, NULL, NULL, 'open', true, NULL, true, 50, 0, now());" "$prepare"
median "board: closed, one category, page 3" "EXECUTE board(NULL, NULL, NULL, 'closed', NULL, 'standard', false, 50, 100, now());" "$prepare"
busiest=$(psql "$url" -Atc "SELECT p.code FROM cases c JOIN projects p ON p.id = c.project_id WHERE c.state = 'open' GROUP BY p.code ORDER BY count(*) DESC LIMIT 1")
median "board: the busiest project, open" "EXECUTE board(NULL, '$busiest', NULL, 'open', NULL, NULL, true, 50, 0, now());" "$prepare"
median "cases panel city-wide (cockpit, wall)" "EXECUTE summary(NULL, now());" "$prepare"
median "all projects' figures (with open/overdue)" "$(cat backend/sql/figures/all_projects.sql | sed 's/\$1::date/current_date/g');"
median "all regions' figures (with open/overdue)" "$(cat backend/sql/figures/all_regions.sql | sed 's/\$1::date/current_date/g');"
median "escalation job, nothing due" "SELECT escalate_due_cases(now() - interval '30 days');"
printf 'load average: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
