-- 差价结算 of a confirmed selection (docs/selection.md): the units in the order chosen fill the
-- entitlement first (安置价), the rest is beyond it (市场价); unused entitlement is paid at the
-- rules' rate, else the household's own compensation rate; the house (house_yuan) is exchanged.
-- Inserting moves the agreement (trigger swap_settlements_reagree). NULL when the household has
-- no signed agreement. The console and the demo's selection days both settle through it.
CREATE OR REPLACE FUNCTION swap_settle(d_id bigint, h_id bigint, by_user integer) RETURNS json
LANGUAGE sql VOLATILE AS $$
    WITH q AS (
        SELECT entitled_area FROM selection_queue WHERE day_id = d_id AND household_id = h_id
    ), units AS (
        SELECT u.area, u.price_per_m2, u.market_price_per_m2,
               coalesce(sum(u.area) OVER (ORDER BY c.id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
          FROM selection_choices c JOIN estate_units u ON u.id = c.unit_id
         WHERE c.day_id = d_id AND c.household_id = h_id AND c.state = 'confirmed'
    ), split AS (
        SELECT u.area, greatest(0, least(u.area, q.entitled_area - u.before)) AS within, u.price_per_m2, u.market_price_per_m2
          FROM units u, q
    ), sums AS (
        SELECT coalesce(sum(area), 0) AS chosen, coalesce(sum(within), 0) AS within, coalesce(sum(area - within), 0) AS beyond,
               coalesce(sum(round(within * price_per_m2, 2)), 0) AS within_yuan,
               coalesce(sum(round((area - within) * market_price_per_m2, 2)), 0) AS beyond_yuan
          FROM split
    ), money AS (
        SELECT coalesce(r.unused_yuan_per_m2, a.rate_yuan_per_m2, 0) AS rate, coalesce(a.house_yuan, 0) AS house
          FROM agreements a LEFT JOIN selection_rules r ON r.project_id = a.project_id
         WHERE a.household_id = h_id AND a.voided_at IS NULL
    ), settled AS (
        SELECT q.entitled_area, s.chosen, s.within, s.beyond, q.entitled_area - s.within AS unused, s.within_yuan, s.beyond_yuan,
               m.rate, round((q.entitled_area - s.within) * m.rate, 2) AS unused_yuan, m.house
          FROM q, sums s, money m
    )
    INSERT INTO swap_settlements (household_id, day_id, entitled_area, chosen_area, within_area, beyond_area, unused_area,
                                  within_yuan, beyond_yuan, unused_yuan_per_m2, unused_yuan, house_yuan, swap_yuan, settled_by)
    SELECT h_id, d_id, entitled_area, chosen, within, beyond, unused, within_yuan, beyond_yuan, rate, unused_yuan, house,
           unused_yuan - within_yuan - beyond_yuan - house, by_user
      FROM settled
    RETURNING json_build_object('entitled_area', entitled_area, 'chosen_area', chosen_area, 'within_area', within_area,
                                'beyond_area', beyond_area, 'unused_area', unused_area, 'within_yuan', within_yuan,
                                'beyond_yuan', beyond_yuan, 'unused_yuan_per_m2', unused_yuan_per_m2, 'unused_yuan', unused_yuan,
                                'house_yuan', house_yuan, 'swap_yuan', swap_yuan)
$$;
