-- 签约榜: signed agreements and their agreed sums, masked. Parameters: $1 project id, $2 limit, $3 offset.
WITH rows AS (
    SELECT h.code, m.holder, m.id_number, b.code AS building, a.signed_at, h.resettlement, a.yuan
      FROM agreements a JOIN households h ON h.id = a.household_id JOIN public_holders m ON m.id = h.id JOIN buildings b ON b.id = h.building_id
     WHERE a.project_id = $1 AND a.voided_at IS NULL
)
SELECT (SELECT count(*) FROM rows),
       coalesce((SELECT json_agg(json_build_object('code', code, 'holder', holder,
                                                   'id_number', id_number, 'building', building,
                                                   'signed_on', (signed_at AT TIME ZONE 'Asia/Shanghai')::date,
                                                   'resettlement', CASE resettlement WHEN 'monetary' THEN '货币补偿'
                                                                   WHEN 'property_swap' THEN '产权调换' END,
                                                   'agreed_yuan', yuan) ORDER BY signed_at, code)
                   FROM (SELECT * FROM rows ORDER BY signed_at, code LIMIT $2 OFFSET $3) page), '[]')
