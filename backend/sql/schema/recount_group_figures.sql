-- Rebuilds group_daily_figures and group_holdings from the events, the assignment history and
-- the households (after bulk loads, which pause the triggers that keep them). Migration 0039
-- calls it to give databases that already held groups their figures.
CREATE OR REPLACE FUNCTION recount_group_figures() RETURNS void
LANGUAGE sql AS $$
    DELETE FROM group_daily_figures;
    INSERT INTO group_daily_figures SELECT * FROM group_daily_figures_recount;
    DELETE FROM group_holdings;
    INSERT INTO group_holdings SELECT * FROM group_holdings_recount;
$$;
