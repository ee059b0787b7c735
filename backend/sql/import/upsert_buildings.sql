-- Writes the staged buildings into project $1: new codes inserted, known ones updated where
-- something differs. Returns one row per written building: inserted or updated.
INSERT INTO buildings AS b (code, project_id, parcel_id, use, legality, floors, floor_area, geom)
SELECT code, $1, parcel_id, coalesce(use, 'residential'), coalesce(legality, 'legal'), floors, floor_area, geom
  FROM import_rows ORDER BY row
ON CONFLICT (code) DO UPDATE SET
    parcel_id = excluded.parcel_id, geom = excluded.geom,
    use = CASE WHEN (SELECT use FROM import_rows WHERE code = excluded.code) IS NULL THEN b.use ELSE excluded.use END,
    legality = CASE WHEN (SELECT legality FROM import_rows WHERE code = excluded.code) IS NULL THEN b.legality ELSE excluded.legality END,
    floors = coalesce(excluded.floors, b.floors), floor_area = coalesce(excluded.floor_area, b.floor_area)
 WHERE (b.parcel_id, b.use, b.legality, b.floors, b.floor_area) IS DISTINCT FROM
       (excluded.parcel_id, coalesce((SELECT use FROM import_rows WHERE code = excluded.code), b.use),
        coalesce((SELECT legality FROM import_rows WHERE code = excluded.code), b.legality),
        coalesce(excluded.floors, b.floors), coalesce(excluded.floor_area, b.floor_area))
    OR NOT ST_Equals(b.geom, excluded.geom)
RETURNING (xmax = 0) AS inserted
