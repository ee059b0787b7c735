-- Who holds each unit of an estate, for staff who may read the estate's region: the household
-- by code, its holder's masked name and its project (never the ID number).
-- Parameters: $1 = the estate's id (integer).
SELECT u.id AS unit_id, h.code AS household, mask_name(h.holder_name) AS name, p.code AS project
  FROM estate_units u
  JOIN households h ON h.id = u.household_id
  JOIN buildings b ON b.id = h.building_id
  JOIN projects p ON p.id = b.project_id
 WHERE u.estate_id = $1
