-- A project's household ledger (台账), one row per household by code, now or as it stood at
-- the end of a past day; names and ID numbers in full for those who may write in the
-- project's region, masked for the rest.
-- Parameters: $1 project id (bigint), $2 personal data in full (boolean), $3 as-of day (date;
-- NULL = now), $4 work group id (integer; NULL = every household). The 工作组 is the group
-- holding the household now. As of a day, the status is the from_status of the household's first event after
-- that day's end (else its status now), and its time that of its last event up to then.
WITH cut AS (
    SELECT ($3::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai' AS at
)
SELECT h.code, b.code,
       CASE WHEN $3::date IS NULL THEN h.status::text
            ELSE coalesce((SELECT e.from_status FROM status_events e, cut
                            WHERE e.household_id = h.id AND e.at >= cut.at ORDER BY e.id LIMIT 1), h.status::text) END,
       to_char(CASE WHEN $3::date IS NULL THEN h.status_at
                    ELSE (SELECT e.at FROM status_events e, cut
                           WHERE e.household_id = h.id AND e.at < cut.at ORDER BY e.id DESC LIMIT 1) END
               AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'),
       h.resettlement::text, h.difficult, h.members, h.recorded_area::float8,
       CASE WHEN $2 THEN h.holder_name ELSE mask_name(h.holder_name) END,
       CASE WHEN $2 THEN h.holder_id_number ELSE mask_id_number(h.holder_id_number) END,
       g.name
  FROM households h JOIN buildings b ON b.id = h.building_id LEFT JOIN work_groups g ON g.id = h.group_id
 WHERE b.project_id = $1 AND ($4::integer IS NULL OR h.group_id = $4)
 ORDER BY h.code
