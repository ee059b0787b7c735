-- The id of the `$1`-th newest status event (the oldest of the latest `$1`), if there are that many.
-- Parameters: $1 = how many of the latest events (bigint, at least 1).
SELECT id FROM status_events ORDER BY id DESC OFFSET $1 - 1 LIMIT 1
