-- Payment batches as staff see them, newest first: the sums, who submitted, the approval chain
-- the batch follows (the version it was submitted under) with who took each step and when, the
-- next step, and whether the reader may take it or send the batch back (退回) — the same rules
-- the database applies (holds_approval_step; one person, one step of a batch).
-- Parameters: $1 project id or NULL, $2 batch id or NULL (one of the two), $3 the reader's user id.
SELECT json_build_object(
    'id', b.id, 'project_code', p.code, 'status', b.status, 'yuan', b.yuan, 'payments', b.payments, 'note', b.note,
    'submitted_by', us.username, 'submitted_at', b.submitted_at,
    'paid_by', up.username, 'paid_at', b.paid_at,
    'returned_by', ux.username, 'returned_at', b.returned_at, 'return_reason', b.return_reason,
    'chain', json_build_object('id', c.id, 'version', c.version, 'project_specific', c.project_id IS NOT NULL),
    'steps', steps.list,
    'steps_taken', b.steps_taken,
    'next_step', CASE WHEN n.position IS NOT NULL
                      THEN json_build_object('position', n.position, 'key', n.key, 'name', n.name, 'role', n.role, 'office', n.office) END,
    'may_take_next', n.position IS NOT NULL AND holds_approval_step($3, b.project_id, b.chain_id, n.position)
                     AND NOT EXISTS (SELECT 1 FROM batch_steps t WHERE t.batch_id = b.id AND t.user_id = $3),
    'may_send_back', n.position IS NOT NULL AND holds_approval_step($3, b.project_id, b.chain_id, n.position))
  FROM payment_batches b
  JOIN projects p ON p.id = b.project_id
  JOIN approval_chains c ON c.id = b.chain_id
  LEFT JOIN approval_steps n ON b.status = 'submitted' AND n.chain_id = b.chain_id AND n.position = b.steps_taken + 1
  LEFT JOIN users us ON us.id = b.submitted_by
  LEFT JOIN users up ON up.id = b.paid_by
  LEFT JOIN users ux ON ux.id = b.returned_by
 CROSS JOIN LATERAL (
       SELECT json_agg(json_build_object('position', s.position, 'key', s.key, 'name', s.name, 'role', s.role,
                                         'office', s.office, 'by', u.username, 'at', t.at) ORDER BY s.position) AS list
         FROM approval_steps s
         LEFT JOIN batch_steps t ON t.batch_id = b.id AND t.position = s.position
         LEFT JOIN users u ON u.id = t.user_id
        WHERE s.chain_id = b.chain_id) steps
 WHERE ($1::bigint IS NULL OR b.project_id = $1) AND ($2::bigint IS NULL OR b.id = $2)
 ORDER BY b.id DESC
