-- Saves a project's selection rules. $1 project, $2 ratio, $3 incentive area, $4 beyond max area,
-- $5 max units, $6 unused yuan/m² (NULL: the household's rate), $7 order, $8 recalls, $9 user.
INSERT INTO selection_rules AS r (project_id, area_ratio, incentive_area, beyond_max_area, max_units, unused_yuan_per_m2,
                                  order_by, recalls, updated_by, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())
ON CONFLICT (project_id) DO UPDATE
   SET (area_ratio, incentive_area, beyond_max_area, max_units, unused_yuan_per_m2, order_by, recalls, updated_by, updated_at)
     = (EXCLUDED.area_ratio, EXCLUDED.incentive_area, EXCLUDED.beyond_max_area, EXCLUDED.max_units, EXCLUDED.unused_yuan_per_m2,
        EXCLUDED.order_by, EXCLUDED.recalls, EXCLUDED.updated_by, now())
