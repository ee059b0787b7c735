-- +1 where an event moves a subject to or past a stage, -1 where it moves it back below.
CREATE OR REPLACE FUNCTION stage_delta(from_status text, to_status text, stage text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (status_rank(to_status) >= status_rank(stage))::integer - (status_rank(from_status) >= status_rank(stage))::integer
$$;
