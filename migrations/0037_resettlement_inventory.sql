-- 安置房源: resettlement estates, their unit types, buildings and units (栋-单元-层-室), and which
-- projects may draw on which estate. Selection days, choices and swap money build on these
-- (a later migration); a unit's status is what the 楼盘表 colours.
CREATE TYPE unit_status AS ENUM ('available', 'reserved', 'selected', 'contracted', 'delivered');

CREATE TABLE estates (
    id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code          text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9-]{1,32}$'),
    name          text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 60),
    -- the district (or street) it stands in: the estate is in that region's figures and scope
    region_id     integer NOT NULL REFERENCES regions (id),
    address       text CHECK (length(address) <= 200),
    -- 交付 planned for the estate's units (days to deliver count against it)
    delivery_planned date,
    geom          geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
    geom_3857     geometry(MultiPolygon, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX estates_geom_3857 ON estates USING gist (geom_3857);
CREATE INDEX estates_region ON estates (region_id);

-- 套型: a named layout with its area; the floor plan is an image in the content-addressed store
CREATE TABLE estate_unit_types (
    id                  integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    estate_id           integer NOT NULL REFERENCES estates (id) ON DELETE CASCADE,
    code                text NOT NULL CHECK (code ~ '^[A-Za-z0-9-]{1,16}$'),
    name                text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 40),
    area                numeric(8, 2) NOT NULL CHECK (area > 0 AND area < 1000),
    floor_plan_sha256   text CHECK (floor_plan_sha256 ~ '^[0-9a-f]{64}$'),
    floor_plan_type     text CHECK (floor_plan_type IN ('image/jpeg', 'image/png')),
    CHECK ((floor_plan_sha256 IS NULL) = (floor_plan_type IS NULL)),
    UNIQUE (estate_id, code),
    UNIQUE (id, estate_id)
);

CREATE TABLE estate_buildings (
    id         integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    estate_id  integer NOT NULL REFERENCES estates (id) ON DELETE CASCADE,
    -- 栋 as the housing office writes it: "3" or "3栋"
    code       text NOT NULL CHECK (length(btrim(code)) BETWEEN 1 AND 16),
    floors     smallint NOT NULL CHECK (floors BETWEEN 1 AND 99),
    geom       geometry(MultiPolygon, 4326) CHECK (geom IS NULL OR ST_IsValid(geom)),
    UNIQUE (estate_id, code),
    UNIQUE (id, estate_id)
);

CREATE TABLE estate_units (
    id                  integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    estate_id           integer NOT NULL REFERENCES estates (id) ON DELETE CASCADE,
    building_id         integer NOT NULL,
    -- 单元 (stairwell), 层 (floor) and 室 (room number as written, e.g. "0302")
    entrance            smallint NOT NULL CHECK (entrance BETWEEN 1 AND 20),
    floor               smallint NOT NULL CHECK (floor BETWEEN -3 AND 99 AND floor <> 0),
    room                text NOT NULL CHECK (room ~ '^[0-9A-Za-z-]{1,8}$'),
    type_id             integer NOT NULL,
    area                numeric(8, 2) NOT NULL CHECK (area > 0 AND area < 1000),
    -- 安置价 within the entitlement, and the market price for area beyond it (yuan per m²)
    price_per_m2        numeric(12, 2) NOT NULL CHECK (price_per_m2 >= 0),
    market_price_per_m2 numeric(12, 2) NOT NULL CHECK (market_price_per_m2 >= price_per_m2),
    orientation         text CHECK (orientation IN ('南', '北', '东', '西', '东南', '西南', '东北', '西北', '南北')),
    status              unit_status NOT NULL DEFAULT 'available',
    status_at           timestamptz NOT NULL DEFAULT now(),
    -- the household the unit went to; every status past available/reserved names one
    household_id        bigint REFERENCES households (id),
    CHECK ((status IN ('available', 'reserved')) = (household_id IS NULL)),
    FOREIGN KEY (building_id, estate_id) REFERENCES estate_buildings (id, estate_id) ON DELETE CASCADE,
    FOREIGN KEY (type_id, estate_id) REFERENCES estate_unit_types (id, estate_id),
    UNIQUE (building_id, entrance, floor, room)
);
CREATE INDEX estate_units_estate_status ON estate_units (estate_id, status);
CREATE INDEX estate_units_household ON estate_units (household_id) WHERE household_id IS NOT NULL;

-- every change of a unit's status, in commit order: the 楼盘表's live feed and days to deliver
CREATE TABLE unit_status_events (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id      integer NOT NULL REFERENCES estate_units (id) ON DELETE CASCADE,
    from_status  unit_status,
    to_status    unit_status NOT NULL,
    household_id bigint REFERENCES households (id),
    actor_id     integer REFERENCES users (id),
    at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX unit_status_events_unit ON unit_status_events (unit_id, at);

-- which projects' swap households may draw on which estates
CREATE TABLE project_estates (
    project_id bigint NOT NULL REFERENCES projects (id),
    estate_id  integer NOT NULL REFERENCES estates (id) ON DELETE CASCADE,
    PRIMARY KEY (project_id, estate_id)
);
CREATE INDEX project_estates_estate ON project_estates (estate_id);

GRANT SELECT, INSERT, UPDATE, DELETE ON estates, estate_unit_types, estate_buildings, estate_units, project_estates TO onemap_app;
GRANT SELECT, INSERT ON unit_status_events TO onemap_app;
GRANT USAGE, SELECT ON SEQUENCE estates_id_seq, estate_unit_types_id_seq, estate_buildings_id_seq, estate_units_id_seq,
    unit_status_events_id_seq TO onemap_app;
