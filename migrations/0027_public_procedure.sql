-- 程序公开 (docs/procedure.md): the residents' role reads a step document's name, type, size and
-- content address only (not who uploaded it), and public downloads are counted per client in
-- the look-ups' table under their own purpose and budget (backend/src/disclosure/rate_limit.rs).
REVOKE SELECT ON step_documents FROM onemap_public;
GRANT SELECT (id, project_id, key, sha256, size_bytes, content_type, file_name, public) ON step_documents TO onemap_public;

ALTER TABLE resident_lookups ADD COLUMN purpose text NOT NULL DEFAULT 'lookup' CHECK (purpose IN ('lookup', 'download'));
DROP INDEX resident_lookups_client;
CREATE INDEX resident_lookups_client ON resident_lookups (client, purpose, at);
