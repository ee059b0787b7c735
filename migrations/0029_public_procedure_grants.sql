-- Least privilege for the residents' role: it reads the procedure only through the view
-- public_project_steps (which reads the ledger and templates as its owner) and the public
-- columns of step_documents, so the direct grants 0022 gave it go. calendar_days stays: the
-- view's deadlines call period_end, whose working-day look-up runs as the caller.
REVOKE SELECT (project_id, key, state, planned_start, planned_end, actual_start, actual_end) ON project_steps FROM onemap_public;
REVOKE SELECT ON procedure_templates, procedure_template_steps, project_procedures FROM onemap_public;
