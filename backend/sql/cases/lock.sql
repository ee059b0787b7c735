-- A case about to change, locked (the escalation job waits for it): its state, household,
-- project and region lineage.
-- Parameters: $1 case id.
SELECT c.state, c.household_id, c.project_id, c.group_id, c.level::text AS level, r.lineage
  FROM cases c
  JOIN projects p ON p.id = c.project_id
  JOIN regions r ON r.id = p.region_id
 WHERE c.id = $1
   FOR UPDATE OF c
