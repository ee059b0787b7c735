-- 资金预警 of projects: committed payments passing or nearing the allocations (拨入),
-- allocations or spending passing or nearing the budget, and payments lagging the signed
-- agreements (households signed over 30 days ago, Beijing time, with nothing paid or in a
-- batch), and signed agreements worth 0 (signed before the project had a standard).
-- Parameters: $1 project ids (bigint[]; NULL = every project), $2 today (date, Beijing).
WITH lag AS (
    SELECT a.project_id, count(*) FILTER (WHERE a.yuan > 0) AS households, sum(a.yuan) AS yuan,
           count(*) FILTER (WHERE a.yuan = 0) AS zero
      FROM agreements a
     WHERE ($1::bigint[] IS NULL OR a.project_id = ANY ($1))
       AND a.committed_yuan = 0 AND a.voided_at IS NULL
       AND (a.yuan = 0 OR a.signed_at < ($2::date - 30)::timestamp AT TIME ZONE 'Asia/Shanghai')
     GROUP BY a.project_id
)
SELECT p.id AS project_id, p.code AS project_code, p.name AS project_name, r.code AS region_code, w.level, w.code, w.zh, w.en
  FROM projects p
  JOIN regions r ON r.id = p.region_id
  JOIN project_funds f ON f.project_id = p.id
  LEFT JOIN lag ON lag.project_id = p.id,
       LATERAL (VALUES
           (CASE WHEN f.committed_yuan > f.allocated_yuan THEN 'alarm'
                 WHEN f.committed_yuan > 0 AND f.committed_yuan >= 0.9 * f.allocated_yuan THEN 'warn' END,
            'allocations',
            format('已支付及在途资金%s万元，%s拨入资金%s万元', round(f.committed_yuan / 10000, 1),
                   CASE WHEN f.committed_yuan > f.allocated_yuan THEN '超出' ELSE '已达' END, round(f.allocated_yuan / 10000, 1)),
            format('payments paid or under way (%s ten-thousand yuan) %s the allocations (%s)', round(f.committed_yuan / 10000, 1),
                   CASE WHEN f.committed_yuan > f.allocated_yuan THEN 'pass' ELSE 'near' END, round(f.allocated_yuan / 10000, 1))),
           (CASE WHEN greatest(f.allocated_yuan, f.committed_yuan) > p.budget_yuan THEN 'alarm'
                 WHEN f.committed_yuan > 0 AND f.committed_yuan >= 0.9 * p.budget_yuan THEN 'warn' END,
            'budget',
            format('拨入%s万元、支付%s万元，预算%s万元', round(f.allocated_yuan / 10000, 1), round(f.committed_yuan / 10000, 1),
                   round(p.budget_yuan / 10000, 1)),
            format('allocated %s, committed %s, budget %s (ten-thousand yuan)', round(f.allocated_yuan / 10000, 1),
                   round(f.committed_yuan / 10000, 1), round(p.budget_yuan / 10000, 1))),
           (CASE WHEN lag.households > 0 THEN 'warn' END,
            'payment_lag',
            format('%s户签约超过30天未支付，应付%s万元', lag.households, round(lag.yuan / 10000, 1)),
            format('%s households signed over 30 days ago are unpaid (%s ten-thousand yuan)', lag.households, round(lag.yuan / 10000, 1))),
           (CASE WHEN lag.zero > 0 THEN 'alarm' END,
            'agreement_zero',
            format('%s户已签约但协议补偿为0（签约时无补偿标准？），无法支付', lag.zero),
            format('%s households signed with an agreed sum of 0 (no standard when they signed?) cannot be paid', lag.zero))
       ) w (level, code, zh, en)
 WHERE w.level IS NOT NULL AND ($1::bigint[] IS NULL OR p.id = ANY ($1))
 ORDER BY w.level, p.id, w.code
