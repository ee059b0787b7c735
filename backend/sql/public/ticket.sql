-- A petition as its petitioner follows it by ticket $1 on the public page: the state, what was
-- asked, the due days and the replies (text and day; never who wrote them, nor the petitioner).
-- `answer`/`answered_at` are the latest reply, as the objection page has always read them.
SELECT json_build_object(
    'ticket', p.ticket, 'channel', p.channel, 'body', p.body, 'created_at', p.received_at,
    'status', CASE WHEN last.body IS NULL AND p.status <> 'rejected' THEN 'open' ELSE 'answered' END,
    'petition_status', p.status, 'reject_reason', p.reject_reason,
    'received_on', d.received_on, 'accept_due', d.accept_due, 'decided_on', d.decided_on, 'handle_due', d.handle_due,
    'answer', coalesce(last.body, CASE WHEN p.status = 'rejected' THEN '不予受理：' || p.reject_reason END),
    'answered_at', coalesce(last.at, CASE WHEN p.status = 'rejected' THEN p.decided_at END),
    'replies', coalesce((SELECT json_agg(json_build_object('body', r.body, 'final', r.final, 'at', r.at) ORDER BY r.at)
                           FROM petition_replies r WHERE r.petition_id = p.id), '[]'))
  FROM petitions p
  JOIN petition_deadlines d ON d.id = p.id
  LEFT JOIN LATERAL (SELECT r.body, r.at FROM petition_replies r WHERE r.petition_id = p.id ORDER BY r.at DESC LIMIT 1) last ON true
 WHERE p.ticket = $1
