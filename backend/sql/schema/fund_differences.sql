-- The maintained sums recomputed from the rows (empty: all equal), for checks and bulk loads.
-- Each side is summed once and joined: correlated subqueries took minutes at a million
-- buildings (migration 0009).
CREATE OR REPLACE FUNCTION fund_differences()
RETURNS TABLE (subject text, kept numeric, recounted numeric)
LANGUAGE sql STABLE AS $$
    WITH live AS (
        SELECT p.household_id, b.project_id, b.status, p.yuan FROM payments p JOIN payment_batches b ON b.id = p.batch_id
         WHERE b.status <> 'returned'
    ), by_household AS (
        SELECT household_id, sum(yuan) AS committed, coalesce(sum(yuan) FILTER (WHERE status = 'paid'), 0) AS paid
          FROM live GROUP BY household_id
    ), by_project AS (
        SELECT project_id, sum(yuan) AS committed, coalesce(sum(yuan) FILTER (WHERE status = 'paid'), 0) AS paid
          FROM live GROUP BY project_id
    ), allocated AS (
        SELECT project_id, sum(yuan) AS yuan FROM fund_allocations GROUP BY project_id
    )
    SELECT 'agreement ' || a.household_id || ' committed', a.committed_yuan, coalesce(h.committed, 0)
      FROM agreements a LEFT JOIN by_household h ON h.household_id = a.household_id
     WHERE a.committed_yuan <> coalesce(h.committed, 0)
    UNION ALL
    SELECT 'agreement ' || a.household_id || ' paid', a.paid_yuan, coalesce(h.paid, 0)
      FROM agreements a LEFT JOIN by_household h ON h.household_id = a.household_id
     WHERE a.paid_yuan <> coalesce(h.paid, 0)
    UNION ALL
    SELECT 'project ' || f.project_id || ' allocated', f.allocated_yuan, coalesce(x.yuan, 0)
      FROM project_funds f LEFT JOIN allocated x ON x.project_id = f.project_id
     WHERE f.allocated_yuan <> coalesce(x.yuan, 0)
    UNION ALL
    SELECT 'project ' || f.project_id || ' committed', f.committed_yuan, coalesce(l.committed, 0)
      FROM project_funds f LEFT JOIN by_project l ON l.project_id = f.project_id
     WHERE f.committed_yuan <> coalesce(l.committed, 0)
    UNION ALL
    SELECT 'project ' || f.project_id || ' paid', f.paid_yuan, coalesce(l.paid, 0)
      FROM project_funds f LEFT JOIN by_project l ON l.project_id = f.project_id
     WHERE f.paid_yuan <> coalesce(l.paid, 0)
$$;
