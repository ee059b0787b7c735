-- (a filter on users) the people project $1's rows name: they travel with the archive by name
id IN (
    SELECT unnest(ARRAY[settled_by, archived_by]) FROM projects WHERE id = $1
    UNION SELECT unnest(ARRAY[responsible, updated_by]) FROM project_steps WHERE project_id = $1
    UNION SELECT user_id FROM step_events WHERE project_id = $1
    UNION SELECT uploaded_by FROM step_documents WHERE project_id = $1
    UNION SELECT e.user_id FROM status_events e JOIN households h ON h.id = e.household_id
            JOIN buildings b ON b.id = h.building_id WHERE b.project_id = $1
    UNION SELECT e.user_id FROM status_events e JOIN parcels p ON p.id = e.parcel_id WHERE p.project_id = $1
    UNION SELECT o.user_id FROM compensation_overrides o JOIN households h ON h.id = o.household_id
            JOIN buildings b ON b.id = h.building_id WHERE b.project_id = $1
    UNION SELECT user_id FROM fund_allocations WHERE project_id = $1
    UNION SELECT unnest(ARRAY[submitted_by, paid_by, returned_by]) FROM payment_batches WHERE project_id = $1
    UNION SELECT s.user_id FROM batch_steps s JOIN payment_batches pb ON pb.id = s.batch_id WHERE pb.project_id = $1
    UNION SELECT c.created_by FROM approval_chains c
           WHERE c.project_id = $1 OR c.id IN (SELECT chain_id FROM payment_batches WHERE project_id = $1)
    UNION SELECT a.uploaded_by FROM attachments a JOIN households h ON h.id = a.household_id
            JOIN buildings b ON b.id = h.building_id WHERE b.project_id = $1
    UNION SELECT user_id FROM disclosures WHERE project_id = $1
    UNION SELECT o.answered_by FROM objections o JOIN households h ON h.id = o.household_id
            JOIN buildings b ON b.id = h.building_id WHERE b.project_id = $1
    UNION SELECT leader_id FROM work_groups WHERE project_id = $1
    UNION SELECT m.user_id FROM work_group_members m JOIN work_groups g ON g.id = m.group_id WHERE g.project_id = $1
    UNION SELECT a.user_id FROM work_group_assignments a JOIN households h ON h.id = a.household_id
            JOIN buildings b ON b.id = h.building_id WHERE b.project_id = $1
    UNION SELECT unnest(ARRAY[opened_by, closed_by]) FROM cases WHERE project_id = $1
    UNION SELECT e.user_id FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.project_id = $1
    UNION SELECT unnest(f.participants || f.recorded_by) FROM case_conferences f JOIN cases c ON c.id = f.case_id WHERE c.project_id = $1
    UNION SELECT unnest(ARRAY[registered_by, decided_by]) FROM petitions WHERE project_id = $1
    UNION SELECT r.by_user FROM petition_replies r JOIN petitions p ON p.id = r.petition_id WHERE p.project_id = $1
    UNION SELECT updated_by FROM selection_rules WHERE project_id = $1
    UNION SELECT created_by FROM selection_days WHERE project_id = $1
    UNION SELECT q.called_by FROM selection_queue q JOIN selection_days d ON d.id = q.day_id WHERE d.project_id = $1
    UNION SELECT c.chosen_by FROM selection_choices c JOIN selection_days d ON d.id = c.day_id WHERE d.project_id = $1
    UNION SELECT s.settled_by FROM swap_settlements s JOIN selection_days d ON d.id = s.day_id WHERE d.project_id = $1
    UNION SELECT e.actor_id FROM unit_status_events e WHERE e.unit_id IN (SELECT id FROM estate_units WHERE {units})
    UNION SELECT user_id FROM audit_log WHERE {audit}
)
