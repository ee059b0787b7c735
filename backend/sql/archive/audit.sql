-- (a filter on audit_log) the lines about project $1: the project itself (and anything its
-- subject names after the code), its households, batches and objections, or a detail naming it;
-- not the archive's own downloads (each would change the next archive)
action <> 'project_archive_exported' AND (
subject = 'project ' || (SELECT code FROM projects WHERE id = $1)
OR subject LIKE 'project ' || (SELECT code FROM projects WHERE id = $1) || ' %'
OR detail ->> 'project' = (SELECT code FROM projects WHERE id = $1)
OR subject IN (SELECT 'household ' || h.id FROM households h JOIN buildings b ON b.id = h.building_id WHERE b.project_id = $1)
OR subject IN (SELECT 'batch ' || id FROM payment_batches WHERE project_id = $1)
OR subject IN (SELECT 'objection ' || o.id FROM objections o JOIN households h ON h.id = o.household_id
                 JOIN buildings b ON b.id = h.building_id WHERE b.project_id = $1)
OR subject IN (SELECT 'case ' || id FROM cases WHERE project_id = $1)
OR subject IN (SELECT 'petition ' || id FROM petitions WHERE project_id = $1))
