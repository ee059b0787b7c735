-- A project's household ledger (台账), one row per household by code; names and ID numbers
-- in full for those who may write in the project's region, masked for the rest.
-- Parameters: $1 project id (bigint), $2 personal data in full (boolean).
SELECT h.code, b.code, h.status::text, to_char(h.status_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'),
       h.resettlement::text, h.difficult, h.members, h.recorded_area::float8,
       CASE WHEN $2 THEN h.holder_name ELSE mask_name(h.holder_name) END,
       CASE WHEN $2 THEN h.holder_id_number ELSE mask_id_number(h.holder_id_number) END
  FROM households h JOIN buildings b ON b.id = h.building_id WHERE b.project_id = $1 ORDER BY h.code
