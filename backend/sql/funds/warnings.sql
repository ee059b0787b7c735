-- 资金预警 of projects: committed payments passing or nearing the allocations (拨入),
-- allocations or spending passing or nearing the budget, and payments lagging the signed
-- agreements (households signed over 30 days ago, Beijing time, with nothing paid or in a
-- batch), and signed agreements worth 0 (signed before the project had a standard; not one a
-- selection's swap money brought to 0, whose household pays in: docs/selection.md).
-- Each warning is a message key and its values (sums in 万元 as text, one decimal), which the
-- frontend words (frontend/src/i18n/).
-- Parameters: $1 project ids (bigint[]; NULL = every project), $2 today (date, Beijing).
WITH lag AS (
    SELECT a.project_id, count(*) FILTER (WHERE a.yuan > 0) AS households, sum(a.yuan) AS yuan,
           count(*) FILTER (WHERE a.yuan = 0 AND a.swap_yuan = 0) AS zero
      FROM agreements a
     WHERE ($1::bigint[] IS NULL OR a.project_id = ANY ($1))
       AND a.committed_yuan = 0 AND a.voided_at IS NULL
       AND (a.yuan = 0 OR a.signed_at < ($2::date - 30)::timestamp AT TIME ZONE 'Asia/Shanghai')
     GROUP BY a.project_id
)
SELECT p.id AS project_id, p.code AS project_code, p.name AS project_name, r.code AS region_code, w.level, w.code, w.key, w.vals
  FROM projects p
  JOIN regions r ON r.id = p.region_id
  JOIN project_funds f ON f.project_id = p.id
  LEFT JOIN lag ON lag.project_id = p.id,
       LATERAL (VALUES
           (CASE WHEN f.committed_yuan > f.allocated_yuan THEN 'alarm'
                 WHEN f.committed_yuan > 0 AND f.committed_yuan >= 0.9 * f.allocated_yuan THEN 'warn' END,
            'allocations',
            CASE WHEN f.committed_yuan > f.allocated_yuan THEN 'funds.warning.allocations_passed' ELSE 'funds.warning.allocations_near' END,
            jsonb_build_object('committed', round(f.committed_yuan / 10000, 1)::text, 'allocated', round(f.allocated_yuan / 10000, 1)::text)),
           (CASE WHEN greatest(f.allocated_yuan, f.committed_yuan) > p.budget_yuan THEN 'alarm'
                 WHEN f.committed_yuan > 0 AND f.committed_yuan >= 0.9 * p.budget_yuan THEN 'warn' END,
            'budget',
            'funds.warning.budget',
            jsonb_build_object('allocated', round(f.allocated_yuan / 10000, 1)::text, 'committed', round(f.committed_yuan / 10000, 1)::text,
                               'budget', round(p.budget_yuan / 10000, 1)::text)),
           (CASE WHEN lag.households > 0 THEN 'warn' END,
            'payment_lag',
            'funds.warning.payment_lag',
            jsonb_build_object('households', lag.households::text, 'due', round(lag.yuan / 10000, 1)::text)),
           (CASE WHEN lag.zero > 0 THEN 'alarm' END,
            'agreement_zero',
            'funds.warning.agreement_zero',
            jsonb_build_object('households', lag.zero::text))
       ) w (level, code, key, vals)
 WHERE w.level IS NOT NULL AND ($1::bigint[] IS NULL OR p.id = ANY ($1))
 ORDER BY w.level, p.id, w.code
