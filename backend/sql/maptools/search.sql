-- The map's search box: projects (code, name), regions by name (the data's addresses: streets and
-- communities, 路/街 in project names), buildings by code and, for staff, households by code,
-- holder name or ID-number ending within the caller's region. Each kind is bounded by its own
-- LIMIT before the union, so no kind reads more than a page; exact code matches rank first.
-- Every pattern is answered by an index (migrations/0020_map_search.sql), planned per request.
-- Parameters: $1 the query, $2 the query with LIKE's \ % _ escaped, $3 limit, $4 households
-- allowed, $5 the caller's region id (NULL: everywhere), $6 an ID-number ending (or NULL).
WITH hits AS (
    (SELECT 'project' AS kind, 1 AS kind_order, p.id, p.code, p.name AS label, r.name AS detail, NULL::bigint AS building_id,
            CASE WHEN p.code = $1 THEN 0 WHEN p.name = $1 THEN 1 WHEN p.code LIKE $2 || '%' THEN 2 ELSE 3 END AS rank, p.geom
       FROM projects p JOIN regions r ON r.id = p.region_id
      WHERE p.code LIKE '%' || $2 || '%' OR p.name LIKE '%' || $2 || '%'
      ORDER BY rank, p.code LIMIT $3)
    UNION ALL
    (SELECT 'region', 2, r.id, r.code, r.name, r.level::text, NULL, CASE WHEN r.code = $1 THEN 0 WHEN r.name = $1 THEN 1 ELSE 3 END, r.geom
       FROM regions r
      WHERE r.code = $1 OR strpos(r.name, $1) > 0
      ORDER BY 8, r.level, r.code LIMIT $3)
    UNION ALL
    (SELECT 'building', 3, b.id, b.code, b.code, p.name, b.id, 0, b.geom
       FROM buildings b JOIN projects p ON p.id = b.project_id
      WHERE b.code = $1)
    UNION ALL
    (SELECT 'building', 3, b.id, b.code, b.code, p.name, b.id, 2, b.geom
       FROM buildings b JOIN projects p ON p.id = b.project_id
      WHERE b.code LIKE $2 || '%' AND b.code <> $1
      ORDER BY b.code LIMIT $3)
    UNION ALL
    -- three characters at least: a trigram index cannot answer a shorter "contains"
    (SELECT 'building', 3, b.id, b.code, b.code, p.name, b.id, 4, b.geom
       FROM buildings b JOIN projects p ON p.id = b.project_id
      WHERE length($1) >= 3 AND b.code LIKE '%_' || $2 || '%'
      LIMIT $3)
    UNION ALL
    (SELECT 'household', 4, h.id, h.code, h.holder_name, b.code, b.id,
            CASE WHEN h.code = $1 THEN 0 WHEN h.holder_name = $1 OR $6::text IS NOT NULL THEN 1 ELSE 2 END, b.geom
       FROM households h
       JOIN buildings b ON b.id = h.building_id
       JOIN projects p ON p.id = b.project_id
       JOIN regions r ON r.id = p.region_id
      WHERE $4 AND ($5::integer IS NULL OR $5 = ANY (r.lineage))
        AND (h.code = $1
             OR (length($1) >= 2 AND h.holder_name LIKE $2 || '%')
             OR (length($1) >= 3 AND h.holder_name LIKE '%' || $2 || '%')
             OR reverse(h.holder_id_number) LIKE reverse($6::text) || '%')
      ORDER BY 8, h.code LIMIT $3)
), page AS (
    SELECT * FROM hits ORDER BY rank, kind_order, code LIMIT $3
)
SELECT coalesce(json_agg(json_build_object(
           'kind', kind, 'id', id, 'code', code, 'label', label, 'detail', detail, 'building_id', building_id, 'rank', rank,
           'center', json_build_array(round(ST_X(ST_PointOnSurface(geom))::numeric, 7), round(ST_Y(ST_PointOnSurface(geom))::numeric, 7)),
           'bbox', json_build_array(round(ST_XMin(geom)::numeric, 7), round(ST_YMin(geom)::numeric, 7),
                                    round(ST_XMax(geom)::numeric, 7), round(ST_YMax(geom)::numeric, 7)))
         ORDER BY rank, kind_order, code), '[]')
  FROM page
