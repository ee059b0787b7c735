-- Records a step's document whose content is already in the file store; returns it as the
-- ledger lists it. Parameters: $1 project id, $2 step key, $3 sha256, $4 size in bytes,
-- $5 content type, $6 file name, $7 public, $8 uploader's user id.
INSERT INTO step_documents (project_id, key, sha256, size_bytes, content_type, file_name, public, uploaded_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
RETURNING json_build_object('id', id, 'file_name', file_name, 'content_type', content_type, 'size_bytes', size_bytes,
                            'sha256', sha256, 'public', public, 'uploaded_at', uploaded_at)
