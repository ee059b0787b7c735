-- A step's document: its project (id, code), step, content's sha256, type, name and public flag.
-- Parameters: $1 = document id (bigint).
SELECT d.project_id, p.code, d.key, d.sha256, d.content_type, d.file_name, d.public
  FROM step_documents d JOIN projects p ON p.id = d.project_id
 WHERE d.id = $1
