-- Adds deltas to one project's figures and to every region on its lineage. plpgsql, not SQL:
-- every status write waits for the writers' lock while its holder runs this, and SQL
-- functions are planned again on every call (migration 0007).
CREATE OR REPLACE FUNCTION bump_figures(
    p_project bigint,
    d_households integer DEFAULT 0, d_surveyed integer DEFAULT 0, d_signed integer DEFAULT 0,
    d_vacated integer DEFAULT 0, d_demolished integer DEFAULT 0, d_monetary integer DEFAULT 0,
    d_difficult integer DEFAULT 0, d_buildings_demolished integer DEFAULT 0,
    d_land_acquired_m2 double precision DEFAULT 0, d_land_delivered_m2 double precision DEFAULT 0)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
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
END
$$;
