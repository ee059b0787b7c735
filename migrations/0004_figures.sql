-- Gauge figures per project and per region, maintained by triggers as statuses change so the
-- cockpit and the low-zoom tiles never aggregate millions of rows; recount_figures() rebuilds
-- them from scratch (after bulk loads, and to prove the maintained figures right).

-- Household stages count households at or beyond the stage ("signed" includes vacated ones).
CREATE TABLE project_figures (
    project_id           bigint PRIMARY KEY REFERENCES projects (id),
    buildings            integer NOT NULL DEFAULT 0,
    buildings_demolished integer NOT NULL DEFAULT 0,
    floor_area           numeric(16, 2) NOT NULL DEFAULT 0,
    households           integer NOT NULL DEFAULT 0,
    surveyed             integer NOT NULL DEFAULT 0,
    signed               integer NOT NULL DEFAULT 0,
    vacated              integer NOT NULL DEFAULT 0,
    demolished           integer NOT NULL DEFAULT 0,
    monetary             integer NOT NULL DEFAULT 0,
    difficult            integer NOT NULL DEFAULT 0,
    land_m2              double precision NOT NULL DEFAULT 0,
    land_acquired_m2     double precision NOT NULL DEFAULT 0,
    land_delivered_m2    double precision NOT NULL DEFAULT 0
);

CREATE TABLE region_figures (
    region_id integer PRIMARY KEY REFERENCES regions (id),
    projects  integer NOT NULL DEFAULT 0,
    LIKE project_figures EXCLUDING CONSTRAINTS
);
ALTER TABLE region_figures DROP COLUMN project_id;

-- Add deltas to one project's figures and to every region on its lineage.
CREATE FUNCTION bump_figures(
    p_project bigint,
    d_households integer DEFAULT 0, d_surveyed integer DEFAULT 0, d_signed integer DEFAULT 0,
    d_vacated integer DEFAULT 0, d_demolished integer DEFAULT 0, d_monetary integer DEFAULT 0,
    d_difficult integer DEFAULT 0, d_buildings_demolished integer DEFAULT 0,
    d_land_acquired_m2 double precision DEFAULT 0, d_land_delivered_m2 double precision DEFAULT 0)
RETURNS void LANGUAGE sql AS $$
    UPDATE project_figures SET
        households = households + d_households, surveyed = surveyed + d_surveyed,
        signed = signed + d_signed, vacated = vacated + d_vacated,
        demolished = demolished + d_demolished, monetary = monetary + d_monetary,
        difficult = difficult + d_difficult,
        buildings_demolished = buildings_demolished + d_buildings_demolished,
        land_acquired_m2 = land_acquired_m2 + d_land_acquired_m2,
        land_delivered_m2 = land_delivered_m2 + d_land_delivered_m2
     WHERE project_id = p_project;
    UPDATE region_figures SET
        households = households + d_households, surveyed = surveyed + d_surveyed,
        signed = signed + d_signed, vacated = vacated + d_vacated,
        demolished = demolished + d_demolished, monetary = monetary + d_monetary,
        difficult = difficult + d_difficult,
        buildings_demolished = buildings_demolished + d_buildings_demolished,
        land_acquired_m2 = land_acquired_m2 + d_land_acquired_m2,
        land_delivered_m2 = land_delivered_m2 + d_land_delivered_m2
     WHERE region_id = ANY ((SELECT r.lineage FROM projects p JOIN regions r ON r.id = p.region_id
                              WHERE p.id = p_project)::integer[]);
$$;

-- A household's contribution to each stage count: 1 where it is at or beyond the stage.
CREATE FUNCTION household_stages(h households)
RETURNS TABLE (n integer, surveyed integer, signed integer, vacated integer, demolished integer,
               monetary integer, difficult integer)
LANGUAGE sql IMMUTABLE AS $$
    -- a NULL household (the missing side of an INSERT or DELETE) contributes nothing
    SELECT (h.id IS NOT NULL)::integer,
           coalesce((h.status >= 'surveyed')::integer, 0), coalesce((h.status >= 'signed')::integer, 0),
           coalesce((h.status >= 'vacated')::integer, 0), coalesce((h.status >= 'demolished')::integer, 0),
           coalesce((h.status >= 'signed' AND h.resettlement = 'monetary')::integer, 0),
           coalesce(h.difficult::integer, 0)
$$;

-- Keep the building's status (least advanced household) and household count, and the figures.
CREATE FUNCTION households_roll_up() RETURNS trigger
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
        (SELECT coalesce(min(status), 'pending'), count(*) FROM households WHERE building_id = b)
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
CREATE TRIGGER households_roll_up AFTER INSERT OR DELETE OR UPDATE OF status, resettlement, difficult
    ON households FOR EACH ROW EXECUTE FUNCTION households_roll_up();

CREATE FUNCTION parcels_roll_up() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bump_figures(NEW.project_id,
        d_land_acquired_m2 => NEW.area_m2 * ((NEW.land_status >= 'acquired')::integer - (OLD.land_status >= 'acquired')::integer),
        d_land_delivered_m2 => NEW.area_m2 * ((NEW.land_status >= 'delivered')::integer - (OLD.land_status >= 'delivered')::integer));
    RETURN NULL;
END
$$;
CREATE TRIGGER parcels_roll_up AFTER UPDATE OF land_status ON parcels
    FOR EACH ROW EXECUTE FUNCTION parcels_roll_up();

-- Rebuild every figure from the rows themselves.
CREATE FUNCTION recount_figures() RETURNS void
LANGUAGE sql AS $$
    DELETE FROM project_figures;
    INSERT INTO project_figures
    SELECT p.id,
           coalesce(b.buildings, 0), coalesce(b.buildings_demolished, 0), coalesce(b.floor_area, 0),
           coalesce(h.households, 0), coalesce(h.surveyed, 0), coalesce(h.signed, 0),
           coalesce(h.vacated, 0), coalesce(h.demolished, 0), coalesce(h.monetary, 0),
           coalesce(h.difficult, 0),
           coalesce(l.land_m2, 0), coalesce(l.land_acquired_m2, 0), coalesce(l.land_delivered_m2, 0)
      FROM projects p
      LEFT JOIN (SELECT project_id, count(*) AS buildings,
                        count(*) FILTER (WHERE status = 'demolished') AS buildings_demolished,
                        sum(floor_area) AS floor_area
                   FROM buildings GROUP BY project_id) b ON b.project_id = p.id
      LEFT JOIN (SELECT b.project_id, count(*) AS households,
                        count(*) FILTER (WHERE h.status >= 'surveyed') AS surveyed,
                        count(*) FILTER (WHERE h.status >= 'signed') AS signed,
                        count(*) FILTER (WHERE h.status >= 'vacated') AS vacated,
                        count(*) FILTER (WHERE h.status >= 'demolished') AS demolished,
                        count(*) FILTER (WHERE h.status >= 'signed' AND h.resettlement = 'monetary') AS monetary,
                        count(*) FILTER (WHERE h.difficult) AS difficult
                   FROM households h JOIN buildings b ON b.id = h.building_id
                  GROUP BY b.project_id) h ON h.project_id = p.id
      LEFT JOIN (SELECT project_id, sum(area_m2) AS land_m2,
                        sum(area_m2) FILTER (WHERE land_status >= 'acquired') AS land_acquired_m2,
                        sum(area_m2) FILTER (WHERE land_status >= 'delivered') AS land_delivered_m2
                   FROM parcels GROUP BY project_id) l ON l.project_id = p.id;
    DELETE FROM region_figures;
    INSERT INTO region_figures
    SELECT r.id, count(f.project_id),
           coalesce(sum(f.buildings), 0), coalesce(sum(f.buildings_demolished), 0),
           coalesce(sum(f.floor_area), 0), coalesce(sum(f.households), 0),
           coalesce(sum(f.surveyed), 0), coalesce(sum(f.signed), 0), coalesce(sum(f.vacated), 0),
           coalesce(sum(f.demolished), 0), coalesce(sum(f.monetary), 0),
           coalesce(sum(f.difficult), 0), coalesce(sum(f.land_m2), 0),
           coalesce(sum(f.land_acquired_m2), 0), coalesce(sum(f.land_delivered_m2), 0)
      FROM regions r
      LEFT JOIN (regions below JOIN projects p ON p.region_id = below.id
                 JOIN project_figures f ON f.project_id = p.id) ON r.id = ANY (below.lineage)
     GROUP BY r.id;
$$;
