-- A public document of a published step of a published project, for its download (else no row).
-- Parameters: $1 = project code, $2 = document id.
SELECT sd.sha256, sd.content_type, sd.file_name
  FROM step_documents sd
  JOIN projects p ON p.id = sd.project_id
  JOIN public_project_steps s ON s.project_id = sd.project_id AND s.key = sd.key
 WHERE p.code = $1 AND sd.id = $2 AND sd.public
