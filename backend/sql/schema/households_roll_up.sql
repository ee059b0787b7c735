-- Keeps the building's status (least advanced household), household count and version, and
-- the figures, as households are added, removed or change status, resettlement or difficulty.
CREATE OR REPLACE FUNCTION households_roll_up() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    b bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.building_id ELSE NEW.building_id END;
    p bigint;
    was progress_status;
    now_status progress_status;
    o record;
    n record;
BEGIN
    SELECT status, project_id INTO was, p FROM buildings WHERE id = b FOR UPDATE;
    UPDATE buildings SET (status, households) =
        (SELECT coalesce(min(status), 'pending'), count(*) FROM households WHERE building_id = b),
        version = version + 1
     WHERE id = b RETURNING status INTO now_status;
    SELECT * INTO o FROM household_stages(CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD END);
    SELECT * INTO n FROM household_stages(CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW END);
    PERFORM bump_figures(p,
        d_households => n.n - o.n, d_surveyed => n.surveyed - o.surveyed,
        d_signed => n.signed - o.signed, d_vacated => n.vacated - o.vacated,
        d_demolished => n.demolished - o.demolished, d_monetary => n.monetary - o.monetary,
        d_difficult => n.difficult - o.difficult,
        d_buildings_demolished => (now_status = 'demolished')::integer - (was = 'demolished')::integer);
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER households_roll_up AFTER INSERT OR DELETE OR UPDATE OF status, resettlement, difficult
    ON households FOR EACH ROW EXECUTE FUNCTION households_roll_up();
