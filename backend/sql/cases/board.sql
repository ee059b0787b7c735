-- The case board: cases in the caller's region, filtered, open ones first by deadline (the
-- most overdue on top), closed ones newest first; one page and the total.
-- Parameters: $1 the caller's region id (NULL: everywhere), $2 project code, $3 group id,
-- $4 state ('open' | 'closed' | NULL: both), $5 overdue (NULL: either), $6 category key,
-- $7 whether the caller may see residents' names, $8 limit, $9 offset, $10 now.
-- Only the sort keys go through the filter and the sort (city-wide, 80,000 open cases at a
-- million buildings); the page's 50 rows are then read whole.
WITH chosen AS (
    -- (the region and project as conditions, not joins: planned for its parameters, a
    -- city-wide board reads the cases alone)
    SELECT c.id, c.state, c.due_at, c.closed_at
      FROM cases c
     WHERE ($1::integer IS NULL OR c.project_id IN (SELECT p.id FROM projects p JOIN regions r ON r.id = p.region_id
                                                    WHERE $1 = ANY (r.lineage)))
       AND ($2::text IS NULL OR c.project_id = (SELECT p.id FROM projects p WHERE p.code = $2))
       AND ($3::integer IS NULL OR c.group_id = $3)
       AND ($4::text IS NULL OR c.state = $4)
       AND ($5::boolean IS NULL OR (c.state = 'open' AND c.due_at <= $10) = $5)
       AND ($6::text IS NULL OR c.category = $6)
), page AS (
    SELECT c.*, p.code AS project_code, p.name AS project_name,
           c.state = 'open' AND c.due_at <= $10 AS overdue
      FROM (SELECT id FROM chosen
             ORDER BY state = 'open' DESC, CASE WHEN state = 'open' THEN due_at END, closed_at DESC, id
             LIMIT $8 OFFSET $9) k
      JOIN cases c ON c.id = k.id
      JOIN projects p ON p.id = c.project_id
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
