-- Rebuilds every project and region figure from the rows themselves (after bulk loads), by
-- copying the recount views.
CREATE OR REPLACE FUNCTION recount_figures() RETURNS void
LANGUAGE sql AS $$
    DELETE FROM project_figures;
    INSERT INTO project_figures SELECT * FROM project_figures_recount;
    DELETE FROM region_figures;
    INSERT INTO region_figures SELECT * FROM region_figures_recount;
$$;
