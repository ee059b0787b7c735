-- Entitlement demand against supply per 套型 for the projects $1 (ids), across the estates each
-- draws on (types of the same name and area are one): each household still to choose (signed,
-- property swap, not settled) wants the type whose area is nearest its entitled area (the
-- smaller on a tie); supply is that type's units still available. demand > supply is a shortfall.
WITH types AS (
    SELECT pe.project_id, ut.name, ut.area, count(u.id) FILTER (WHERE u.status = 'available') AS supply, count(u.id) AS units
      FROM project_estates pe JOIN estate_unit_types ut ON ut.estate_id = pe.estate_id
      LEFT JOIN estate_units u ON u.type_id = ut.id
     WHERE pe.project_id = ANY ($1)
     GROUP BY pe.project_id, ut.name, ut.area
), wanting AS (
    SELECT a.project_id, round(coalesce(a.recorded_area, h.recorded_area) * coalesce(r.area_ratio, 1) + coalesce(r.incentive_area, 0), 2) AS entitled
      FROM agreements a JOIN households h ON h.id = a.household_id
      LEFT JOIN selection_rules r ON r.project_id = a.project_id
     WHERE a.project_id = ANY ($1) AND a.voided_at IS NULL AND h.resettlement = 'property_swap'
       AND NOT EXISTS (SELECT 1 FROM swap_settlements s WHERE s.household_id = a.household_id)
), wants AS (
    SELECT w.project_id, (SELECT t.name || '|' || t.area FROM types t WHERE t.project_id = w.project_id
                           ORDER BY abs(t.area - w.entitled), t.area, t.name LIMIT 1) AS type_key
      FROM wanting w
)
SELECT t.project_id, p.code AS project_code, p.name AS project_name, r.code AS region_code, t.name, t.area::float8 AS area,
       t.units, t.supply, (SELECT count(*) FROM wants w WHERE w.project_id = t.project_id AND w.type_key = t.name || '|' || t.area) AS demand
  FROM types t JOIN projects p ON p.id = t.project_id JOIN regions r ON r.id = p.region_id
 ORDER BY p.code, t.area, t.name
