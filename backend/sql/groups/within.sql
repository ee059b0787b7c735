-- The households of project $1 whose building lies inside a drawn outline (its point on the
-- surface inside $2, a GeoJSON Polygon in EPSG:4326): a lasso takes nothing of other projects.
SELECT h.id
  FROM buildings b JOIN households h ON h.building_id = b.id
 WHERE b.project_id = $1
   AND b.geom && ST_SetSRID(ST_GeomFromGeoJSON($2), 4326)
   AND ST_Within(ST_PointOnSurface(b.geom), ST_SetSRID(ST_GeomFromGeoJSON($2), 4326))
 ORDER BY h.id
