-- A household's 补偿决定 ($1 = household id), newest first, revoked ones included: the
-- household file's section and the decision route's answer.
SELECT coalesce(json_agg(json_build_object(
           'id', d.id, 'decided_on', d.decided_on, 'document_no', d.document_no, 'note', d.note,
           'by', u.username, 'at', d.at, 'in_force', d.revoked_at IS NULL,
           'revoked_at', d.revoked_at, 'revoked_by', r.username, 'revoke_reason', d.revoke_reason)
         ORDER BY d.id DESC), '[]')
  FROM compensation_decisions d
  LEFT JOIN users u ON u.id = d.user_id
  LEFT JOIN users r ON r.id = d.revoked_by
 WHERE d.household_id = $1
