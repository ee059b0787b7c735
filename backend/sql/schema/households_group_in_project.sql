-- A household is held only by a group of its own project (rule `household_group_in_project`):
-- the API checks first and names the code; this keeps any other writer to the same rule.
CREATE OR REPLACE FUNCTION households_group_in_project() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM work_groups g JOIN buildings b ON b.project_id = g.project_id
                    WHERE g.id = NEW.group_id AND b.id = NEW.building_id) THEN
        RAISE EXCEPTION 'household %: group % is not of its project', NEW.code, NEW.group_id
            USING CONSTRAINT = 'household_group_in_project';
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER households_group_in_project BEFORE INSERT OR UPDATE OF group_id, building_id
    ON households FOR EACH ROW WHEN (NEW.group_id IS NOT NULL) EXECUTE FUNCTION households_group_in_project();
