#!/usr/bin/env bash
# Archive benchmark (issue 14): the archive export of the largest project of the million-building
# demo database `onemap_bench` (bench/foundation.sh makes it; DB=name measures another), its time,
# peak memory (RSS, /usr/bin/time -v) and size, twice to show the bytes repeat, then the import
# of that archive into a fresh database of its own (dropped afterwards) and `onemap verify` there.
# BIN=path picks the binary (default: the release build, made if missing; BIN=target/debug/onemap
# measures the debug build).
. "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
db=${DB:-onemap_bench}
target=onemap_bench_archive_import
ensure_cluster
if [ -z "${BIN:-}" ]; then cargo build --release --quiet; BIN="$ROOT/target/release/onemap"; fi
url=$(cluster_url "$db")
out=$(mktemp -d)
project=$(psql "$url" -Atc "SELECT p.code FROM projects p JOIN project_figures f ON f.project_id = p.id ORDER BY f.buildings DESC, p.code LIMIT 1")
psql "$url" -Atc "SELECT 'largest project ' || p.code || ': ' || f.buildings || ' buildings, ' || f.households || ' households, '
    || (SELECT count(*) FROM agreements a WHERE a.project_id = p.id) || ' agreements'
    FROM projects p JOIN project_figures f ON f.project_id = p.id WHERE p.code = '$project'"
measure() { # what, command...: wall time and peak RSS of one run
    local what=$1; shift
    /usr/bin/time -v "$@" >"$out/log" 2>"$out/time" || { cat "$out/log" "$out/time"; exit 1; }
    local wall rss
    wall=$(grep 'Elapsed (wall clock)' "$out/time" | awk '{print $NF}')
    rss=$(grep 'Maximum resident set size' "$out/time" | awk '{print $NF}')
    printf '%s: %s wall, peak RSS %d MB\n' "$what" "$wall" $((rss / 1024))
}
measure "export" "$BIN" --database-url "$url" archive export --project "$project" --out "$out/a.zip" --files-dir "$out/files"
measure "export again" "$BIN" --database-url "$url" archive export --project "$project" --out "$out/b.zip" --files-dir "$out/files"
printf 'archive: %s bytes, %s files; the two exports are %s\n' "$(stat -c %s "$out/a.zip")" \
    "$(unzip -Z1 "$out/a.zip" | wc -l)" "$(cmp -s "$out/a.zip" "$out/b.zip" && echo 'byte-identical' || echo 'DIFFERENT')"
drop_database "$target" >/dev/null; create_database "$target" >/dev/null
turl=$(cluster_url "$target")
"$BIN" --database-url "$turl" migrate >/dev/null 2>&1
measure "import" "$BIN" --database-url "$turl" archive import "$out/a.zip" --files-dir "$out/files-imported"
"$BIN" --database-url "$turl" verify 2>/dev/null | tail -1
drop_database "$target" >/dev/null
rm -rf "$out"
