#!/usr/bin/env bash
# Backup benchmark (issue 18): the million-building demo in a scratch cluster with WAL archiving
# as scripts/run sets it up; prints the base backup's time and size, the WAL volume of 10,000
# status writes (each its own transaction, as from the map), an incremental backup after them,
# and the time of a point-in-time restore into a fresh cluster (the RTO) with `onemap verify`
# there. SOURCE=db copies that database of the project cluster (default onemap_bench, made by
# bench/foundation.sh). Scratch clusters on PORT (default 54363) and the next port, in a
# temporary directory (DIR=… for another disk), both removed at the end. BIN=path picks the binary.
. "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
source_db=${SOURCE:-onemap_bench}
source_url=$(cluster_url "$source_db")
bin=${BIN:-$ROOT/target/debug/onemap}
[ -x "$bin" ] || cargo build --quiet
scratch=$(mktemp -d "${DIR:-/tmp}/onemap-backup-bench.XXXXXX")
chmod 755 "$scratch"
# from here on the functions of lib.sh act on the scratch cluster
PG_PORT=${PORT:-54363}
PG_DATA=$scratch/pg
BACKUP_DIR=$scratch/backup
BACKUP_STANZA=bench
export ONEMAP_FILES_DIR=$scratch/files
restored=$scratch/restored
finish() {
    stop_scratch_clusters "$restored" "$PG_DATA"
    rm -rf "$scratch"
}
trap finish EXIT
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }
sql() { psql -X -q -tA "$(cluster_url "$source_db")" "$@"; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1048576 }'; }

ensure_postgis
ensure_cluster
# the copy's WAL between checkpoints stays small: the disk holds two clusters and the repository
as_superuser -d postgres -c "ALTER SYSTEM SET max_wal_size = '1GB'" -c "SELECT pg_reload_conf()" >/dev/null
create_database "$source_db" >/dev/null
log "copying $source_db into the scratch cluster on port $PG_PORT"
started=$(now)
runuser -u postgres -- "$(pg_bin_dir)/pg_dump" -d "$source_url" | psql -X -q -o /dev/null "$(cluster_url "$source_db")" 2>&1 |
    grep -v 'already exists' || true
"$bin" --database-url "$(cluster_url "$source_db")" migrate
echo "copy: $(since "$started"), $(sql -c "SELECT count(*) FROM buildings") buildings, database $(sql -c "SELECT pg_size_pretty(pg_database_size(current_database()))")"

log "WAL archiving on, as scripts/run sets it up"
ensure_backups
log "base backup"
started=$(now)
"$bin" backup --type full
echo "base backup (full): $(since "$started") in all; repository $(mb "$(du -sb "$BACKUP_DIR/repo" | cut -f1)")"

log "10,000 status writes, each its own transaction"
sql -c "SELECT format('INSERT INTO status_events (household_id, from_status, to_status, actor, reason) VALUES (%s, %L, %L, ''bench'', ''bench'');',
               id, status, CASE status WHEN 'pending' THEN 'surveyed' ELSE 'signed' END)
          FROM households WHERE status IN ('pending', 'surveyed') ORDER BY id LIMIT 10000" >"$scratch/writes.sql"
backrest check >/dev/null
lsn=$(sql -c "SELECT pg_current_wal_lsn()")
archived=$(du -sb "$BACKUP_DIR/repo/archive" | cut -f1)
started=$(now)
sql -f "$scratch/writes.sql" 2>/dev/null || true
took=$(since "$started")
wal=$(sql -c "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '$lsn')")
written=$(sql -c "SELECT count(*) FROM status_events WHERE reason = 'bench'")
target=$(sql -c "SELECT to_json(clock_timestamp()) #>> '{}'")
sleep 1
# a commit after the moment, where recovery stops; then the segment goes to the repository
sql -c "INSERT INTO status_events (household_id, from_status, to_status, actor, reason)
        SELECT id, status, 'signed', 'bench', 'after the moment' FROM households WHERE status = 'surveyed' LIMIT 1"
backrest check >/dev/null
archived=$(( $(du -sb "$BACKUP_DIR/repo/archive" | cut -f1) - archived ))
echo "status writes: $written in $took; WAL $(mb "$wal") written, $(mb "$archived") archived (compressed) per $written writes"

log "incremental backup after the writes"
started=$(now)
"$bin" backup --type incr
echo "incremental backup: $(since "$started")"

log "restore to $target into a fresh cluster (the newest full backup, then the WAL up to the moment)"
started=$(now)
"$bin" restore --to "$target" --pgdata "$restored" --port $((PG_PORT + 1)) --database "$source_db"
echo "restore to the moment (RTO): $(since "$started")"
url="postgres://postgres@localhost:$((PG_PORT + 1))/$source_db?host=$restored"
started=$(now)
"$bin" --database-url "$url" verify | tail -1
echo "verify on the restored cluster: $(since "$started")"
echo "restored: $(psql -X -tA "$url" -c "SELECT count(*) FROM status_events WHERE reason = 'bench'") bench writes (expected $written)," \
    "$(psql -X -tA "$url" -c "SELECT count(*) FROM status_events WHERE reason = 'after the moment'") after the moment (expected 0)"
