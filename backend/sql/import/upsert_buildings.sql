-- Writes the staged buildings into project $1: new codes inserted, known ones updated where
-- something differs. An attribute the file leaves out keeps the stored value (a geometry-only
-- re-import; taken before the insert, as NOT NULL is checked before ON CONFLICT); an outline
-- within 1e-9° (0.1 mm) of the stored one is the same outline (a re-import through another
-- CRS differs in the last digits). Returns one row per written building: inserted or updated.
INSERT INTO buildings AS b (code, project_id, parcel_id, use, legality, floors, floor_area, geom)
SELECT i.code, $1, i.parcel_id, coalesce(i.use, o.use, 'residential'), coalesce(i.legality, o.legality, 'legal'),
       coalesce(i.floors, o.floors), coalesce(i.floor_area, o.floor_area), i.geom
  FROM import_rows i LEFT JOIN buildings o ON o.code = i.code
 ORDER BY i.row
ON CONFLICT (code) DO UPDATE SET
    parcel_id = excluded.parcel_id, use = excluded.use, legality = excluded.legality,
    floors = excluded.floors, floor_area = excluded.floor_area,
    geom = CASE WHEN ST_Equals(b.geom, excluded.geom) OR ST_HausdorffDistance(b.geom, excluded.geom) < 1e-9 THEN b.geom
                ELSE excluded.geom END
 WHERE (b.parcel_id, b.use, b.legality, b.floors, b.floor_area) IS DISTINCT FROM
       (excluded.parcel_id, excluded.use, excluded.legality, excluded.floors, excluded.floor_area)
    OR NOT (ST_Equals(b.geom, excluded.geom) OR ST_HausdorffDistance(b.geom, excluded.geom) < 1e-9)
RETURNING (xmax = 0) AS inserted
