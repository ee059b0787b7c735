-- 工作组 figures kept as events happen, so the group ranking of a period reads a few rows per
-- group instead of counting the city's events (9.1 s city-wide at a million buildings): the
-- net gains per group and Beijing day, credited to the group that held the household at the
-- event's time (the assignment history), and what each group holds now with how many of those
-- have signed (the sign rate). Kept by the triggers of backend/sql/schema/
-- status_events_credit_groups.sql, work_group_assignments_recredit.sql and
-- households_keep_group_holdings.sql; rebuilt by recount_group_figures() (after bulk loads).
CREATE TABLE group_daily_figures (
    group_id   integer NOT NULL REFERENCES work_groups (id) ON DELETE CASCADE,
    day        date NOT NULL,
    surveyed   integer NOT NULL DEFAULT 0,
    signed     integer NOT NULL DEFAULT 0,
    vacated    integer NOT NULL DEFAULT 0,
    demolished integer NOT NULL DEFAULT 0,
    PRIMARY KEY (group_id, day)
);
-- the city-wide ranking reads a period's rows of every group
CREATE INDEX group_daily_figures_day ON group_daily_figures (day);

CREATE TABLE group_holdings (
    group_id   integer PRIMARY KEY REFERENCES work_groups (id) ON DELETE CASCADE,
    households integer NOT NULL DEFAULT 0,
    signed     integer NOT NULL DEFAULT 0
);

GRANT SELECT, INSERT, UPDATE, DELETE ON group_daily_figures, group_holdings TO onemap_app;

-- Databases that already hold groups and events get their figures now.
-- schema: group_holding.sql
-- schema: group_daily_figures_recount.sql
-- schema: group_holdings_recount.sql
-- schema: recount_group_figures.sql
SELECT recount_group_figures();
