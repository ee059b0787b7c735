-- 奖励榜: signing incentives earned, as each agreement was signed (not where an override
-- replaced the sum), masked. Parameters: $1 project id, $2 limit, $3 offset.
WITH rows AS (
    SELECT h.code, m.holder, m.id_number, a.signed_at, a.incentive_yuan, format('%s 前签约', a.incentive_until) AS basis
      FROM agreements a JOIN households h ON h.id = a.household_id JOIN public_holders m ON m.id = h.id
     WHERE a.project_id = $1 AND a.voided_at IS NULL AND a.incentive_yuan > 0
       AND NOT EXISTS (SELECT 1 FROM compensation_overrides o WHERE o.household_id = a.household_id)
)
SELECT (SELECT count(*) FROM rows),
       coalesce((SELECT json_agg(json_build_object('code', code, 'holder', holder,
                                                   'id_number', id_number,
                                                   'signed_on', (signed_at AT TIME ZONE 'Asia/Shanghai')::date,
                                                   'incentive_yuan', incentive_yuan,
                                                   'basis', basis) ORDER BY signed_at, code)
                   FROM (SELECT * FROM rows ORDER BY signed_at, code LIMIT $2 OFFSET $3) page), '[]')
