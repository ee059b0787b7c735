-- The projects within region $1 (a code; NULL for all) that draw on an estate: whose swap
-- households the housing figures' demand counts.
SELECT p.id FROM projects p JOIN regions r ON r.id = p.region_id
 WHERE EXISTS (SELECT 1 FROM project_estates pe WHERE pe.project_id = p.id)
   AND ($1::text IS NULL OR EXISTS (SELECT 1 FROM regions s WHERE s.code = $1 AND s.id = ANY (r.lineage)))
 ORDER BY p.id
