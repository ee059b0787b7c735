-- The day's row of a project, as the deltas of one event (what bump_daily_figures() adds and
-- daily_figures_recount counts).
CREATE OR REPLACE FUNCTION event_daily_deltas(e status_events)
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
