-- Tile features of the `parcels` layer as they stood at the end of a past day ($4, Beijing).
-- Parameters: $1 = z, $2 = x, $3 = y, $4 = the day (date); CTE `tile` as in regions.sql.
-- The land status then: the from_status of the first event after that day's end, else now's.
SELECT p.id,
       p.code,
       p.project_id,
       coalesce((SELECT e.from_status FROM status_events e
                  WHERE e.parcel_id = p.id AND e.at >= ($4::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'
                  ORDER BY e.id LIMIT 1), p.land_status::text) AS land_status,
       p.land_use,
       round(p.area_m2::numeric, 1)::float8 AS area_m2,
       round((p.area_m2 * 3 / 2000)::numeric, 2)::float8 AS area_mu,
       p.geom_3857
  FROM parcels p
  JOIN tile ON p.geom_3857 && tile.search
