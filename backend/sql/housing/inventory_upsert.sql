-- Writes an inventory import into estate $1: buildings (floors grow to the highest floor given),
-- 套型 (new ones with the area and name of their first row; existing ones unchanged) and units, inserted or updated by
-- 栋-单元-层-室. A unit's status changes only between 可选 and 保留 and only while it holds no
-- household: the status trigger records each change. Returns per unit written: inserted or not.
-- Parameters: $1 = the estate's id (integer), $2 = the rows (jsonb array of objects: building,
-- entrance, floor, room, type, type_name, area, price, market_price, orientation, status).
WITH rows AS (
    SELECT r.* FROM jsonb_to_recordset($2) AS r (building text, entrance smallint, floor smallint, room text, type text,
        type_name text, area numeric, price numeric, market_price numeric, orientation text, status unit_status)
), buildings AS (
    INSERT INTO estate_buildings (estate_id, code, floors)
    SELECT $1, building, max(floor) FROM rows GROUP BY building
    ON CONFLICT (estate_id, code) DO UPDATE SET floors = greatest(estate_buildings.floors, excluded.floors)
    RETURNING id, code
), types AS (
    INSERT INTO estate_unit_types (estate_id, code, name, area)
    SELECT DISTINCT ON (type) $1, type, coalesce(type_name, type), area FROM rows ORDER BY type
    -- an existing type keeps its name and area (a no-op update, so that RETURNING names it)
    ON CONFLICT (estate_id, code) DO UPDATE SET name = estate_unit_types.name
    RETURNING id, code
)
INSERT INTO estate_units AS u (estate_id, building_id, entrance, floor, room, type_id, area, price_per_m2, market_price_per_m2,
                               orientation, status)
SELECT $1, b.id, r.entrance, r.floor, r.room, t.id, r.area, r.price, r.market_price, r.orientation, r.status
  FROM rows r JOIN buildings b ON b.code = r.building JOIN types t ON t.code = r.type
ON CONFLICT (building_id, entrance, floor, room) DO UPDATE
   SET type_id = excluded.type_id, area = excluded.area, price_per_m2 = excluded.price_per_m2,
       market_price_per_m2 = excluded.market_price_per_m2, orientation = excluded.orientation,
       status = CASE WHEN u.status IN ('available', 'reserved') THEN excluded.status ELSE u.status END
RETURNING xmax = 0
