-- Rebuilds group_daily_figures and group_holdings from the events, the assignment history and
-- the households (after bulk loads, which pause the triggers that keep them). Migration 0039
-- calls it to give databases that already held groups their figures.
-- In day order, as the triggers add them: a period's rows lie together for the rankings. The
-- memory lets the count hash the history and the days at once (at a million buildings: 2
-- million history rows, 1.8 million group days) instead of spilling to disk.
CREATE OR REPLACE FUNCTION recount_group_figures() RETURNS void
LANGUAGE sql SET work_mem = '256MB' AS $$
    DELETE FROM group_daily_figures;
    INSERT INTO group_daily_figures SELECT * FROM group_daily_figures_recount ORDER BY day, group_id;
    DELETE FROM group_holdings;
    INSERT INTO group_holdings SELECT * FROM group_holdings_recount;
$$;
