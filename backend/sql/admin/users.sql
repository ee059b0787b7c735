-- People's accounts for the admin page, by username: role, region, state, last login, and whether
-- failed logins lock the account now. $1: the throttle's window in seconds, $2: the failures that
-- lock, $3: the wall displays' account (not a person's: left out), $4: one username, or NULL for all.
SELECT coalesce(json_agg(json_build_object(
           'id', u.id, 'username', u.username, 'role', u.role, 'write_scope', u.write_scope, 'region_code', r.code, 'region_name', r.name,
           'disabled', u.disabled_at IS NOT NULL, 'disabled_at', u.disabled_at, 'created_at', u.created_at,
           'last_login_at', u.last_login_at, 'failures', f.failures, 'locked', f.failures >= $2)
         ORDER BY u.username), '[]')
  FROM users u
  LEFT JOIN regions r ON r.id = u.region_id
  CROSS JOIN LATERAL (SELECT count(*) AS failures FROM login_failures l
                       WHERE lower(l.username) = lower(u.username) AND l.at > now() - make_interval(secs => $1)) f
 WHERE u.username <> $3 AND ($4::text IS NULL OR u.username = $4)
