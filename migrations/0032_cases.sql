-- 疑难个案 (difficult cases): a household's case with a category, an owner group, a due time
-- and a ladder of escalation (group → 指挥部 → 挂点领导), its append-only events, its case
-- conferences (研判) and the status events it led to. households.difficult becomes "has an
-- open case" (kept by cases_keep_difficult.sql); flagged households are backfilled below.
CREATE TYPE case_level AS ENUM ('group', 'command', 'leader');
-- 签约, 补偿决定, 司法程序, 撤销
CREATE TYPE case_outcome AS ENUM ('signed', 'decision', 'litigation', 'withdrawn');

-- The seven categories with their due rule: a case is due at the end of the Beijing day
-- `due_days` after it opens (0: "疑难问题不过夜", the same day); each escalation gives the next
-- level the same rule from the moment it escalates. Admins edit the rule, not the keys.
CREATE TABLE case_categories (
    key        text PRIMARY KEY CHECK (key ~ '^[a-z_]{2,20}$'),
    name       text NOT NULL UNIQUE,
    seq        smallint NOT NULL UNIQUE,
    due_days   smallint NOT NULL DEFAULT 0 CHECK (due_days BETWEEN 0 AND 30),
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by integer REFERENCES users (id)
);
INSERT INTO case_categories (key, name, seq) VALUES
    ('ownership', '权属争议', 1), ('area', '面积认定', 2), ('standard', '补偿标准异议', 3),
    ('illegal', '违建认定', 4), ('family', '家庭内部分歧', 5), ('resettlement', '安置诉求', 6),
    ('other', '其他', 7);

CREATE TABLE cases (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    household_id bigint NOT NULL REFERENCES households (id),
    -- the household's project, kept here so the board and the figures filter without joins
    project_id   bigint NOT NULL REFERENCES projects (id),
    group_id     integer REFERENCES work_groups (id),
    category     text NOT NULL REFERENCES case_categories (key),
    note         text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    opened_by    integer REFERENCES users (id),
    opened_at    timestamptz NOT NULL DEFAULT now(),
    -- the case's deadline by its category's rule: open past it, the case is overdue
    due_at       timestamptz NOT NULL,
    level        case_level NOT NULL DEFAULT 'group',
    -- when the current level's time runs out: escalate_due_cases() moves it up past this
    level_due_at timestamptz NOT NULL,
    state        text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
    outcome      case_outcome,
    closed_at    timestamptz,
    closed_by    integer REFERENCES users (id),
    close_note   text CHECK (length(close_note) <= 2000),
    CONSTRAINT case_closed_with_outcome CHECK ((state = 'closed') = (outcome IS NOT NULL AND closed_at IS NOT NULL)),
    CONSTRAINT case_due_after_opening CHECK (due_at > opened_at)
);
-- one open case per household: the flag, the board and the map count households
CREATE UNIQUE INDEX case_open_once ON cases (household_id) WHERE state = 'open';
CREATE INDEX cases_household ON cases (household_id);
CREATE INDEX cases_open_project ON cases (project_id) WHERE state = 'open';
-- overdue is counted at read time (it depends on the clock): an index on the open deadlines
CREATE INDEX cases_open_due ON cases (due_at) WHERE state = 'open';
CREATE INDEX cases_escalation_due ON cases (level_due_at) WHERE state = 'open' AND level <> 'leader';
CREATE INDEX cases_project_opened ON cases (project_id, opened_at);
CREATE INDEX cases_group ON cases (group_id) WHERE group_id IS NOT NULL;

-- What happened to a case, append-only; ids follow commit order (case_events_queue.sql) so the
-- live feed (SSE `case`) resumes by id.
CREATE TABLE case_events (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id bigint NOT NULL REFERENCES cases (id),
    kind    text NOT NULL CHECK (kind IN ('opened', 'conference', 'escalated', 'reassigned', 'closed')),
    -- NULL: the escalation job
    user_id integer REFERENCES users (id),
    at      timestamptz NOT NULL DEFAULT now(),
    body    jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX case_events_case ON case_events (case_id, id);

-- 研判: who took part (onemap users, and outside attendees by name: personal data, staff
-- only), the positions heard, the decision and the next action.
CREATE TABLE case_conferences (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id           bigint NOT NULL REFERENCES cases (id),
    held_at           timestamptz NOT NULL,
    participants      integer[] NOT NULL DEFAULT '{}',
    outside_attendees text[] NOT NULL DEFAULT '{}',
    positions         text NOT NULL CHECK (length(positions) <= 4000),
    decision          text NOT NULL CHECK (length(btrim(decision)) BETWEEN 1 AND 2000),
    next_action       text NOT NULL DEFAULT '' CHECK (length(next_action) <= 1000),
    recorded_by       integer REFERENCES users (id),
    recorded_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_conferences_case ON case_conferences (case_id);
-- a conference's files are the household's attachments (the existing store), linked here
CREATE TABLE case_conference_attachments (
    conference_id bigint NOT NULL REFERENCES case_conferences (id),
    attachment_id bigint NOT NULL REFERENCES attachments (id),
    PRIMARY KEY (conference_id, attachment_id)
);

-- The status events a case led to (a case closed 签约 links the household's signing event).
CREATE TABLE case_status_events (
    case_id         bigint NOT NULL REFERENCES cases (id),
    status_event_id bigint NOT NULL REFERENCES status_events (id),
    PRIMARY KEY (case_id, status_event_id)
);

-- the buildings tile's flag reads households with an open case by building
CREATE INDEX households_difficult_building ON households (building_id) WHERE difficult;

-- Nothing is lost: every household flagged difficult before cases existed gets an open case
-- of category 其他, opened at its status time, with a fresh deadline (the end of the Beijing
-- day of this migration: it was never under one), held by its group.
INSERT INTO cases (household_id, project_id, group_id, category, note, opened_at, due_at, level_due_at)
SELECT h.id, b.project_id, h.group_id, 'other', '由原疑难户标记转入',
       least(coalesce(h.status_at, now()), now()), d.due, d.due
  FROM households h JOIN buildings b ON b.id = h.building_id,
       LATERAL (SELECT (((now() AT TIME ZONE 'Asia/Shanghai')::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai') AS due) d
 WHERE h.difficult
 ORDER BY h.id;
INSERT INTO case_events (case_id, kind, at, body)
SELECT id, 'opened', opened_at, jsonb_build_object('category', category, 'backfill', true) FROM cases ORDER BY id;

GRANT SELECT, INSERT ON case_events, case_conferences, case_conference_attachments, case_status_events TO onemap_app;
REVOKE UPDATE, DELETE ON case_events, case_conferences, case_conference_attachments, case_status_events FROM onemap_app;
REVOKE DELETE ON cases FROM onemap_app;
