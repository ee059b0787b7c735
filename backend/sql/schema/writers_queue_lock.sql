-- The writers' queue: the transaction-level advisory lock every status writer takes before any
-- row lock (backend/src/status/mod.rs, backend/sql/status/lock_*.sql) and the event trigger
-- takes again (status_events_apply.sql), so writers queue in one order and event ids commit in
-- id order. onemap's other advisory locks are two-key ones: 4242002 for residents' look-ups
-- (backend/src/disclosure/rate_limit.rs), 4242003 for logins (backend/src/auth/throttle.rs);
-- one-key ones: 4242004 for case events (case_events_queue.sql), 4242005 for procedure step
-- events (step_events_queue.sql).
CREATE OR REPLACE FUNCTION writers_queue_lock() RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT 4242001::bigint
$$;
