-- Close-out (项目交接/档案移交): a project is settled (everything done, paid and vacated) and
-- then archived (read-only from then on; trigger projects_refuse_archived.sql). Who and when,
-- for the handover record.
ALTER TABLE projects
    ADD COLUMN settled_at timestamptz,
    ADD COLUMN settled_by integer REFERENCES users (id),
    ADD COLUMN archived_at timestamptz,
    ADD COLUMN archived_by integer REFERENCES users (id),
    ADD CONSTRAINT project_archived_after_settled CHECK (archived_at IS NULL OR settled_at IS NOT NULL);
