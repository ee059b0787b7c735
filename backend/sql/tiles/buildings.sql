-- Tile features of the `buildings` layer: footprints with their live status.
-- Parameters: $1 = z, $2 = x, $3 = y; CTE `tile` as in regions.sql; geometry EPSG:3857.
-- No household columns beyond the count: holder names and ID numbers never enter a tile.
-- group_id: the work group holding all its households (NULL when none or mixed: left out);
-- no person's name (leaders, members) goes with it.
SELECT b.id,
       b.code,
       b.project_id,
       b.parcel_id,
       b.status::text AS status,
       b.households,
       b.floor_area::float8 AS floor_area,
       b.floors,
       b.use,
       b.legality,
       b.group_id,
       b.geom_3857
  FROM buildings b
  JOIN tile ON b.geom_3857 && tile.search
