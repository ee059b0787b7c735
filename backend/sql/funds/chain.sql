-- One version of an approval chain: its steps, who made it and when, and how many batches are
-- in flight on earlier versions (they keep the chain they started with): of the project when
-- one is given, else of the default's earlier versions.
-- Parameters: $1 chain id, $2 project id or NULL.
SELECT json_build_object(
    'id', c.id, 'version', c.version, 'project_specific', c.project_id IS NOT NULL,
    'created_by', u.username, 'created_at', c.created_at,
    'steps', (SELECT json_agg(json_build_object('position', s.position, 'key', s.key, 'name', s.name,
                                                'role', s.role, 'office', s.office) ORDER BY s.position)
                FROM approval_steps s WHERE s.chain_id = c.id),
    'in_flight_on_earlier_versions', (SELECT count(*) FROM payment_batches b JOIN approval_chains o ON o.id = b.chain_id
                                       WHERE b.status = 'submitted' AND b.chain_id <> c.id
                                         AND CASE WHEN $2::bigint IS NULL THEN o.project_id IS NULL ELSE b.project_id = $2 END))
  FROM approval_chains c LEFT JOIN users u ON u.id = c.created_by
 WHERE c.id = $1
