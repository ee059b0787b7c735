-- 补偿支付榜: what each household has been paid, masked. Parameters: $1 project id, $2 limit, $3 offset.
WITH rows AS (
    SELECT h.code, m.holder, m.id_number, a.yuan, a.paid_yuan,
           (SELECT max(b.paid_at) FROM payments x JOIN payment_batches b ON b.id = x.batch_id
             WHERE x.household_id = a.household_id AND b.status = 'paid') AS paid_at
      FROM agreements a JOIN households h ON h.id = a.household_id JOIN public_holders m ON m.id = h.id
     WHERE a.project_id = $1 AND a.paid_yuan > 0 AND a.voided_at IS NULL
)
SELECT (SELECT count(*) FROM rows),
       coalesce((SELECT json_agg(json_build_object('code', code, 'holder', holder,
                                                   'id_number', id_number, 'agreed_yuan', yuan,
                                                   'paid_yuan', paid_yuan,
                                                   'paid_on', (paid_at AT TIME ZONE 'Asia/Shanghai')::date) ORDER BY code)
                   FROM (SELECT * FROM rows ORDER BY code LIMIT $2 OFFSET $3) page), '[]')
