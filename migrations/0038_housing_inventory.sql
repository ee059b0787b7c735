-- The inventory's public face: the residents' role reads estates, their unit types, buildings
-- and units, but never the household a unit went to (the column is not granted), so no public
-- query can name one even by mistake.
GRANT SELECT ON estates, estate_unit_types, estate_buildings TO onemap_public;
GRANT SELECT (id, estate_id, building_id, entrance, floor, room, type_id, area, price_per_m2, market_price_per_m2,
              orientation, status, status_at)
   ON estate_units TO onemap_public;
