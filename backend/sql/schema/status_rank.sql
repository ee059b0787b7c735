-- Rank of a status within its own scale; 'pending' is 0 on both scales. Not STRICT: a
-- non-strict SQL function is inlined into the query, which makes recounting millions of events
-- several times faster. The CHECK status_event_one_step_or_reason of migration 0003 uses it.
CREATE OR REPLACE FUNCTION status_rank(status text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE status
        WHEN 'pending' THEN 0 WHEN 'surveyed' THEN 1 WHEN 'signed' THEN 2
        WHEN 'vacated' THEN 3 WHEN 'demolished' THEN 4
        WHEN 'acquired' THEN 1 WHEN 'cleared' THEN 2 WHEN 'delivered' THEN 3
    END
$$;
