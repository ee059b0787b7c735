-- What keeps project $1 from being settled: its steps not done or waived (windows run by
-- themselves), households not demolished, parcels not delivered, payment batches still on
-- their way, agreements not paid in full, objections not answered. One row of counts, with the
-- first open steps' names.
SELECT
    (SELECT count(*) FROM project_steps s
       JOIN project_procedures pp ON pp.project_id = s.project_id
       JOIN procedure_template_steps t ON t.template_id = pp.template_id AND t.key = s.key
      WHERE s.project_id = $1 AND NOT t.is_window AND s.state NOT IN ('done', 'waived')) AS steps,
    (SELECT coalesce(string_agg(name, '、' ORDER BY seq), '') FROM (
        SELECT t.name, t.seq FROM project_steps s
          JOIN project_procedures pp ON pp.project_id = s.project_id
          JOIN procedure_template_steps t ON t.template_id = pp.template_id AND t.key = s.key
         WHERE s.project_id = $1 AND NOT t.is_window AND s.state NOT IN ('done', 'waived')
         ORDER BY t.seq LIMIT 3) first) AS step_names,
    (SELECT count(*) FROM households h JOIN buildings b ON b.id = h.building_id
      WHERE b.project_id = $1 AND h.status <> 'demolished') AS households,
    (SELECT count(*) FROM parcels WHERE project_id = $1 AND land_status <> 'delivered') AS parcels,
    (SELECT count(*) FROM payment_batches WHERE project_id = $1 AND status NOT IN ('paid', 'returned')) AS batches,
    (SELECT count(*) FROM agreements WHERE project_id = $1 AND voided_at IS NULL AND paid_yuan < yuan) AS unpaid,
    (SELECT count(*) FROM objections o JOIN households h ON h.id = o.household_id JOIN buildings b ON b.id = h.building_id
      WHERE b.project_id = $1 AND o.status = 'open') AS objections
