-- Tile features of the `parcels` layer: land parcels with their land status.
-- Parameters: $1 = z, $2 = x, $3 = y; CTE `tile` as in regions.sql; geometry EPSG:3857.
-- Area in m² on the ellipsoid and in 亩 (1 mu = 2000/3 m²).
SELECT p.id,
       p.code,
       p.project_id,
       p.land_status::text AS land_status,
       p.land_use,
       round(p.area_m2::numeric, 1)::float8 AS area_m2,
       round((p.area_m2 * 3 / 2000)::numeric, 2)::float8 AS area_mu,
       p.geom_3857
  FROM parcels p
  JOIN tile ON p.geom_3857 && tile.search
