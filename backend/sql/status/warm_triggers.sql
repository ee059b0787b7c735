-- Run in a transaction the caller rolls back (db/warm.rs): one pending household of a project
-- that is not archived is surveyed, then signed, in a project whose signing gate is open when
-- one of the first projects has it open, so the whole cascade a signing runs (agreement,
-- roll-ups, figures, group credits) is compiled, not only the triggers up to a gate's refusal.
-- No pending household: nothing runs.
DO $$
DECLARE
    one bigint;
    project bigint;
BEGIN
    FOR project IN SELECT p.id FROM projects p WHERE p.archived_at IS NULL ORDER BY p.id LIMIT 200 LOOP
        IF (SELECT g.open FROM gate_state(project, 'signing') g) THEN
            SELECT h.id INTO one
              FROM households h JOIN buildings b ON b.id = h.building_id
             WHERE b.project_id = project AND h.status = 'pending'
             LIMIT 1;
            EXIT WHEN one IS NOT NULL;
        END IF;
    END LOOP;
    IF one IS NULL THEN
        SELECT h.id INTO one
          FROM households h JOIN buildings b ON b.id = h.building_id JOIN projects p ON p.id = b.project_id
         WHERE h.status = 'pending' AND p.archived_at IS NULL
         LIMIT 1;
    END IF;
    IF one IS NOT NULL THEN
        INSERT INTO status_events (household_id, from_status, to_status, actor) VALUES (one, 'pending', 'surveyed', 'onemap');
        INSERT INTO status_events (household_id, from_status, to_status, actor) VALUES (one, 'surveyed', 'signed', 'onemap');
    END IF;
END
$$;
