-- A region for the breadcrumb and the map: code, name, level, parent, box, and its path from
-- the city down (one JSON object).
-- Parameters: $1 = region code (text).
SELECT json_build_object('code', r.code, 'name', r.name, 'level', r.level, 'parent_code', parent.code,
         'bbox', json_build_array(ST_XMin(r.geom), ST_YMin(r.geom), ST_XMax(r.geom), ST_YMax(r.geom)),
         'path', (SELECT json_agg(json_build_object('code', a.code, 'name', a.name, 'level', a.level)
                                  ORDER BY array_position(r.lineage, a.id))
                    FROM regions a WHERE a.id = ANY (r.lineage)))
  FROM regions r LEFT JOIN regions parent ON parent.id = r.parent_id WHERE r.code = $1
