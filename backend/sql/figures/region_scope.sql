-- A region as the scope of its figures: its id, name, level and parent's code.
-- Parameters: $1 = region code (text).
SELECT r.id, r.name, r.level::text AS level, parent.code AS parent_code
  FROM regions r LEFT JOIN regions parent ON parent.id = r.parent_id
 WHERE r.code = $1
