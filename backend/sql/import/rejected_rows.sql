-- The staged rows numbered $1, as the file had them: attributes and WGS84 geometry (before any
-- repair), for the file of rejected rows the surveyor corrects and imports again.
SELECT row, fields, ST_AsGeoJSON(ST_GeomFromWKB(wkb, 4326), 9)::jsonb
  FROM import_rows WHERE row = ANY($1) ORDER BY row
