-- A project by its code: its id, its region's lineage (root first, for who may write there)
-- and a longitude inside it (imports suggest a Gauss-Kruger zone from it).
-- Parameters: $1 = project code (text).
SELECT p.id, r.lineage, ST_X(ST_PointOnSurface(p.geom)) AS lon
  FROM projects p JOIN regions r ON r.id = p.region_id
 WHERE p.code = $1
