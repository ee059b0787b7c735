-- Each staged row's geometry as a valid MultiPolygon: polygons as they are, closed polylines
-- (DXF) made polygons, invalid ones repaired when $1 is true (holes and parts kept: the
-- structure method), with what was found kept for the report.
WITH read AS (
    SELECT row, ST_GeomFromWKB(wkb, 4326) AS g FROM import_rows WHERE wkb IS NOT NULL
), typed AS (
    SELECT row, g,
           CASE WHEN GeometryType(g) IN ('POLYGON', 'MULTIPOLYGON') THEN 'polygon'
                WHEN GeometryType(g) = 'LINESTRING' AND ST_IsClosed(g) AND ST_NPoints(g) >= 4 THEN 'closed polyline'
                ELSE lower(GeometryType(g)) END AS kind
      FROM read
), polygonal AS (
    SELECT row, kind,
           CASE kind WHEN 'polygon' THEN ST_Force2D(g) WHEN 'closed polyline' THEN ST_MakePolygon(ST_Force2D(g)) END AS g
      FROM typed
), checked AS (
    SELECT row, kind, g, CASE WHEN g IS NOT NULL AND NOT ST_IsValid(g) THEN ST_IsValidReason(g) END AS invalid FROM polygonal
)
UPDATE import_rows i
   SET kind = c.kind,
       invalid = c.invalid,
       geom = CASE WHEN c.g IS NULL THEN NULL
                   WHEN c.invalid IS NULL THEN ST_Multi(c.g)
                   -- a collapsed ring leaves an empty geometry: nothing left (ST_IsEmpty, as `=` compares SRIDs too)
                   WHEN $1 THEN (SELECT r FROM (SELECT ST_Multi(ST_CollectionExtract(ST_MakeValid(c.g, 'method=structure'), 3)) r) m
                                  WHERE NOT ST_IsEmpty(r))
              END
  FROM checked c
 WHERE i.row = c.row
