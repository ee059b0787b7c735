-- Daily net gains per project: the basis of "as of" figures, trends, paces and rankings.
-- Each column is the day's net change of a count the live figures hold (households at or
-- beyond a stage, monetary signers, land acquired and delivered). Summing a project's days up
-- to D gives its figures as they stood at the end of D; summing a week gives the week's gain.
-- Days are Beijing days. Kept by the event-apply trigger, rebuilt by recount_daily_figures()
-- (backend/sql/schema/bump_daily_figures.sql, recount_daily_figures.sql).
CREATE TABLE daily_figures (
    project_id        bigint NOT NULL REFERENCES projects (id),
    day               date NOT NULL,
    surveyed          integer NOT NULL DEFAULT 0,
    signed            integer NOT NULL DEFAULT 0,
    vacated           integer NOT NULL DEFAULT 0,
    demolished        integer NOT NULL DEFAULT 0,
    monetary          integer NOT NULL DEFAULT 0,
    land_acquired_m2  double precision NOT NULL DEFAULT 0,
    land_delivered_m2 double precision NOT NULL DEFAULT 0,
    PRIMARY KEY (project_id, day)
);
CREATE INDEX daily_figures_day ON daily_figures (day);

-- The last day anything happened in each project, so "stalled" and "completed on" need no
-- scan of the history.
CREATE TABLE project_activity (
    project_id bigint PRIMARY KEY REFERENCES projects (id),
    last_day   date NOT NULL
);

-- Databases that already hold events get their history now, counted by the functions of the
-- schema step, made here already (status_rank first: inlined, it recounts several times faster).
-- schema: status_rank.sql
-- schema: stage_delta.sql
-- schema: daily_figures_recount.sql
-- schema: recount_daily_figures.sql
SELECT recount_daily_figures();
