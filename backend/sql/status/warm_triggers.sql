-- Run in a transaction the caller rolls back (db/warm.rs): one pending household of a project
-- that is not archived is surveyed, then signed (its gates may refuse: the triggers up to the
-- refusal are compiled all the same). No pending household: nothing runs.
DO $$
DECLARE
    one bigint;
BEGIN
    SELECT h.id INTO one
      FROM households h JOIN buildings b ON b.id = h.building_id JOIN projects p ON p.id = b.project_id
     WHERE h.status = 'pending' AND p.archived_at IS NULL
     LIMIT 1;
    IF one IS NOT NULL THEN
        INSERT INTO status_events (household_id, from_status, to_status, actor) VALUES (one, 'pending', 'surveyed', 'onemap');
        INSERT INTO status_events (household_id, from_status, to_status, actor) VALUES (one, 'surveyed', 'signed', 'onemap');
    END IF;
END
$$;
