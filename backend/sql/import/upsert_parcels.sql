-- Writes the staged parcels into project $1, like upsert_buildings.sql: a land use the file
-- leaves out stays, an outline within 1e-9° (0.1 mm) of the stored one is the same.
INSERT INTO parcels AS pa (code, project_id, land_use, geom)
SELECT i.code, $1, coalesce(i.land_use, o.land_use), i.geom
  FROM import_rows i LEFT JOIN parcels o ON o.code = i.code
 ORDER BY i.row
ON CONFLICT (code) DO UPDATE SET
    land_use = excluded.land_use,
    geom = CASE WHEN ST_Equals(pa.geom, excluded.geom) OR ST_HausdorffDistance(pa.geom, excluded.geom) < 1e-9 THEN pa.geom
                ELSE excluded.geom END
 WHERE pa.land_use IS DISTINCT FROM excluded.land_use
    OR NOT (ST_Equals(pa.geom, excluded.geom) OR ST_HausdorffDistance(pa.geom, excluded.geom) < 1e-9)
RETURNING (xmax = 0) AS inserted
