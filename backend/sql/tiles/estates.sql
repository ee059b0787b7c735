-- Tile features of the `estates` layer: resettlement estates (安置小区) with their units by
-- status (never who holds them). Parameters: $1 = z, $2 = x, $3 = y; CTE `tile` as in
-- regions.sql; geometry EPSG:3857. A unit's status event evicts the estate's tiles.
SELECT e.id,
       e.code,
       e.name,
       r.code AS region_code,
       e.delivery_planned::text AS delivery_planned,
       count(u.id) AS units,
       count(u.id) FILTER (WHERE u.status = 'available') AS available,
       count(u.id) FILTER (WHERE u.status = 'reserved') AS reserved,
       count(u.id) FILTER (WHERE u.status = 'selected') AS selected,
       count(u.id) FILTER (WHERE u.status = 'contracted') AS contracted,
       count(u.id) FILTER (WHERE u.status = 'delivered') AS delivered,
       e.geom_3857
  FROM estates e
  JOIN tile ON e.geom_3857 && tile.search
  JOIN regions r ON r.id = e.region_id
  LEFT JOIN estate_units u ON u.estate_id = e.id
 GROUP BY e.id, r.code
