-- 进度榜: each building's households by stage (no personal data). Parameters: $1 project id, $2 limit, $3 offset.
WITH rows AS (
    SELECT b.code, b.status, count(h.id) AS households,
           count(h.id) FILTER (WHERE h.status >= 'surveyed') AS surveyed, count(h.id) FILTER (WHERE h.status >= 'signed') AS signed,
           count(h.id) FILTER (WHERE h.status >= 'vacated') AS vacated, count(h.id) FILTER (WHERE h.status >= 'demolished') AS demolished
      FROM buildings b LEFT JOIN households h ON h.building_id = b.id
     WHERE b.project_id = $1
     GROUP BY b.id
)
SELECT (SELECT count(*) FROM rows),
       coalesce((SELECT json_agg(json_build_object('building', code,
                                                   'status', CASE status WHEN 'pending' THEN '未调查' WHEN 'surveyed' THEN '已丈量登记'
                                                             WHEN 'signed' THEN '已签约' WHEN 'vacated' THEN '已腾空' ELSE '已拆除' END,
                                                   'households', households, 'surveyed', surveyed, 'signed', signed,
                                                   'vacated', vacated, 'demolished', demolished) ORDER BY code)
                   FROM (SELECT * FROM rows ORDER BY code LIMIT $2 OFFSET $3) page), '[]')
