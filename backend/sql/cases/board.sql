-- The case board: cases in the caller's region, filtered, open ones first by deadline (the
-- most overdue on top), closed ones newest first; one page and the total.
-- Parameters: $1 the caller's region id (NULL: everywhere), $2 project code, $3 group id,
-- $4 state ('open' | 'closed' | NULL: both), $5 overdue (NULL: either), $6 category key,
-- $7 whether the caller may see residents' names, $8 limit, $9 offset, $10 now.
WITH chosen AS (
    SELECT c.*, p.code AS project_code, p.name AS project_name,
           c.state = 'open' AND c.due_at <= $10 AS overdue
      FROM cases c
      JOIN projects p ON p.id = c.project_id
      JOIN regions r ON r.id = p.region_id
     WHERE ($1::integer IS NULL OR $1 = ANY (r.lineage))
       AND ($2::text IS NULL OR p.code = $2)
       AND ($3::integer IS NULL OR c.group_id = $3)
       AND ($4::text IS NULL OR c.state = $4)
       AND ($5::boolean IS NULL OR (c.state = 'open' AND c.due_at <= $10) = $5)
       AND ($6::text IS NULL OR c.category = $6)
), page AS (
    SELECT * FROM chosen
     ORDER BY state = 'open' DESC, CASE WHEN state = 'open' THEN due_at END, closed_at DESC, id
     LIMIT $8 OFFSET $9
)
SELECT json_build_object(
    'total', (SELECT count(*) FROM chosen),
    'cases', coalesce(json_agg(json_build_object(
        'id', c.id,
        'project', json_build_object('code', c.project_code, 'name', c.project_name),
        'household', json_build_object('id', h.id, 'code', h.code, 'building', b.code,
                                       'holder_name', CASE WHEN $7 THEN h.holder_name END),
        'category', c.category, 'category_name', cc.name,
        'group', CASE WHEN g.id IS NOT NULL THEN json_build_object('id', g.id, 'name', g.name) END,
        'level', c.level, 'state', c.state, 'outcome', c.outcome, 'overdue', c.overdue,
        'opened_at', c.opened_at, 'due_at', c.due_at, 'level_due_at', c.level_due_at, 'closed_at', c.closed_at,
        'conferences', (SELECT count(*) FROM case_conferences k WHERE k.case_id = c.id))
        ORDER BY c.state = 'open' DESC, CASE WHEN c.state = 'open' THEN c.due_at END, c.closed_at DESC, c.id), '[]'))
  FROM page c
  JOIN households h ON h.id = c.household_id
  JOIN buildings b ON b.id = h.building_id
  JOIN case_categories cc ON cc.key = c.category
  LEFT JOIN work_groups g ON g.id = c.group_id
