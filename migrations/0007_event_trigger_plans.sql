-- The event trigger's figure bumps, as plpgsql. Every status write waits for the writers'
-- lock, and its holder spends most of its time in these: as SQL functions they were planned
-- again on every call (SQL functions keep no plans), and the daily bump of 0006 called its
-- delta function twice: 1.85 of the 2.5 ms an event took on an idle 1M-building database.
-- The numbers are unchanged: the recount views define them and `onemap verify` compares.

-- 0004's bump_figures, body unchanged.
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

-- 0006's daily bump: the deltas of event_daily_deltas, computed once.
CREATE OR REPLACE FUNCTION bump_daily_figures(e status_events) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    of_project  bigint;
    on_day      date := (e.at AT TIME ZONE 'Asia/Shanghai')::date;
    is_monetary boolean;
    parcel_area double precision;
    f         progress_status;
    t         progress_status;
    lf        land_status;
    lt        land_status;
    d_signed  integer;
BEGIN
    IF e.household_id IS NOT NULL THEN
        SELECT b.project_id, h.resettlement IS NOT DISTINCT FROM 'monetary' INTO of_project, is_monetary
          FROM households h JOIN buildings b ON b.id = h.building_id
         WHERE h.id = e.household_id;
        f := e.from_status::progress_status;
        t := e.to_status::progress_status;
        d_signed := (t >= 'signed')::integer - (f >= 'signed')::integer;
        INSERT INTO daily_figures AS df (project_id, day, surveyed, signed, vacated, demolished, monetary)
        VALUES (of_project, on_day,
                (t >= 'surveyed')::integer - (f >= 'surveyed')::integer, d_signed,
                (t >= 'vacated')::integer - (f >= 'vacated')::integer,
                (t >= 'demolished')::integer - (f >= 'demolished')::integer,
                CASE WHEN is_monetary THEN d_signed ELSE 0 END)
        ON CONFLICT (project_id, day) DO UPDATE SET
            surveyed = df.surveyed + excluded.surveyed, signed = df.signed + excluded.signed,
            vacated = df.vacated + excluded.vacated, demolished = df.demolished + excluded.demolished,
            monetary = df.monetary + excluded.monetary;
    ELSIF e.parcel_id IS NOT NULL THEN
        SELECT p.project_id, p.area_m2 INTO of_project, parcel_area FROM parcels p WHERE p.id = e.parcel_id;
        lf := e.from_status::land_status;
        lt := e.to_status::land_status;
        INSERT INTO daily_figures AS df (project_id, day, land_acquired_m2, land_delivered_m2)
        VALUES (of_project, on_day,
                parcel_area * ((lt >= 'acquired')::integer - (lf >= 'acquired')::integer),
                parcel_area * ((lt >= 'delivered')::integer - (lf >= 'delivered')::integer))
        ON CONFLICT (project_id, day) DO UPDATE SET
            land_acquired_m2 = df.land_acquired_m2 + excluded.land_acquired_m2,
            land_delivered_m2 = df.land_delivered_m2 + excluded.land_delivered_m2;
    END IF;
    IF of_project IS NOT NULL THEN
        -- a row rewritten only when the day moves on, not on every event of the day
        INSERT INTO project_activity AS a (project_id, last_day) VALUES (of_project, on_day)
        ON CONFLICT (project_id) DO UPDATE SET last_day = excluded.last_day WHERE a.last_day < excluded.last_day;
    END IF;
END
$$;
