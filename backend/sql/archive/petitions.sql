-- The archive's 信访 ledger of project $1 as of its data day $2: every petition of every channel
-- with its owner, its Beijing days (received, decided, replied and their due days) and its
-- timeliness on that day, and its replies; no petitioner's name, ID number or phone (data/ has
-- the names and ID numbers for who needs them).
SELECT coalesce(jsonb_agg(jsonb_build_object(
           'ticket', p.ticket, 'channel', p.channel, 'category', c.name, 'status', p.status,
           'household', h.code, 'group', g.name, 'office', p.office,
           'received_on', d.received_on, 'accept_due', d.accept_due, 'decided_on', d.decided_on,
           'handle_due', d.handle_due, 'replied_on', d.replied_on,
           'timeliness', petition_timeliness(p.status, d.accept_due, d.decided_on, d.handle_due, d.replied_on, $2::date),
           'reject_reason', p.reject_reason, 'repeat_of', r.ticket,
           'replies', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                                  'on', (y.at AT TIME ZONE 'Asia/Shanghai')::date, 'final', y.final, 'body', y.body) ORDER BY y.id), '[]')
                         FROM petition_replies y WHERE y.petition_id = p.id))
         ORDER BY p.id), '[]')
  FROM petitions p
  JOIN petition_deadlines d ON d.id = p.id
  LEFT JOIN petition_categories c ON c.id = p.category_id
  LEFT JOIN households h ON h.id = p.household_id
  LEFT JOIN work_groups g ON g.id = p.group_id
  LEFT JOIN petitions r ON r.id = p.repeat_of
 WHERE p.project_id = $1
