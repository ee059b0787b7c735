-- The audit trail for admins, newest first: the audit log and staff's status writes (the
-- generated history has no user), each with the project it concerns, found from its subject.
-- Filters (NULL: any): $1 who (username), $2 what (action), $3/$4 first and last Beijing day,
-- $5 project code; $6 limit, $7 offset. Answers the number of lines that match and the page.
WITH actor AS (
    SELECT id FROM users WHERE username = $1
), trail AS (
    SELECT 'a' || a.id AS key, a.id AS seq, a.at, a.user_id, a.action, a.subject, a.detail,
           CASE
               WHEN a.subject LIKE 'project %' THEN substr(a.subject, 9)
               WHEN a.subject ~ '^household [0-9]{1,18}$' THEN
                   (SELECT p.code FROM households h JOIN buildings b ON b.id = h.building_id JOIN projects p ON p.id = b.project_id
                     WHERE h.id = substr(a.subject, 11)::bigint)
               WHEN a.subject ~ '^batch [0-9]{1,18}$' THEN
                   (SELECT p.code FROM payment_batches x JOIN projects p ON p.id = x.project_id WHERE x.id = substr(a.subject, 7)::bigint)
               WHEN a.subject ~ '^objection [0-9]{1,18}$' THEN
                   (SELECT p.code FROM objections o JOIN households h ON h.id = o.household_id JOIN buildings b ON b.id = h.building_id
                      JOIN projects p ON p.id = b.project_id WHERE o.id = substr(a.subject, 11)::bigint)
           END AS project
      FROM audit_log a
     WHERE ($1::text IS NULL OR a.user_id = (SELECT id FROM actor))
       AND ($2::text IS NULL OR a.action = $2)
    UNION ALL
    SELECT 's' || e.id, e.id, e.at, e.user_id, 'status_changed',
           coalesce('household ' || e.household_id, 'parcel ' || e.parcel_id),
           jsonb_build_object('from', e.from_status, 'to', e.to_status, 'reason', e.reason, 'version', e.version),
           p.code
      FROM status_events e
      LEFT JOIN households h ON h.id = e.household_id
      LEFT JOIN buildings b ON b.id = h.building_id
      LEFT JOIN parcels pa ON pa.id = e.parcel_id
      LEFT JOIN projects p ON p.id = coalesce(b.project_id, pa.project_id)
     WHERE e.user_id IS NOT NULL
       AND ($1::text IS NULL OR e.user_id = (SELECT id FROM actor))
       AND ($2::text IS NULL OR $2 = 'status_changed')
), chosen AS (
    SELECT * FROM trail t
     WHERE ($3::date IS NULL OR t.at >= ($3::date::timestamp AT TIME ZONE 'Asia/Shanghai'))
       AND ($4::date IS NULL OR t.at < (($4::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'))
       AND ($5::text IS NULL OR t.project = $5)
)
SELECT (SELECT count(*) FROM chosen),
       coalesce((SELECT json_agg(json_build_object(
                    'id', c.key, 'at', c.at, 'at_beijing', to_char(c.at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS'),
                    'username', u.username, 'action', c.action, 'subject', c.subject, 'project', c.project, 'detail', c.detail)
                  ORDER BY c.at DESC, c.seq DESC)
                   FROM (SELECT * FROM chosen ORDER BY at DESC, seq DESC LIMIT $6 OFFSET $7) c
                   LEFT JOIN users u ON u.id = c.user_id), '[]')
