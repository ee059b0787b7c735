-- Claims region $1's report of week $2 for this instance: a row when none exists, or a claim
-- older than $3 minutes with no file yet (its instance died). Returns the region id when this
-- caller holds the claim, no row when another instance made or is making the report.
INSERT INTO weekly_reports (region_id, week) VALUES ($1, $2)
ON CONFLICT (region_id, week) DO UPDATE SET claimed_at = now()
 WHERE weekly_reports.sha256 IS NULL
   AND weekly_reports.claimed_at < now() - make_interval(mins => $3)
RETURNING region_id
