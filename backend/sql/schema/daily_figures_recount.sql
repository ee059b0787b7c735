-- The daily net gains counted from the events: recount_daily_figures() copies them into the
-- kept table, and `onemap verify` compares the kept table with them.
CREATE OR REPLACE VIEW daily_figures_recount (project_id, day, surveyed, signed, vacated, demolished, monetary,
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
