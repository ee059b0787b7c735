-- Keeps buildings.group_id (what the tiles carry) as the group all of the building's households
-- share, NULL when none is held or they are held by different groups; row-level on group_id
-- only, so status writes never run it.
CREATE OR REPLACE FUNCTION households_keep_building_group() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    b bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.building_id ELSE NEW.building_id END;
BEGIN
    UPDATE buildings SET group_id = held.group_id
      FROM (SELECT CASE WHEN count(*) = count(group_id) AND min(group_id) = max(group_id)
                        THEN min(group_id) END AS group_id
              FROM households WHERE building_id = b) held
     WHERE id = b AND buildings.group_id IS DISTINCT FROM held.group_id;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER households_keep_building_group AFTER INSERT OR DELETE OR UPDATE OF group_id
    ON households FOR EACH ROW EXECUTE FUNCTION households_keep_building_group();
