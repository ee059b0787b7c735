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
-- first version; the new default is review → approve → check → pay.

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

-- A chain is fixed once made: its steps come with it, in the transaction that creates it.
CREATE FUNCTION approval_steps_with_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM approval_chains WHERE id = NEW.chain_id AND xmin = pg_current_xact_id()::xid) THEN
        RAISE EXCEPTION 'approval chain %: steps are set when the chain is made; a change makes a new version', NEW.chain_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'approval_chain_fixed';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER approval_steps_with_chain BEFORE INSERT ON approval_steps
    FOR EACH ROW EXECUTE FUNCTION approval_steps_with_chain();

-- At commit: a chain has steps numbered 1 to n (the batch after step k takes step k + 1).
CREATE FUNCTION approval_chain_numbered() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    chain bigint;
BEGIN
    -- (two statements: a record has only its own table's fields)
    IF TG_TABLE_NAME = 'approval_chains' THEN
        chain := NEW.id;
    ELSE
        chain := NEW.chain_id;
    END IF;
    IF (SELECT count(*) = 0 OR count(*) <> max(position) FROM approval_steps WHERE chain_id = chain) THEN
        RAISE EXCEPTION 'approval chain %: its steps are numbered 1 to n, at least one', chain
            USING ERRCODE = 'check_violation', CONSTRAINT = 'approval_chain_numbered';
    END IF;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER approval_chains_numbered AFTER INSERT ON approval_chains
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION approval_chain_numbered();
CREATE CONSTRAINT TRIGGER approval_steps_numbered AFTER INSERT ON approval_steps
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION approval_chain_numbered();

CREATE TRIGGER approval_chains_append_only BEFORE UPDATE OR DELETE ON approval_chains
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER approval_steps_append_only BEFORE UPDATE OR DELETE ON approval_steps
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER approval_chains_no_truncate BEFORE TRUNCATE ON approval_chains FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER approval_steps_no_truncate BEFORE TRUNCATE ON approval_steps FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- The chain a batch of project `project` submitted now follows: the project's latest version,
-- else the default's.
CREATE FUNCTION approval_chain_in_force(project bigint) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT id FROM approval_chains WHERE project_id = project OR project_id IS NULL
     ORDER BY project_id NULLS LAST, version DESC LIMIT 1
$$;

-- Whether user `u` holds step `pos` of chain `chain` for a batch of project `project`: the
-- step's role (an admin holds every role; an operator, operator steps in their region's
-- subtree) and the step's office, if it names one.
CREATE FUNCTION holds_approval_step(u integer, project bigint, chain bigint, pos integer) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (
        SELECT 1 FROM approval_steps s JOIN users x ON x.id = u
         WHERE s.chain_id = chain AND s.position = pos
           AND (x.role = 'admin'
                OR (s.role = 'operator' AND x.role = 'operator'
                    AND EXISTS (SELECT 1 FROM projects p JOIN regions r ON r.id = p.region_id
                                 WHERE p.id = project AND x.region_id = ANY (r.lineage))))
           AND (s.office IS NULL OR EXISTS (SELECT 1 FROM user_offices o WHERE o.user_id = u AND o.office = s.office)))
$$;

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

CREATE TRIGGER batch_steps_append_only BEFORE UPDATE OR DELETE ON batch_steps
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER batch_steps_no_truncate BEFORE TRUNCATE ON batch_steps FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- A batch starts submitted, empty, by a named user, on the chain in force.
CREATE OR REPLACE FUNCTION payment_batches_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status <> 'submitted' OR NEW.yuan <> 0 OR NEW.payments <> 0 OR NEW.submitted_by IS NULL OR NEW.steps_taken <> 0
       OR num_nonnulls(NEW.paid_at, NEW.paid_by, NEW.returned_at, NEW.returned_by, NEW.return_reason) > 0 THEN
        RAISE EXCEPTION 'a batch starts submitted, empty, by a named user'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_starts_submitted';
    END IF;
    IF NEW.chain_id IS NULL THEN
        NEW.chain_id := approval_chain_in_force(NEW.project_id);
    ELSIF NEW.chain_id IS DISTINCT FROM approval_chain_in_force(NEW.project_id) THEN
        RAISE EXCEPTION 'a batch follows the approval chain in force for its project (%), not %',
                        approval_chain_in_force(NEW.project_id), NEW.chain_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_chain_in_force';
    END IF;
    RETURN NEW;
END
$$;

-- The submission is the batch's step 0: its submitter takes no other step.
CREATE FUNCTION payment_batches_submitted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO batch_steps (batch_id, position, user_id, at) VALUES (NEW.id, 0, NEW.submitted_by, NEW.submitted_at);
    RETURN NULL;
END
$$;
CREATE TRIGGER payment_batches_submitted AFTER INSERT ON payment_batches
    FOR EACH ROW EXECUTE FUNCTION payment_batches_submitted();

-- Taking a step: one at a time per batch (the batch's row is locked first, so the checks see
-- every earlier step), in order, by a holder who took no other step of it; the last one pays.
CREATE FUNCTION batch_steps_take() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    batch payment_batches;
    last_step smallint;
BEGIN
    SELECT * INTO batch FROM payment_batches WHERE id = NEW.batch_id FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NEW; -- the foreign key refuses it
    END IF;
    IF NEW.position = 0 THEN
        IF pg_trigger_depth() < 2 THEN
            RAISE EXCEPTION 'batch %: its submission is recorded when the batch is inserted', NEW.batch_id
                USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_step_order';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.user_id IS NULL THEN
        RAISE EXCEPTION 'batch %: a step names who took it', NEW.batch_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_steps_signed';
    END IF;
    IF batch.status <> 'submitted' THEN
        RAISE EXCEPTION 'batch % is %: it takes no more steps', batch.id, batch.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_step_order';
    END IF;
    IF NEW.position <> batch.steps_taken + 1 THEN
        RAISE EXCEPTION 'batch %: step % is next, not step %', batch.id, batch.steps_taken + 1, NEW.position
            USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_step_order';
    END IF;
    IF EXISTS (SELECT 1 FROM batch_steps WHERE batch_id = batch.id AND user_id = NEW.user_id) THEN
        RAISE EXCEPTION 'batch %: user % already took a step of it (submitting counts); one person takes one step', batch.id, NEW.user_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_duties_separate';
    END IF;
    IF NOT holds_approval_step(NEW.user_id, batch.project_id, batch.chain_id, NEW.position) THEN
        RAISE EXCEPTION 'batch %: user % does not hold step % of its chain (its role or office)', batch.id, NEW.user_id, NEW.position
            USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_step_holder';
    END IF;
    NEW.at := now();
    SELECT max(position) INTO last_step FROM approval_steps WHERE chain_id = batch.chain_id;
    UPDATE payment_batches
       SET steps_taken = NEW.position,
           status = CASE WHEN NEW.position = last_step THEN 'paid' ELSE 'submitted' END::batch_status,
           paid_by = CASE WHEN NEW.position = last_step THEN NEW.user_id END,
           paid_at = CASE WHEN NEW.position = last_step THEN NEW.at END
     WHERE id = batch.id;
    RETURN NEW;
END
$$;
CREATE TRIGGER batch_steps_take BEFORE INSERT ON batch_steps
    FOR EACH ROW EXECUTE FUNCTION batch_steps_take();

-- A batch row changes only as its steps move it (one level down, from batch_steps), by its
-- payments' sums (before any step), or by a send-back; what it recorded is history. Paying
-- moves the money (the CHECKs refuse more than allocated); a send-back releases it.
CREATE OR REPLACE FUNCTION payment_batches_step() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    last_step smallint;
BEGIN
    IF (NEW.project_id, NEW.chain_id, NEW.submitted_by, NEW.submitted_at, NEW.note)
           IS DISTINCT FROM (OLD.project_id, OLD.chain_id, OLD.submitted_by, OLD.submitted_at, OLD.note)
       OR (OLD.paid_at IS NOT NULL AND (NEW.paid_at, NEW.paid_by) IS DISTINCT FROM (OLD.paid_at, OLD.paid_by))
       OR (OLD.returned_at IS NOT NULL AND (NEW.returned_at, NEW.returned_by, NEW.return_reason) IS DISTINCT FROM (OLD.returned_at, OLD.returned_by, OLD.return_reason)) THEN
        RAISE EXCEPTION 'batch %: what its steps recorded is history', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_step_order';
    END IF;
    -- the sum is the payments': only their trigger (one level down) moves it, before any step
    IF (NEW.yuan, NEW.payments) IS DISTINCT FROM (OLD.yuan, OLD.payments)
       AND (pg_trigger_depth() < 2 OR NEW.status <> 'submitted' OR OLD.status <> 'submitted' OR OLD.steps_taken > 0) THEN
        RAISE EXCEPTION 'batch %: its sum is kept from its payments', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'payment_batch_open';
    END IF;
    IF (NEW.steps_taken, NEW.paid_at, NEW.paid_by) IS DISTINCT FROM (OLD.steps_taken, OLD.paid_at, OLD.paid_by)
       OR (NEW.status = 'paid' AND OLD.status <> 'paid') THEN
        IF pg_trigger_depth() < 2 OR NEW.steps_taken <> OLD.steps_taken + 1 THEN
            RAISE EXCEPTION 'batch %: a step is taken by recording it in batch_steps, in order', OLD.id
                USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_step_order';
        END IF;
        SELECT max(position) INTO last_step FROM approval_steps WHERE chain_id = NEW.chain_id;
        IF (NEW.status = 'paid') <> (NEW.steps_taken = last_step) OR (NEW.status = 'paid') <> (NEW.paid_at IS NOT NULL) THEN
            RAISE EXCEPTION 'batch %: the last step of its chain pays, and only it', OLD.id
                USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_step_order';
        END IF;
    END IF;
    IF NEW.status = OLD.status THEN
        IF pg_trigger_depth() < 2 THEN
            RAISE EXCEPTION 'batch % is already %', OLD.id, OLD.status
                USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_step_order';
        END IF;
        RETURN NEW;
    END IF;
    IF (OLD.status, NEW.status) NOT IN (('submitted', 'paid'), ('submitted', 'returned')) THEN
        RAISE EXCEPTION 'batch % cannot go from % to %', OLD.id, OLD.status, NEW.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_step_order';
    END IF;
    IF NEW.status = 'returned' AND NOT holds_approval_step(NEW.returned_by, NEW.project_id, NEW.chain_id, OLD.steps_taken + 1) THEN
        RAISE EXCEPTION 'batch %: it is sent back by someone who may take its next step (step %)', OLD.id, OLD.steps_taken + 1
            USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_step_holder';
    END IF;
    IF NEW.status = 'paid' THEN
        UPDATE project_funds SET paid_yuan = paid_yuan + NEW.yuan WHERE project_id = NEW.project_id;
        UPDATE agreements a SET paid_yuan = a.paid_yuan + p.yuan FROM payments p
         WHERE p.batch_id = NEW.id AND a.household_id = p.household_id;
    ELSIF NEW.status = 'returned' THEN
        UPDATE project_funds SET committed_yuan = committed_yuan - NEW.yuan WHERE project_id = NEW.project_id;
        UPDATE agreements a SET committed_yuan = a.committed_yuan - p.yuan FROM payments p
         WHERE p.batch_id = NEW.id AND a.household_id = p.household_id;
    END IF;
    RETURN NEW;
END
$$;

-- Payments join a batch only before its first step (as 0011, plus that condition).
CREATE OR REPLACE FUNCTION payments_commit() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    batch payment_batches;
BEGIN
    SELECT * INTO batch FROM payment_batches WHERE id = NEW.batch_id FOR UPDATE;
    IF batch.status <> 'submitted' OR batch.steps_taken > 0 THEN
        RAISE EXCEPTION 'batch % is % with % steps taken: payments are added only before its first step', batch.id, batch.status, batch.steps_taken
            USING ERRCODE = 'check_violation', CONSTRAINT = 'payment_batch_open';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM agreements WHERE household_id = NEW.household_id AND voided_at IS NULL) THEN
        RAISE EXCEPTION 'household % has no signed agreement (it was sent back before signing)', NEW.household_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'payment_needs_signed_agreement';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM agreements WHERE household_id = NEW.household_id AND project_id = batch.project_id) THEN
        RAISE EXCEPTION 'household % has no agreement in the batch''s project', NEW.household_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'payment_in_batch_project';
    END IF;
    UPDATE project_funds SET committed_yuan = committed_yuan + NEW.yuan WHERE project_id = batch.project_id;
    -- the agreement's CHECK refuses a sum beyond the agreed compensation
    UPDATE agreements SET committed_yuan = committed_yuan + NEW.yuan WHERE household_id = NEW.household_id;
    UPDATE payment_batches SET yuan = yuan + NEW.yuan, payments = payments + 1 WHERE id = NEW.batch_id;
    RETURN NULL;
END
$$;
