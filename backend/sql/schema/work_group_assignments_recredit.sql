-- Keeps group_daily_figures true to the assignment history when it changes: a new row takes
-- the household's events from its time up to the next row's from whichever group held them
-- (a backdated assignment moves the events since), a row whose group changes (a deleted
-- group's rows become unassigned) moves the events it credited, a deleted row gives them to
-- the row before it. BEFORE each row, so the rows a statement wrote earlier are seen as the
-- history already. A row's household and time are not rewritten: the history grows by rows.
CREATE OR REPLACE FUNCTION work_group_assignments_recredit() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    household bigint := CASE WHEN TG_OP = 'INSERT' THEN NEW.household_id ELSE OLD.household_id END;
    to_group  integer := CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.group_id END;
BEGIN
    IF TG_OP = 'UPDATE' AND (NEW.id, NEW.household_id, NEW.from_at) IS DISTINCT FROM (OLD.id, OLD.household_id, OLD.from_at) THEN
        RAISE EXCEPTION 'an assignment row keeps its household and time: the history grows by new rows'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'work_group_assignments_append_only';
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.group_id IS NOT DISTINCT FROM OLD.group_id THEN
        RETURN NEW;
    END IF;
    -- in the status writers' queue: an event written meanwhile is either seen here or, written
    -- after, finds this row when it looks up its group
    PERFORM pg_advisory_xact_lock(writers_queue_lock());
    IF TG_OP = 'DELETE' THEN
        SELECT w.group_id INTO to_group FROM work_group_assignments w
         WHERE w.household_id = household AND (w.from_at, w.id) < (OLD.from_at, OLD.id)
         ORDER BY w.from_at DESC, w.id DESC LIMIT 1;
    END IF;
    PERFORM group_daily_figures_add(array_agg(ROW(m.group_id, c.day, m.sign * c.surveyed, m.sign * c.signed,
                                                  m.sign * c.vacated, m.sign * c.demolished)::group_daily_figures))
       FROM group_event_credits c CROSS JOIN LATERAL (VALUES (c.group_id, -1), (to_group, 1)) m (group_id, sign)
      WHERE c.household_id = household
        AND CASE WHEN TG_OP = 'INSERT'
                 -- the events from its time on that an earlier row credits, or none does
                 THEN c.at >= NEW.from_at AND (c.assignment_id IS NULL OR (c.held_since, c.assignment_id) < (NEW.from_at, NEW.id))
                 ELSE c.assignment_id = OLD.id END;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;

CREATE OR REPLACE TRIGGER work_group_assignments_recredit BEFORE INSERT OR UPDATE OR DELETE ON work_group_assignments
    FOR EACH ROW EXECUTE FUNCTION work_group_assignments_recredit();
