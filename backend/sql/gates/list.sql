-- A project's gates ($1 = project id) as the API answers them: each gate open or shut, the
-- step that opens it with its state, the funds (signing only) and the admin override in force.
SELECT coalesce(json_agg(json_build_object(
           'gate', w.gate,
           'open', s.open,
           'step', CASE WHEN s.step_key IS NOT NULL THEN
                       json_build_object('key', s.step_key, 'name', s.step_name, 'state', coalesce(s.step_state, 'not_started'), 'done', s.step_ok) END,
           'funds', CASE WHEN w.gate = 'signing' THEN
                       json_build_object('allocated', s.allocated_yuan, 'budget', s.budget_yuan, 'enough', s.funds_ok) END,
           'override', CASE WHEN o.id IS NOT NULL THEN
                       json_build_object('id', o.id, 'reason', o.reason, 'by', u.username, 'at', o.at) END)
         ORDER BY w.gate), '[]')
  FROM unnest(enum_range(NULL::step_gate)) w (gate)
 CROSS JOIN LATERAL gate_state($1, w.gate) s
  LEFT JOIN gate_overrides o ON o.id = s.override_id
  LEFT JOIN users u ON u.id = o.user_id
