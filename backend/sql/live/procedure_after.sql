-- Procedure step events after an id, each as the live feed sends it (SSE `procedure`): the
-- project, the step, its change from → to, the project's stage just before and just after
-- the change, and the project's EPSG:3857 box (its projects-layer tiles go stale).
-- Parameters: $1 = the last step event id already handled (bigint), $2 = at most this many rows.
-- A step's state at step event n is the to_state of its last event up to n, else the
-- from_state of its first event after n, else its state now (steps set without events).
WITH chosen AS (
    SELECT e.* FROM step_events e WHERE e.id > $1 ORDER BY e.id LIMIT $2
), staged AS (
    -- the stage just before (cut at id - 1) and just after (cut at id) each event
    SELECT c.id, cut.after, coalesce((
               SELECT ts.stage
                 FROM project_procedures pp
                 JOIN procedure_template_steps ts ON ts.template_id = pp.template_id AND NOT ts.is_window
                 JOIN project_steps ps ON ps.project_id = pp.project_id AND ps.key = ts.key
                WHERE pp.project_id = c.project_id
                  AND coalesce((SELECT x.to_state FROM step_events x
                                 WHERE x.project_id = c.project_id AND x.key = ts.key AND x.id <= cut.n
                                 ORDER BY x.id DESC LIMIT 1),
                               (SELECT x.from_state FROM step_events x
                                 WHERE x.project_id = c.project_id AND x.key = ts.key AND x.id > cut.n
                                 ORDER BY x.id LIMIT 1),
                               ps.state) NOT IN ('done', 'waived')
                ORDER BY ts.seq LIMIT 1), 'closed') AS stage
      FROM chosen c CROSS JOIN LATERAL (VALUES (false, c.id - 1), (true, c.id)) AS cut (after, n)
)
SELECT e.id,
       p.id AS project_id,
       (SELECT array_agg(rr.code ORDER BY rr.id) FROM regions rr WHERE rr.id = ANY (r.lineage)) AS region_codes,
       json_strip_nulls(json_build_object(
           'procedure_id', e.id,
           'at', e.at,
           'project_id', p.id,
           'project_code', p.code,
           'project_name', p.name,
           'step_key', e.key,
           'step_name', ts.name,
           'from', e.from_state,
           'to', e.to_state,
           'actual_start', e.actual_start,
           'actual_end', e.actual_end,
           'stage_before', sb.stage,
           'stage_after', sa.stage,
           'stage', p.stage,
           'reason', e.reason,
           'actor', u.username
       ))::text AS payload,
       NULL::float8[] AS building_box,
       NULL::float8[] AS parcel_box,
       ARRAY[ST_XMin(p.geom_3857), ST_YMin(p.geom_3857), ST_XMax(p.geom_3857), ST_YMax(p.geom_3857)] AS project_box,
       '{}'::float8[] AS region_boxes
  FROM chosen e
  JOIN staged sb ON sb.id = e.id AND NOT sb.after
  JOIN staged sa ON sa.id = e.id AND sa.after
  JOIN projects p ON p.id = e.project_id
  JOIN regions r ON r.id = p.region_id
  JOIN project_procedures pp ON pp.project_id = p.id
  JOIN procedure_template_steps ts ON ts.template_id = pp.template_id AND ts.key = e.key
  LEFT JOIN users u ON u.id = e.user_id
 ORDER BY e.id
