-- Every public objection (申诉) is a petition of the 网上申诉 channel with the same ticket: filed,
-- it is registered (the public role cannot write petitions itself: this runs as the owner);
-- answered on the old objections route, its petition is accepted if it was not and gets the answer
-- as its final reply, unless the petition's own reply route wrote that reply already.
CREATE OR REPLACE FUNCTION objections_become_petitions() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    p petitions%ROWTYPE;
    period petition_periods%ROWTYPE;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT b.project_id INTO p.project_id
          FROM households h JOIN buildings b ON b.id = h.building_id WHERE h.id = NEW.household_id;
        period := petition_period(p.project_id, 'online', NULL);
        INSERT INTO petitions (ticket, project_id, household_id, objection_id, channel, petitioner_name, petitioner_id_number,
                               body, received_at, accept_n, accept_unit, handle_n, handle_unit)
        SELECT NEW.ticket, p.project_id, NEW.household_id, NEW.id, 'online', h.holder_name, h.holder_id_number,
               NEW.body, NEW.created_at, period.accept_n, period.accept_unit, period.handle_n, period.handle_unit
          FROM households h WHERE h.id = NEW.household_id;
    END IF;
    IF NEW.status = 'open' OR NEW.answer IS NULL OR (TG_OP = 'UPDATE' AND NEW.answer IS NOT DISTINCT FROM OLD.answer) THEN
        RETURN NULL;
    END IF;
    SELECT * INTO p FROM petitions WHERE objection_id = NEW.id FOR UPDATE;
    IF EXISTS (SELECT 1 FROM petition_replies r WHERE r.petition_id = p.id AND r.body = NEW.answer)
       OR p.status = 'rejected' THEN
        RETURN NULL;
    END IF;
    INSERT INTO petition_replies (petition_id, body, final, at, by_user)
    VALUES (p.id, NEW.answer, true, coalesce(NEW.answered_at, now()), NEW.answered_by);
    UPDATE petitions
       SET status = 'replied', replied_at = coalesce(replied_at, NEW.answered_at, now()),
           decided_at = coalesce(decided_at, NEW.answered_at, now()), decided_by = coalesce(decided_by, NEW.answered_by)
     WHERE id = p.id;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER objections_become_petitions AFTER INSERT OR UPDATE OF answer, status
    ON objections FOR EACH ROW EXECUTE FUNCTION objections_become_petitions();
