#!/usr/bin/env bash
# Login abuse benchmark (issue 11): 1,000 password guesses against one account from one
# address, then a real user logging in from another address during the attack, and how long
# an unknown username takes to refuse beside a known one (enumeration by timing).
. "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
port=${BENCH_PORT:-18097}
db=onemap_bench_logins
bench_prelude
drop_database "$db" >/dev/null 2>&1
create_database "$db" >/dev/null 2>&1
owner=$(role_url owner "$db")
RUST_LOG=error "$bin" --database-url "$owner" migrate
for user in victim real-user known-1 known-2 known-3; do
    echo "bench-login-password" | "$bin" --database-url "$owner" user add --username "$user" --role viewer --password-stdin >/dev/null
done
RUST_LOG=error serve_as_service "$bin" "$db" --bind "127.0.0.1:$port" --frontend /nonexistent >/tmp/onemap-logins-bench.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
python3 "$ROOT/bench/logins.py" --port "$port" "$@"
