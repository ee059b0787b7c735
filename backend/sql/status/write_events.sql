-- Every status event of one write request, or of several requests written together
-- (status::combine), in one statement (status::one_statement), run outside a transaction block: the first event's trigger joins the writers' queue, each event applies
-- only to a subject still in its from-status at the version the writer saw, and the statement
-- commits as it ends, so the queue is held for no round trip. Returns each event's id, the
-- version it produced, when the queue was joined and when the event was applied (epoch
-- seconds, the database's clock: status_events_apply.sql), so the hold is measured where it
-- happens, not with the service's wake-up after the answer.
-- The statement commits without waiting for its WAL flush (synchronous_commit off, for this
-- transaction only): the writers' queue is released as the events become visible, not after an
-- fsync, so writers flush together instead of one after another. The writer then waits for the
-- flush before it answers (db/durable.rs), and the live feed sends only flushed events.
-- $1 household ids (null for a parcel's), $2 parcel ids, $3 from, $4 to, $5 versions seen,
-- $6 reasons, $7 actors, $8 user ids; the arrays in the order the events are to be applied.
WITH commit_unflushed AS MATERIALIZED (SELECT set_config('synchronous_commit', 'off', true))
INSERT INTO status_events (household_id, parcel_id, from_status, to_status, version, reason, actor, user_id)
SELECT e.household_id, e.parcel_id, e.from_status, e.to_status, e.version, e.reason, e.actor, e.user_id
  FROM commit_unflushed,
       unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::integer[], $6::text[], $7::text[], $8::integer[])
       WITH ORDINALITY AS e(household_id, parcel_id, from_status, to_status, version, reason, actor, user_id, n)
 ORDER BY e.n
RETURNING id, version, current_setting('onemap.queue_joined_at')::float8 AS queue_joined_at,
          extract(epoch FROM clock_timestamp())::float8 AS applied_at
