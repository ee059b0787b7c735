-- Tile features of the `buildings` layer as they stood at the end of a past day ($4, Beijing).
-- Parameters: $1 = z, $2 = x, $3 = y, $4 = the day (date); CTE `tile` as in regions.sql.
-- A household's status then is the from_status of its first event after that day's end, or
-- its status now if none came since; the building's is the least advanced, as live. Only the
-- events after the day are read (one index probe per household, status_events_household).
-- The work group is the one holding the building now (the assignment history is not replayed);
-- case_open: a 疑难个案 of one of its households was open at the day's end (flag only).
SELECT b.id,
       b.code,
       b.project_id,
       b.parcel_id,
       coalesce(s.status, 'pending') AS status,
       b.households,
       b.floor_area::float8 AS floor_area,
       b.floors,
       b.use,
       b.legality,
       b.group_id,
       EXISTS (SELECT 1 FROM households h JOIN cases c ON c.household_id = h.id
                WHERE h.building_id = b.id
                  AND c.opened_at < ($4::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'
                  AND (c.closed_at IS NULL OR c.closed_at >= ($4::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')) AS case_open,
       b.geom_3857
  FROM buildings b
  JOIN tile ON b.geom_3857 && tile.search
  LEFT JOIN LATERAL (
      SELECT min(coalesce((SELECT e.from_status FROM status_events e
                            WHERE e.household_id = h.id
                              AND e.at >= ($4::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'
                            ORDER BY e.id LIMIT 1)::progress_status, h.status))::text AS status
        FROM households h WHERE h.building_id = b.id) s ON true
