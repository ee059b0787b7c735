-- A household's compensation as staff, exports and the resident see it: a signed household's
-- as its agreement holds it, the others' as if they signed `today`.
CREATE OR REPLACE FUNCTION compensation_detail(h_id bigint, today date) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'signed_on', coalesce((a.signed_at AT TIME ZONE 'Asia/Shanghai')::date, today),
        'projected', a.household_id IS NULL,
        'lines', CASE WHEN a.household_id IS NULL
                      THEN compensation_lines(c.use, c.legality, c.recorded_area, c.rate_yuan_per_m2, c.house_yuan, c.relocation_yuan,
                                              c.transition_yuan, c.transition_yuan_per_m2_month, c.transition_months,
                                              c.incentive_yuan, c.incentive_until)
                      ELSE compensation_lines(a.use, a.legality, a.recorded_area, a.rate_yuan_per_m2, a.house_yuan, a.relocation_yuan,
                                              a.transition_yuan, a.transition_yuan_per_m2_month, a.transition_months,
                                              a.incentive_yuan, a.incentive_until) END,
        'computed_yuan', coalesce(a.computed_yuan, c.computed_yuan),
        'override', (SELECT json_build_object('yuan', o.yuan, 'reason', o.reason, 'by', u.username, 'at', o.at)
                       FROM compensation_overrides o LEFT JOIN users u ON u.id = o.user_id WHERE o.household_id = h_id),
        'total_yuan', coalesce(a.yuan, c.total_yuan))
      FROM compensation(h_id, today) c
      LEFT JOIN agreements a ON a.household_id = h_id AND a.voided_at IS NULL
$$;
