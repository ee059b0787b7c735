-- Records an attachment whose content is already in the file store; returns it as the desk
-- shows it (one JSON object).
-- Parameters: $1 household id, $2 kind (attachment_kind), $3 sha256 of the content,
-- $4 size in bytes, $5 content type, $6 file name, $7 uploader's user id.
INSERT INTO attachments (household_id, kind, sha256, size_bytes, content_type, file_name, uploaded_by)
VALUES ($1, $2::attachment_kind, $3, $4, $5, $6, $7)
RETURNING json_build_object('id', id, 'kind', kind, 'name', file_name, 'size', size_bytes,
                            'content_type', content_type, 'uploaded_at', uploaded_at)
