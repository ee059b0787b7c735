-- The units of the estates project $1 draws on, for the console's picker (the 楼盘表's own grid
-- is the inventory's): label 栋-单元-室, type, area, prices, status.
SELECT json_agg(json_build_object('id', u.id, 'estate', e.name, 'building', b.code, 'entrance', u.entrance, 'floor', u.floor,
                                  'room', u.room, 'type', ut.name, 'type_code', ut.code, 'area', u.area,
                                  'price_per_m2', u.price_per_m2, 'market_price_per_m2', u.market_price_per_m2,
                                  'orientation', u.orientation, 'status', u.status)
                ORDER BY e.name, b.code, u.entrance, u.floor, u.room)
  FROM project_estates pe JOIN estates e ON e.id = pe.estate_id
  JOIN estate_units u ON u.estate_id = e.id
  JOIN estate_buildings b ON b.id = u.building_id
  JOIN estate_unit_types ut ON ut.id = u.type_id
 WHERE pe.project_id = $1
