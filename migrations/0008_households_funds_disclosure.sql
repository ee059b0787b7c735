-- One file per household, compensation, funds with rules the database enforces, public
-- disclosure and objections (docs/households.md). The rules' triggers and the compensation
-- functions live in backend/sql/schema/ (compensation.sql, payments_commit.sql, ...).

-- Append-only record of sensitive acts: overrides, answers, uploads, batch steps.
CREATE TABLE audit_log (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at      timestamptz NOT NULL DEFAULT now(),
    user_id integer REFERENCES users (id),
    action  text NOT NULL CHECK (action <> ''),
    subject text NOT NULL CHECK (subject <> ''),
    detail  jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_subject ON audit_log (subject, id);

---------------------------------------------------------------- one file per household
CREATE TYPE attachment_kind AS ENUM ('id_card', 'household_register', 'agreement', 'vacate_acceptance', 'other');
CREATE TABLE attachments (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    household_id bigint NOT NULL REFERENCES households (id),
    kind         attachment_kind NOT NULL,
    -- the content's SHA-256: the file's name on disk, so equal files are stored once
    sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes   bigint NOT NULL CHECK (size_bytes > 0 AND size_bytes <= 10485760),
    content_type text NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    -- shown and offered on download only; never a path
    file_name    text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200 AND file_name !~ '[/\\[:cntrl:]]' AND file_name !~ '^\.'),
    uploaded_by  integer REFERENCES users (id),
    uploaded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachments_household ON attachments (household_id);

---------------------------------------------------------------- compensation
CREATE TABLE compensation_standards (
    project_id                   bigint PRIMARY KEY REFERENCES projects (id),
    -- 搬迁补助, per household
    relocation_yuan              numeric(14, 2) NOT NULL DEFAULT 0 CHECK (relocation_yuan >= 0),
    -- 临时安置补助: per m² of recorded area and month, for so many months
    transition_yuan_per_m2_month numeric(10, 2) NOT NULL DEFAULT 0 CHECK (transition_yuan_per_m2_month >= 0),
    transition_months            smallint NOT NULL DEFAULT 0 CHECK (transition_months BETWEEN 0 AND 120),
    -- NULL: the built-in agreement template
    agreement_template           text
);
-- 房屋补偿 rate per m² of recorded area, by the building's use and legality (missing: 0).
CREATE TABLE compensation_rates (
    project_id  bigint NOT NULL REFERENCES compensation_standards (project_id) ON DELETE CASCADE,
    use         text NOT NULL CHECK (use IN ('residential', 'commercial', 'industrial', 'public', 'mixed')),
    legality    text NOT NULL CHECK (legality IN ('legal', 'illegal')),
    yuan_per_m2 numeric(10, 2) NOT NULL CHECK (yuan_per_m2 >= 0),
    PRIMARY KEY (project_id, use, legality)
);
-- 签约奖励: signing on or before `until` earns `yuan`; the earliest tier that applies wins.
CREATE TABLE compensation_incentives (
    project_id bigint NOT NULL REFERENCES compensation_standards (project_id) ON DELETE CASCADE,
    until      date NOT NULL,
    yuan       numeric(14, 2) NOT NULL CHECK (yuan >= 0),
    PRIMARY KEY (project_id, until)
);
-- 一事一议: an authorised total replacing the computed one, always with a reason.
CREATE TABLE compensation_overrides (
    household_id bigint PRIMARY KEY REFERENCES households (id),
    yuan         numeric(14, 2) NOT NULL CHECK (yuan >= 0),
    reason       text NOT NULL CHECK (btrim(reason) <> ''),
    user_id      integer NOT NULL REFERENCES users (id),
    at           timestamptz NOT NULL DEFAULT now()
);

---------------------------------------------------------------- agreements and funds
-- The agreed compensation, fixed when the household signs. Payments reference it: a household
-- without one cannot be paid. committed = in batches not sent back; paid = in paid batches.
CREATE TABLE agreements (
    household_id   bigint PRIMARY KEY REFERENCES households (id),
    project_id     bigint NOT NULL REFERENCES projects (id),
    yuan           numeric(14, 2) NOT NULL CHECK (yuan >= 0),
    signed_at      timestamptz NOT NULL,
    committed_yuan numeric(14, 2) NOT NULL DEFAULT 0,
    paid_yuan      numeric(14, 2) NOT NULL DEFAULT 0,
    CONSTRAINT agreement_not_overpaid CHECK (0 <= paid_yuan AND paid_yuan <= committed_yuan AND committed_yuan <= yuan)
);
CREATE INDEX agreements_project ON agreements (project_id);

-- Per project: money received and paid out. The CHECK is the rule that no batch is paid
-- beyond the allocations; updating the row also serialises concurrent payers of a project.
CREATE TABLE project_funds (
    project_id     bigint PRIMARY KEY REFERENCES projects (id),
    allocated_yuan numeric(16, 2) NOT NULL DEFAULT 0 CHECK (allocated_yuan >= 0),
    committed_yuan numeric(16, 2) NOT NULL DEFAULT 0 CHECK (committed_yuan >= 0),
    paid_yuan      numeric(16, 2) NOT NULL DEFAULT 0 CHECK (paid_yuan >= 0),
    CONSTRAINT batch_within_allocations CHECK (paid_yuan <= allocated_yuan)
);
INSERT INTO project_funds (project_id) SELECT id FROM projects;

-- 拨入: money received for a project.
CREATE TABLE fund_allocations (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id  bigint NOT NULL REFERENCES projects (id),
    yuan        numeric(16, 2) NOT NULL CHECK (yuan > 0),
    received_on date NOT NULL,
    note        text NOT NULL DEFAULT '',
    user_id     integer REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX fund_allocations_project ON fund_allocations (project_id);

-- A batch of payments moves submitted → reviewed → approved → paid; a submitted or reviewed
-- batch can be sent back (returned) with a reason, which releases its payments.
CREATE TYPE batch_status AS ENUM ('submitted', 'reviewed', 'approved', 'paid', 'returned');
CREATE TABLE payment_batches (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id    bigint NOT NULL REFERENCES projects (id),
    status        batch_status NOT NULL DEFAULT 'submitted',
    note          text NOT NULL DEFAULT '',
    -- kept by the payments trigger
    yuan          numeric(16, 2) NOT NULL DEFAULT 0,
    payments      integer NOT NULL DEFAULT 0,
    -- NULL users: generated history
    submitted_by  integer REFERENCES users (id),
    submitted_at  timestamptz NOT NULL DEFAULT now(),
    reviewed_by   integer REFERENCES users (id),
    reviewed_at   timestamptz,
    approved_by   integer REFERENCES users (id),
    approved_at   timestamptz,
    paid_by       integer REFERENCES users (id),
    paid_at       timestamptz,
    returned_by   integer REFERENCES users (id),
    returned_at   timestamptz,
    return_reason text,
    CONSTRAINT batch_reviewer_not_submitter CHECK (reviewed_by IS DISTINCT FROM submitted_by OR submitted_by IS NULL),
    CONSTRAINT batch_return_has_reason CHECK (status <> 'returned' OR btrim(coalesce(return_reason, '')) <> ''),
    CONSTRAINT batch_steps_dated CHECK (
        (status IN ('submitted', 'returned') OR reviewed_at IS NOT NULL) AND
        (status NOT IN ('approved', 'paid') OR approved_at IS NOT NULL) AND
        (status <> 'paid' OR paid_at IS NOT NULL) AND
        (status <> 'returned' OR returned_at IS NOT NULL))
);
CREATE INDEX payment_batches_project ON payment_batches (project_id, id);

CREATE TABLE payments (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    batch_id        bigint NOT NULL REFERENCES payment_batches (id),
    household_id    bigint NOT NULL,
    yuan            numeric(14, 2) NOT NULL CHECK (yuan > 0),
    -- chosen by the requester once per intended payment: a repeated request cannot pay twice
    idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 8 AND 100),
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT payment_needs_signed_agreement FOREIGN KEY (household_id) REFERENCES agreements (household_id),
    CONSTRAINT payment_paid_once UNIQUE (idempotency_key),
    CONSTRAINT payment_household_once_per_batch UNIQUE (batch_id, household_id)
);
CREATE INDEX payments_household ON payments (household_id);

---------------------------------------------------------------- public disclosure
CREATE TYPE disclosure_kind AS ENUM ('overview', 'policy', 'compensation_plan', 'announcement');
CREATE TABLE disclosures (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id   bigint NOT NULL REFERENCES projects (id),
    kind         disclosure_kind NOT NULL,
    title        text NOT NULL CHECK (btrim(title) <> ''),
    body         text NOT NULL,
    user_id      integer REFERENCES users (id),
    published_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX disclosures_project ON disclosures (project_id, published_at);

-- 申诉: filed by a resident for their household, followed by its random ticket.
CREATE TYPE objection_status AS ENUM ('open', 'answered', 'closed');
CREATE TABLE objections (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    household_id bigint NOT NULL REFERENCES households (id),
    ticket       text NOT NULL UNIQUE CHECK (ticket ~ '^[0-9A-Z]{16}$'),
    body         text NOT NULL CHECK (length(btrim(body)) BETWEEN 1 AND 2000),
    status       objection_status NOT NULL DEFAULT 'open',
    created_at   timestamptz NOT NULL DEFAULT now(),
    answer       text,
    answered_by  integer REFERENCES users (id),
    answered_at  timestamptz,
    CONSTRAINT objection_answered CHECK (status = 'open' OR (btrim(coalesce(answer, '')) <> '' AND answered_at IS NOT NULL))
);
CREATE INDEX objections_household ON objections (household_id);

-- Residents look themselves up by ID number.
CREATE INDEX households_holder_id_number ON households (holder_id_number);
