-- One file per household, compensation, funds with rules the database enforces, public
-- disclosure and objections (docs/households.md).

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

-- Rows that must never change once written (audit, money received and paid out).
CREATE FUNCTION refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are never changed or deleted', TG_TABLE_NAME
        USING ERRCODE = 'check_violation', CONSTRAINT = TG_TABLE_NAME || '_append_only';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Masks for everything the public sees: 张三 → 张**, 430702198001011234 → 4307**********1234.
CREATE FUNCTION mask_name(name text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT left(name, 1) || '**' $$;
CREATE FUNCTION mask_id_number(id text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN length(id) < 8 THEN repeat('*', length(id))
                ELSE left(id, 4) || repeat('*', length(id) - 8) || right(id, 4) END
$$;

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

-- The one computation of a household's compensation, signing on `signed_on`.
CREATE FUNCTION compensation(h_id bigint, signed_on date)
RETURNS TABLE (use text, legality text, recorded_area numeric, rate_yuan_per_m2 numeric,
               house_yuan numeric, relocation_yuan numeric, transition_yuan numeric,
               transition_yuan_per_m2_month numeric, transition_months smallint,
               incentive_yuan numeric, incentive_until date, computed_yuan numeric,
               override_yuan numeric, total_yuan numeric)
LANGUAGE sql STABLE AS $$
    SELECT c.use, c.legality, c.recorded_area, c.rate_yuan_per_m2, c.house_yuan, c.relocation_yuan, c.transition_yuan,
           c.transition_yuan_per_m2_month, c.transition_months, c.incentive_yuan, c.incentive_until,
           c.house_yuan + c.relocation_yuan + c.transition_yuan + c.incentive_yuan,
           o.yuan, coalesce(o.yuan, c.house_yuan + c.relocation_yuan + c.transition_yuan + c.incentive_yuan)
      FROM (SELECT h.id, b.use, b.legality, h.recorded_area, coalesce(r.yuan_per_m2, 0) AS rate,
                   round(h.recorded_area * coalesce(r.yuan_per_m2, 0), 2) AS house_yuan,
                   coalesce(s.relocation_yuan, 0) AS relocation_yuan,
                   round(h.recorded_area * coalesce(s.transition_yuan_per_m2_month, 0) * coalesce(s.transition_months, 0), 2) AS transition_yuan,
                   coalesce(s.transition_yuan_per_m2_month, 0) AS per_month, coalesce(s.transition_months, 0::smallint) AS months,
                   coalesce(i.yuan, 0) AS incentive_yuan, i.until
              FROM households h
              JOIN buildings b ON b.id = h.building_id
              LEFT JOIN compensation_standards s ON s.project_id = b.project_id
              LEFT JOIN compensation_rates r ON r.project_id = b.project_id AND r.use = b.use AND r.legality = b.legality
              LEFT JOIN LATERAL (SELECT yuan, until FROM compensation_incentives ci
                                  WHERE ci.project_id = b.project_id AND ci.until >= signed_on
                                  ORDER BY ci.until LIMIT 1) i ON true
             WHERE h.id = h_id) c(id, use, legality, recorded_area, rate_yuan_per_m2, house_yuan, relocation_yuan,
                                  transition_yuan, transition_yuan_per_m2_month, transition_months, incentive_yuan, incentive_until)
      LEFT JOIN compensation_overrides o ON o.household_id = c.id
$$;

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

CREATE FUNCTION agreements_need_signing() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM households WHERE id = NEW.household_id AND status >= 'signed') THEN
        RAISE EXCEPTION 'household % has not signed: no agreement', NEW.household_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'agreement_needs_signing';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER agreements_need_signing BEFORE INSERT ON agreements
    FOR EACH ROW EXECUTE FUNCTION agreements_need_signing();

-- Signing fixes the agreement at the compensation of that day.
CREATE FUNCTION households_agree() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    signed timestamptz := coalesce(NEW.status_at, now());
BEGIN
    INSERT INTO agreements (household_id, project_id, yuan, signed_at)
    SELECT NEW.id, b.project_id, c.total_yuan, signed
      FROM buildings b, compensation(NEW.id, (signed AT TIME ZONE 'Asia/Shanghai')::date) c
     WHERE b.id = NEW.building_id
    ON CONFLICT (household_id) DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER households_agree AFTER UPDATE OF status ON households
    FOR EACH ROW WHEN (OLD.status < 'signed' AND NEW.status >= 'signed') EXECUTE FUNCTION households_agree();

-- An override made after signing changes the agreed sum (never below what is committed).
CREATE FUNCTION overrides_reagree() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    h bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.household_id ELSE NEW.household_id END;
BEGIN
    UPDATE agreements a SET yuan = (SELECT c.total_yuan FROM compensation(h, (a.signed_at AT TIME ZONE 'Asia/Shanghai')::date) c)
     WHERE a.household_id = h;
    RETURN NULL;
END
$$;
CREATE TRIGGER overrides_reagree AFTER INSERT OR UPDATE OR DELETE ON compensation_overrides
    FOR EACH ROW EXECUTE FUNCTION overrides_reagree();

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
CREATE FUNCTION projects_fund_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO project_funds (project_id) VALUES (NEW.id);
    RETURN NULL;
END
$$;
CREATE TRIGGER projects_fund_row AFTER INSERT ON projects
    FOR EACH ROW EXECUTE FUNCTION projects_fund_row();

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
CREATE TRIGGER fund_allocations_append_only BEFORE UPDATE OR DELETE ON fund_allocations
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE FUNCTION fund_allocations_add() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE project_funds SET allocated_yuan = allocated_yuan + NEW.yuan WHERE project_id = NEW.project_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER fund_allocations_add AFTER INSERT ON fund_allocations
    FOR EACH ROW EXECUTE FUNCTION fund_allocations_add();

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
CREATE TRIGGER payments_append_only BEFORE UPDATE OR DELETE ON payments
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE FUNCTION payments_commit() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    batch payment_batches;
BEGIN
    SELECT * INTO batch FROM payment_batches WHERE id = NEW.batch_id FOR UPDATE;
    IF batch.status <> 'submitted' THEN
        RAISE EXCEPTION 'batch % is %: payments are added only while it is submitted', batch.id, batch.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'payment_batch_open';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM agreements WHERE household_id = NEW.household_id AND project_id = batch.project_id) THEN
        RAISE EXCEPTION 'household % has no agreement in the batch''s project', NEW.household_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'payment_in_batch_project';
    END IF;
    -- the agreement's CHECK refuses a sum beyond the agreed compensation
    UPDATE agreements SET committed_yuan = committed_yuan + NEW.yuan WHERE household_id = NEW.household_id;
    UPDATE payment_batches SET yuan = yuan + NEW.yuan, payments = payments + 1 WHERE id = NEW.batch_id;
    UPDATE project_funds SET committed_yuan = committed_yuan + NEW.yuan WHERE project_id = batch.project_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER payments_commit AFTER INSERT ON payments
    FOR EACH ROW EXECUTE FUNCTION payments_commit();

CREATE FUNCTION payment_batches_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status <> 'submitted' OR NEW.yuan <> 0 OR NEW.payments <> 0 THEN
        RAISE EXCEPTION 'a batch starts submitted and empty'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_starts_submitted';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER payment_batches_insert BEFORE INSERT ON payment_batches
    FOR EACH ROW EXECUTE FUNCTION payment_batches_insert();

-- Steps in order only; paying moves the money (the CHECKs refuse more than allocated);
-- sending back releases the batch's commitments.
CREATE FUNCTION payment_batches_step() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.project_id <> OLD.project_id THEN
        RAISE EXCEPTION 'a batch stays in its project' USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_step_order';
    END IF;
    -- the sum is the payments': only their trigger (one level down) may move it
    IF (NEW.yuan, NEW.payments) IS DISTINCT FROM (OLD.yuan, OLD.payments)
       AND (pg_trigger_depth() < 2 OR NEW.status <> 'submitted' OR OLD.status <> 'submitted') THEN
        RAISE EXCEPTION 'batch %: its sum is kept from its payments', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'payment_batch_open';
    END IF;
    IF NEW.status = OLD.status THEN
        RETURN NEW;
    END IF;
    IF (OLD.status, NEW.status) NOT IN (('submitted', 'reviewed'), ('reviewed', 'approved'), ('approved', 'paid'),
                                        ('submitted', 'returned'), ('reviewed', 'returned')) THEN
        RAISE EXCEPTION 'batch % cannot go from % to %', OLD.id, OLD.status, NEW.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_step_order';
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
CREATE TRIGGER payment_batches_step BEFORE UPDATE ON payment_batches
    FOR EACH ROW EXECUTE FUNCTION payment_batches_step();

-- The maintained sums recomputed from the rows (empty: all equal), for checks and bulk loads.
CREATE FUNCTION fund_differences()
RETURNS TABLE (subject text, kept numeric, recounted numeric)
LANGUAGE sql STABLE AS $$
    WITH live AS (
        SELECT p.household_id, b.project_id, b.status, p.yuan FROM payments p JOIN payment_batches b ON b.id = p.batch_id
         WHERE b.status <> 'returned'
    )
    SELECT 'agreement ' || a.household_id || ' committed', a.committed_yuan, coalesce(sum(l.yuan), 0)
      FROM agreements a LEFT JOIN live l ON l.household_id = a.household_id
     GROUP BY a.household_id HAVING a.committed_yuan <> coalesce(sum(l.yuan), 0)
    UNION ALL
    SELECT 'agreement ' || a.household_id || ' paid', a.paid_yuan, coalesce(sum(l.yuan) FILTER (WHERE l.status = 'paid'), 0)
      FROM agreements a LEFT JOIN live l ON l.household_id = a.household_id
     GROUP BY a.household_id HAVING a.paid_yuan <> coalesce(sum(l.yuan) FILTER (WHERE l.status = 'paid'), 0)
    UNION ALL
    SELECT 'project ' || f.project_id || ' allocated', f.allocated_yuan,
           coalesce((SELECT sum(yuan) FROM fund_allocations x WHERE x.project_id = f.project_id), 0)
      FROM project_funds f
     WHERE f.allocated_yuan <> coalesce((SELECT sum(yuan) FROM fund_allocations x WHERE x.project_id = f.project_id), 0)
    UNION ALL
    SELECT 'project ' || f.project_id || ' committed', f.committed_yuan,
           coalesce((SELECT sum(yuan) FROM live WHERE live.project_id = f.project_id), 0)
      FROM project_funds f
     WHERE f.committed_yuan <> coalesce((SELECT sum(yuan) FROM live WHERE live.project_id = f.project_id), 0)
    UNION ALL
    SELECT 'project ' || f.project_id || ' paid', f.paid_yuan,
           coalesce((SELECT sum(yuan) FROM live WHERE live.project_id = f.project_id AND live.status = 'paid'), 0)
      FROM project_funds f
     WHERE f.paid_yuan <> coalesce((SELECT sum(yuan) FROM live WHERE live.project_id = f.project_id AND live.status = 'paid'), 0)
$$;

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

-- A household's compensation as staff, exports and the resident see it: each line with the
-- basis it was computed on. Signed households are computed on their signing day (which fixes
-- the incentive), the others as if they signed `today`.
CREATE FUNCTION compensation_detail(h_id bigint, today date) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'signed_on', d.day, 'projected', a.household_id IS NULL,
        'lines', json_build_array(
            json_build_object('key', 'house', 'zh', '房屋补偿', 'yuan', c.house_yuan,
                'basis', format('%s m² × %s 元/m²（%s，%s）', c.recorded_area, c.rate_yuan_per_m2,
                    CASE c.use WHEN 'residential' THEN '住宅' WHEN 'commercial' THEN '商业' WHEN 'industrial' THEN '工业'
                               WHEN 'public' THEN '公共' ELSE '混合' END,
                    CASE c.legality WHEN 'legal' THEN '合法' ELSE '违法建筑' END)),
            json_build_object('key', 'relocation', 'zh', '搬迁补助', 'yuan', c.relocation_yuan, 'basis', '每户'),
            json_build_object('key', 'transition', 'zh', '临时安置补助', 'yuan', c.transition_yuan,
                'basis', format('%s m² × %s 元/m²/月 × %s 个月', c.recorded_area, c.transition_yuan_per_m2_month, c.transition_months)),
            json_build_object('key', 'incentive', 'zh', '签约奖励', 'yuan', c.incentive_yuan,
                'basis', CASE WHEN c.incentive_until IS NULL THEN '签约日不在奖励期内'
                              ELSE format('%s 前签约', c.incentive_until) END)),
        'computed_yuan', c.computed_yuan,
        'override', (SELECT json_build_object('yuan', o.yuan, 'reason', o.reason, 'by', u.username, 'at', o.at)
                       FROM compensation_overrides o LEFT JOIN users u ON u.id = o.user_id WHERE o.household_id = h_id),
        'total_yuan', c.total_yuan)
      FROM (SELECT coalesce((SELECT (signed_at AT TIME ZONE 'Asia/Shanghai')::date FROM agreements WHERE household_id = h_id), today) AS day) d
      LEFT JOIN agreements a ON a.household_id = h_id,
           LATERAL compensation(h_id, d.day) c
$$;
