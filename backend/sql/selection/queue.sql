-- A new selection day's queue (schema function selection_queue_fill). $1 day id, $2 project id.
SELECT selection_queue_fill($1, $2)
