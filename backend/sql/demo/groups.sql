-- The demo's 工作组: each project's households held by two to six groups (one per ~120
-- households), each holding a band of buildings from west to east, as a 指挥部 splits a site
-- by streets. Runs during the bulk load, triggers off, so it sets the buildings' group itself.
WITH sizes AS (
    SELECT p.id AS project_id, p.start_date, coalesce(sum(b.households), 0) AS households
      FROM projects p LEFT JOIN buildings b ON b.project_id = p.id
     GROUP BY p.id
)
INSERT INTO work_groups (project_id, name, created_at)
SELECT s.project_id, '第' || (ARRAY['一', '二', '三', '四', '五', '六'])[n] || '工作组',
       s.start_date::timestamp AT TIME ZONE 'Asia/Shanghai'
  FROM sizes s
 CROSS JOIN LATERAL generate_series(1, greatest(2, least(6, ceil(s.households / 120.0)::integer))) n
 ORDER BY s.project_id, n;

WITH groups AS (
    SELECT project_id, count(*)::integer AS k, array_agg(id ORDER BY id) AS ids
      FROM work_groups GROUP BY project_id
), bands AS (
    SELECT b.id, g.ids[ntile(g.k) OVER (PARTITION BY b.project_id ORDER BY ST_XMin(b.geom), b.id)] AS group_id
      FROM buildings b JOIN groups g USING (project_id)
)
UPDATE buildings b SET group_id = bands.group_id FROM bands WHERE bands.id = b.id;

UPDATE households h SET group_id = b.group_id FROM buildings b WHERE b.id = h.building_id;

-- The assignment history: every household held by its group from the day the group began
-- (the project's start), except one in 25 of a project with several groups, held first by the
-- neighbouring band's group and handed over halfway through the work done so far, as a 指挥部
-- rebalances its groups; their earlier events rank with the earlier group.
WITH groups AS (
    SELECT project_id, array_agg(id ORDER BY id) AS ids FROM work_groups GROUP BY project_id
), latest AS (
    SELECT max(at) AS at FROM status_events
), held AS (
    SELECT h.id, h.group_id, g.created_at, gs.ids, array_position(gs.ids, h.group_id) AS n,
           g.created_at + (greatest(least(latest.at, (p.target_date::timestamp AT TIME ZONE 'Asia/Shanghai')), g.created_at)
                           - g.created_at) / 2 AS handover,
           cardinality(gs.ids) > 1 AND h.id % 25 = 0 AS handed_over
      FROM households h JOIN work_groups g ON g.id = h.group_id JOIN groups gs ON gs.project_id = g.project_id
      JOIN projects p ON p.id = g.project_id CROSS JOIN latest
)
INSERT INTO work_group_assignments (household_id, group_id, from_at)
SELECT id, CASE WHEN handed_over THEN ids[CASE WHEN n > 1 THEN n - 1 ELSE n + 1 END] ELSE group_id END, created_at
  FROM held
UNION ALL
SELECT id, group_id, handover FROM held WHERE handed_over
ORDER BY 1, 3;
