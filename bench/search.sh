#!/usr/bin/env bash
# Map tools benchmark (issue 13): p50/p95 of the search box's query and of a drawn boundary's
# counts, run by PostgreSQL as the service runs them (the SQL files, planned per request), on a
# database of the project cluster: the million-building city of bench/foundation.sh by default,
# or the one named (e.g. a browser test's 6,000-building demo). See bench/search.py.
. "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
db=${1:-onemap_bench}
ensure_postgis
ensure_cluster
url=$(cluster_url "$db")
psql "$url" -Atc "SELECT to_regclass('buildings_code_trgm') IS NOT NULL" | grep -q t ||
    { echo "$db: no migration 0020 (run onemap migrate on it first)" >&2; exit 1; }
log "$db: $(psql "$url" -Atc "SELECT count(*) FROM buildings") buildings, $(psql "$url" -Atc "SELECT count(*) FROM households") households"
python3 "$ROOT/bench/search.py" --db "$url" "${@:2}"
