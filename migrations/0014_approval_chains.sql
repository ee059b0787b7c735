-- Approval chains by configuration (docs/households.md, "Approval chains"). A payment batch goes
-- through its project's chain: an ordered list of steps, each taken by a role (an operator step
-- by the operators of the project's region or an admin, an admin step by an admin) and, when the
-- step names one, an office (岗位) the user holds. Submitting starts the chain; the last step
-- pays. Chains are versioned and never edited: a change makes a new version, and a batch keeps
-- the version it was submitted under. The database refuses, whoever writes the SQL:
-- * one person taking two steps of a batch, submitting included (batch_duties_separate);
-- * a step out of order, after the batch is paid or sent back, or paying other than by the last
--   step (batch_step_order); a step by someone who does not hold it (batch_step_holder);
-- * a send-back (退回) except by someone who may take the pending step, with a reason.
-- Existing batches keep what they went through: review → approve → pay, as the default's
-- first version; the new default is review → approve → check → pay. The functions and
-- triggers live in backend/sql/schema/ (batch_steps_take.sql, payment_batches_step.sql, ...).

---------------------------------------------------------------- offices and chains
-- The offices a user holds (e.g. 财务, 分管领导): labels a chain's steps may ask for.
CREATE TABLE user_offices (
    user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    office  text NOT NULL CHECK (office = btrim(office) AND length(office) BETWEEN 1 AND 40 AND office !~ '[[:cntrl:]]'),
    PRIMARY KEY (user_id, office)
);

CREATE TABLE approval_chains (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- NULL: the default, for projects without a chain of their own
    project_id bigint REFERENCES projects (id),
    version    integer NOT NULL CHECK (version > 0),
    -- NULL: made by this migration
    created_by integer REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT approval_chain_version_once UNIQUE NULLS NOT DISTINCT (project_id, version)
);

CREATE TABLE approval_steps (
    chain_id bigint NOT NULL REFERENCES approval_chains (id),
    position smallint NOT NULL CHECK (position BETWEEN 1 AND 12),
    -- names the step in its URL: POST /api/batches/{id}/{key}
    key      text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{1,31}$' AND key NOT IN ('return', 'submit')),
    name     text NOT NULL CHECK (name = btrim(name) AND length(name) BETWEEN 1 AND 40 AND name !~ '[[:cntrl:]]'),
    -- 'operator': the operators of the project's region, and admins
    role     user_role NOT NULL CHECK (role IN ('admin', 'operator')),
    office   text CHECK (office = btrim(office) AND length(office) BETWEEN 1 AND 40 AND office !~ '[[:cntrl:]]'),
    PRIMARY KEY (chain_id, position),
    CONSTRAINT approval_step_key_once UNIQUE (chain_id, key),
    CONSTRAINT approval_step_name_once UNIQUE (chain_id, name)
);

-- The chain batches made before chains went through (only where there are such batches).
INSERT INTO approval_chains (project_id, version) SELECT NULL, 1 WHERE EXISTS (SELECT 1 FROM payment_batches);
INSERT INTO approval_steps (chain_id, position, key, name, role)
SELECT c.id, s.position, s.key, s.name, 'admin'
  FROM approval_chains c,
       (VALUES (1, 'review', '审核'), (2, 'approve', '审批'), (3, 'pay', '支付')) s (position, key, name);
-- The default from now on.
INSERT INTO approval_chains (project_id, version) SELECT NULL, count(*) + 1 FROM approval_chains;
INSERT INTO approval_steps (chain_id, position, key, name, role)
SELECT (SELECT max(id) FROM approval_chains), s.position, s.key, s.name, s.role::user_role
  FROM (VALUES (1, 'review', '审核', 'operator'), (2, 'approve', '审批', 'admin'),
               (3, 'check', '复核', 'admin'), (4, 'pay', '支付', 'admin')) s (position, key, name, role);

---------------------------------------------------------------- batches follow a chain
-- Who took each step of a batch and when: position 0 is the submission, 1..n the chain's steps.
CREATE TABLE batch_steps (
    batch_id bigint NOT NULL REFERENCES payment_batches (id),
    position smallint NOT NULL CHECK (position BETWEEN 0 AND 12),
    -- NULL: generated history
    user_id  integer REFERENCES users (id),
    at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT batch_step_once PRIMARY KEY (batch_id, position)
);
CREATE INDEX batch_steps_user ON batch_steps (user_id);

ALTER TABLE payment_batches
    ADD COLUMN chain_id bigint REFERENCES approval_chains (id),
    -- chain steps taken so far; kept by batch_steps' trigger
    ADD COLUMN steps_taken smallint NOT NULL DEFAULT 0;

-- Existing batches: the first chain, their steps as they recorded them, and 'submitted' for
-- every batch in flight (the chain says how far it went).
ALTER TABLE payment_batches DROP CONSTRAINT batch_steps_dated, DROP CONSTRAINT batch_duties_separate,
                            DROP CONSTRAINT batch_steps_signed;
ALTER TABLE payment_batches DISABLE TRIGGER USER;
UPDATE payment_batches
   SET chain_id = (SELECT id FROM approval_chains WHERE project_id IS NULL AND version = 1),
       steps_taken = num_nonnulls(reviewed_at, approved_at, paid_at),
       status = CASE WHEN status IN ('reviewed', 'approved') THEN 'submitted' ELSE status END;
ALTER TABLE payment_batches ENABLE TRIGGER USER;
INSERT INTO batch_steps (batch_id, position, user_id, at)
SELECT id, 0, submitted_by, submitted_at FROM payment_batches
UNION ALL SELECT id, 1, reviewed_by, reviewed_at FROM payment_batches WHERE reviewed_at IS NOT NULL
UNION ALL SELECT id, 2, approved_by, approved_at FROM payment_batches WHERE approved_at IS NOT NULL
UNION ALL SELECT id, 3, paid_by, paid_at FROM payment_batches WHERE paid_at IS NOT NULL;

-- batch_steps holds the steps now; paid_* and returned_* stay on the batch (lists and figures read them).
ALTER TABLE payment_batches
    DROP COLUMN reviewed_by, DROP COLUMN reviewed_at, DROP COLUMN approved_by, DROP COLUMN approved_at,
    ALTER COLUMN chain_id SET NOT NULL,
    ADD CONSTRAINT batch_status_with_chains CHECK (status IN ('submitted', 'paid', 'returned')),
    ADD CONSTRAINT batch_steps_dated CHECK ((status <> 'paid' OR paid_at IS NOT NULL) AND (status <> 'returned' OR returned_at IS NOT NULL)),
    ADD CONSTRAINT batch_steps_signed CHECK (submitted_by IS NULL OR (
        (paid_at IS NULL) = (paid_by IS NULL) AND (returned_at IS NULL) = (returned_by IS NULL)));
CREATE INDEX payment_batches_chain ON payment_batches (chain_id) WHERE status = 'submitted';
