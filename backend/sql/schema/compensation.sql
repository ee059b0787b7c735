-- The one computation of a household's compensation, signing on `signed_on`.
CREATE OR REPLACE FUNCTION compensation(h_id bigint, signed_on date)
RETURNS TABLE (use text, legality text, recorded_area numeric, rate_yuan_per_m2 numeric,
               house_yuan numeric, relocation_yuan numeric, transition_yuan numeric,
               transition_yuan_per_m2_month numeric, transition_months smallint,
               incentive_yuan numeric, incentive_until date, computed_yuan numeric,
               override_yuan numeric, total_yuan numeric)
LANGUAGE sql STABLE AS $$
    SELECT c.use, c.legality, c.recorded_area, c.rate_yuan_per_m2, c.house_yuan, c.relocation_yuan, c.transition_yuan,
           c.transition_yuan_per_m2_month, c.transition_months, c.incentive_yuan, c.incentive_until,
           c.house_yuan + c.relocation_yuan + c.transition_yuan + c.incentive_yuan,
           o.yuan, coalesce(o.yuan, c.house_yuan + c.relocation_yuan + c.transition_yuan + c.incentive_yuan)
      FROM (SELECT h.id, b.use, b.legality, h.recorded_area, coalesce(r.yuan_per_m2, 0) AS rate,
                   round(h.recorded_area * coalesce(r.yuan_per_m2, 0), 2) AS house_yuan,
                   coalesce(s.relocation_yuan, 0) AS relocation_yuan,
                   round(h.recorded_area * coalesce(s.transition_yuan_per_m2_month, 0) * coalesce(s.transition_months, 0), 2) AS transition_yuan,
                   coalesce(s.transition_yuan_per_m2_month, 0) AS per_month, coalesce(s.transition_months, 0::smallint) AS months,
                   coalesce(i.yuan, 0) AS incentive_yuan, i.until
              FROM households h
              JOIN buildings b ON b.id = h.building_id
              LEFT JOIN compensation_standards s ON s.project_id = b.project_id
              LEFT JOIN compensation_rates r ON r.project_id = b.project_id AND r.use = b.use AND r.legality = b.legality
              LEFT JOIN LATERAL (SELECT yuan, until FROM compensation_incentives ci
                                  WHERE ci.project_id = b.project_id AND ci.until >= signed_on
                                  ORDER BY ci.until LIMIT 1) i ON true
             WHERE h.id = h_id) c(id, use, legality, recorded_area, rate_yuan_per_m2, house_yuan, relocation_yuan,
                                  transition_yuan, transition_yuan_per_m2_month, transition_months, incentive_yuan, incentive_until)
      LEFT JOIN compensation_overrides o ON o.household_id = c.id
$$;
