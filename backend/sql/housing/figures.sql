-- The housing figures of the cockpit, wall and phone: units by status per estate and per 套型,
-- and days to deliver (selected → delivered, from the unit status events) against each estate's
-- planned delivery. No household appears. Readable by onemap_app (the screens' figures).
-- Parameters: $1 = a region code to keep the estates within (text, NULL for all),
--             $2 = the day the figures are as of (date: units past planned delivery count late).
WITH chosen AS (
    SELECT e.* FROM estates e JOIN regions r ON r.id = e.region_id
     WHERE $1::text IS NULL OR EXISTS (SELECT 1 FROM regions s WHERE s.code = $1 AND s.id = ANY (r.lineage))
), units AS (
    SELECT u.id, u.estate_id, t.code AS type_code, t.name AS type_name, t.area AS type_area, u.status
      FROM estate_units u JOIN chosen c ON c.id = u.estate_id JOIN estate_unit_types t ON t.id = u.type_id
), deliveries AS (
    -- each delivered unit: days from its last selection to its delivery, and how late against the plan
    SELECT u.estate_id, u.type_code,
           extract(epoch FROM d.at - s.at) / 86400 AS days,
           (d.at AT TIME ZONE 'Asia/Shanghai')::date - c.delivery_planned AS late_days
      FROM units u
      JOIN chosen c ON c.id = u.estate_id
      JOIN LATERAL (SELECT max(at) AS at FROM unit_status_events x WHERE x.unit_id = u.id AND x.to_status = 'delivered') d ON d.at IS NOT NULL
      JOIN LATERAL (SELECT max(at) AS at FROM unit_status_events x
                     WHERE x.unit_id = u.id AND x.to_status = 'selected' AND x.at <= d.at) s ON s.at IS NOT NULL
     WHERE u.status = 'delivered'
), per_estate AS (
    SELECT c.id, c.code, c.name, c.delivery_planned,
           count(u.id) AS units,
           count(u.id) FILTER (WHERE u.status = 'available') AS available,
           count(u.id) FILTER (WHERE u.status = 'reserved') AS reserved,
           count(u.id) FILTER (WHERE u.status = 'selected') AS selected,
           count(u.id) FILTER (WHERE u.status = 'contracted') AS contracted,
           count(u.id) FILTER (WHERE u.status = 'delivered') AS delivered,
           -- chosen but not yet handed over past the planned day: the late deliveries still open
           count(u.id) FILTER (WHERE u.status IN ('selected', 'contracted') AND c.delivery_planned < $2) AS overdue
      FROM chosen c LEFT JOIN units u ON u.estate_id = c.id
     GROUP BY c.id, c.code, c.name, c.delivery_planned
)
SELECT json_build_object(
    'totals', (SELECT json_build_object(
                   'estates', count(*), 'units', coalesce(sum(units), 0), 'available', coalesce(sum(available), 0),
                   'reserved', coalesce(sum(reserved), 0), 'selected', coalesce(sum(selected), 0),
                   'contracted', coalesce(sum(contracted), 0), 'delivered', coalesce(sum(delivered), 0),
                   'overdue', coalesce(sum(overdue), 0),
                   'days_to_deliver', (SELECT round(avg(days)::numeric, 1) FROM deliveries),
                   'late_days', (SELECT round(avg(late_days)::numeric, 1) FROM deliveries))
                 FROM per_estate),
    'estates', (SELECT coalesce(json_agg(json_build_object(
                    'code', p.code, 'name', p.name, 'delivery_planned', p.delivery_planned,
                    'units', p.units, 'available', p.available, 'reserved', p.reserved, 'selected', p.selected,
                    'contracted', p.contracted, 'delivered', p.delivered, 'overdue', p.overdue,
                    'days_to_deliver', (SELECT round(avg(d.days)::numeric, 1) FROM deliveries d WHERE d.estate_id = p.id),
                    'late_days', (SELECT round(avg(d.late_days)::numeric, 1) FROM deliveries d WHERE d.estate_id = p.id)
                ) ORDER BY p.code), '[]') FROM per_estate p),
    'types', (SELECT coalesce(json_agg(t ORDER BY t.code), '[]') FROM (
                  SELECT u.type_code AS code, min(u.type_name) AS name, round(avg(u.type_area), 1) AS area, count(*) AS units,
                         count(*) FILTER (WHERE u.status = 'available') AS available,
                         count(*) FILTER (WHERE u.status = 'reserved') AS reserved,
                         count(*) FILTER (WHERE u.status = 'selected') AS selected,
                         count(*) FILTER (WHERE u.status = 'contracted') AS contracted,
                         count(*) FILTER (WHERE u.status = 'delivered') AS delivered,
                         (SELECT round(avg(d.days)::numeric, 1) FROM deliveries d WHERE d.type_code = u.type_code) AS days_to_deliver
                    FROM units u GROUP BY u.type_code) t)
)
