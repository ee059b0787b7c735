-- Daily net gains per project: the basis of "as of" figures, trends, paces and rankings.
-- Each column is the day's net change of a count the live figures hold (households at or
-- beyond a stage, monetary signers, land acquired and delivered). Summing a project's days up
-- to D gives its figures as they stood at the end of D; summing a week gives the week's gain.
-- Days are Beijing days. Kept by the event-apply trigger, rebuilt by recount_daily_figures().
CREATE TABLE daily_figures (
    project_id        bigint NOT NULL REFERENCES projects (id),
    day               date NOT NULL,
    surveyed          integer NOT NULL DEFAULT 0,
    signed            integer NOT NULL DEFAULT 0,
    vacated           integer NOT NULL DEFAULT 0,
    demolished        integer NOT NULL DEFAULT 0,
    monetary          integer NOT NULL DEFAULT 0,
    land_acquired_m2  double precision NOT NULL DEFAULT 0,
    land_delivered_m2 double precision NOT NULL DEFAULT 0,
    PRIMARY KEY (project_id, day)
);
CREATE INDEX daily_figures_day ON daily_figures (day);

-- The last day anything happened in each project, so "stalled" and "completed on" need no
-- scan of the history.
CREATE TABLE project_activity (
    project_id bigint PRIMARY KEY REFERENCES projects (id),
    last_day   date NOT NULL
);

-- status_rank of 0003 without STRICT: a non-strict SQL function is inlined into the query,
-- which makes recounting millions of events several times faster.
CREATE OR REPLACE FUNCTION status_rank(status text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE status
        WHEN 'pending' THEN 0 WHEN 'surveyed' THEN 1 WHEN 'signed' THEN 2
        WHEN 'vacated' THEN 3 WHEN 'demolished' THEN 4
        WHEN 'acquired' THEN 1 WHEN 'cleared' THEN 2 WHEN 'delivered' THEN 3
    END
$$;

-- +1 where an event moves a subject to or past a stage, -1 where it moves it back below.
CREATE FUNCTION stage_delta(from_status text, to_status text, stage text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (status_rank(to_status) >= status_rank(stage))::integer - (status_rank(from_status) >= status_rank(stage))::integer
$$;

-- The day's row of a project, as the deltas of one event.
CREATE FUNCTION event_daily_deltas(e status_events)
RETURNS TABLE (project_id bigint, day date, surveyed integer, signed integer, vacated integer, demolished integer,
               monetary integer, land_acquired_m2 double precision, land_delivered_m2 double precision)
LANGUAGE sql STABLE AS $$
    SELECT b.project_id, (e.at AT TIME ZONE 'Asia/Shanghai')::date,
           stage_delta(e.from_status, e.to_status, 'surveyed'), stage_delta(e.from_status, e.to_status, 'signed'),
           stage_delta(e.from_status, e.to_status, 'vacated'), stage_delta(e.from_status, e.to_status, 'demolished'),
           CASE WHEN h.resettlement = 'monetary' THEN stage_delta(e.from_status, e.to_status, 'signed') ELSE 0 END,
           0::double precision, 0::double precision
      FROM households h JOIN buildings b ON b.id = h.building_id
     WHERE e.household_id IS NOT NULL AND h.id = e.household_id
    UNION ALL
    SELECT p.project_id, (e.at AT TIME ZONE 'Asia/Shanghai')::date, 0, 0, 0, 0, 0,
           p.area_m2 * stage_delta(e.from_status, e.to_status, 'acquired'),
           p.area_m2 * stage_delta(e.from_status, e.to_status, 'delivered')
      FROM parcels p
     WHERE e.parcel_id IS NOT NULL AND p.id = e.parcel_id
$$;

CREATE FUNCTION bump_daily_figures(e status_events) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO daily_figures AS f (project_id, day, surveyed, signed, vacated, demolished, monetary, land_acquired_m2, land_delivered_m2)
    SELECT * FROM event_daily_deltas(e)
    ON CONFLICT (project_id, day) DO UPDATE SET
        surveyed = f.surveyed + excluded.surveyed, signed = f.signed + excluded.signed,
        vacated = f.vacated + excluded.vacated, demolished = f.demolished + excluded.demolished,
        monetary = f.monetary + excluded.monetary,
        land_acquired_m2 = f.land_acquired_m2 + excluded.land_acquired_m2,
        land_delivered_m2 = f.land_delivered_m2 + excluded.land_delivered_m2;
    INSERT INTO project_activity AS a (project_id, last_day)
    SELECT project_id, day FROM event_daily_deltas(e)
    ON CONFLICT (project_id) DO UPDATE SET last_day = greatest(a.last_day, excluded.last_day);
$$;

-- The figures counted from scratch, as views: recount_*() copy them into the kept tables,
-- and `onemap verify` compares the kept tables with them.
CREATE VIEW project_figures_recount (project_id, buildings, buildings_demolished, floor_area, households, surveyed,
    signed, vacated, demolished, monetary, difficult, land_m2, land_acquired_m2, land_delivered_m2) AS
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

CREATE VIEW region_figures_recount (region_id, projects, buildings, buildings_demolished, floor_area, households,
    surveyed, signed, vacated, demolished, monetary, difficult, land_m2, land_acquired_m2, land_delivered_m2) AS
    SELECT r.id, count(f.project_id),
           coalesce(sum(f.buildings), 0), coalesce(sum(f.buildings_demolished), 0),
           coalesce(sum(f.floor_area), 0), coalesce(sum(f.households), 0),
           coalesce(sum(f.surveyed), 0), coalesce(sum(f.signed), 0), coalesce(sum(f.vacated), 0),
           coalesce(sum(f.demolished), 0), coalesce(sum(f.monetary), 0),
           coalesce(sum(f.difficult), 0), coalesce(sum(f.land_m2), 0),
           coalesce(sum(f.land_acquired_m2), 0), coalesce(sum(f.land_delivered_m2), 0)
      FROM regions r
      LEFT JOIN (regions below JOIN projects p ON p.region_id = below.id
                 JOIN project_figures_recount f ON f.project_id = p.id) ON r.id = ANY (below.lineage)
     GROUP BY r.id;

CREATE VIEW daily_figures_recount (project_id, day, surveyed, signed, vacated, demolished, monetary,
    land_acquired_m2, land_delivered_m2) AS
    SELECT project_id, day, sum(surveyed), sum(signed), sum(vacated), sum(demolished), sum(monetary),
           sum(land_acquired_m2), sum(land_delivered_m2)
      FROM (SELECT b.project_id, (e.at AT TIME ZONE 'Asia/Shanghai')::date AS day,
                   stage_delta(e.from_status, e.to_status, 'surveyed') AS surveyed,
                   stage_delta(e.from_status, e.to_status, 'signed') AS signed,
                   stage_delta(e.from_status, e.to_status, 'vacated') AS vacated,
                   stage_delta(e.from_status, e.to_status, 'demolished') AS demolished,
                   CASE WHEN h.resettlement = 'monetary' THEN stage_delta(e.from_status, e.to_status, 'signed') ELSE 0 END AS monetary,
                   0::double precision AS land_acquired_m2, 0::double precision AS land_delivered_m2
              FROM status_events e JOIN households h ON h.id = e.household_id JOIN buildings b ON b.id = h.building_id
            UNION ALL
            SELECT p.project_id, (e.at AT TIME ZONE 'Asia/Shanghai')::date, 0, 0, 0, 0, 0,
                   p.area_m2 * stage_delta(e.from_status, e.to_status, 'acquired'),
                   p.area_m2 * stage_delta(e.from_status, e.to_status, 'delivered')
              FROM status_events e JOIN parcels p ON p.id = e.parcel_id) d
     GROUP BY project_id, day;

CREATE OR REPLACE FUNCTION recount_figures() RETURNS void
LANGUAGE sql AS $$
    DELETE FROM project_figures;
    INSERT INTO project_figures SELECT * FROM project_figures_recount;
    DELETE FROM region_figures;
    INSERT INTO region_figures SELECT * FROM region_figures_recount;
$$;

CREATE FUNCTION recount_daily_figures() RETURNS void
LANGUAGE sql AS $$
    DELETE FROM daily_figures;
    INSERT INTO daily_figures SELECT * FROM daily_figures_recount;
    DELETE FROM project_activity;
    INSERT INTO project_activity SELECT project_id, max(day) FROM daily_figures GROUP BY project_id;
$$;

-- The event-apply trigger of 0005, now also adding the event to its project's day.
CREATE OR REPLACE FUNCTION status_events_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF num_nonnulls(NEW.household_id, NEW.parcel_id) <> 1
       OR (NEW.household_id IS NOT NULL AND NOT (NEW.from_status = ANY (enum_range(NULL::progress_status)::text[])
                                               AND NEW.to_status = ANY (enum_range(NULL::progress_status)::text[])))
       OR (NEW.parcel_id IS NOT NULL AND NOT (NEW.from_status = ANY (enum_range(NULL::land_status)::text[])
                                            AND NEW.to_status = ANY (enum_range(NULL::land_status)::text[]))) THEN
        -- not applicable: the table's CHECK constraints refuse the row and name the rule
        RETURN NEW;
    END IF;
    PERFORM pg_advisory_xact_lock(4242001);
    NEW.id := nextval(pg_get_serial_sequence('status_events', 'id'));
    IF NEW.household_id IS NOT NULL THEN
        UPDATE households SET status = NEW.to_status::progress_status, status_at = NEW.at, version = version + 1
         WHERE id = NEW.household_id AND status = NEW.from_status::progress_status
        RETURNING version INTO NEW.version;
    ELSE
        UPDATE parcels SET land_status = NEW.to_status::land_status, version = version + 1
         WHERE id = NEW.parcel_id AND land_status = NEW.from_status::land_status
        RETURNING version INTO NEW.version;
    END IF;
    IF NEW.version IS NULL THEN
        RAISE EXCEPTION '% % is not in status %',
            CASE WHEN NEW.household_id IS NOT NULL THEN 'household' ELSE 'parcel' END,
            coalesce(NEW.household_id, NEW.parcel_id), NEW.from_status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'status_event_from_current';
    END IF;
    PERFORM bump_daily_figures(NEW);
    RETURN NEW;
END
$$;

-- Databases that already hold events get their history now.
SELECT recount_daily_figures();
