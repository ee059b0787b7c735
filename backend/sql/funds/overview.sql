-- A project's funds for staff: the sums, allocations and the households that can still be paid
-- (signed, agreed sum not yet committed); the batches come from batches.sql.
-- Parameters: $1 project id.
SELECT json_build_object(
    'budget_yuan', p.budget_yuan, 'allocated_yuan', f.allocated_yuan, 'committed_yuan', f.committed_yuan,
    'paid_yuan', f.paid_yuan,
    'allocations', coalesce((SELECT json_agg(json_build_object('id', a.id, 'yuan', a.yuan, 'received_on', a.received_on,
                                                               'note', a.note) ORDER BY a.received_on, a.id)
                               FROM fund_allocations a WHERE a.project_id = p.id), '[]'),
    'payable', coalesce((SELECT json_agg(json_build_object('household_id', a.household_id, 'code', h.code,
                                                           'holder_name', h.holder_name, 'agreed_yuan', a.yuan,
                                                           'committed_yuan', a.committed_yuan,
                                                           'remaining_yuan', a.yuan - a.committed_yuan,
                                                           'signed_at', a.signed_at) ORDER BY a.signed_at, h.code)
                           FROM agreements a JOIN households h ON h.id = a.household_id
                          WHERE a.project_id = p.id AND a.committed_yuan < a.yuan AND a.voided_at IS NULL), '[]'))
  FROM projects p JOIN project_funds f ON f.project_id = p.id
 WHERE p.id = $1
