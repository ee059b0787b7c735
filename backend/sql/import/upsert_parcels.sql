-- Writes the staged parcels into project $1, like upsert_buildings.sql.
INSERT INTO parcels AS pa (code, project_id, land_use, geom)
SELECT code, $1, land_use, geom FROM import_rows ORDER BY row
ON CONFLICT (code) DO UPDATE SET
    geom = excluded.geom, land_use = coalesce(excluded.land_use, pa.land_use)
 WHERE pa.land_use IS DISTINCT FROM coalesce(excluded.land_use, pa.land_use) OR NOT ST_Equals(pa.geom, excluded.geom)
RETURNING (xmax = 0) AS inserted
