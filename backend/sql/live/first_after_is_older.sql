-- Whether the first event after id $1 is older than $2 hours (false when there is none): a
-- feed that missed it is reloaded, not replayed.
-- Parameters: $1 = the last event id the client has (bigint), $2 = hours (integer).
SELECT coalesce((SELECT at < now() - make_interval(hours => $2) FROM status_events WHERE id > $1 ORDER BY id LIMIT 1), false)
