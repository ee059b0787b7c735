#!/usr/bin/env bash
# The restore drill (run by scripts/test): on a scratch cluster with WAL archiving set up as
# scripts/run does, writes, a base backup, more writes, a mistaken mass write; then a restore
# to the moment before it into a fresh cluster, where `onemap verify`, the fund checks and
# every attachment's SHA-256 must be clean and the mass write absent. Both clusters are
# stopped and removed at the end. DRILL_PORT picks the ports (that one and the next, or the
# next free pair above).
set -euo pipefail
drill_started=$SECONDS
# two ports nobody listens on from DRILL_PORT up: a test server's ephemeral port may hold one
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=${DRILL_PORT:-54361}
while listening "$port" || listening $((port + 1)); do port=$((port + 2)); done
scratch=$(mktemp -d /tmp/onemap-drill.XXXXXX)
chmod 755 "$scratch"
export ONEMAP_PG_PORT=$port ONEMAP_PGDATA=$scratch/pg ONEMAP_BACKUP_DIR=$scratch/backup ONEMAP_BACKUP_STANZA=drill
export ONEMAP_FILES_DIR=$scratch/files
. "$(dirname "$0")/../../scripts/lib.sh"
restored=$scratch/restored
bin=${ONEMAP_BIN:-$ROOT/target/debug/onemap}
finish() {
    stop_scratch_clusters "$restored" "$PG_DATA"
    [ -n "${DRILL_KEEP:-}" ] || rm -rf "$scratch"
}
trap finish EXIT
fail() { echo "restore drill: $*" >&2; exit 1; }
# under scripts/test, the drill's output is kept with the suite's server logs for the log privacy
# check (tests/logs/privacy.sh), which looks there for the names the drill's demo holds
[ -z "${ONEMAP_TEST_LOGS:-}" ] || { mkdir -p "$ONEMAP_TEST_LOGS"; exec > >(tee -a "$ONEMAP_TEST_LOGS/drill.log") 2>&1; }

log "drill: a scratch cluster on port $port with WAL archiving, as scripts/run sets it up"
ensure_postgis
ensure_cluster
ensure_backups
create_database onemap >/dev/null
"$bin" --database-url "$(role_url owner onemap)" demo --buildings 300 --seed 7 --as-of 2026-11-20 >/dev/null
sql() { as_superuser -d onemap -tA "$@"; }
[ -z "${ONEMAP_TEST_LOGS:-}" ] || sql <"$ROOT/tests/logs/personal.sql" >"$ONEMAP_TEST_LOGS/drill.personal"

# moves up to N households from one status to the next with a reason, as status writes do (the
# triggers keep the figures): move FROM TO N REASON
move() {
    sql -c "INSERT INTO status_events (household_id, from_status, to_status, actor, reason)
            SELECT id, '$1', '$2', 'drill', '$4' FROM households WHERE status = '$1' ORDER BY id LIMIT $3" >/dev/null
}
# stores a small PDF in the attachment store, content-addressed, and names it on a household
attach() {
    local body sha dir
    body=$(printf '%%PDF-1.4 drill %s %s' "$1" "$RANDOM$RANDOM")
    sha=$(printf '%s' "$body" | sha256sum | cut -c1-64)
    dir=$ONEMAP_FILES_DIR/${sha:0:2}/${sha:2:2}
    mkdir -p "$dir" && printf '%s' "$body" >"$dir/$sha"
    sql -c "INSERT INTO attachments (household_id, kind, sha256, size_bytes, content_type, file_name)
            SELECT min(id), 'agreement', '$sha', ${#body}, 'application/pdf', 'drill-$1.pdf' FROM households" >/dev/null
}

move surveyed signed 10 'before the backup'
for i in 1 2 3; do attach "before-$i"; done
log "drill: base backup"
"$bin" backup --type full
# pgBackRest keeps a backup's stop time in whole seconds, and picks for a target only a backup
# that stopped before it: the writes after the backup (and so the target) start a second later
sleep 2
move surveyed signed 10 'after the backup'
for i in 1 2; do attach "after-$i"; done
# the attachments added since: what a timer running `onemap backup --files-only` copies
"$bin" backup --files-only
target=$(sql -c "SELECT to_json(clock_timestamp()) #>> '{}'")
log "drill: the mistaken mass write"
# every vacated household sent back to signed at once
move vacated signed 100000 'mistake'
sql -c "DELETE FROM attachments" >/dev/null
rm -rf "$ONEMAP_FILES_DIR"
mistaken=$(sql -c "SELECT count(*) FROM status_events WHERE reason = 'mistake'")
[ "$mistaken" -gt 50 ] || fail "the mass write moved only $mistaken households"
# the segment holding the mass write reaches the repository (check switches WAL and waits)
backrest check >/dev/null

log "drill: restore to $target into a fresh cluster"
export ONEMAP_FILES_DIR=$scratch/files-restored
"$bin" restore --to "$target" --pgdata "$restored" --port $((port + 1)) --database onemap
url="postgres://postgres@localhost:$((port + 1))/onemap?host=$restored"
"$bin" --database-url "$url" verify
got() { psql -X -q -tA "$url" -c "$1"; }
[ "$(got "SELECT count(*) FROM fund_differences()")" = 0 ] || fail "fund differences after the restore"
[ "$(got "SELECT count(*) FROM status_events WHERE reason = 'mistake'")" = 0 ] || fail "the mass write survived the restore"
[ "$(got "SELECT count(*) FROM status_events WHERE reason = 'before the backup'")" = 10 ] || fail "writes before the backup lost"
[ "$(got "SELECT count(*) FROM status_events WHERE reason = 'after the backup'")" = 10 ] || fail "writes after the backup lost"
[ "$(got "SELECT count(*) FROM attachments WHERE file_name LIKE 'drill-%'")" = 5 ] || fail "attachment rows lost"
[ "$(got "SELECT pg_is_in_recovery()")" = f ] || fail "the restored cluster is still recovering"
# every attachment's bytes, hashed here again (not by onemap): the store's copy matches its row
while read -r sha; do
    [ "$(sha256sum "$ONEMAP_FILES_DIR/${sha:0:2}/${sha:2:2}/$sha" | cut -c1-64)" = "$sha" ] || fail "attachment $sha damaged or missing"
done < <(got "SELECT sha256 FROM attachments")
[ "$(got "SELECT count(*) FROM attachments")" -ge 5 ] || fail "no attachments to check"
log "drill: restored and clean in $((SECONDS - drill_started)) s"
