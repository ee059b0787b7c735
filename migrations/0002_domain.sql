-- The domain model of DESIGN.md: region tree, projects, parcels, buildings, households.
-- Geometry is stored in EPSG:4326 (CGCS2000 treated as equal) with a generated EPSG:3857 copy
-- that carries the GiST index the tile queries use; the copy cannot drift because PostgreSQL
-- computes it.
-- Functions, triggers and views live in backend/sql/schema/, one per file, applied after the
-- migrations on every `onemap migrate` (backend/sql/schema/README.md).

-- Enums are ordered, so "least advanced" is min(status) and "at or beyond" is status >= 'signed'.
CREATE TYPE progress_status AS ENUM ('pending', 'surveyed', 'signed', 'vacated', 'demolished');
CREATE TYPE land_status AS ENUM ('pending', 'acquired', 'cleared', 'delivered');
CREATE TYPE region_level AS ENUM ('city', 'district', 'street', 'community');
CREATE TYPE project_kind AS ENUM ('house_expropriation', 'land_acquisition', 'shantytown', 'land_readiness');
CREATE TYPE resettlement AS ENUM ('monetary', 'property_swap');

CREATE TABLE regions (
    id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text NOT NULL UNIQUE,
    name        text NOT NULL CHECK (name <> ''),
    level       region_level NOT NULL,
    parent_id   integer REFERENCES regions (id),
    -- self and every ancestor, root first: roll-ups add to all of them in one UPDATE
    lineage     integer[] NOT NULL DEFAULT '{}',
    -- where the polygon came from (real boundary, or derived by the demo generator)
    geom_source text NOT NULL,
    geom        geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
    geom_3857   geometry(MultiPolygon, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED,
    -- GB/T 2260 and National Bureau of Statistics code lengths per level
    CONSTRAINT region_code_fits_level CHECK (
        (level = 'city' AND code ~ '^[0-9]{4}00$') OR
        (level = 'district' AND code ~ '^[0-9]{6}$') OR
        (level = 'street' AND code ~ '^[0-9]{9}$') OR
        (level = 'community' AND code ~ '^[0-9]{12}$')),
    CONSTRAINT region_root_is_city CHECK ((level = 'city') = (parent_id IS NULL))
);
CREATE INDEX regions_geom_3857 ON regions USING gist (geom_3857);
CREATE INDEX regions_parent ON regions (parent_id);

CREATE TABLE projects (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text NOT NULL UNIQUE,
    name        text NOT NULL CHECK (name <> ''),
    kind        project_kind NOT NULL,
    region_id   integer NOT NULL REFERENCES regions (id),
    start_date  date NOT NULL,
    target_date date NOT NULL,
    budget_yuan numeric(16, 2) NOT NULL CHECK (budget_yuan >= 0),
    published   boolean NOT NULL DEFAULT false,
    geom        geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
    geom_3857   geometry(MultiPolygon, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED,
    CONSTRAINT project_target_after_start CHECK (target_date >= start_date)
);
CREATE INDEX projects_geom_3857 ON projects USING gist (geom_3857);
CREATE INDEX projects_region ON projects (region_id);

CREATE TABLE parcels (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text NOT NULL UNIQUE,
    project_id  bigint NOT NULL REFERENCES projects (id),
    land_use    text NOT NULL CHECK (land_use IN ('residential', 'commercial', 'industrial', 'farmland', 'public')),
    land_status land_status NOT NULL DEFAULT 'pending',
    geom        geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
    geom_3857   geometry(MultiPolygon, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED,
    -- true area on the ellipsoid, not the distorted 3857 area
    area_m2     double precision GENERATED ALWAYS AS (ST_Area(geom::geography)) STORED
);
CREATE INDEX parcels_geom_3857 ON parcels USING gist (geom_3857);
CREATE INDEX parcels_project ON parcels (project_id);

CREATE TABLE buildings (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text NOT NULL UNIQUE,
    project_id  bigint NOT NULL REFERENCES projects (id),
    parcel_id   bigint NOT NULL REFERENCES parcels (id),
    use         text NOT NULL CHECK (use IN ('residential', 'commercial', 'industrial', 'public', 'mixed')),
    legality    text NOT NULL CHECK (legality IN ('legal', 'illegal')),
    floors      smallint NOT NULL CHECK (floors BETWEEN 1 AND 100),
    -- recorded floor area (建筑面积) from the survey: not the footprint area
    floor_area  numeric(12, 2) NOT NULL CHECK (floor_area > 0),
    -- maintained from households by trigger: least advanced household status, household count
    status      progress_status NOT NULL DEFAULT 'pending',
    households  integer NOT NULL DEFAULT 0 CHECK (households >= 0),
    geom        geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
    geom_3857   geometry(MultiPolygon, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED
);
CREATE INDEX buildings_geom_3857 ON buildings USING gist (geom_3857);
CREATE INDEX buildings_project ON buildings (project_id);
CREATE INDEX buildings_parcel ON buildings (parcel_id);

CREATE TABLE households (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code             text NOT NULL UNIQUE,
    building_id      bigint NOT NULL REFERENCES buildings (id),
    -- personal data: never selected by a tile or public query
    holder_name      text NOT NULL CHECK (holder_name <> ''),
    holder_id_number text NOT NULL CHECK (holder_id_number ~ '^[0-9]{17}[0-9X]$'),
    members          smallint NOT NULL CHECK (members BETWEEN 1 AND 30),
    recorded_area    numeric(12, 2) NOT NULL CHECK (recorded_area > 0),
    status           progress_status NOT NULL DEFAULT 'pending',
    status_at        timestamptz,
    -- the resettlement the household chose (意向 before signing, binding once signed)
    resettlement     resettlement,
    difficult        boolean NOT NULL DEFAULT false
);
CREATE INDEX households_building ON households (building_id);
