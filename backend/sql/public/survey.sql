-- 调查登记榜: households surveyed (or beyond), masked. Parameters: $1 project id, $2 limit, $3 offset.
WITH rows AS (
    SELECT h.code, m.holder, m.id_number, b.code AS building, h.members, h.recorded_area, b.use, b.legality
      FROM households h JOIN public_holders m ON m.id = h.id JOIN buildings b ON b.id = h.building_id
     WHERE b.project_id = $1 AND h.status >= 'surveyed'
)
SELECT (SELECT count(*) FROM rows),
       coalesce((SELECT json_agg(json_build_object('code', code, 'holder', holder,
                                                   'id_number', id_number, 'building', building,
                                                   'members', members, 'recorded_area', recorded_area,
                                                   'legality', CASE legality WHEN 'legal' THEN '合法' ELSE '违法建筑' END) ORDER BY code)
                   FROM (SELECT * FROM rows ORDER BY code LIMIT $2 OFFSET $3) page), '[]')
