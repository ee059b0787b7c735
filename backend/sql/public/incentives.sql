-- 奖励榜: signing incentives earned, masked. Parameters: $1 project id, $2 limit, $3 offset.
WITH rows AS (
    SELECT h.code, h.holder_name, h.holder_id_number, a.signed_at, c.incentive_yuan, c.incentive_until
      FROM agreements a JOIN households h ON h.id = a.household_id,
           LATERAL compensation(a.household_id, (a.signed_at AT TIME ZONE 'Asia/Shanghai')::date) c
     WHERE a.project_id = $1 AND c.incentive_yuan > 0
)
SELECT (SELECT count(*) FROM rows),
       coalesce((SELECT json_agg(json_build_object('code', code, 'holder', mask_name(holder_name),
                                                   'id_number', mask_id_number(holder_id_number),
                                                   'signed_on', (signed_at AT TIME ZONE 'Asia/Shanghai')::date,
                                                   'incentive_yuan', incentive_yuan,
                                                   'basis', format('%s 前签约', incentive_until)) ORDER BY signed_at, code)
                   FROM (SELECT * FROM rows ORDER BY signed_at, code LIMIT $2 OFFSET $3) page), '[]')
