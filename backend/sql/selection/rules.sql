-- A project's selection rules, the defaults where it has none. $1 project id.
SELECT coalesce(r.area_ratio, 1)::float8 AS area_ratio, coalesce(r.incentive_area, 0)::float8 AS incentive_area,
       coalesce(r.beyond_max_area, 10)::float8 AS beyond_max_area, coalesce(r.max_units, 2::smallint) AS max_units,
       r.unused_yuan_per_m2::float8 AS unused_yuan_per_m2, coalesce(r.order_by, 'signing') AS order_by,
       coalesce(r.recalls, 1::smallint) AS recalls, u.username AS updated_by, r.updated_at
  FROM (SELECT $1::bigint AS project_id) p
  LEFT JOIN selection_rules r ON r.project_id = p.project_id
  LEFT JOIN users u ON u.id = r.updated_by
