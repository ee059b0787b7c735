-- An attachment's household, its content's sha256 in the file store, content type and name.
-- Parameters: $1 attachment id (bigint).
SELECT household_id, sha256, content_type, file_name FROM attachments WHERE id = $1
