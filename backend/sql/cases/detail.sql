-- One case with its timeline (events), conferences (with their files) and the status events
-- it led to, and its region's lineage for the caller's check.
-- Parameters: $1 case id, $2 whether the caller may see personal data (residents' names,
-- outside attendees of conferences), $3 now.
SELECT r.lineage, json_build_object(
    'id', c.id,
    'project', json_build_object('code', p.code, 'name', p.name),
    'household', json_build_object('id', h.id, 'code', h.code, 'building', b.code, 'status', h.status,
                                   'holder_name', CASE WHEN $2 THEN h.holder_name END),
    'category', c.category, 'category_name', cc.name, 'note', c.note,
    'group', CASE WHEN g.id IS NOT NULL THEN json_build_object('id', g.id, 'name', g.name) END,
    'level', c.level, 'state', c.state, 'outcome', c.outcome, 'close_note', c.close_note,
    'overdue', c.state = 'open' AND c.due_at <= $3,
    'opened_at', c.opened_at, 'opened_by', (SELECT username FROM users WHERE id = c.opened_by),
    'due_at', c.due_at, 'level_due_at', c.level_due_at,
    'closed_at', c.closed_at, 'closed_by', (SELECT username FROM users WHERE id = c.closed_by),
    'events', (SELECT coalesce(json_agg(json_build_object('id', e.id, 'kind', e.kind, 'at', e.at,
                                                          'user', u.username, 'body', e.body) ORDER BY e.id), '[]')
                 FROM case_events e LEFT JOIN users u ON u.id = e.user_id WHERE e.case_id = c.id),
    'conferences', (SELECT coalesce(json_agg(json_build_object(
                        'id', k.id, 'held_at', k.held_at,
                        'participants', (SELECT coalesce(json_agg(u.username ORDER BY u.username), '[]')
                                           FROM users u WHERE u.id = ANY (k.participants)),
                        'outside_attendees', CASE WHEN $2 THEN to_json(k.outside_attendees) END,
                        'positions', k.positions, 'decision', k.decision, 'next_action', k.next_action,
                        'recorded_by', (SELECT username FROM users WHERE id = k.recorded_by), 'recorded_at', k.recorded_at,
                        'attachments', (SELECT coalesce(json_agg(json_build_object('id', a.id, 'file_name', a.file_name,
                                                                                   'kind', a.kind) ORDER BY a.id), '[]')
                                          FROM case_conference_attachments ka JOIN attachments a ON a.id = ka.attachment_id
                                         WHERE ka.conference_id = k.id)) ORDER BY k.held_at, k.id), '[]')
                      FROM case_conferences k WHERE k.case_id = c.id),
    'status_events', (SELECT coalesce(json_agg(json_build_object('id', s.id, 'from', s.from_status, 'to', s.to_status,
                                                                 'at', s.at) ORDER BY s.id), '[]')
                        FROM case_status_events cs JOIN status_events s ON s.id = cs.status_event_id
                       WHERE cs.case_id = c.id)
)
  FROM cases c
  JOIN households h ON h.id = c.household_id
  JOIN buildings b ON b.id = h.building_id
  JOIN projects p ON p.id = c.project_id
  JOIN regions r ON r.id = p.region_id
  JOIN case_categories cc ON cc.key = c.category
  LEFT JOIN work_groups g ON g.id = c.group_id
 WHERE c.id = $1
