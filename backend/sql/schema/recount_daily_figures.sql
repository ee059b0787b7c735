-- Rebuilds daily_figures and project_activity from the events (after bulk loads). Migration
-- 0006 calls it to give databases that already held events their history.
CREATE OR REPLACE FUNCTION recount_daily_figures() RETURNS void
LANGUAGE sql AS $$
    DELETE FROM daily_figures;
    INSERT INTO daily_figures SELECT * FROM daily_figures_recount;
    DELETE FROM project_activity;
    INSERT INTO project_activity SELECT project_id, max(day) FROM daily_figures GROUP BY project_id;
$$;
