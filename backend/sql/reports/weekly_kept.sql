-- Kept weekly reports (一周一通报) with their region, newest week first; a claim still being
-- generated is not one. Parameters: $1 = region code or NULL (all), $2 = week (Monday) or
-- NULL (all), $3 = at most so many rows.
SELECT r.code AS region_code, r.name AS region_name, r.level::text AS level, r.lineage,
       w.week, w.generated_at, w.bytes, w.pages, w.sha256
  FROM weekly_reports w JOIN regions r ON r.id = w.region_id
 WHERE w.sha256 IS NOT NULL
   AND ($1::text IS NULL OR r.code = $1)
   AND ($2::date IS NULL OR w.week = $2)
 ORDER BY w.week DESC, r.level, r.code
 LIMIT $3
