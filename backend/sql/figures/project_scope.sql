-- A project as the scope of its figures: its code, name, region and target date.
-- Parameters: $1 = project id (bigint).
SELECT p.code, p.name, r.code AS region_code, p.target_date
  FROM projects p JOIN regions r ON r.id = p.region_id
 WHERE p.id = $1
