-- 信访 and the on-site 意见箱 (docs/petitions.md): petitions from every channel, their
-- categories, the periods they must be decided and handled in (信访工作条例 2022: acceptance
-- within 15 days, handling within 60 days of acceptance, or shorter local periods) and the
-- replies published to the petitioner's ticket. Every public objection (0008) is a petition
-- of the 网上申诉 channel with the same ticket, kept so by the trigger of
-- backend/sql/schema/objections_become_petitions.sql.
CREATE TYPE petition_channel AS ENUM ('online', 'hotline', 'letter', 'visit', 'box');
-- registered: awaiting the acceptance decision; accepted: being handled; rejected: 不予受理
-- (closed with its reason); replied: handled, the final reply published.
CREATE TYPE petition_status AS ENUM ('registered', 'accepted', 'rejected', 'replied');

CREATE TABLE petition_categories (
    id       smallint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name     text NOT NULL UNIQUE CHECK (name = btrim(name) AND length(name) BETWEEN 1 AND 20),
    position smallint NOT NULL DEFAULT 100,
    -- a retired category keeps its petitions but is not offered any more
    retired  boolean NOT NULL DEFAULT false
);
INSERT INTO petition_categories (name, position) VALUES
    ('征收补偿', 1), ('安置', 2), ('程序', 3), ('工作作风', 4), ('其他', 5);

-- The periods of a petition, as data: the most specific row for its project, channel and
-- category wins (NULL: any). The row of all NULLs is the statute's; local rows may only be
-- shorter in count (a working-day count of 15 can still end later than 15 days: documented).
CREATE TABLE petition_periods (
    id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id  bigint REFERENCES projects (id),
    channel     petition_channel,
    category_id smallint REFERENCES petition_categories (id),
    accept_n    integer NOT NULL CHECK (accept_n BETWEEN 1 AND 15),
    accept_unit period_unit NOT NULL CHECK (accept_unit <> 'months'),
    handle_n    integer NOT NULL CHECK (handle_n BETWEEN 1 AND 60),
    handle_unit period_unit NOT NULL CHECK (handle_unit <> 'months'),
    basis       text NOT NULL CHECK (length(btrim(basis)) BETWEEN 1 AND 200),
    CONSTRAINT petition_periods_once UNIQUE NULLS NOT DISTINCT (project_id, channel, category_id)
);
INSERT INTO petition_periods (accept_n, accept_unit, handle_n, handle_unit, basis)
VALUES (15, 'days', 60, 'days', '信访工作条例（2022）：收到之日起15日内决定是否受理，受理之日起60日内办结');

CREATE TABLE petitions (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- what the petitioner follows the petition by on the public page (residents::TICKET_ALPHABET)
    ticket               text NOT NULL UNIQUE CHECK (ticket ~ '^[0-9A-Z]{16}$'),
    project_id           bigint NOT NULL REFERENCES projects (id),
    household_id         bigint REFERENCES households (id),
    -- the public objection this petition is (channel online), one to one
    objection_id         bigint UNIQUE REFERENCES objections (id),
    channel              petition_channel NOT NULL,
    category_id          smallint REFERENCES petition_categories (id),
    -- personal: staff with the region's household files only, never the public pages
    petitioner_name      text CHECK (petitioner_name = btrim(petitioner_name) AND length(petitioner_name) BETWEEN 1 AND 40),
    petitioner_id_number text CHECK (petitioner_id_number ~ '^[0-9]{17}[0-9X]$'),
    petitioner_phone     text CHECK (petitioner_phone ~ '^[0-9+() -]{5,20}$'),
    body                 text NOT NULL CHECK (length(btrim(body)) BETWEEN 1 AND 4000),
    received_at          timestamptz NOT NULL,
    registered_by        integer REFERENCES users (id),
    registered_at        timestamptz NOT NULL DEFAULT now(),
    group_id             integer,
    office               text CHECK (office = btrim(office) AND length(office) BETWEEN 1 AND 40),
    -- the periods as they were when it was registered (accept) and accepted (handle)
    accept_n             integer NOT NULL,
    accept_unit          period_unit NOT NULL,
    handle_n             integer NOT NULL,
    handle_unit          period_unit NOT NULL,
    status               petition_status NOT NULL DEFAULT 'registered',
    decided_at           timestamptz,
    decided_by           integer REFERENCES users (id),
    reject_reason        text CHECK (length(btrim(reject_reason)) BETWEEN 1 AND 1000),
    replied_at           timestamptz,
    -- the first petition of the matter this one repeats (重复信访), confirmed by staff
    repeat_of            bigint REFERENCES petitions (id),
    FOREIGN KEY (group_id, project_id) REFERENCES work_groups (id, project_id),
    CONSTRAINT petition_one_owner CHECK (group_id IS NULL OR office IS NULL),
    CONSTRAINT petition_decided CHECK ((status = 'registered') = (decided_at IS NULL)),
    CONSTRAINT petition_rejected_reason CHECK ((status = 'rejected') = (reject_reason IS NOT NULL)),
    CONSTRAINT petition_replied CHECK ((status = 'replied') = (replied_at IS NOT NULL)),
    CONSTRAINT petition_not_own_repeat CHECK (repeat_of <> id)
);
CREATE INDEX petitions_project ON petitions (project_id, received_at);
CREATE INDEX petitions_household ON petitions (household_id) WHERE household_id IS NOT NULL;
CREATE INDEX petitions_petitioner ON petitions (petitioner_id_number) WHERE petitioner_id_number IS NOT NULL;
CREATE INDEX petitions_open ON petitions (status) WHERE status IN ('registered', 'accepted');

-- Replies, each published to the petitioner's ticket (text and day only, never who wrote it);
-- the final one ends the handling.
CREATE TABLE petition_replies (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    petition_id bigint NOT NULL REFERENCES petitions (id),
    body        text NOT NULL CHECK (length(btrim(body)) BETWEEN 1 AND 4000),
    final       boolean NOT NULL,
    at          timestamptz NOT NULL DEFAULT now(),
    by_user     integer REFERENCES users (id)
);
CREATE INDEX petition_replies_petition ON petition_replies (petition_id, id);

-- The objections filed before this migration, as petitions: answered ones accepted and replied
-- on the day of their answer (the trigger does the same for new ones).
INSERT INTO petitions (ticket, project_id, household_id, objection_id, channel, category_id, petitioner_name,
                       petitioner_id_number, body, received_at, registered_at, accept_n, accept_unit, handle_n, handle_unit,
                       status, decided_at, decided_by, replied_at)
SELECT o.ticket, b.project_id, o.household_id, o.id, 'online', NULL, h.holder_name, h.holder_id_number, o.body,
       o.created_at, o.created_at, 15, 'days', 60, 'days',
       CASE WHEN o.status = 'open' THEN 'registered' ELSE 'replied' END::petition_status,
       CASE WHEN o.status <> 'open' THEN o.answered_at END, o.answered_by,
       CASE WHEN o.status <> 'open' THEN o.answered_at END
  FROM objections o JOIN households h ON h.id = o.household_id JOIN buildings b ON b.id = h.building_id
 ORDER BY o.id;
INSERT INTO petition_replies (petition_id, body, final, at, by_user)
SELECT p.id, o.answer, true, o.answered_at, o.answered_by
  FROM petitions p JOIN objections o ON o.id = p.objection_id
 WHERE o.status <> 'open';

GRANT SELECT, INSERT, UPDATE, DELETE ON petitions, petition_replies, petition_categories, petition_periods TO onemap_app;
-- the public ticket page: the petition's state and the replies, nothing of the petitioner or staff
GRANT SELECT (id, ticket, channel, body, received_at, status, decided_at, reject_reason, replied_at,
              accept_n, accept_unit, handle_n, handle_unit)
   ON petitions TO onemap_public;
GRANT SELECT (petition_id, body, final, at) ON petition_replies TO onemap_public;
