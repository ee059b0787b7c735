-- A household's compensation as staff, exports and the resident see it: a signed household's
-- as its agreement holds it, the others' as if they signed `today`; a settled selection (选房)
-- adds its swap money (差价结算, swap_settlements) as a line of its own.
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
                                              a.incentive_yuan, a.incentive_until) END
                 || CASE WHEN s.household_id IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(jsonb_build_object(
                        'key', 'swap', 'zh', '产权调换差价', 'yuan', s.swap_yuan, 'owed_yuan', a.owed_yuan,
                        'basis', format('应享安置面积 %s m²，选定 %s m²：面积内 %s m² 按安置价 %s 元，超出 %s m² 按市场价 %s 元，'
                                        || '未用 %s m² × %s 元/m² = %s 元，房屋补偿 %s 元转作安置',
                                        s.entitled_area, s.chosen_area, s.within_area, s.within_yuan, s.beyond_area, s.beyond_yuan,
                                        s.unused_area, s.unused_yuan_per_m2, s.unused_yuan, s.house_yuan))) END,
        'computed_yuan', coalesce(a.computed_yuan, c.computed_yuan),
        'override', (SELECT json_build_object('yuan', o.yuan, 'reason', o.reason, 'by', u.username, 'at', o.at)
                       FROM compensation_overrides o LEFT JOIN users u ON u.id = o.user_id WHERE o.household_id = h_id),
        'total_yuan', coalesce(a.yuan, c.total_yuan))
      FROM compensation(h_id, today) c
      LEFT JOIN agreements a ON a.household_id = h_id AND a.voided_at IS NULL
      LEFT JOIN swap_settlements s ON s.household_id = a.household_id
$$;
