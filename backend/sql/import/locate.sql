-- Which parcel of project $1 each staged building stands in (its point on surface; only when
-- $2, importing buildings), and which other project already owns the row's code, if any.
UPDATE import_rows i
   SET parcel_id = CASE WHEN $2 AND i.geom IS NOT NULL THEN
                       (SELECT pa.id FROM parcels pa
                         WHERE pa.project_id = $1 AND ST_Intersects(pa.geom, ST_PointOnSurface(i.geom))
                         ORDER BY pa.id LIMIT 1) END,
       owner = CASE WHEN $2 THEN (SELECT p.code FROM buildings b JOIN projects p ON p.id = b.project_id
                                   WHERE b.code = i.code AND b.project_id <> $1)
                    ELSE (SELECT p.code FROM parcels pa JOIN projects p ON p.id = pa.project_id
                           WHERE pa.code = i.code AND pa.project_id <> $1) END
