#!/usr/bin/env bash
# No personal data in any log line of the full suite (issue 18). scripts/test points
# ONEMAP_TEST_LOGS at one directory; every server a test starts (API tests, browser tests, the
# restore drill) writes its log there as NAME.log and the names and ID numbers of the database it
# serves as NAME.personal (`name<TAB>id number` a line, tests/logs/personal.sql). At the end this
# looks for every one of them in every log: a name, an ID number as stored, with a lower-case x,
# or without its check character (masked forms like 110101********123X are fine). A hit fails,
# naming the file, the line and the datum (masked). One grep -F over a pattern file: seconds.
#   tests/logs/privacy.sh --reset   empties the directory (scripts/test, before the tests)
#   tests/logs/privacy.sh           the check (scripts/test, after them)
#   tests/logs/privacy.sh --self-test   plants a name and an ID number and sees the check fail
set -euo pipefail
dir=${ONEMAP_TEST_LOGS:?ONEMAP_TEST_LOGS names the directory of the suite\'s logs}
case "${1:-}" in
    --reset) rm -rf "$dir"; mkdir -p "$dir"; exit 0 ;;
    --self-test)
        scratch=$(mktemp -d)
        trap 'rm -rf "$scratch"' EXIT
        printf '王小明\t11010119800101123X\n李四\t\n' >"$scratch/demo.personal"
        printf 'INFO answered route=/api/households/{id}\nINFO masked 110101********123X is fine\n' >"$scratch/clean.log"
        ONEMAP_TEST_LOGS=$scratch "$0" || { echo "self-test: a clean log failed the check" >&2; exit 1; }
        printf 'WARN lookup by holder 王小明 refused\nWARN id 11010119800101123x\n' >"$scratch/leaky.log"
        said=$(ONEMAP_TEST_LOGS=$scratch "$0" 2>&1) && { echo "self-test: planted data passed the check" >&2; exit 1; }
        for expected in 'leaky.log:1: a name (王**)' 'leaky.log:2: an ID number (110101************)'; do
            grep -qF "$expected" <<<"$said" || { printf 'self-test: the check did not say %s:\n%s\n' "$expected" "$said" >&2; exit 1; }
        done
        ! grep -qE '王小明|11010119800101' <<<"$said" || { echo "self-test: the check's message holds the datum unmasked" >&2; exit 1; }
        echo "log privacy self-test: planted name and ID number caught, masked in the message"
        exit 0 ;;
    "") ;;
    *) echo "usage: tests/logs/privacy.sh [--reset | --self-test]" >&2; exit 2 ;;
esac
shopt -s nullglob
logs=("$dir"/*.log)
personal=("$dir"/*.personal)
[ ${#personal[@]} -gt 0 ] || { echo "log privacy: no personal data recorded in $dir (did the tests run with ONEMAP_TEST_LOGS?)" >&2; exit 1; }
patterns=$(mktemp)
trap 'rm -f "$patterns"' EXIT
# names as they are; ID numbers as stored, with x for X, and their 17 digits without the check character
awk -F'\t' '$1 != "" { print $1 }
            $2 != "" { print $2; print substr($2, 1, 17); if ($2 ~ /X$/) print substr($2, 1, 17) "x" }' "${personal[@]}" \
    | sort -u >"$patterns"
[ ${#logs[@]} -gt 0 ] || { echo "log privacy: no logs in $dir" >&2; exit 1; }
# -o: each datum found, -H -n: where; masked (bash counts characters in a UTF-8 locale) before
# anything is printed
export LC_ALL=C.UTF-8
hits=$({ grep -HnoF -f "$patterns" "${logs[@]}" || [ $? -eq 1 ]; } | while IFS= read -r hit; do
    datum=${hit##*:} where=${hit%:*}
    if [[ $datum == [0-9]* ]]; then
        echo "$where: an ID number (${datum:0:6}************)"
    else
        stars=${datum:1}; echo "$where: a name (${datum:0:1}${stars//?/*})"
    fi
done | sort -u)
if [ -n "$hits" ]; then
    printf 'personal data in the logs of the test suite (%s):\n%s\n' "$dir" "$hits" >&2
    exit 1
fi
echo "log privacy: ${#logs[@]} logs, $(wc -l <"$patterns") names and ID numbers: none found"
