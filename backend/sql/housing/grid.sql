-- An estate's 楼盘表: its types and, per building (栋), the columns (单元-室 position) and every
-- unit with its status; no household (staff answers add holders.sql). Readable by onemap_public.
-- Parameters: $1 = the estate's code (text). No row when there is no such estate.
SELECT json_build_object(
           'code', e.code,
           'name', e.name,
           'region_code', r.code,
           'region_name', r.name,
           'address', e.address,
           'delivery_planned', e.delivery_planned,
           'types', (SELECT coalesce(json_agg(json_build_object('code', t.code, 'name', t.name, 'area', t.area,
                                                                'floor_plan', t.floor_plan_sha256 IS NOT NULL) ORDER BY t.code), '[]')
                       FROM estate_unit_types t WHERE t.estate_id = e.id),
           'buildings', (SELECT coalesce(json_agg(json_build_object(
                   'id', b.id,
                   'code', b.code,
                   'floors', b.floors,
                   'units', (SELECT json_agg(json_build_array(u.id, u.entrance, u.floor, u.room, t.code, u.area, u.status,
                                                              u.price_per_m2, u.orientation)
                                             ORDER BY u.floor DESC, u.entrance, u.room)
                               FROM estate_units u JOIN estate_unit_types t ON t.id = u.type_id
                              WHERE u.building_id = b.id)
               ) ORDER BY length(b.code), b.code), '[]')
               FROM estate_buildings b WHERE b.estate_id = e.id),
           'unit_fields', json_build_array('id', 'entrance', 'floor', 'room', 'type', 'area', 'status', 'price_per_m2', 'orientation')
       )
  FROM estates e JOIN regions r ON r.id = e.region_id
 WHERE e.code = $1
