-- 补偿明细表 rows in one pass: signed households as their agreement holds them (what it was
-- computed on when signed), the others computed as if they signed today.
-- Parameters: $1 project id, $2 today (date, Beijing).
SELECT h.code AS household, b.code AS building, h.holder_name AS name, h.holder_id_number AS id_number,
       CASE WHEN a.household_id IS NULL THEN c.use ELSE a.use END AS building_use,
       CASE WHEN a.household_id IS NULL THEN c.legality ELSE a.legality END AS legality,
       (CASE WHEN a.household_id IS NULL THEN c.recorded_area ELSE a.recorded_area END)::float8 AS area,
       (CASE WHEN a.household_id IS NULL THEN c.rate_yuan_per_m2 ELSE a.rate_yuan_per_m2 END)::float8 AS rate,
       (CASE WHEN a.household_id IS NULL THEN c.house_yuan ELSE a.house_yuan END)::float8 AS house,
       (CASE WHEN a.household_id IS NULL THEN c.relocation_yuan ELSE a.relocation_yuan END)::float8 AS relocation,
       (CASE WHEN a.household_id IS NULL THEN c.transition_yuan ELSE a.transition_yuan END)::float8 AS transition,
       (CASE WHEN a.household_id IS NULL THEN c.incentive_yuan ELSE a.incentive_yuan END)::float8 AS incentive,
       (CASE WHEN a.household_id IS NULL THEN c.computed_yuan ELSE a.computed_yuan END)::float8 AS computed,
       o.yuan::float8 AS overridden, o.reason,
       -- 产权调换: the selection's swap money (差价结算) and what the household pays in (docs/selection.md)
       a.swap_yuan::float8 AS swap, a.owed_yuan::float8 AS owed,
       coalesce(a.yuan, c.total_yuan)::float8 AS total,
       to_char(a.signed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS signed, coalesce(a.paid_yuan, 0)::float8 AS paid
  FROM households h JOIN buildings b ON b.id = h.building_id
  LEFT JOIN agreements a ON a.household_id = h.id AND a.voided_at IS NULL
  LEFT JOIN compensation_overrides o ON o.household_id = h.id,
       LATERAL compensation(h.id, $2) c
 WHERE b.project_id = $1
 ORDER BY h.code
