# Shared by scripts/run and scripts/test: install what is missing and run the project-owned
# PostGIS cluster (as the postgres user: PostgreSQL refuses to run as root).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PG_PORT=${ONEMAP_PG_PORT:-54329}
PG_DATA=${ONEMAP_PGDATA:-$ROOT/.local/pg}

# each line says how many seconds the script has run, so a slow CI run shows where it went
log() { printf '\033[1m== [%4ds] %s\033[0m\n' "$SECONDS" "$*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=""
apt_install() {
    [ -n "$apt_updated" ] || { as_root apt-get update -qq; apt_updated=1; }
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# The newest PostgreSQL whose PostGIS 3 package the distribution offers (bookworm: 15).
pg_bin_dir() {
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if ls "$dir/../lib/postgis-3.so" >/dev/null 2>&1; then echo "$dir"; return 0; fi
    done
    return 1
}

ensure_postgis() {
    pg_bin_dir >/dev/null && return 0
    log "installing PostgreSQL + PostGIS from the distribution"
    [ -n "$apt_updated" ] || { as_root apt-get update -qq; apt_updated=1; }
    local pkg
    pkg=$(apt-cache search --names-only '^postgresql-[0-9]+-postgis-3$' | awk '{print $1}' | sort -V | tail -n 1)
    [ -n "$pkg" ] || { echo "no postgresql-N-postgis-3 package in the distribution" >&2; exit 1; }
    apt_install "$pkg" "${pkg%-postgis-3}"
}

ensure_toolchain() {
    command -v cargo >/dev/null || { echo "cargo not found: onemap needs a Rust toolchain (1.92+) on PATH" >&2; exit 1; }
    command -v node >/dev/null && command -v npm >/dev/null || { log "installing node and npm"; apt_install nodejs npm; }
    command -v cc >/dev/null || apt_install gcc libc6-dev
    # the form checks of scripts/test
    cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt
    cargo clippy --version >/dev/null 2>&1 || rustup component add clippy
}

# GDAL: the library the importer links (libgdal-dev, with pkg-config to find it) and the
# command-line tools the tests and benchmarks compare against (gdal-bin: ogrinfo, ogr2ogr).
ensure_gdal() {
    if ! pkg-config --exists gdal 2>/dev/null || ! command -v ogr2ogr >/dev/null; then
        log "installing GDAL"
        apt_install libgdal-dev gdal-bin pkg-config
    fi
}

# The weekly reports' (PDF) CJK font: the server's default --report-font is Noto Sans CJK's file.
ensure_report_font() {
    [ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || { log "installing the report font (fonts-noto-cjk)"; apt_install fonts-noto-cjk; }
}

# pdftotext, pdfinfo and pdftoppm: the tests read the weekly reports back as text and pages.
ensure_pdf_tools() {
    command -v pdftotext >/dev/null || { log "installing poppler-utils for the PDF tests"; apt_install poppler-utils; }
}

# Prometheus's own text parser: tests/api/ops.rs reads /metrics with it.
ensure_prometheus_parser() {
    python3 -c 'import prometheus_client.parser' 2>/dev/null && return 0
    log "installing prometheus_client for the /metrics test"
    python3 -m pip install --quiet prometheus_client 2>/dev/null || python3 -m pip install --quiet --break-system-packages prometheus_client
}

# protomaps' python pmtiles: tests/api/pmtiles.rs writes its PMTiles basemaps with it (a writer
# that is not onemap's own code).
ensure_pmtiles_writer() {
    python3 -c 'import pmtiles.convert' 2>/dev/null && return 0
    log "installing pmtiles (protomaps' python writer) for the PMTiles test"
    python3 -m pip install --quiet pmtiles 2>/dev/null || python3 -m pip install --quiet --break-system-packages pmtiles
}

ensure_chromium() {
    [ -x /usr/bin/chromium ] || { log "installing chromium for the browser tests"; apt_install chromium fonts-noto-cjk; }
}

# Passwords of the project's database roles, made once, readable by root only:
# onemap_owner runs migrations and loads, onemap_app serves, onemap_public serves residents.
SECRETS=$ROOT/.local/secrets
ensure_secrets() {
    mkdir -p "$SECRETS"; chmod 700 "$SECRETS"
    local role
    for role in owner app public; do
        [ -s "$SECRETS/$role.pw" ] || (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$SECRETS/$role.pw")
    done
    export ONEMAP_OWNER_PASSWORD ONEMAP_APP_PASSWORD ONEMAP_PUBLIC_PASSWORD
    ONEMAP_OWNER_PASSWORD=$(cat "$SECRETS/owner.pw")
    ONEMAP_APP_PASSWORD=$(cat "$SECRETS/app.pw")
    ONEMAP_PUBLIC_PASSWORD=$(cat "$SECRETS/public.pw")
}

# Who may connect how: the Unix socket (its directory is postgres's, mode 700: root and
# postgres only) for administration; TCP on loopback only with a password, never as postgres.
write_hba() {
    cat >"$PG_DATA/pg_hba.conf" <<HBA
local all all trust
host all postgres 127.0.0.1/32 reject
host all all 127.0.0.1/32 scram-sha-256
HBA
    chown postgres:postgres "$PG_DATA/pg_hba.conf"
}

# Start (or reuse) the cluster at $PG_DATA on 127.0.0.1:$PG_PORT; password auth on loopback only.
ensure_cluster() {
    local bin; bin=$(pg_bin_dir)
    if [ ! -s "$PG_DATA/PG_VERSION" ]; then
        log "creating the project PostGIS cluster in $PG_DATA"
        mkdir -p "$PG_DATA"
        chown postgres:postgres "$PG_DATA"; chmod 700 "$PG_DATA"
        runuser -u postgres -- "$bin/initdb" -D "$PG_DATA" -U postgres --auth=trust \
            --encoding=UTF8 --locale=C.UTF-8 >/dev/null
        # loopback only; tuned for bulk loads of the million-building demo on 2 cores
        cat >>"$PG_DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DATA'
shared_buffers = 1GB
maintenance_work_mem = 1GB
work_mem = 32MB
max_wal_size = 8GB
checkpoint_timeout = 30min
jit = off
max_connections = 200
CONF
    fi
    write_hba
    if ! runuser -u postgres -- "$bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
        log "starting PostGIS on 127.0.0.1:$PG_PORT"
        runuser -u postgres -- "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w start >/dev/null
    else
        runuser -u postgres -- "$bin/pg_ctl" -D "$PG_DATA" reload >/dev/null
    fi
    ensure_secrets
    ensure_roles
}

# Backups with pgBackRest: continuous WAL archiving and base backups into a repository, and
# the attachments' copies, all under one directory outside the data directory (owned by
# postgres: the server itself runs archive-push). ONEMAP_BACKUP_DIR moves it (another disk).
BACKUP_DIR=${ONEMAP_BACKUP_DIR:-$ROOT/.local/backup}
BACKUP_STANZA=${ONEMAP_BACKUP_STANZA:-onemap}
backrest() { runuser -u postgres -- pgbackrest --config="$BACKUP_DIR/pgbackrest.conf" --stanza="$BACKUP_STANZA" "$@"; }

# Writes pgBackRest's configuration for the cluster at $PG_DATA, turns WAL archiving on (one
# restart the first time), creates the stanza and checks a segment reaches the repository.
ensure_backups() {
    command -v pgbackrest >/dev/null || { log "installing pgBackRest"; apt_install pgbackrest; }
    mkdir -p "$BACKUP_DIR"/{repo,log,lock,files}
    chown postgres:postgres "$BACKUP_DIR" "$BACKUP_DIR"/{repo,log,lock}
    chmod 750 "$BACKUP_DIR"
    # zstd: a third of gzip's CPU at a like size; at most a full backup a week is kept with
    # its WAL (retention-full=2: the last two), so a restore reaches back one to two weeks
    cat >"$BACKUP_DIR/pgbackrest.conf" <<CONF
[global]
repo1-path=$BACKUP_DIR/repo
repo1-retention-full=2
log-path=$BACKUP_DIR/log
lock-path=$BACKUP_DIR/lock
log-level-console=warn
compress-type=zst
process-max=2
start-fast=y

[$BACKUP_STANZA]
pg1-path=$PG_DATA
pg1-port=$PG_PORT
pg1-socket-path=$PG_DATA
CONF
    chmod 644 "$BACKUP_DIR/pgbackrest.conf"
    local archive="pgbackrest --config=$BACKUP_DIR/pgbackrest.conf --stanza=$BACKUP_STANZA archive-push %p"
    local mode; mode=$(as_superuser -d postgres -tAc "SHOW archive_mode")
    # archive_timeout: a quiet hour's few writes still reach the repository within a minute (the RPO)
    as_superuser -d postgres -c "ALTER SYSTEM SET archive_mode = on" \
        -c "ALTER SYSTEM SET archive_command = '$archive'" -c "ALTER SYSTEM SET archive_timeout = '60s'"
    local bin; bin=$(pg_bin_dir)
    if [ "$mode" != on ]; then
        log "turning WAL archiving on (restarts the cluster once)"
        runuser -u postgres -- "$bin/pg_ctl" -D "$PG_DATA" -m fast -w restart -l "$PG_DATA/server.log" >/dev/null
    else
        runuser -u postgres -- "$bin/pg_ctl" -D "$PG_DATA" reload >/dev/null
    fi
    backrest stanza-create >/dev/null
    backrest check >/dev/null
    export ONEMAP_BACKUP_DIR=$BACKUP_DIR ONEMAP_BACKUP_STANZA=$BACKUP_STANZA
}

# Runs SQL as the cluster's superuser over the socket.
as_superuser() { local bin; bin=$(pg_bin_dir); runuser -u postgres -- "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_DATA" -p "$PG_PORT" "$@"; }

# The three roles, with the passwords above (hex: safe inside quotes). None may create roles
# or databases; only the owner owns anything.
ensure_roles() {
    as_superuser -d postgres >/dev/null <<SQL
SELECT format('CREATE ROLE %I', r) FROM unnest(ARRAY['onemap_owner', 'onemap_app', 'onemap_public']) r
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) \gexec
ALTER ROLE onemap_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '$ONEMAP_OWNER_PASSWORD';
ALTER ROLE onemap_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '$ONEMAP_APP_PASSWORD';
ALTER ROLE onemap_public LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '$ONEMAP_PUBLIC_PASSWORD';
SQL
}

stop_cluster() {
    local bin; bin=$(pg_bin_dir)
    runuser -u postgres -- "$bin/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null 2>&1 || true
}

# Stops the clusters in the given data directories (scratch ones: at once, no checkpoint).
stop_scratch_clusters() {
    local bin dir; bin=$(pg_bin_dir)
    for dir in "$@"; do
        [ ! -f "$dir/postmaster.pid" ] || runuser -u postgres -- "$bin/pg_ctl" -D "$dir" -m immediate stop >/dev/null 2>&1 || true
    done
}

# The superuser, over the socket: tests (which create a database each) and administration.
cluster_url() { echo "postgres://postgres@localhost:$PG_PORT/$1?host=$PG_DATA"; }
# A project role over TCP with its password: role_url app|owner|public DATABASE
role_url() {
    local pw; case $1 in owner) pw=$ONEMAP_OWNER_PASSWORD ;; app) pw=$ONEMAP_APP_PASSWORD ;; public) pw=$ONEMAP_PUBLIC_PASSWORD ;; esac
    echo "postgres://onemap_$1:$pw@127.0.0.1:$PG_PORT/$2"
}

# What a benchmark needs: the cluster, GDAL, python3 and the release binary, in $bin.
bench_prelude() {
    ensure_postgis
    ensure_gdal
    ensure_cluster
    command -v python3 >/dev/null || apt_install python3
    cargo build --release --quiet --bins
    bin="$ROOT/target/release/onemap"
}

# `BIN serve ARGS…` over database DB as deployed: the service as onemap_app, the residents'
# pages as onemap_public (serve refuses the superuser). Run it in the background
# (`serve_as_service BIN DB ARGS… &`): the background shell becomes the server (exec), so $!
# is the server's PID, to measure and to kill.
serve_as_service() {
    local bin=$1 db=$2; shift 2
    DATABASE_URL=$(role_url app "$db") ONEMAP_PUBLIC_DATABASE_URL=$(role_url public "$db") exec "$bin" serve "$@"
}

# A database owned by onemap_owner, with PostGIS (an extension only a superuser creates).
create_database() {
    as_superuser -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1 ||
        as_superuser -d postgres -c "CREATE DATABASE \"$1\" OWNER onemap_owner"
    as_superuser -d "$1" -c "CREATE EXTENSION IF NOT EXISTS postgis"
}

drop_database() { as_superuser -d postgres -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)"; }

build_frontend() {
    log "building the frontend"
    # npm ci again when the lock file is newer than the installed tree (a new dev tool such as eslint)
    (cd "$ROOT/frontend" && { [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; } &&
        npm run lint --silent && npm run build --silent)
}
