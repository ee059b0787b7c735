-- Adds one event to its project's day in daily_figures and moves project_activity: the deltas
-- event_daily_deltas() defines, computed once, in plpgsql (planned once per session).
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
