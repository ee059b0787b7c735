-- The estates (安置小区) with their counts by status and type: the public list, the cockpit's
-- panel and the staff list alike (no household appears here). Readable by onemap_public.
-- Parameters: $1 = a region code to keep the estates within (text, NULL for all).
WITH chosen AS (
    SELECT e.*, r.code AS region_code, r.name AS region_name, r.lineage
      FROM estates e JOIN regions r ON r.id = e.region_id
     WHERE $1::text IS NULL OR EXISTS (SELECT 1 FROM regions s WHERE s.code = $1 AND s.id = ANY (r.lineage))
), counts AS (
    SELECT u.estate_id, u.status, count(*) AS n FROM estate_units u JOIN chosen c ON c.id = u.estate_id GROUP BY 1, 2
)
SELECT coalesce(json_agg(json_build_object(
           'code', c.code,
           'name', c.name,
           'region_code', c.region_code,
           'region_name', c.region_name,
           'address', c.address,
           'delivery_planned', c.delivery_planned,
           'buildings', (SELECT count(*) FROM estate_buildings b WHERE b.estate_id = c.id),
           'units', (SELECT coalesce(sum(n), 0) FROM counts k WHERE k.estate_id = c.id),
           'counts', (SELECT json_object_agg(k.status, k.n ORDER BY k.status) FROM counts k WHERE k.estate_id = c.id),
           'types', (SELECT json_agg(json_build_object('code', t.code, 'name', t.name, 'area', t.area,
                                                       'floor_plan', t.floor_plan_sha256 IS NOT NULL) ORDER BY t.code)
                       FROM estate_unit_types t WHERE t.estate_id = c.id),
           'centre', json_build_array(round(ST_X(ST_PointOnSurface(c.geom))::numeric, 6),
                                      round(ST_Y(ST_PointOnSurface(c.geom))::numeric, 6)),
           'bbox', json_build_array(round(ST_XMin(c.geom)::numeric, 6), round(ST_YMin(c.geom)::numeric, 6),
                                    round(ST_XMax(c.geom)::numeric, 6), round(ST_YMax(c.geom)::numeric, 6))
       ) ORDER BY c.code), '[]'::json)
  FROM chosen c
