-- The people who may write in a region (its lineage, root first): admins, and operators of the
-- region or a region above it; not disabled, not the wall displays' account. For the picker of
-- a step's responsible person. Parameters: $1 = the region's lineage (integer[]), $2 = the wall
-- displays' account name.
SELECT json_build_object('id', u.id, 'username', u.username, 'role', u.role)
  FROM users u
 WHERE u.disabled_at IS NULL AND u.username <> $2
   AND (u.role = 'admin' OR (u.role = 'operator' AND u.region_id = ANY ($1)))
 ORDER BY u.role, u.username
