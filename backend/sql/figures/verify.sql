-- Every difference between the maintained figures and their recount from scratch (the
-- *_recount views of migration 0006); no rows = all equal. Counts must match exactly, land
-- areas (sums of floating point areas, added in another order) to the centimetre.
WITH kept_project AS (SELECT * FROM project_figures), fresh_project AS (SELECT * FROM project_figures_recount),
kept_region AS (SELECT * FROM region_figures), fresh_region AS (SELECT * FROM region_figures_recount),
kept_daily AS (SELECT * FROM daily_figures WHERE (surveyed, signed, vacated, demolished, monetary) <> (0, 0, 0, 0, 0)
                  OR abs(land_acquired_m2) > 0.01 OR abs(land_delivered_m2) > 0.01),
fresh_daily AS (SELECT * FROM daily_figures_recount WHERE (surveyed, signed, vacated, demolished, monetary) <> (0, 0, 0, 0, 0)
                  OR abs(land_acquired_m2) > 0.01 OR abs(land_delivered_m2) > 0.01)
SELECT 'project_figures' AS what, coalesce(k.project_id, f.project_id)::text AS subject,
       format('kept %s; recount %s', k, f) AS difference
  FROM kept_project k FULL JOIN fresh_project f USING (project_id)
 WHERE (k.buildings, k.buildings_demolished, k.households, k.surveyed, k.signed, k.vacated, k.demolished, k.monetary, k.difficult)
       IS DISTINCT FROM (f.buildings::integer, f.buildings_demolished::integer, f.households::integer, f.surveyed::integer,
                         f.signed::integer, f.vacated::integer, f.demolished::integer, f.monetary::integer, f.difficult::integer)
    OR abs(k.floor_area - f.floor_area) > 0.01 OR abs(k.land_acquired_m2 - f.land_acquired_m2) > 0.01
    OR abs(k.land_delivered_m2 - f.land_delivered_m2) > 0.01 OR k.project_id IS NULL OR f.project_id IS NULL
UNION ALL
SELECT 'region_figures', coalesce(k.region_id, f.region_id)::text, format('kept %s; recount %s', k, f)
  FROM kept_region k FULL JOIN fresh_region f USING (region_id)
 WHERE (k.projects, k.households, k.surveyed, k.signed, k.vacated, k.demolished, k.monetary, k.difficult, k.buildings_demolished)
       IS DISTINCT FROM (f.projects::integer, f.households::integer, f.surveyed::integer, f.signed::integer, f.vacated::integer,
                         f.demolished::integer, f.monetary::integer, f.difficult::integer, f.buildings_demolished::integer)
    OR abs(k.land_acquired_m2 - f.land_acquired_m2) > 0.01 OR abs(k.land_delivered_m2 - f.land_delivered_m2) > 0.01
    OR k.region_id IS NULL OR f.region_id IS NULL
UNION ALL
SELECT 'daily_figures', coalesce(k.project_id, f.project_id) || ' ' || coalesce(k.day, f.day), format('kept %s; recount %s', k, f)
  FROM kept_daily k FULL JOIN fresh_daily f USING (project_id, day)
 WHERE (k.surveyed, k.signed, k.vacated, k.demolished, k.monetary)
       IS DISTINCT FROM (f.surveyed::integer, f.signed::integer, f.vacated::integer, f.demolished::integer, f.monetary::integer)
    OR abs(coalesce(k.land_acquired_m2, 0) - coalesce(f.land_acquired_m2, 0)) > 0.01
    OR abs(coalesce(k.land_delivered_m2, 0) - coalesce(f.land_delivered_m2, 0)) > 0.01
UNION ALL
SELECT 'project_activity', coalesce(k.project_id, d.project_id)::text, format('kept last day %s; history says %s', k.last_day, d.last_day)
  FROM project_activity k FULL JOIN (SELECT project_id, max(day) AS last_day FROM daily_figures GROUP BY project_id) d USING (project_id)
 WHERE k.last_day IS DISTINCT FROM d.last_day
UNION ALL
SELECT 'buildings', b.id::text, format('status %s, least advanced household %s; households %s, counted %s', b.status, m.status, b.households, m.n)
  FROM buildings b JOIN (SELECT building_id, min(status) AS status, count(*) AS n FROM households GROUP BY building_id) m ON m.building_id = b.id
 WHERE b.status <> m.status OR b.households <> m.n
ORDER BY 1, 2
