-- 程序公开: the published steps of published projects as residents may see them, with the dates
-- project_steps_due computes (one rule of time for every reader); no responsible person, note,
-- waive reason or version. The public role reads this, not the ledger.
CREATE OR REPLACE VIEW public_project_steps AS
SELECT d.project_id, d.key, d.seq, d.name, d.stage, d.legal_basis, d.produces, d.is_window, d.publishes,
       d.state, d.shown_state, d.planned_start, d.planned_end, d.actual_start, d.actual_end,
       d.clock_start, d.earliest_end, d.legal_due
  FROM project_steps_due d JOIN projects p ON p.id = d.project_id
 WHERE d.published AND p.published;
GRANT SELECT ON public_project_steps TO onemap_public;
