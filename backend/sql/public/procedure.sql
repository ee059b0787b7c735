-- 程序公开 of a published project: its template's published steps (public state, dates, public
-- documents) and the 九公开 items with the steps that publish them and what is still missing.
-- Read as onemap_public through public_project_steps: no responsible person, note, waive reason,
-- uploader or private document.
-- Parameters: $1 = project id (bigint).
WITH shown AS (
    -- a window's public state is its shown one (not started, open, closed); a step's its own
    -- (residents are told dates, not "overdue"). period_to: a window's end, or the end of a
    -- step's minimum period (公示期 ≥ 30 days) once it runs.
    SELECT s.*, CASE WHEN s.is_window THEN s.shown_state ELSE s.state::text END AS public_state,
           CASE WHEN s.is_window THEN s.legal_due ELSE s.earliest_end END AS period_to
      FROM public_project_steps s
     WHERE s.project_id = $1
), docs AS (
    SELECT sd.key, json_agg(json_build_object(
               'id', sd.id, 'name', sd.file_name, 'type', sd.content_type, 'size_bytes', sd.size_bytes,
               'url', format('api/public/projects/%s/documents/%s', (SELECT code FROM projects WHERE id = $1), sd.id))
               ORDER BY sd.id) AS list, count(*) AS n
      FROM step_documents sd
     WHERE sd.project_id = $1 AND sd.public AND sd.key IN (SELECT key FROM shown)
     GROUP BY sd.key
), items AS (
    SELECT item, ord FROM unnest(ARRAY['overview', 'policy', 'compensation_plan', 'announcement', 'survey_results',
                                       'appraisal_results', 'compensation_results', 'staff', 'supervision']) WITH ORDINALITY AS i (item, ord)
), nine AS (
    SELECT i.item, i.ord,
           coalesce((SELECT json_agg(json_build_object('key', s.key, 'name', s.name, 'state', s.public_state,
                                                       'done_on', CASE WHEN s.state = 'done' THEN s.actual_end END) ORDER BY s.seq)
                       FROM shown s WHERE i.item = ANY (s.publishes)), '[]') AS steps,
           coalesce((SELECT sum(d.n) FROM docs d JOIN shown s ON s.key = d.key WHERE i.item = ANY (s.publishes)), 0)::int AS documents,
           (SELECT count(*) FROM disclosures x WHERE x.project_id = $1 AND x.kind::text = i.item)::int AS disclosures,
           EXISTS (SELECT 1 FROM shown s WHERE i.item = ANY (s.publishes) AND s.state = 'done') AS step_done,
           coalesce((SELECT json_agg(json_build_object('key', s.key, 'name', s.name, 'state', s.public_state,
                                                       'planned_end', s.planned_end) ORDER BY s.seq)
                       FROM shown s WHERE i.item = ANY (s.publishes) AND s.state NOT IN ('done', 'waived')), '[]') AS missing_steps
      FROM items i
)
SELECT json_build_object(
    'steps', coalesce((SELECT json_agg(json_build_object(
                 'key', s.key, 'seq', s.seq, 'name', s.name, 'stage', s.stage, 'legal_basis', s.legal_basis,
                 'produces', s.produces, 'is_window', s.is_window, 'publishes', s.publishes,
                 'state', s.public_state,
                 'state_name', CASE s.public_state WHEN 'not_started' THEN '未开始' WHEN 'in_progress' THEN '进行中'
                                   WHEN 'done' THEN '已完成' WHEN 'waived' THEN '已豁免'
                                   WHEN 'open' THEN '期限内' ELSE '已届满' END,
                 'planned_start', s.planned_start, 'planned_end', s.planned_end,
                 'actual_start', s.actual_start, 'actual_end', s.actual_end,
                 'period_from', CASE WHEN s.period_to IS NOT NULL THEN s.clock_start END, 'period_to', s.period_to,
                 'documents', coalesce(d.list, '[]')) ORDER BY s.seq)
                         FROM shown s LEFT JOIN docs d ON d.key = s.key), '[]'),
    'nine', (SELECT json_agg(json_build_object(
                 'item', n.item, 'steps', n.steps, 'documents', n.documents, 'disclosures', n.disclosures,
                 'published', n.step_done OR n.documents > 0 OR n.disclosures > 0,
                 'missing', json_build_object('steps', n.missing_steps, 'document', n.documents = 0 AND n.disclosures = 0))
                 ORDER BY n.ord)
               FROM nine n))
