-- The time of project $1's latest change, as the archive records it (not the wall clock): two
-- exports of the same data carry the same time. UTC, to the second.
SELECT to_char(max(t) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') FROM (
    SELECT greatest(settled_at, archived_at) FROM projects WHERE id = $1
    UNION ALL SELECT created_at FROM project_procedures WHERE project_id = $1
    UNION ALL SELECT max(updated_at) FROM project_steps WHERE project_id = $1
    UNION ALL SELECT max(at) FROM step_events WHERE project_id = $1
    UNION ALL SELECT max(uploaded_at) FROM step_documents WHERE project_id = $1
    UNION ALL SELECT max(e.at) FROM status_events e JOIN households h ON h.id = e.household_id
                JOIN buildings b ON b.id = h.building_id WHERE b.project_id = $1
    UNION ALL SELECT max(e.at) FROM status_events e JOIN parcels p ON p.id = e.parcel_id WHERE p.project_id = $1
    UNION ALL SELECT max(greatest(signed_at, voided_at)) FROM agreements WHERE project_id = $1
    UNION ALL SELECT max(created_at) FROM fund_allocations WHERE project_id = $1
    UNION ALL SELECT max(greatest(submitted_at, paid_at, returned_at)) FROM payment_batches WHERE project_id = $1
    UNION ALL SELECT max(a.uploaded_at) FROM attachments a JOIN households h ON h.id = a.household_id
                JOIN buildings b ON b.id = h.building_id WHERE b.project_id = $1
    UNION ALL SELECT max(published_at) FROM disclosures WHERE project_id = $1
    UNION ALL SELECT max(e.at) FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.project_id = $1
    UNION ALL SELECT max(greatest(registered_at, decided_at, replied_at)) FROM petitions WHERE project_id = $1
    UNION ALL SELECT max(r.at) FROM petition_replies r JOIN petitions p ON p.id = r.petition_id WHERE p.project_id = $1
) latest (t)
