#!/usr/bin/env bash
# Households, funds and disclosure benchmark (issue 6) on the million-building demo city of
# bench/foundation.sh: the demo's money and disclosure generated again on a copy (seconds, and
# the rows made), then the medians of the desk's and the public page's requests (bench/households.py).
. "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
db=onemap_bench
port=${BENCH_PORT:-18095}
ensure_postgis
ensure_gdal
ensure_cluster
url=$(cluster_url "$db")
cargo build --release --quiet --bins
bin="$ROOT/target/release/onemap"
"$bin" --database-url "$url" migrate
[ "$(psql "$url" -Atc 'SELECT count(*) FROM agreements' 2>/dev/null || echo 0)" -gt 0 ] ||
    { echo "onemap_bench has no agreements: run bench/foundation.sh again (the demo now makes the money)" >&2; exit 1; }
psql "$url" -Atc "SELECT format('demo money: %s agreements, %s payments in %s batches, %s allocations, %s documents, %s objections',
    (SELECT count(*) FROM agreements), (SELECT count(*) FROM payments), (SELECT count(*) FROM payment_batches),
    (SELECT count(*) FROM fund_allocations), (SELECT count(*) FROM disclosures), (SELECT count(*) FROM objections))"

# The money part of the generator alone, on a copy: emptied, then made again.
copy=onemap_bench_money
drop_database "$copy"
psql "$(cluster_url postgres)" -qc "CREATE DATABASE $copy TEMPLATE $db" >/dev/null
as_of=$(psql "$url" -Atc "SELECT max(at)::date FROM status_events")
psql "$(cluster_url "$copy")" -q -v ON_ERROR_STOP=1 <<'SQL'
-- a copy being emptied for the measurement: the history guards stand down for this session
SET session_replication_role = replica;
TRUNCATE objections, disclosures, payments, batch_steps, payment_batches, fund_allocations, agreements, compensation_incentives,
         compensation_rates, compensation_standards, audit_log RESTART IDENTITY;
UPDATE project_funds SET allocated_yuan = 0, committed_yuan = 0, paid_yuan = 0;
SQL
start=$(date +%s%N)
{ echo "BEGIN; SELECT set_config('onemap.as_of', '$as_of', true);"; cat backend/sql/demo/funds.sql; echo "COMMIT;"; } |
    psql "$(cluster_url "$copy")" -q -v ON_ERROR_STOP=1 >/dev/null
log "demo money and disclosure for $(psql "$url" -Atc 'SELECT count(*) FROM households') households: $(( ($(date +%s%N) - start) / 1000000 )) ms"
start=$(date +%s%N)
psql "$(cluster_url "$copy")" -Atc "SELECT 'fund differences after: ' || count(*) FROM fund_differences()"
log "fund_differences(): $(( ($(date +%s%N) - start) / 1000000 )) ms"
drop_database "$copy"

serve_as_service "$bin" "$db" --bind "127.0.0.1:$port" --frontend /nonexistent --files-dir "$(mktemp -d)" >/tmp/onemap-households-bench.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
# the default approval chain takes four people besides the submitter (one person, one step)
for admin in bench bench-2 bench-3 bench-4; do
    psql "$url" -Atc "SELECT 1 FROM users WHERE username = '$admin'" | grep -q 1 ||
        echo "bench-password" | "$bin" --database-url "$url" user add --username "$admin" --role admin --password-stdin
done
psql "$url" -Atc "SELECT 1 FROM users WHERE username = 'bench-clerk'" | grep -q 1 ||
    echo "bench-password" | "$bin" --database-url "$url" user add --username bench-clerk --role operator \
        --region "$(psql "$url" -Atc "SELECT c.code FROM projects p JOIN project_figures f ON f.project_id = p.id
            JOIN regions r ON r.id = p.region_id JOIN regions c ON c.id = r.lineage[1] ORDER BY f.households DESC LIMIT 1")" --password-stdin
login() {
    curl -sf -X POST "http://127.0.0.1:$port/api/login" -H 'content-type: application/json' \
        -d "{\"username\":\"$1\",\"password\":\"bench-password\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
python3 "$ROOT/bench/households.py" --url "http://127.0.0.1:$port" --admin "$(login bench)" --clerk "$(login bench-clerk)" \
    --approvers "$(login bench),$(login bench-2),$(login bench-3),$(login bench-4)" --db "$url" "$@"
