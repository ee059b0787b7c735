-- The demo's 安置小区: one estate per cluster of about four projects of a district (neighbours in
-- geohash order), placed on free land beside them, sized for about a third of their households
-- (the share that swaps a house for a flat), with three 套型 (≈60/90/120 m²), 11–33 floors and
-- 2–4 units per floor and 单元. The swap households that signed hold units in their project's
-- estate: selected some weeks after signing, contracted days later, delivered once the estate
-- was handed over, as of the demo's date; the rest stays available, one in fifty reserved.
-- Deterministic: every draw is a hash of codes. Runs during the bulk load (onemap.as_of set).
CREATE TEMP TABLE demo_clusters ON COMMIT DROP AS
WITH placed AS (
    SELECT p.id, p.code, p.start_date, d.id AS district_id, d.code AS district_code,
           ST_PointOnSurface(p.geom_3857) AS centre, f.households
      FROM projects p
      JOIN project_figures f ON f.project_id = p.id
      JOIN regions c ON c.id = p.region_id
      JOIN regions d ON d.id = ANY (c.lineage) AND d.level = 'district'
), numbered AS (
    SELECT placed.*, count(*) OVER (PARTITION BY district_id) AS in_district,
           row_number() OVER (PARTITION BY district_id ORDER BY ST_GeoHash(ST_Transform(centre, 4326), 8), id) - 1 AS n
      FROM placed
)
SELECT district_id, district_code, n / 4 AS cluster, array_agg(id ORDER BY id) AS projects,
       ST_Centroid(ST_Collect(centre)) AS centre, sum(households) AS households, min(start_date) AS start_date
  FROM numbered
 GROUP BY district_id, district_code, n / 4;

-- each estate on the first free spot around its cluster: no project nor earlier estate within
-- 60 m, inside the district (a ring of candidates 400 m to 2 km out, eight directions each)
CREATE TEMP TABLE demo_estate_sites (district_id integer, cluster bigint, site geometry) ON COMMIT DROP;
DO $$
DECLARE
    c record;
    chosen geometry;
BEGIN
    FOR c IN SELECT * FROM demo_clusters ORDER BY district_id, cluster LOOP
        SELECT box INTO chosen
          FROM (SELECT ST_Expand(ST_Translate(c.centre, r * cos(a), r * sin(a)), 120, 90) AS box, r, a
                  FROM unnest(ARRAY[400, 700, 1000, 1400, 2000]) r,
                       generate_series(0, 7) k, LATERAL (SELECT radians(k * 45 + 22.5 * (c.cluster % 2))) angle (a)) cand
          JOIN regions d ON d.id = c.district_id
         WHERE ST_Contains(d.geom_3857, cand.box)
           AND NOT EXISTS (SELECT 1 FROM projects p WHERE p.geom_3857 && ST_Expand(cand.box, 60)
                              AND ST_DWithin(p.geom_3857, cand.box, 60))
           AND NOT EXISTS (SELECT 1 FROM demo_estate_sites s WHERE ST_DWithin(s.site, cand.box, 60))
         ORDER BY r, a
         LIMIT 1;
        IF chosen IS NOT NULL THEN
            INSERT INTO demo_estate_sites VALUES (c.district_id, c.cluster, chosen);
        END IF;
    END LOOP;
END
$$;

INSERT INTO estates (code, name, region_id, address, delivery_planned, geom)
SELECT 'AZ-' || c.district_code || '-' || lpad((c.cluster + 1)::text, 3, '0'),
       (ARRAY['桃源新村', '锦绣家园', '和顺苑', '安居华庭', '康乐苑', '滨江花园', '清风雅苑', '丽景新城', '福泽园',
              '嘉禾小区', '春晖苑', '永安里'])[1 + (g.n % 12)]
           || CASE WHEN g.n >= 12 THEN (g.n / 12 + 1)::text || '期' ELSE '' END,
       coalesce((SELECT cm.id FROM regions cm
                  WHERE cm.level = 'community' AND ST_Intersects(cm.geom, ST_Transform(ST_Centroid(s.site), 4326))
                  ORDER BY cm.id LIMIT 1), c.district_id),
       (SELECT d.name FROM regions d WHERE d.id = c.district_id) || '安置区' || (c.cluster + 1)::text || '号地块',
       c.start_date + 360 + (abs(hashtext(c.district_code || c.cluster)) % 90),
       ST_Multi(ST_Transform(ST_SetSRID(s.site, 3857), 4326))
  FROM demo_clusters c
  JOIN demo_estate_sites s USING (district_id, cluster)
 CROSS JOIN LATERAL (SELECT count(*) AS n FROM demo_clusters o
                      WHERE (o.district_id, o.cluster) < (c.district_id, c.cluster)) g
 ORDER BY c.district_id, c.cluster;

INSERT INTO project_estates (project_id, estate_id)
SELECT unnest(c.projects), e.id
  FROM demo_clusters c
  JOIN estates e ON e.code = 'AZ-' || c.district_code || '-' || lpad((c.cluster + 1)::text, 3, '0');

INSERT INTO estate_unit_types (estate_id, code, name, area)
SELECT e.id, t.code, t.name, t.area + (abs(hashtext(e.code || t.code)) % 300) / 100.0 - 1.5
  FROM estates e
 CROSS JOIN (VALUES ('A', '两室一厅', 60.0), ('B', '三室两厅', 90.0), ('C', '四室两厅', 120.0)) t (code, name, area);

-- buildings for a third of the cluster's households (at least three, at most sixteen)
WITH sized AS (
    SELECT e.id, e.code, c.households FROM estates e
      JOIN demo_clusters c ON e.code = 'AZ-' || c.district_code || '-' || lpad((c.cluster + 1)::text, 3, '0')
)
INSERT INTO estate_buildings (estate_id, code, floors)
SELECT s.id, n::text || '栋', 11 + abs(hashtext(s.code || n)) % 23
  FROM sized s
 CROSS JOIN LATERAL generate_series(1, greatest(3, least(16, ceil(s.households / 3.0 / 120)::integer))) n;

-- 2–4 units per floor and 单元, 1–2 单元: the end units the large type, the middle the small
INSERT INTO estate_units (estate_id, building_id, entrance, floor, room, type_id, area, price_per_m2, market_price_per_m2,
                          orientation, status, status_at)
SELECT b.estate_id, b.id, en, fl, fl::text || lpad(k::text, 2, '0'), t.id, t.area,
       base.price + 20 * least(fl, 20), base.price * 2.2 + 40 * least(fl, 20),
       CASE WHEN k = 1 THEN '东南' WHEN k = per THEN '西南' ELSE '南北' END,
       'available', e.created_at
  FROM estate_buildings b
  JOIN estates e ON e.id = b.estate_id
  JOIN regions r ON r.id = e.region_id
 CROSS JOIN LATERAL (SELECT 2 + abs(hashtext(b.id || 'per')) % 3 AS per, 1 + abs(hashtext(b.id || 'en')) % 2 AS entrances) shape
 CROSS JOIN LATERAL (SELECT CASE WHEN r.code LIKE '3306%' THEN 6200 ELSE 3800 END AS price) base
 CROSS JOIN LATERAL generate_series(1, shape.entrances) en
 CROSS JOIN LATERAL generate_series(1, b.floors) fl
 CROSS JOIN LATERAL generate_series(1, shape.per) k
  JOIN estate_unit_types t ON t.estate_id = b.estate_id
   AND t.code = CASE WHEN k = 1 THEN 'C' WHEN k = shape.per THEN 'B' ELSE 'A' END;

-- the signed swap households take units of their project's estate in signing order, each a
-- type near its recorded area, units of a type in a scattered order (as households choose)
CREATE TEMP TABLE demo_unit_holders ON COMMIT DROP AS
WITH latest AS (
    SELECT least(max(at), (current_setting('onemap.as_of')::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai') AS at
      FROM status_events
), first_signed AS (
    -- one pass over the history (it has no secondary index during the bulk load)
    SELECT household_id, min(at) AS at FROM status_events
     WHERE household_id IS NOT NULL AND to_status = 'signed'
     GROUP BY household_id
), signers AS (
    SELECT h.id AS household_id, pe.estate_id,
           CASE WHEN h.recorded_area < 90 THEN 'A' WHEN h.recorded_area < 160 THEN 'B' ELSE 'C' END AS type_code,
           fs.at AS signed_at
      FROM households h
      JOIN buildings b ON b.id = h.building_id
      JOIN project_estates pe ON pe.project_id = b.project_id
      LEFT JOIN first_signed fs ON fs.household_id = h.id
     WHERE h.resettlement = 'property_swap' AND h.status >= 'signed'
), ranked_households AS (
    SELECT s.*, row_number() OVER (PARTITION BY s.estate_id, s.type_code ORDER BY s.signed_at, s.household_id) AS n
      FROM signers s
), ranked_units AS (
    SELECT u.id AS unit_id, u.estate_id, t.code AS type_code,
           row_number() OVER (PARTITION BY u.estate_id, t.code ORDER BY hashtext(u.id::text), u.id) AS n
      FROM estate_units u JOIN estate_unit_types t ON t.id = u.type_id
)
SELECT ru.unit_id, rh.household_id, e.delivery_planned,
       rh.signed_at + make_interval(days => 20 + abs(hashtext(rh.household_id::text)) % 25) AS selected_at,
       latest.at AS latest
  FROM ranked_households rh
  JOIN ranked_units ru USING (estate_id, type_code, n)
  JOIN estates e ON e.id = rh.estate_id
 CROSS JOIN latest
 WHERE rh.signed_at IS NOT NULL;

CREATE TEMP TABLE demo_unit_steps ON COMMIT DROP AS
SELECT h.unit_id, h.household_id, s.from_status, s.to_status, s.at
  FROM demo_unit_holders h
 CROSS JOIN LATERAL (VALUES
        ('available'::unit_status, 'selected'::unit_status, h.selected_at),
        ('selected', 'contracted', h.selected_at + make_interval(days => 3 + h.household_id::integer % 8)),
        ('contracted', 'delivered',
         greatest(h.selected_at + interval '30 days',
                  (h.delivery_planned + (h.household_id % 50)::integer - 15)::timestamp AT TIME ZONE 'Asia/Shanghai'))
    ) s (from_status, to_status, at)
 WHERE s.at <= h.latest;

-- the history is written as it happened: the status triggers would date it today
ALTER TABLE estate_units DISABLE TRIGGER USER;

INSERT INTO unit_status_events (unit_id, from_status, to_status, household_id, at)
SELECT unit_id, from_status, to_status, household_id, at FROM demo_unit_steps ORDER BY at, unit_id, to_status;

UPDATE estate_units u SET status = last.to_status, status_at = last.at, household_id = last.household_id
  FROM (SELECT DISTINCT ON (unit_id) unit_id, household_id, to_status, at FROM demo_unit_steps ORDER BY unit_id, at DESC) last
 WHERE last.unit_id = u.id;

-- one in fifty of what is left is held back (保留房源: for the disabled, for errors)
UPDATE estate_units u SET status = 'reserved'
 WHERE u.status = 'available' AND abs(hashtext(u.id::text || 'keep')) % 50 = 0;

ALTER TABLE estate_units ENABLE TRIGGER USER;
