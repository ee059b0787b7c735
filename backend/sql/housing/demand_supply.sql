-- The supply side of demand against supply for the projects $1 (ids): each 套型 (one name and
-- area across estates) of the estates they draw on, every unit counted once however many
-- projects share its estate. The demand side is selection/demand.sql's, summed per type.
SELECT ut.name, ut.area::float8 AS area, count(u.id) AS units, count(u.id) FILTER (WHERE u.status = 'available') AS supply
  FROM estate_unit_types ut LEFT JOIN estate_units u ON u.type_id = ut.id
 WHERE ut.estate_id IN (SELECT estate_id FROM project_estates WHERE project_id = ANY ($1))
 GROUP BY ut.name, ut.area
 ORDER BY ut.area, ut.name
