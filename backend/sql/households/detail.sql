-- One household's file for staff: the record, compensation, agreement, payments, attachments
-- and objections; with its region lineage, which decides who may read it.
-- Parameters: $1 household id, $2 today.
SELECT r.lineage, json_build_object(
    'id', h.id, 'code', h.code, 'project_code', p.code, 'project_name', p.name, 'building_code', b.code,
    'building_use', b.use, 'building_legality', b.legality,
    'holder_name', h.holder_name, 'holder_id_number', h.holder_id_number, 'members', h.members,
    'recorded_area', h.recorded_area, 'status', h.status, 'status_at', h.status_at, 'difficult', h.difficult,
    'resettlement', h.resettlement,
    'compensation', compensation_detail(h.id, $2::date),
    'agreement', (SELECT json_build_object('yuan', a.yuan, 'signed_at', a.signed_at, 'committed_yuan', a.committed_yuan,
                                           'paid_yuan', a.paid_yuan, 'voided_at', a.voided_at)
                    FROM agreements a WHERE a.household_id = h.id),
    'payments', coalesce((SELECT json_agg(json_build_object('id', x.id, 'batch_id', x.batch_id, 'yuan', x.yuan,
                                                            'batch_status', pb.status, 'created_at', x.created_at) ORDER BY x.id)
                            FROM payments x JOIN payment_batches pb ON pb.id = x.batch_id WHERE x.household_id = h.id), '[]'),
    'attachments', coalesce((SELECT json_agg(json_build_object('id', f.id, 'kind', f.kind, 'name', f.file_name,
                                                               'size', f.size_bytes, 'content_type', f.content_type,
                                                               'uploaded_by', u.username, 'uploaded_at', f.uploaded_at) ORDER BY f.id)
                               FROM attachments f LEFT JOIN users u ON u.id = f.uploaded_by WHERE f.household_id = h.id), '[]'),
    'objections', coalesce((SELECT json_agg(json_build_object('id', o.id, 'ticket', o.ticket, 'body', o.body, 'status', o.status,
                                                              'created_at', o.created_at, 'answer', o.answer,
                                                              'answered_at', o.answered_at) ORDER BY o.id)
                              FROM objections o WHERE o.household_id = h.id), '[]'))
  FROM households h
  JOIN buildings b ON b.id = h.building_id
  JOIN projects p ON p.id = b.project_id
  JOIN regions r ON r.id = p.region_id
 WHERE h.id = $1
