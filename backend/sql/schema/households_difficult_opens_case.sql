-- A household flagged difficult from outside the case board (the ledger import's 疑难户 column)
-- gets an open case of category 其他 so the flag keeps meaning "has an open case"; while a case
-- is open the flag cannot be cleared but by closing it (the import's 否 leaves it set).
CREATE OR REPLACE FUNCTION households_difficult_opens_case() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    open_case boolean := EXISTS (SELECT 1 FROM cases WHERE household_id = NEW.id AND state = 'open');
BEGIN
    IF TG_WHEN = 'BEFORE' THEN
        NEW.difficult := NEW.difficult OR open_case;
        RETURN NEW;
    END IF;
    IF NEW.difficult AND NOT open_case THEN
        INSERT INTO cases (household_id, project_id, group_id, category, note, due_at, level_due_at)
        SELECT NEW.id, b.project_id, NEW.group_id, 'other', '台账标记为疑难户', case_due('other', now()), case_due('other', now())
          FROM buildings b WHERE b.id = NEW.building_id;
        INSERT INTO case_events (case_id, kind, body)
        SELECT id, 'opened', jsonb_build_object('category', 'other', 'ledger', true)
          FROM cases WHERE household_id = NEW.id AND state = 'open';
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER households_difficult_stays_open BEFORE UPDATE OF difficult ON households
    FOR EACH ROW WHEN (OLD.difficult AND NOT NEW.difficult) EXECUTE FUNCTION households_difficult_opens_case();
CREATE OR REPLACE TRIGGER households_difficult_opens_case AFTER INSERT OR UPDATE OF difficult ON households
    FOR EACH ROW WHEN (NEW.difficult) EXECUTE FUNCTION households_difficult_opens_case();
