-- Gauge figures per project and per region, maintained by triggers as statuses change so the
-- cockpit and the low-zoom tiles never aggregate millions of rows; recount_figures() rebuilds
-- them from scratch (after bulk loads, and to prove the maintained figures right). The functions:
-- backend/sql/schema/bump_figures.sql, households_roll_up.sql, parcels_roll_up.sql, recount_figures.sql.

-- Household stages count households at or beyond the stage ("signed" includes vacated ones).
CREATE TABLE project_figures (
    project_id           bigint PRIMARY KEY REFERENCES projects (id),
    buildings            integer NOT NULL DEFAULT 0,
    buildings_demolished integer NOT NULL DEFAULT 0,
    floor_area           numeric(16, 2) NOT NULL DEFAULT 0,
    households           integer NOT NULL DEFAULT 0,
    surveyed             integer NOT NULL DEFAULT 0,
    signed               integer NOT NULL DEFAULT 0,
    vacated              integer NOT NULL DEFAULT 0,
    demolished           integer NOT NULL DEFAULT 0,
    monetary             integer NOT NULL DEFAULT 0,
    difficult            integer NOT NULL DEFAULT 0,
    land_m2              double precision NOT NULL DEFAULT 0,
    land_acquired_m2     double precision NOT NULL DEFAULT 0,
    land_delivered_m2    double precision NOT NULL DEFAULT 0
);

CREATE TABLE region_figures (
    region_id integer PRIMARY KEY REFERENCES regions (id),
    projects  integer NOT NULL DEFAULT 0,
    LIKE project_figures EXCLUDING CONSTRAINTS
);
ALTER TABLE region_figures DROP COLUMN project_id;
