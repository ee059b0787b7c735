-- 选房: each project's selection rules (entitlement, order, what may be chosen, swap money), its
-- selection days with their queue (签约顺序号 or a public 摇号 whose seed is published first), the
-- units chosen (one live choice per unit: the database refuses a second), and the swap money
-- (差价结算) each confirmed selection settles, which moves the household's agreed sum.

-- The rules as data, per project (none: the defaults below). Entitled area = recorded area ×
-- area_ratio + incentive_area; up to beyond_max_area more at the market price; unused
-- entitlement paid out at unused_yuan_per_m2 (NULL: the household's own compensation rate).
CREATE TABLE selection_rules (
    project_id          bigint PRIMARY KEY REFERENCES projects (id),
    area_ratio          numeric(6, 3) NOT NULL DEFAULT 1 CHECK (area_ratio > 0 AND area_ratio <= 5),
    incentive_area      numeric(8, 2) NOT NULL DEFAULT 0 CHECK (incentive_area >= 0 AND incentive_area < 1000),
    beyond_max_area     numeric(8, 2) NOT NULL DEFAULT 10 CHECK (beyond_max_area >= 0 AND beyond_max_area < 1000),
    max_units           smallint NOT NULL DEFAULT 2 CHECK (max_units BETWEEN 1 AND 5),
    unused_yuan_per_m2  numeric(12, 2) CHECK (unused_yuan_per_m2 >= 0),
    order_by            text NOT NULL DEFAULT 'signing' CHECK (order_by IN ('signing', 'lottery')),
    -- an absent or skipping household goes to the end of the queue so many times, then is
    -- marked absent for the day
    recalls             smallint NOT NULL DEFAULT 1 CHECK (recalls BETWEEN 0 AND 5),
    updated_by          integer REFERENCES users (id),
    updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE selection_days (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id        bigint NOT NULL REFERENCES projects (id),
    day               date NOT NULL,
    status            text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'open', 'closed')),
    order_by          text NOT NULL CHECK (order_by IN ('signing', 'lottery')),
    -- 摇号: the seed (64 hex digits) is published with the list of codes before the draw;
    -- the order is a function of both (docs/selection.md)
    seed              text CHECK (seed ~ '^[0-9a-f]{64}$'),
    seed_published_at timestamptz,
    drawn_at          timestamptz,
    created_by        integer REFERENCES users (id),
    created_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (project_id, day),
    CHECK (order_by = 'signing' OR (seed IS NOT NULL AND seed_published_at IS NOT NULL)),
    CHECK (drawn_at IS NULL OR drawn_at >= seed_published_at)
);
CREATE INDEX selection_days_project ON selection_days (project_id, day);

-- The day's queue: one row per household, its entitlement as it stood when the day was made.
CREATE TABLE selection_queue (
    day_id         bigint NOT NULL REFERENCES selection_days (id) ON DELETE CASCADE,
    household_id   bigint NOT NULL REFERENCES households (id),
    -- the household's code as published (the lottery's list): no name, no ID number
    code           text NOT NULL,
    entitled_area  numeric(8, 2) NOT NULL CHECK (entitled_area >= 0),
    -- 签约顺序号: 1 for the project's first signed agreement
    signing_no     integer NOT NULL CHECK (signing_no > 0),
    -- hex SHA-256 of seed ‖ ":" ‖ code, for a lottery day
    lottery_key    text CHECK (lottery_key ~ '^[0-9a-f]{64}$'),
    -- the place in the queue; a skip moves it past the last; NULL before the draw
    position       integer CHECK (position > 0),
    state          text NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'called', 'done', 'absent')),
    recalls        smallint NOT NULL DEFAULT 0 CHECK (recalls >= 0),
    called_by      integer REFERENCES users (id),
    called_at      timestamptz,
    done_at        timestamptz,
    PRIMARY KEY (day_id, household_id),
    UNIQUE (day_id, code),
    CHECK ((state = 'called') = (called_by IS NOT NULL))
);
CREATE UNIQUE INDEX selection_queue_position ON selection_queue (day_id, position) WHERE position IS NOT NULL;
CREATE INDEX selection_queue_household ON selection_queue (household_id);

-- A unit chosen for a household: pending until the household confirms, then confirmed; a
-- unit has at most one choice that is not cancelled, whichever clerk records it.
CREATE TABLE selection_choices (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    day_id        bigint NOT NULL,
    household_id  bigint NOT NULL,
    unit_id       integer NOT NULL REFERENCES estate_units (id),
    state         text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'confirmed', 'cancelled')),
    -- NULL in generated history (the demo), as batch steps are
    chosen_by     integer REFERENCES users (id),
    chosen_at     timestamptz NOT NULL DEFAULT now(),
    settled_at    timestamptz,
    FOREIGN KEY (day_id, household_id) REFERENCES selection_queue (day_id, household_id),
    CHECK ((state = 'confirmed') = (settled_at IS NOT NULL))
);
CREATE UNIQUE INDEX selection_choices_one_per_unit ON selection_choices (unit_id) WHERE state <> 'cancelled';
CREATE INDEX selection_choices_day ON selection_choices (day_id, chosen_at);
CREATE INDEX selection_choices_household ON selection_choices (household_id);

-- 差价结算: what a confirmed selection settles. The household's house is exchanged for its
-- entitlement (house_yuan leaves the cash sum); chosen area within the entitlement is priced
-- at 安置价, beyond it at the market price; unused entitlement is paid out. swap_yuan =
-- unused_yuan − within_yuan − beyond_yuan − house_yuan moves the agreed sum (trigger
-- swap_settlements_reagree); owed_yuan is what the household pays in when that goes below 0.
CREATE TABLE swap_settlements (
    household_id        bigint PRIMARY KEY REFERENCES agreements (household_id),
    day_id              bigint NOT NULL REFERENCES selection_days (id),
    entitled_area       numeric(8, 2) NOT NULL,
    chosen_area         numeric(8, 2) NOT NULL CHECK (chosen_area >= 0),
    within_area         numeric(8, 2) NOT NULL CHECK (within_area >= 0),
    beyond_area         numeric(8, 2) NOT NULL CHECK (beyond_area >= 0),
    unused_area         numeric(8, 2) NOT NULL CHECK (unused_area >= 0),
    within_yuan         numeric(14, 2) NOT NULL CHECK (within_yuan >= 0),
    beyond_yuan         numeric(14, 2) NOT NULL CHECK (beyond_yuan >= 0),
    unused_yuan_per_m2  numeric(12, 2) NOT NULL CHECK (unused_yuan_per_m2 >= 0),
    unused_yuan         numeric(14, 2) NOT NULL CHECK (unused_yuan >= 0),
    house_yuan          numeric(14, 2) NOT NULL CHECK (house_yuan >= 0),
    swap_yuan           numeric(14, 2) NOT NULL,
    settled_by          integer REFERENCES users (id),
    settled_at          timestamptz NOT NULL DEFAULT now(),
    CHECK (within_area + beyond_area = chosen_area AND within_area + unused_area = entitled_area),
    CHECK (swap_yuan = unused_yuan - within_yuan - beyond_yuan - house_yuan)
);

-- the agreement keeps the swap money it was settled with: agreed = max(0, computed or
-- override + swap_yuan); owed = what the household pays in beyond that
ALTER TABLE agreements ADD COLUMN swap_yuan numeric(14, 2) NOT NULL DEFAULT 0,
                       ADD COLUMN owed_yuan numeric(14, 2) NOT NULL DEFAULT 0 CHECK (owed_yuan >= 0);

GRANT SELECT, INSERT, UPDATE ON selection_rules, selection_days, selection_queue, selection_choices TO onemap_app;
GRANT SELECT, INSERT ON swap_settlements TO onemap_app;
GRANT USAGE, SELECT ON SEQUENCE selection_days_id_seq, selection_choices_id_seq TO onemap_app;
