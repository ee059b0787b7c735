-- Marks a step's document public or not; returns it as the ledger lists it.
-- Parameters: $1 = document id (bigint), $2 = public (boolean).
UPDATE step_documents SET public = $2 WHERE id = $1
RETURNING json_build_object('id', id, 'file_name', file_name, 'content_type', content_type, 'size_bytes', size_bytes,
                            'sha256', sha256, 'public', public, 'uploaded_at', uploaded_at)
