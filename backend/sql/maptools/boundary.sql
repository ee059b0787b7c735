-- A drawn boundary checked by PostGIS: whether it is a valid polygon (else why and where, e.g. a
-- self-intersection's point) and its area on the ellipsoid in m².
-- Parameters: $1 the boundary as GeoJSON (EPSG:4326).
SELECT (d).valid, (d).reason, ST_X((d).location), ST_Y((d).location), ST_Area(g::geography)
  FROM (SELECT g, ST_IsValidDetail(g) AS d FROM (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS g) s) t
