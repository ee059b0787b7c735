CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

COMMENT ON EXTENSION pg_trgm IS 'text similarity measurement and index searching based on trigrams';

CREATE EXTENSION IF NOT EXISTS postgis WITH SCHEMA public;

COMMENT ON EXTENSION postgis IS 'PostGIS geometry and geography spatial types and functions';

CREATE TYPE public.attachment_kind AS ENUM (
    'id_card',
    'household_register',
    'agreement',
    'vacate_acceptance',
    'other'
);

CREATE TYPE public.batch_status AS ENUM (
    'submitted',
    'reviewed',
    'approved',
    'paid',
    'returned'
);

CREATE TYPE public.case_level AS ENUM (
    'group',
    'command',
    'leader'
);

CREATE TYPE public.case_outcome AS ENUM (
    'signed',
    'decision',
    'litigation',
    'withdrawn'
);

CREATE TYPE public.disclosure_kind AS ENUM (
    'overview',
    'policy',
    'compensation_plan',
    'announcement',
    'survey_results',
    'appraisal_results',
    'compensation_results',
    'staff',
    'supervision'
);

CREATE TYPE public.gate_override_action AS ENUM (
    'grant',
    'revoke'
);

CREATE TYPE public.land_status AS ENUM (
    'pending',
    'acquired',
    'cleared',
    'delivered'
);

CREATE TYPE public.objection_status AS ENUM (
    'open',
    'answered',
    'closed'
);

CREATE TYPE public.period_unit AS ENUM (
    'days',
    'working_days',
    'months'
);

CREATE TYPE public.petition_channel AS ENUM (
    'online',
    'hotline',
    'letter',
    'visit',
    'box'
);

CREATE TYPE public.petition_status AS ENUM (
    'registered',
    'accepted',
    'rejected',
    'replied'
);

CREATE TYPE public.progress_status AS ENUM (
    'pending',
    'surveyed',
    'signed',
    'vacated',
    'demolished'
);

CREATE TYPE public.project_kind AS ENUM (
    'house_expropriation',
    'land_acquisition',
    'shantytown',
    'land_readiness'
);

CREATE TYPE public.project_stage AS ENUM (
    'preparation',
    'survey',
    'plan',
    'decision',
    'signing',
    'relocation',
    'handover',
    'closed'
);

CREATE TYPE public.region_level AS ENUM (
    'city',
    'district',
    'street',
    'community'
);

CREATE TYPE public.resettlement AS ENUM (
    'monetary',
    'property_swap'
);

CREATE TYPE public.step_gate AS ENUM (
    'signing',
    'compensation_decision',
    'demolition'
);

CREATE TYPE public.step_output AS ENUM (
    'announcement',
    'report',
    'decision',
    'list',
    'agreement',
    'record'
);

CREATE TYPE public.step_state AS ENUM (
    'not_started',
    'in_progress',
    'done',
    'waived'
);

CREATE TYPE public.unit_status AS ENUM (
    'available',
    'reserved',
    'selected',
    'contracted',
    'delivered'
);

CREATE TYPE public.user_role AS ENUM (
    'admin',
    'operator',
    'planner',
    'viewer'
);

CREATE FUNCTION public.agreements_need_signing() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM households WHERE id = NEW.household_id AND status >= 'signed') THEN
        RAISE EXCEPTION 'household % has not signed: no agreement', NEW.household_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'agreement_needs_signing';
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION public.approval_chain_in_force(project bigint) RETURNS bigint
    LANGUAGE sql STABLE
    AS $$
    SELECT id FROM approval_chains WHERE project_id = project OR project_id IS NULL
     ORDER BY project_id NULLS LAST, version DESC LIMIT 1
$$;

CREATE FUNCTION public.approval_chain_numbered() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

CREATE FUNCTION public.approval_steps_with_chain() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM approval_chains WHERE id = NEW.chain_id AND xmin = pg_current_xact_id()::xid) THEN
        RAISE EXCEPTION 'approval chain %: steps are set when the chain is made; a change makes a new version', NEW.chain_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'approval_chain_fixed';
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION public.batch_steps_take() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

CREATE FUNCTION public.status_rank(status text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT CASE status
        WHEN 'pending' THEN 0 WHEN 'surveyed' THEN 1 WHEN 'signed' THEN 2
        WHEN 'vacated' THEN 3 WHEN 'demolished' THEN 4
        WHEN 'acquired' THEN 1 WHEN 'cleared' THEN 2 WHEN 'delivered' THEN 3
    END
$$;

CREATE TABLE public.status_events (
    id bigint NOT NULL,
    household_id bigint,
    parcel_id bigint,
    from_status text NOT NULL,
    to_status text NOT NULL,
    actor text NOT NULL,
    reason text,
    at timestamp with time zone DEFAULT now() NOT NULL,
    user_id integer,
    version integer,
    CONSTRAINT status_event_changes_status CHECK ((from_status <> to_status)),
    CONSTRAINT status_event_known_status CHECK ((((household_id IS NOT NULL) AND (from_status = ANY (ARRAY['pending'::text, 'surveyed'::text, 'signed'::text, 'vacated'::text, 'demolished'::text])) AND (to_status = ANY (ARRAY['pending'::text, 'surveyed'::text, 'signed'::text, 'vacated'::text, 'demolished'::text]))) OR ((parcel_id IS NOT NULL) AND (from_status = ANY (ARRAY['pending'::text, 'acquired'::text, 'cleared'::text, 'delivered'::text])) AND (to_status = ANY (ARRAY['pending'::text, 'acquired'::text, 'cleared'::text, 'delivered'::text]))))),
    CONSTRAINT status_event_one_step_or_reason CHECK ((((public.status_rank(to_status) - public.status_rank(from_status)) = 1) OR (COALESCE(btrim(reason), ''::text) <> ''::text))),
    CONSTRAINT status_event_one_subject CHECK ((num_nonnulls(household_id, parcel_id) = 1)),
    CONSTRAINT status_events_actor_check CHECK ((actor <> ''::text))
);

CREATE FUNCTION public.bump_daily_figures(e public.status_events) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
    of_project  bigint;
    on_day      date := (e.at AT TIME ZONE 'Asia/Shanghai')::date;
    is_monetary boolean;
    parcel_area double precision;
    f         progress_status;
    t         progress_status;
    lf        land_status;
    lt        land_status;
    d_signed  integer;
BEGIN
    IF e.household_id IS NOT NULL THEN
        SELECT b.project_id, h.resettlement IS NOT DISTINCT FROM 'monetary' INTO of_project, is_monetary
          FROM households h JOIN buildings b ON b.id = h.building_id
         WHERE h.id = e.household_id;
        f := e.from_status::progress_status;
        t := e.to_status::progress_status;
        d_signed := (t >= 'signed')::integer - (f >= 'signed')::integer;
        INSERT INTO daily_figures AS df (project_id, day, surveyed, signed, vacated, demolished, monetary)
        VALUES (of_project, on_day,
                (t >= 'surveyed')::integer - (f >= 'surveyed')::integer, d_signed,
                (t >= 'vacated')::integer - (f >= 'vacated')::integer,
                (t >= 'demolished')::integer - (f >= 'demolished')::integer,
                CASE WHEN is_monetary THEN d_signed ELSE 0 END)
        ON CONFLICT (project_id, day) DO UPDATE SET
            surveyed = df.surveyed + excluded.surveyed, signed = df.signed + excluded.signed,
            vacated = df.vacated + excluded.vacated, demolished = df.demolished + excluded.demolished,
            monetary = df.monetary + excluded.monetary;
    ELSIF e.parcel_id IS NOT NULL THEN
        SELECT p.project_id, p.area_m2 INTO of_project, parcel_area FROM parcels p WHERE p.id = e.parcel_id;
        lf := e.from_status::land_status;
        lt := e.to_status::land_status;
        INSERT INTO daily_figures AS df (project_id, day, land_acquired_m2, land_delivered_m2)
        VALUES (of_project, on_day,
                parcel_area * ((lt >= 'acquired')::integer - (lf >= 'acquired')::integer),
                parcel_area * ((lt >= 'delivered')::integer - (lf >= 'delivered')::integer))
        ON CONFLICT (project_id, day) DO UPDATE SET
            land_acquired_m2 = df.land_acquired_m2 + excluded.land_acquired_m2,
            land_delivered_m2 = df.land_delivered_m2 + excluded.land_delivered_m2;
    END IF;
    IF of_project IS NOT NULL THEN
        -- a row rewritten only when the day moves on, not on every event of the day
        INSERT INTO project_activity AS a (project_id, last_day) VALUES (of_project, on_day)
        ON CONFLICT (project_id) DO UPDATE SET last_day = excluded.last_day WHERE a.last_day < excluded.last_day;
    END IF;
END
$$;

CREATE FUNCTION public.bump_figures(p_project bigint, d_households integer DEFAULT 0, d_surveyed integer DEFAULT 0, d_signed integer DEFAULT 0, d_vacated integer DEFAULT 0, d_demolished integer DEFAULT 0, d_monetary integer DEFAULT 0, d_difficult integer DEFAULT 0, d_buildings_demolished integer DEFAULT 0, d_land_acquired_m2 double precision DEFAULT 0, d_land_delivered_m2 double precision DEFAULT 0) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    UPDATE project_figures SET
        households = households + d_households, surveyed = surveyed + d_surveyed,
        signed = signed + d_signed, vacated = vacated + d_vacated,
        demolished = demolished + d_demolished, monetary = monetary + d_monetary,
        difficult = difficult + d_difficult,
        buildings_demolished = buildings_demolished + d_buildings_demolished,
        land_acquired_m2 = land_acquired_m2 + d_land_acquired_m2,
        land_delivered_m2 = land_delivered_m2 + d_land_delivered_m2
     WHERE project_id = p_project;
    UPDATE region_figures SET
        households = households + d_households, surveyed = surveyed + d_surveyed,
        signed = signed + d_signed, vacated = vacated + d_vacated,
        demolished = demolished + d_demolished, monetary = monetary + d_monetary,
        difficult = difficult + d_difficult,
        buildings_demolished = buildings_demolished + d_buildings_demolished,
        land_acquired_m2 = land_acquired_m2 + d_land_acquired_m2,
        land_delivered_m2 = land_delivered_m2 + d_land_delivered_m2
     WHERE region_id = ANY ((SELECT r.lineage FROM projects p JOIN regions r ON r.id = p.region_id
                              WHERE p.id = p_project)::integer[]);
END
$$;

CREATE FUNCTION public.case_due(category text, since timestamp with time zone) RETURNS timestamp with time zone
    LANGUAGE sql STABLE
    AS $$
    SELECT (((since AT TIME ZONE 'Asia/Shanghai')::date + c.due_days + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
      FROM case_categories c WHERE c.key = category
$$;

CREATE FUNCTION public.case_events_notify() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM pg_notify('onemap_case', '');
    RETURN NULL;
END
$$;

CREATE FUNCTION public.case_events_queue() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(4242004);
    RETURN NULL;
END
$$;

CREATE FUNCTION public.cases_keep_difficult() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    h bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.household_id ELSE NEW.household_id END;
BEGIN
    UPDATE households SET difficult = open.any
      FROM (SELECT EXISTS (SELECT 1 FROM cases WHERE household_id = h AND state = 'open') AS any) open
     WHERE id = h AND difficult IS DISTINCT FROM open.any;
    RETURN NULL;
END
$$;

CREATE FUNCTION public.compensation(h_id bigint, signed_on date) RETURNS TABLE(use text, legality text, recorded_area numeric, rate_yuan_per_m2 numeric, house_yuan numeric, relocation_yuan numeric, transition_yuan numeric, transition_yuan_per_m2_month numeric, transition_months smallint, incentive_yuan numeric, incentive_until date, computed_yuan numeric, override_yuan numeric, total_yuan numeric)
    LANGUAGE sql STABLE
    AS $$
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

CREATE FUNCTION public.compensation_detail(h_id bigint, today date) RETURNS json
    LANGUAGE sql STABLE
    AS $$
    SELECT json_build_object(
        'signed_on', coalesce((a.signed_at AT TIME ZONE 'Asia/Shanghai')::date, today),
        'projected', a.household_id IS NULL,
        'lines', CASE WHEN a.household_id IS NULL
                      THEN compensation_lines(c.use, c.legality, c.recorded_area, c.rate_yuan_per_m2, c.house_yuan, c.relocation_yuan,
                                              c.transition_yuan, c.transition_yuan_per_m2_month, c.transition_months,
                                              c.incentive_yuan, c.incentive_until)
                      ELSE compensation_lines(a.use, a.legality, a.recorded_area, a.rate_yuan_per_m2, a.house_yuan, a.relocation_yuan,
                                              a.transition_yuan, a.transition_yuan_per_m2_month, a.transition_months,
                                              a.incentive_yuan, a.incentive_until) END
                 || CASE WHEN s.household_id IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(jsonb_build_object(
                        'key', 'swap', 'zh', '产权调换差价', 'yuan', s.swap_yuan, 'owed_yuan', a.owed_yuan,
                        'basis', format('应享安置面积 %s m²，选定 %s m²：面积内 %s m² 按安置价 %s 元，超出 %s m² 按市场价 %s 元，'
                                        || '未用 %s m² × %s 元/m² = %s 元，房屋补偿 %s 元转作安置',
                                        s.entitled_area, s.chosen_area, s.within_area, s.within_yuan, s.beyond_area, s.beyond_yuan,
                                        s.unused_area, s.unused_yuan_per_m2, s.unused_yuan, s.house_yuan))) END,
        'computed_yuan', coalesce(a.computed_yuan, c.computed_yuan),
        'override', (SELECT json_build_object('yuan', o.yuan, 'reason', o.reason, 'by', u.username, 'at', o.at)
                       FROM compensation_overrides o LEFT JOIN users u ON u.id = o.user_id WHERE o.household_id = h_id),
        'total_yuan', coalesce(a.yuan, c.total_yuan))
      FROM compensation(h_id, today) c
      LEFT JOIN agreements a ON a.household_id = h_id AND a.voided_at IS NULL
      LEFT JOIN swap_settlements s ON s.household_id = a.household_id
$$;

CREATE FUNCTION public.compensation_lines(use text, legality text, recorded_area numeric, rate_yuan_per_m2 numeric, house_yuan numeric, relocation_yuan numeric, transition_yuan numeric, transition_yuan_per_m2_month numeric, transition_months smallint, incentive_yuan numeric, incentive_until date) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT jsonb_build_array(
        jsonb_build_object('key', 'house', 'zh', '房屋补偿', 'yuan', house_yuan, 'rate', rate_yuan_per_m2,
            'basis', format('%s m² × %s 元/m²（%s，%s）', recorded_area, rate_yuan_per_m2,
                CASE use WHEN 'residential' THEN '住宅' WHEN 'commercial' THEN '商业' WHEN 'industrial' THEN '工业'
                         WHEN 'public' THEN '公共' ELSE '混合' END,
                CASE legality WHEN 'legal' THEN '合法' ELSE '违法建筑' END)),
        jsonb_build_object('key', 'relocation', 'zh', '搬迁补助', 'yuan', relocation_yuan, 'basis', '每户'),
        jsonb_build_object('key', 'transition', 'zh', '临时安置补助', 'yuan', transition_yuan,
            'basis', format('%s m² × %s 元/m²/月 × %s 个月', recorded_area, transition_yuan_per_m2_month, transition_months)),
        jsonb_build_object('key', 'incentive', 'zh', '签约奖励', 'yuan', incentive_yuan,
            'basis', CASE WHEN incentive_until IS NULL THEN '签约日不在奖励期内' ELSE format('%s 前签约', incentive_until) END))
$$;

CREATE FUNCTION public.escalate_due_cases(at timestamp with time zone DEFAULT now()) RETURNS integer
    LANGUAGE plpgsql
    AS $$
DECLARE
    moved integer;
BEGIN
    WITH due AS (
        SELECT c.id, c.level FROM cases c
         WHERE c.state = 'open' AND c.level <> 'leader' AND c.level_due_at <= at
         ORDER BY c.id
         LIMIT 500
           FOR UPDATE SKIP LOCKED
    ), up AS (
        UPDATE cases c
           SET level = CASE c.level WHEN 'group' THEN 'command'::case_level ELSE 'leader'::case_level END,
               level_due_at = case_due(c.category, at)
          FROM due
         WHERE c.id = due.id AND c.level = due.level AND c.state = 'open' AND c.level_due_at <= at
        RETURNING c.id, due.level AS from_level, c.level AS to_level, c.level_due_at
    )
    INSERT INTO case_events (case_id, kind, at, body)
    SELECT id, 'escalated', at,
           jsonb_build_object('from', from_level, 'to', to_level, 'level_due_at', level_due_at)
      FROM up ORDER BY id;
    GET DIAGNOSTICS moved = ROW_COUNT;
    RETURN moved;
END
$$;

CREATE FUNCTION public.estate_units_record_status() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO unit_status_events (unit_id, from_status, to_status, household_id, actor_id, at)
    VALUES (NEW.id, OLD.status, NEW.status, coalesce(NEW.household_id, OLD.household_id),
            nullif(current_setting('onemap.actor_id', true), '')::integer, NEW.status_at);
    RETURN NULL;
END
$$;

CREATE FUNCTION public.estate_units_stamp_status() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NEW.status IS DISTINCT FROM OLD.status AND NEW.status_at = OLD.status_at THEN
        NEW.status_at := now();
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION public.event_daily_deltas(e public.status_events) RETURNS TABLE(project_id bigint, day date, surveyed integer, signed integer, vacated integer, demolished integer, monetary integer, land_acquired_m2 double precision, land_delivered_m2 double precision)
    LANGUAGE sql STABLE
    AS $$
    SELECT b.project_id, (e.at AT TIME ZONE 'Asia/Shanghai')::date,
           stage_delta(e.from_status, e.to_status, 'surveyed'), stage_delta(e.from_status, e.to_status, 'signed'),
           stage_delta(e.from_status, e.to_status, 'vacated'), stage_delta(e.from_status, e.to_status, 'demolished'),
           CASE WHEN h.resettlement = 'monetary' THEN stage_delta(e.from_status, e.to_status, 'signed') ELSE 0 END,
           0::double precision, 0::double precision
      FROM households h JOIN buildings b ON b.id = h.building_id
     WHERE e.household_id IS NOT NULL AND h.id = e.household_id
    UNION ALL
    SELECT p.project_id, (e.at AT TIME ZONE 'Asia/Shanghai')::date, 0, 0, 0, 0, 0,
           p.area_m2 * stage_delta(e.from_status, e.to_status, 'acquired'),
           p.area_m2 * stage_delta(e.from_status, e.to_status, 'delivered')
      FROM parcels p
     WHERE e.parcel_id IS NOT NULL AND p.id = e.parcel_id
$$;

CREATE FUNCTION public.fund_allocations_add() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    UPDATE project_funds SET allocated_yuan = allocated_yuan + NEW.yuan WHERE project_id = NEW.project_id;
    RETURN NULL;
END
$$;

CREATE FUNCTION public.fund_differences() RETURNS TABLE(subject text, kept numeric, recounted numeric)
    LANGUAGE sql STABLE
    AS $$
    WITH live AS (
        SELECT p.household_id, b.project_id, b.status, p.yuan FROM payments p JOIN payment_batches b ON b.id = p.batch_id
         WHERE b.status <> 'returned'
    ), by_household AS (
        SELECT household_id, sum(yuan) AS committed, coalesce(sum(yuan) FILTER (WHERE status = 'paid'), 0) AS paid
          FROM live GROUP BY household_id
    ), by_project AS (
        SELECT project_id, sum(yuan) AS committed, coalesce(sum(yuan) FILTER (WHERE status = 'paid'), 0) AS paid
          FROM live GROUP BY project_id
    ), allocated AS (
        SELECT project_id, sum(yuan) AS yuan FROM fund_allocations GROUP BY project_id
    )
    SELECT 'agreement ' || a.household_id || ' committed', a.committed_yuan, coalesce(h.committed, 0)
      FROM agreements a LEFT JOIN by_household h ON h.household_id = a.household_id
     WHERE a.committed_yuan <> coalesce(h.committed, 0)
    UNION ALL
    SELECT 'agreement ' || a.household_id || ' paid', a.paid_yuan, coalesce(h.paid, 0)
      FROM agreements a LEFT JOIN by_household h ON h.household_id = a.household_id
     WHERE a.paid_yuan <> coalesce(h.paid, 0)
    UNION ALL
    SELECT 'project ' || f.project_id || ' allocated', f.allocated_yuan, coalesce(x.yuan, 0)
      FROM project_funds f LEFT JOIN allocated x ON x.project_id = f.project_id
     WHERE f.allocated_yuan <> coalesce(x.yuan, 0)
    UNION ALL
    SELECT 'project ' || f.project_id || ' committed', f.committed_yuan, coalesce(l.committed, 0)
      FROM project_funds f LEFT JOIN by_project l ON l.project_id = f.project_id
     WHERE f.committed_yuan <> coalesce(l.committed, 0)
    UNION ALL
    SELECT 'project ' || f.project_id || ' paid', f.paid_yuan, coalesce(l.paid, 0)
      FROM project_funds f LEFT JOIN by_project l ON l.project_id = f.project_id
     WHERE f.paid_yuan <> coalesce(l.paid, 0)
$$;

CREATE FUNCTION public.gate_state(project bigint, which public.step_gate) RETURNS TABLE(open boolean, project_code text, project_name text, step_key text, step_name text, step_state public.step_state, step_ok boolean, funds_ok boolean, allocated_yuan numeric, budget_yuan numeric, override_id bigint)
    LANGUAGE sql STABLE
    AS $$
    SELECT coalesce(o.action = 'grant', false) OR (s.ok AND f.ok),
           p.code, p.name, s.key, s.name, s.state, s.ok, f.ok, f.allocated, p.budget_yuan,
           CASE WHEN o.action = 'grant' THEN o.id END
      FROM projects p
      LEFT JOIN project_procedures pp ON pp.project_id = p.id
      LEFT JOIN LATERAL (
            -- a step still shut first, should a template have two for one gate
            SELECT t.key, t.name, ps.state, coalesce(ps.state = 'done', false) AS ok
              FROM procedure_template_steps t
              LEFT JOIN project_steps ps ON ps.project_id = p.id AND ps.key = t.key
             WHERE t.template_id = pp.template_id AND t.opens = which
             ORDER BY coalesce(ps.state = 'done', false), t.seq
             LIMIT 1) st ON true
      CROSS JOIN LATERAL (SELECT st.key, st.name, st.state, coalesce(st.ok, st.key IS NULL) AS ok) s
      LEFT JOIN project_funds pf ON pf.project_id = p.id
      CROSS JOIN LATERAL (SELECT coalesce(pf.allocated_yuan, 0) AS allocated) a
      CROSS JOIN LATERAL (SELECT a.allocated, which <> 'signing' OR a.allocated >= p.budget_yuan AS ok) f
      LEFT JOIN LATERAL (
            SELECT g.id, g.action FROM gate_overrides g
             WHERE g.project_id = p.id AND g.gate = which
             ORDER BY g.id DESC LIMIT 1) o ON true
     WHERE p.id = project
$$;

CREATE TABLE public.group_daily_figures (
    group_id integer NOT NULL,
    day date NOT NULL,
    surveyed integer DEFAULT 0 NOT NULL,
    signed integer DEFAULT 0 NOT NULL,
    vacated integer DEFAULT 0 NOT NULL,
    demolished integer DEFAULT 0 NOT NULL
);

CREATE FUNCTION public.group_daily_figures_add(deltas public.group_daily_figures[]) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO group_daily_figures AS f (group_id, day, surveyed, signed, vacated, demolished)
    SELECT d.group_id, d.day, sum(d.surveyed), sum(d.signed), sum(d.vacated), sum(d.demolished)
      FROM unnest(deltas) d JOIN work_groups g ON g.id = d.group_id
     GROUP BY d.group_id, d.day
    ON CONFLICT (group_id, day) DO UPDATE SET
        surveyed = f.surveyed + excluded.surveyed, signed = f.signed + excluded.signed,
        vacated = f.vacated + excluded.vacated, demolished = f.demolished + excluded.demolished;
END
$$;

CREATE FUNCTION public.group_holding(household bigint, at timestamp with time zone) RETURNS TABLE(group_id integer, held_since timestamp with time zone, assignment_id bigint)
    LANGUAGE sql STABLE
    AS $$
    SELECT w.group_id, w.from_at, w.id FROM work_group_assignments w
     WHERE w.household_id = household AND w.from_at <= at
     ORDER BY w.from_at DESC, w.id DESC
     LIMIT 1
$$;

CREATE FUNCTION public.holds_approval_step(u integer, project bigint, chain bigint, pos integer) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
    SELECT EXISTS (
        SELECT 1 FROM approval_steps s JOIN users x ON x.id = u
         WHERE s.chain_id = chain AND s.position = pos
           AND (x.role = 'admin'
                OR (s.role = 'operator' AND x.role = 'operator'
                    AND EXISTS (SELECT 1 FROM projects p JOIN regions r ON r.id = p.region_id
                                 WHERE p.id = project AND x.region_id = ANY (r.lineage))))
           AND (s.office IS NULL OR EXISTS (SELECT 1 FROM user_offices o WHERE o.user_id = u AND o.office = s.office)))
$$;

CREATE TABLE public.households (
    id bigint NOT NULL,
    code text NOT NULL,
    building_id bigint NOT NULL,
    holder_name text NOT NULL,
    holder_id_number text NOT NULL,
    members smallint NOT NULL,
    recorded_area numeric(12,2) NOT NULL,
    status public.progress_status DEFAULT 'pending'::public.progress_status NOT NULL,
    status_at timestamp with time zone,
    resettlement public.resettlement,
    difficult boolean DEFAULT false NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    group_id integer,
    CONSTRAINT households_holder_id_number_check CHECK ((holder_id_number ~ '^[0-9]{17}[0-9X]$'::text)),
    CONSTRAINT households_holder_name_check CHECK ((holder_name <> ''::text)),
    CONSTRAINT households_members_check CHECK (((members >= 1) AND (members <= 30))),
    CONSTRAINT households_recorded_area_check CHECK ((recorded_area > (0)::numeric))
);

CREATE FUNCTION public.household_stages(h public.households) RETURNS TABLE(n integer, surveyed integer, signed integer, vacated integer, demolished integer, monetary integer, difficult integer)
    LANGUAGE sql IMMUTABLE
    AS $$
    -- a NULL household (the missing side of an INSERT or DELETE) contributes nothing
    SELECT (h.id IS NOT NULL)::integer,
           coalesce((h.status >= 'surveyed')::integer, 0), coalesce((h.status >= 'signed')::integer, 0),
           coalesce((h.status >= 'vacated')::integer, 0), coalesce((h.status >= 'demolished')::integer, 0),
           coalesce((h.status >= 'signed' AND h.resettlement = 'monetary')::integer, 0),
           coalesce(h.difficult::integer, 0)
$$;

CREATE FUNCTION public.households_agree() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    signed timestamptz := coalesce(NEW.status_at, now());
    day date := (coalesce(NEW.status_at, now()) AT TIME ZONE 'Asia/Shanghai')::date;
BEGIN
    INSERT INTO agreements AS a (household_id, project_id, yuan, signed_at, use, legality, recorded_area, rate_yuan_per_m2, house_yuan, relocation_yuan, transition_yuan, transition_yuan_per_m2_month, transition_months, incentive_yuan, incentive_until, computed_yuan)
    SELECT NEW.id, b.project_id, c.total_yuan, signed, c.use, c.legality, c.recorded_area, c.rate_yuan_per_m2, c.house_yuan, c.relocation_yuan, c.transition_yuan, c.transition_yuan_per_m2_month, c.transition_months, c.incentive_yuan, c.incentive_until, c.computed_yuan
      FROM buildings b, compensation(NEW.id, day) c
     WHERE b.id = NEW.building_id
    ON CONFLICT (household_id) DO UPDATE
       SET (yuan, signed_at, voided_at, use, legality, recorded_area, rate_yuan_per_m2, house_yuan, relocation_yuan, transition_yuan, transition_yuan_per_m2_month, transition_months, incentive_yuan, incentive_until, computed_yuan) = (EXCLUDED.yuan, EXCLUDED.signed_at, NULL, EXCLUDED.use, EXCLUDED.legality, EXCLUDED.recorded_area, EXCLUDED.rate_yuan_per_m2, EXCLUDED.house_yuan, EXCLUDED.relocation_yuan, EXCLUDED.transition_yuan, EXCLUDED.transition_yuan_per_m2_month, EXCLUDED.transition_months, EXCLUDED.incentive_yuan, EXCLUDED.incentive_until, EXCLUDED.computed_yuan)
     WHERE a.voided_at IS NOT NULL;
    -- signed again after a send-back with its flat still chosen (选房): the settled swap money
    -- is added to the new sum again, as swap_settlements_reagree did the first time
    UPDATE agreements a SET yuan = greatest(0, a.yuan + a.swap_yuan), owed_yuan = greatest(0, -(a.yuan + a.swap_yuan))
     WHERE a.household_id = NEW.id AND a.swap_yuan <> 0 AND a.signed_at = signed AND a.voided_at IS NULL;
    RETURN NULL;
END
$$;

CREATE FUNCTION public.households_difficult_opens_case() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    open_case boolean := EXISTS (SELECT 1 FROM cases WHERE household_id = NEW.id AND state = 'open');
BEGIN
    IF TG_WHEN = 'BEFORE' THEN
        NEW.difficult := NEW.difficult OR open_case;
        RETURN NEW;
    END IF;
    IF NEW.difficult AND NOT open_case THEN
        INSERT INTO cases (household_id, project_id, group_id, category, note, due_at, level_due_at)
        SELECT NEW.id, b.project_id, NEW.group_id, 'other', '台账标记为疑难户', case_due('other', now()), case_due('other', now())
          FROM buildings b WHERE b.id = NEW.building_id;
        INSERT INTO case_events (case_id, kind, body)
        SELECT id, 'opened', jsonb_build_object('category', 'other', 'ledger', true)
          FROM cases WHERE household_id = NEW.id AND state = 'open';
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION public.households_group_in_project() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM work_groups g JOIN buildings b ON b.project_id = g.project_id
                    WHERE g.id = NEW.group_id AND b.id = NEW.building_id) THEN
        RAISE EXCEPTION 'household %: group % is not of its project', NEW.code, NEW.group_id
            USING CONSTRAINT = 'household_group_in_project';
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION public.households_guard_status() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'household % status changes only by inserting a status_event', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'status_change_through_event';
    END IF;
    IF NEW.status = 'demolished' AND EXISTS (
        SELECT 1 FROM households h
         WHERE h.building_id = NEW.building_id AND h.id <> NEW.id AND h.status < 'vacated') THEN
        RAISE EXCEPTION 'household % cannot be demolished: building % has households not yet vacated',
            NEW.id, NEW.building_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'building_demolished_after_all_vacated';
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION public.households_keep_building_group() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    b bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.building_id ELSE NEW.building_id END;
BEGIN
    UPDATE buildings SET group_id = held.group_id
      FROM (SELECT CASE WHEN count(*) = count(group_id) AND min(group_id) = max(group_id)
                        THEN min(group_id) END AS group_id
              FROM households WHERE building_id = b) held
     WHERE id = b AND buildings.group_id IS DISTINCT FROM held.group_id;
    RETURN NULL;
END
$$;

CREATE FUNCTION public.households_keep_group_holdings() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    was_signed integer := CASE WHEN TG_OP = 'INSERT' THEN 0 ELSE (status_rank(OLD.status::text) >= 2)::integer END;
    is_signed  integer := CASE WHEN TG_OP = 'DELETE' THEN 0 ELSE (status_rank(NEW.status::text) >= 2)::integer END;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.group_id IS NOT DISTINCT FROM OLD.group_id AND was_signed = is_signed THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' AND OLD.group_id IS NOT NULL THEN
        UPDATE group_holdings SET households = households - 1, signed = signed - was_signed WHERE group_id = OLD.group_id;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.group_id IS NOT NULL THEN
        INSERT INTO group_holdings AS g (group_id, households, signed) VALUES (NEW.group_id, 1, is_signed)
        ON CONFLICT (group_id) DO UPDATE SET households = g.households + 1, signed = g.signed + excluded.signed;
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION public.households_roll_up() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    b bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.building_id ELSE NEW.building_id END;
    p bigint;
    was progress_status;
    now_status progress_status;
    o record;
    n record;
BEGIN
    SELECT status, project_id INTO was, p FROM buildings WHERE id = b FOR UPDATE;
    UPDATE buildings SET (status, households) =
        (SELECT coalesce(min(status), 'pending'), count(*) FROM households WHERE building_id = b),
        version = version + 1
     WHERE id = b RETURNING status INTO now_status;
    SELECT * INTO o FROM household_stages(CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD END);
    SELECT * INTO n FROM household_stages(CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW END);
    PERFORM bump_figures(p,
        d_households => n.n - o.n, d_surveyed => n.surveyed - o.surveyed,
        d_signed => n.signed - o.signed, d_vacated => n.vacated - o.vacated,
        d_demolished => n.demolished - o.demolished, d_monetary => n.monetary - o.monetary,
        d_difficult => n.difficult - o.difficult,
        d_buildings_demolished => (now_status = 'demolished')::integer - (was = 'demolished')::integer);
    RETURN NULL;
END
$$;

CREATE FUNCTION public.households_status_gates() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    which step_gate;
    g record;
BEGIN
    FOREACH which IN ARRAY CASE
        WHEN OLD.status < 'signed' AND NEW.status = 'demolished' THEN ARRAY['signing', 'demolition']::step_gate[]
        WHEN NEW.status = 'demolished' THEN ARRAY['demolition']::step_gate[]
        ELSE ARRAY['signing']::step_gate[] END
    LOOP
        SELECT s.* INTO g FROM buildings b, gate_state(b.project_id, which) s WHERE b.id = NEW.building_id;
        CONTINUE WHEN g.open IS NOT FALSE;
        IF NOT g.step_ok THEN
            RAISE EXCEPTION 'project % (%): % waits for step %「%」, which is %',
                g.project_code, g.project_name, which, g.step_key, g.step_name, g.step_state
                USING ERRCODE = 'check_violation', CONSTRAINT = 'gate_step_not_done',
                      DETAIL = json_build_object('project', g.project_code, 'gate', which, 'step', g.step_key,
                                                 'step_name', g.step_name, 'state', g.step_state)::text;
        END IF;
        RAISE EXCEPTION 'project % (%): signing waits for the compensation funds: % yuan allocated of the budget % (补偿费用足额到位)',
            g.project_code, g.project_name, g.allocated_yuan, g.budget_yuan
            USING ERRCODE = 'check_violation', CONSTRAINT = 'gate_funds_short',
                  DETAIL = json_build_object('project', g.project_code, 'allocated', g.allocated_yuan, 'budget', g.budget_yuan)::text;
    END LOOP;
    RETURN NEW;
END
$$;

CREATE FUNCTION public.households_unagree() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM agreements WHERE household_id = NEW.id AND voided_at IS NULL AND committed_yuan > 0) THEN
        RAISE EXCEPTION 'household % has compensation committed or paid: send its batches back before its signing', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'agreement_has_payments';
    END IF;
    UPDATE agreements SET voided_at = now() WHERE household_id = NEW.id AND voided_at IS NULL;
    RETURN NULL;
END
$$;

CREATE FUNCTION public.is_working_day(d date) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT coalesce((SELECT c.working FROM calendar_days c WHERE c.day = d), extract(isodow FROM d) < 6)
$$;

CREATE FUNCTION public.kept_by_triggers() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_OP = 'DELETE' OR pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION '% rows are kept by the database''s own triggers', TG_TABLE_NAME
            USING ERRCODE = 'check_violation', CONSTRAINT = TG_TABLE_NAME || '_kept_by_triggers';
    END IF;
    IF TG_TABLE_NAME = 'agreements' THEN
        -- (nested: PL/pgSQL may evaluate both sides of an AND)
        IF (NEW.household_id, NEW.project_id) IS DISTINCT FROM (OLD.household_id, OLD.project_id) THEN
            RAISE EXCEPTION 'an agreement stays with its household' USING ERRCODE = 'check_violation', CONSTRAINT = 'agreements_kept_by_triggers';
        END IF;
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;

CREATE FUNCTION public.mask_id_number(id text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT CASE WHEN length(id) < 8 THEN repeat('*', length(id))
                ELSE left(id, 4) || repeat('*', length(id) - 8) || right(id, 4) END
$$;

CREATE FUNCTION public.mask_name(name text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT left(name, 1) || '**' $$;

CREATE FUNCTION public.objections_become_petitions() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
    p petitions%ROWTYPE;
    period petition_periods%ROWTYPE;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT b.project_id INTO p.project_id
          FROM households h JOIN buildings b ON b.id = h.building_id WHERE h.id = NEW.household_id;
        period := petition_period(p.project_id, 'online', NULL);
        INSERT INTO petitions (ticket, project_id, household_id, objection_id, channel, petitioner_name, petitioner_id_number,
                               body, received_at, accept_n, accept_unit, handle_n, handle_unit)
        SELECT NEW.ticket, p.project_id, NEW.household_id, NEW.id, 'online', h.holder_name, h.holder_id_number,
               NEW.body, NEW.created_at, period.accept_n, period.accept_unit, period.handle_n, period.handle_unit
          FROM households h WHERE h.id = NEW.household_id;
    END IF;
    IF NEW.status = 'open' OR NEW.answer IS NULL OR (TG_OP = 'UPDATE' AND NEW.answer IS NOT DISTINCT FROM OLD.answer) THEN
        RETURN NULL;
    END IF;
    SELECT * INTO p FROM petitions WHERE objection_id = NEW.id FOR UPDATE;
    IF EXISTS (SELECT 1 FROM petition_replies r WHERE r.petition_id = p.id AND r.body = NEW.answer)
       OR p.status = 'rejected' THEN
        RETURN NULL;
    END IF;
    INSERT INTO petition_replies (petition_id, body, final, at, by_user)
    VALUES (p.id, NEW.answer, true, coalesce(NEW.answered_at, now()), NEW.answered_by);
    UPDATE petitions
       SET status = 'replied', replied_at = coalesce(replied_at, NEW.answered_at, now()),
           decided_at = coalesce(decided_at, NEW.answered_at, now()), decided_by = coalesce(decided_by, NEW.answered_by)
     WHERE id = p.id;
    RETURN NULL;
END
$$;

CREATE FUNCTION public.overrides_reagree() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    h bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.household_id ELSE NEW.household_id END;
    base numeric := (SELECT yuan FROM compensation_overrides o WHERE o.household_id = h);
BEGIN
    UPDATE agreements a SET yuan = greatest(0, coalesce(base, a.computed_yuan) + a.swap_yuan),
                            owed_yuan = greatest(0, -(coalesce(base, a.computed_yuan) + a.swap_yuan))
     WHERE a.household_id = h AND a.voided_at IS NULL;
    RETURN NULL;
END
$$;

CREATE FUNCTION public.parcels_guard_status() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    needed progress_status := CASE
        WHEN NEW.land_status >= 'cleared' THEN 'demolished'
        WHEN NEW.land_status >= 'acquired' THEN 'signed' END;
BEGIN
    IF pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'parcel % status changes only by inserting a status_event', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'status_change_through_event';
    END IF;
    IF needed IS NOT NULL AND EXISTS (
        SELECT 1 FROM buildings b WHERE b.parcel_id = NEW.id AND b.status < needed) THEN
        RAISE EXCEPTION 'parcel % cannot be %: some of its buildings are not yet %',
            NEW.id, NEW.land_status, needed
            USING ERRCODE = 'check_violation', CONSTRAINT = 'parcel_status_follows_buildings';
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION public.parcels_roll_up() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM bump_figures(NEW.project_id,
        d_land_acquired_m2 => NEW.area_m2 * ((NEW.land_status >= 'acquired')::integer - (OLD.land_status >= 'acquired')::integer),
        d_land_delivered_m2 => NEW.area_m2 * ((NEW.land_status >= 'delivered')::integer - (OLD.land_status >= 'delivered')::integer));
    RETURN NULL;
END
$$;

CREATE FUNCTION public.payment_batches_insert() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

CREATE FUNCTION public.payment_batches_step() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

CREATE FUNCTION public.payment_batches_submitted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO batch_steps (batch_id, position, user_id, at) VALUES (NEW.id, 0, NEW.submitted_by, NEW.submitted_at);
    RETURN NULL;
END
$$;

CREATE FUNCTION public.payments_commit() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

CREATE FUNCTION public.period_end(start date, n integer, unit public.period_unit) RETURNS date
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    AS $$
DECLARE
    d date := start;
    left_ integer := n;
BEGIN
    IF start IS NULL OR n IS NULL THEN
        RETURN NULL;
    END IF;
    IF unit = 'working_days' THEN
        WHILE left_ > 0 LOOP
            d := d + 1;
            IF is_working_day(d) THEN
                left_ := left_ - 1;
            END IF;
        END LOOP;
        RETURN d;
    END IF;
    -- a month period ends on the same day number, or the month's last day when it has none
    d := CASE unit WHEN 'months' THEN (start + make_interval(months => n))::date ELSE start + n END;
    WHILE NOT is_working_day(d) LOOP
        d := d + 1;
    END LOOP;
    RETURN d;
END
$$;

CREATE TABLE public.petition_periods (
    id integer NOT NULL,
    project_id bigint,
    channel public.petition_channel,
    category_id smallint,
    accept_n integer NOT NULL,
    accept_unit public.period_unit NOT NULL,
    handle_n integer NOT NULL,
    handle_unit public.period_unit NOT NULL,
    basis text NOT NULL,
    CONSTRAINT petition_periods_accept_n_check CHECK (((accept_n >= 1) AND (accept_n <= 15))),
    CONSTRAINT petition_periods_accept_unit_check CHECK ((accept_unit <> 'months'::public.period_unit)),
    CONSTRAINT petition_periods_basis_check CHECK (((length(btrim(basis)) >= 1) AND (length(btrim(basis)) <= 200))),
    CONSTRAINT petition_periods_handle_n_check CHECK (((handle_n >= 1) AND (handle_n <= 60))),
    CONSTRAINT petition_periods_handle_unit_check CHECK ((handle_unit <> 'months'::public.period_unit))
);

CREATE FUNCTION public.petition_period(project bigint, ch public.petition_channel, category smallint) RETURNS public.petition_periods
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT r.*
      FROM petition_periods r
     WHERE (r.project_id IS NULL OR r.project_id = project)
       AND (r.channel IS NULL OR r.channel = ch)
       AND (r.category_id IS NULL OR r.category_id = category)
     ORDER BY r.project_id IS NOT NULL DESC, r.category_id IS NOT NULL DESC, r.channel IS NOT NULL DESC
     LIMIT 1
$$;

CREATE FUNCTION public.petition_timeliness(status public.petition_status, accept_due date, decided_on date, handle_due date, replied_on date, today date) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT CASE status
        WHEN 'registered' THEN CASE WHEN today > accept_due THEN 'overdue' ELSE 'open' END
        WHEN 'accepted' THEN CASE WHEN today > handle_due THEN 'overdue' ELSE 'open' END
        WHEN 'rejected' THEN CASE WHEN decided_on <= accept_due THEN 'on_time' ELSE 'late' END
        ELSE CASE WHEN decided_on <= accept_due AND replied_on <= handle_due THEN 'on_time' ELSE 'late' END
    END
$$;

CREATE FUNCTION public.procedure_stage(project bigint, on_day date) RETURNS public.project_stage
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT coalesce((
        SELECT ts.stage
          FROM project_procedures pp
          JOIN procedure_template_steps ts ON ts.template_id = pp.template_id AND NOT ts.is_window
          JOIN project_steps ps ON ps.project_id = pp.project_id AND ps.key = ts.key
         WHERE pp.project_id = project
           AND NOT (ps.state IN ('done', 'waived') AND ps.actual_end <= on_day)
         ORDER BY ts.seq
         LIMIT 1), 'closed')
$$;

CREATE FUNCTION public.project_steps_keep() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    UPDATE projects SET stage = procedure_stage(NEW.project_id, 'infinity')
     WHERE id = NEW.project_id AND stage IS DISTINCT FROM procedure_stage(NEW.project_id, 'infinity');
    RETURN NULL;
END
$$;

CREATE FUNCTION public.projects_fund_row() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO project_funds (project_id) VALUES (NEW.id);
    RETURN NULL;
END
$$;

CREATE FUNCTION public.projects_refuse_archived() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    project bigint;
    code text;
BEGIN
    -- by table: each branch reads only the columns its table has
    IF TG_OP = 'DELETE' THEN
        NEW := OLD;
    END IF;
    IF TG_TABLE_NAME = 'households' THEN
        SELECT b.project_id INTO project FROM buildings b WHERE b.id = NEW.building_id;
    ELSIF TG_TABLE_NAME IN ('attachments', 'compensation_overrides', 'compensation_decisions') THEN
        SELECT b.project_id INTO project FROM households h JOIN buildings b ON b.id = h.building_id
         WHERE h.id = NEW.household_id;
    ELSIF TG_TABLE_NAME = 'status_events' THEN
        SELECT b.project_id INTO project FROM households h JOIN buildings b ON b.id = h.building_id
         WHERE h.id = NEW.household_id;
        IF project IS NULL THEN
            SELECT p.project_id INTO project FROM parcels p WHERE p.id = NEW.parcel_id;
        END IF;
    ELSIF TG_TABLE_NAME IN ('payments', 'batch_steps') THEN
        SELECT pb.project_id INTO project FROM payment_batches pb WHERE pb.id = NEW.batch_id;
    ELSE
        project := NEW.project_id;
    END IF;
    SELECT p.code INTO code FROM projects p WHERE p.id = project AND p.archived_at IS NOT NULL;
    IF FOUND THEN
        RAISE EXCEPTION 'project % is archived: its data is read-only (% refused)', code, TG_TABLE_NAME
            USING ERRCODE = 'check_violation', CONSTRAINT = 'project_archived',
                  DETAIL = json_build_object('project', code)::text;
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION public.projects_refuse_archived_row() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF OLD.archived_at IS NOT NULL THEN
        RAISE EXCEPTION 'project % is archived: its data is read-only (projects refused)', OLD.code
            USING ERRCODE = 'check_violation', CONSTRAINT = 'project_archived',
                  DETAIL = json_build_object('project', OLD.code)::text;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION public.projects_start_procedure() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    template integer;
BEGIN
    SELECT id INTO template FROM procedure_templates WHERE kind = NEW.kind ORDER BY version DESC LIMIT 1;
    IF template IS NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO project_procedures (project_id, template_id) VALUES (NEW.id, template);
    INSERT INTO project_steps (project_id, key)
    SELECT NEW.id, key FROM procedure_template_steps WHERE template_id = template ORDER BY seq;
    RETURN NULL;
END
$$;

CREATE FUNCTION public.public_compensation(h_id bigint, today date) RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
    SELECT compensation_detail(h.id, today)::jsonb - 'override'
      FROM households h JOIN buildings b ON b.id = h.building_id JOIN projects p ON p.id = b.project_id
     WHERE h.id = h_id AND p.published
$$;

CREATE FUNCTION public.public_households_of(holder text, id_number text, household_code text DEFAULT NULL::text) RETURNS SETOF bigint
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
    SELECT h.id FROM households h JOIN buildings b ON b.id = h.building_id JOIN projects p ON p.id = b.project_id
     WHERE h.holder_id_number = id_number AND h.holder_name = holder AND p.published
       AND (household_code IS NULL OR h.code = household_code)
$$;

CREATE FUNCTION public.recount_daily_figures() RETURNS void
    LANGUAGE sql
    AS $$
    DELETE FROM daily_figures;
    INSERT INTO daily_figures SELECT * FROM daily_figures_recount;
    DELETE FROM project_activity;
    INSERT INTO project_activity SELECT project_id, max(day) FROM daily_figures GROUP BY project_id;
$$;

CREATE FUNCTION public.recount_figures() RETURNS void
    LANGUAGE sql
    AS $$
    DELETE FROM project_figures;
    INSERT INTO project_figures SELECT * FROM project_figures_recount;
    DELETE FROM region_figures;
    INSERT INTO region_figures SELECT * FROM region_figures_recount;
$$;

CREATE FUNCTION public.recount_group_figures() RETURNS void
    LANGUAGE sql
    SET work_mem TO '256MB'
    AS $$
    DELETE FROM group_daily_figures;
    INSERT INTO group_daily_figures SELECT * FROM group_daily_figures_recount ORDER BY day, group_id;
    DELETE FROM group_holdings;
    INSERT INTO group_holdings SELECT * FROM group_holdings_recount;
$$;

CREATE FUNCTION public.refuse_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    RAISE EXCEPTION '% rows are never changed or deleted', TG_TABLE_NAME
        USING ERRCODE = 'check_violation', CONSTRAINT = TG_TABLE_NAME || '_append_only';
END
$$;

CREATE FUNCTION public.regions_set_lineage() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.lineage := coalesce((SELECT lineage FROM regions WHERE id = NEW.parent_id), '{}') || NEW.id;
    RETURN NEW;
END
$$;

CREATE FUNCTION public.selection_hall(d_id bigint, next_count integer) RETURNS json
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
    SELECT json_build_object(
        'day', json_build_object('id', d.id, 'project_code', p.code, 'project_name', p.name, 'day', d.day,
                                 'status', d.status, 'order_by', d.order_by, 'drawn', d.drawn_at IS NOT NULL),
        'turn', coalesce((SELECT json_agg(json_build_object('code', q.code, 'position', q.position,
                                                            'entitled_area', q.entitled_area) ORDER BY q.called_at)
                            FROM selection_queue q WHERE q.day_id = d.id AND q.state = 'called'), '[]'),
        'next', coalesce((SELECT json_agg(json_build_object('code', n.code, 'position', n.position,
                                                            'entitled_area', n.entitled_area) ORDER BY n.position)
                            FROM (SELECT * FROM selection_queue q WHERE q.day_id = d.id AND q.state = 'waiting'
                                     AND q.position IS NOT NULL ORDER BY q.position LIMIT next_count) n), '[]'),
        'counts', (SELECT json_build_object('waiting', count(*) FILTER (WHERE q.state = 'waiting'),
                                            'called', count(*) FILTER (WHERE q.state = 'called'),
                                            'done', count(*) FILTER (WHERE q.state = 'done'),
                                            'absent', count(*) FILTER (WHERE q.state = 'absent'))
                     FROM selection_queue q WHERE q.day_id = d.id),
        'types', coalesce((SELECT json_agg(json_build_object('estate', t.estate, 'code', t.code, 'name', t.name, 'area', t.area,
                                                             'available', t.available, 'total', t.total)
                                           ORDER BY t.estate, t.area, t.code)
                             FROM (SELECT e.name AS estate, ut.code, ut.name, ut.area,
                                          count(u.id) FILTER (WHERE u.status = 'available') AS available, count(u.id) AS total
                                     FROM project_estates pe JOIN estates e ON e.id = pe.estate_id
                                     JOIN estate_unit_types ut ON ut.estate_id = e.id
                                     LEFT JOIN estate_units u ON u.type_id = ut.id
                                    WHERE pe.project_id = p.id
                                    GROUP BY e.name, ut.id) t), '[]'),
        'last', coalesce((SELECT json_agg(json_build_object('code', l.code, 'unit', l.unit, 'estate', l.estate, 'type', l.type,
                                                            'area', l.area, 'state', l.state, 'at', l.chosen_at)
                                          ORDER BY l.chosen_at DESC, l.id DESC)
                            FROM (SELECT c.id, q.code, e.name AS estate, ut.name AS type, u.area, c.state, c.chosen_at,
                                         format('%s栋%s单元%s', b.code, u.entrance, u.room) AS unit
                                    FROM selection_choices c
                                    JOIN selection_queue q ON q.day_id = c.day_id AND q.household_id = c.household_id
                                    JOIN estate_units u ON u.id = c.unit_id
                                    JOIN estate_buildings b ON b.id = u.building_id
                                    JOIN estates e ON e.id = u.estate_id
                                    JOIN estate_unit_types ut ON ut.id = u.type_id
                                   WHERE c.day_id = d.id AND c.state <> 'cancelled'
                                   ORDER BY c.chosen_at DESC, c.id DESC LIMIT 12) l), '[]'))
      FROM selection_days d JOIN projects p ON p.id = d.project_id
     WHERE d.id = d_id AND p.published
$$;

CREATE FUNCTION public.selection_lottery(d_id bigint) RETURNS json
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
    SELECT json_build_object(
        'day', d.id, 'project_code', p.code, 'date', d.day, 'order_by', d.order_by,
        'algorithm', 'sha256-hex(seed + ":" + code) ascending, ties by code',
        'seed', d.seed, 'seed_published_at', d.seed_published_at, 'drawn_at', d.drawn_at,
        'codes', (SELECT coalesce(json_agg(q.code ORDER BY q.code COLLATE "C"), '[]') FROM selection_queue q WHERE q.day_id = d.id),
        'order', CASE WHEN d.drawn_at IS NULL THEN NULL ELSE
                 (SELECT coalesce(json_agg(q.code ORDER BY q.lottery_key COLLATE "C", q.code COLLATE "C"), '[]') FROM selection_queue q WHERE q.day_id = d.id) END)
      FROM selection_days d JOIN projects p ON p.id = d.project_id
     WHERE d.id = d_id AND p.published AND d.order_by = 'lottery'
$$;

CREATE FUNCTION public.selection_queue_fill(d_id bigint, p_id bigint) RETURNS bigint
    LANGUAGE sql
    AS $$
    WITH d AS (
            SELECT id, order_by, seed FROM selection_days WHERE id = d_id
        ), numbered AS (
            SELECT a.household_id, h.code, h.resettlement, coalesce(a.recorded_area, h.recorded_area) AS area,
                   row_number() OVER (ORDER BY a.signed_at, h.code) AS signing_no
              FROM agreements a JOIN households h ON h.id = a.household_id
             WHERE a.project_id = p_id AND a.voided_at IS NULL
        ), queued AS (
            SELECT n.household_id, n.code, round(n.area * coalesce(r.area_ratio, 1) + coalesce(r.incentive_area, 0), 2) AS entitled, n.signing_no
              FROM numbered n LEFT JOIN selection_rules r ON r.project_id = p_id
             WHERE n.resettlement = 'property_swap'
               AND NOT EXISTS (SELECT 1 FROM swap_settlements s WHERE s.household_id = n.household_id)
               AND NOT EXISTS (SELECT 1 FROM selection_queue q JOIN selection_days o ON o.id = q.day_id
                                WHERE q.household_id = n.household_id AND o.status <> 'closed' AND o.id <> d_id)
        ), filled AS (
        INSERT INTO selection_queue (day_id, household_id, code, entitled_area, signing_no, lottery_key, position)
        SELECT d.id, q.household_id, q.code, q.entitled, q.signing_no,
               CASE WHEN d.order_by = 'lottery' THEN encode(sha256(convert_to(d.seed || ':' || q.code, 'UTF8')), 'hex') END,
               CASE WHEN d.order_by = 'signing' THEN row_number() OVER (ORDER BY q.signing_no) END
          FROM d, queued q
        RETURNING 1
    )
    SELECT count(*) FROM filled
$$;

CREATE FUNCTION public.sessions_revoked_notify() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM pg_notify('onemap_sessions', '');
    RETURN NULL;
END
$$;

CREATE FUNCTION public.sign_rate(signed bigint, households bigint) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT CASE WHEN households > 0 THEN round(signed::numeric / households, 4) END
$$;

CREATE FUNCTION public.stage_delta(from_status text, to_status text, stage text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT (status_rank(to_status) >= status_rank(stage))::integer - (status_rank(from_status) >= status_rank(stage))::integer
$$;

CREATE FUNCTION public.standards_reagree_zero() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    UPDATE agreements a SET (yuan, use, legality, recorded_area, rate_yuan_per_m2, house_yuan, relocation_yuan, transition_yuan, transition_yuan_per_m2_month, transition_months, incentive_yuan, incentive_until, computed_yuan) =
           (SELECT c.total_yuan, c.use, c.legality, c.recorded_area, c.rate_yuan_per_m2, c.house_yuan, c.relocation_yuan, c.transition_yuan, c.transition_yuan_per_m2_month, c.transition_months, c.incentive_yuan, c.incentive_until, c.computed_yuan FROM compensation(a.household_id, (a.signed_at AT TIME ZONE 'Asia/Shanghai')::date) c)
     WHERE a.project_id = NEW.project_id AND a.computed_yuan = 0 AND a.committed_yuan = 0 AND a.voided_at IS NULL;
    RETURN NULL;
END
$$;

CREATE FUNCTION public.status_events_apply() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    seen integer := NEW.version;
BEGIN
    IF num_nonnulls(NEW.household_id, NEW.parcel_id) <> 1
       OR (NEW.household_id IS NOT NULL AND NOT (NEW.from_status = ANY (enum_range(NULL::progress_status)::text[])
                                               AND NEW.to_status = ANY (enum_range(NULL::progress_status)::text[])))
       OR (NEW.parcel_id IS NOT NULL AND NOT (NEW.from_status = ANY (enum_range(NULL::land_status)::text[])
                                            AND NEW.to_status = ANY (enum_range(NULL::land_status)::text[]))) THEN
        -- not applicable: the table's CHECK constraints refuse the row and name the rule
        RETURN NEW;
    END IF;
    PERFORM pg_advisory_xact_lock(writers_queue_lock());
    IF coalesce(current_setting('onemap.queue_joined_at', true), '') = '' THEN
        PERFORM set_config('onemap.queue_joined_at', extract(epoch FROM clock_timestamp())::text, true);
    END IF;
    NEW.id := nextval(pg_get_serial_sequence('status_events', 'id'));
    IF NEW.household_id IS NOT NULL THEN
        UPDATE households SET status = NEW.to_status::progress_status, status_at = NEW.at, version = version + 1
         WHERE id = NEW.household_id AND status = NEW.from_status::progress_status AND (seen IS NULL OR version = seen)
        RETURNING version INTO NEW.version;
    ELSE
        UPDATE parcels SET land_status = NEW.to_status::land_status, version = version + 1
         WHERE id = NEW.parcel_id AND land_status = NEW.from_status::land_status AND (seen IS NULL OR version = seen)
        RETURNING version INTO NEW.version;
    END IF;
    IF NEW.version IS NULL THEN
        RAISE EXCEPTION '% % is not in status %',
            CASE WHEN NEW.household_id IS NOT NULL THEN 'household' ELSE 'parcel' END,
            coalesce(NEW.household_id, NEW.parcel_id),
            NEW.from_status || CASE WHEN seen IS NULL THEN '' ELSE format(' at version %s', seen) END
            USING ERRCODE = 'check_violation', CONSTRAINT = 'status_event_from_current';
    END IF;
    PERFORM bump_daily_figures(NEW);
    RETURN NEW;
END
$$;

CREATE FUNCTION public.status_events_credit_groups() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM group_daily_figures_add(array_agg(ROW(c.group_id, c.day, c.surveyed, c.signed, c.vacated, c.demolished)::group_daily_figures))
       FROM group_event_credits c
      WHERE c.event_id IN (SELECT id FROM added) AND c.group_id IS NOT NULL;
    RETURN NULL;
END
$$;

CREATE FUNCTION public.status_events_notify() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM pg_notify('onemap_status', '');
    RETURN NULL;
END
$$;

CREATE FUNCTION public.status_events_refuse_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    RAISE EXCEPTION 'status_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'status_events_append_only';
END
$$;

CREATE FUNCTION public.step_events_notify() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM pg_notify('onemap_procedure', '');
    RETURN NULL;
END
$$;

CREATE FUNCTION public.step_events_queue() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(4242005);
    RETURN NULL;
END
$$;

CREATE FUNCTION public.swap_settle(d_id bigint, h_id bigint, by_user integer) RETURNS json
    LANGUAGE sql
    AS $$
    WITH q AS (
        SELECT entitled_area FROM selection_queue WHERE day_id = d_id AND household_id = h_id
    ), units AS (
        SELECT u.area, u.price_per_m2, u.market_price_per_m2,
               coalesce(sum(u.area) OVER (ORDER BY c.id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
          FROM selection_choices c JOIN estate_units u ON u.id = c.unit_id
         WHERE c.day_id = d_id AND c.household_id = h_id AND c.state = 'confirmed'
    ), split AS (
        SELECT u.area, greatest(0, least(u.area, q.entitled_area - u.before)) AS within, u.price_per_m2, u.market_price_per_m2
          FROM units u, q
    ), sums AS (
        SELECT coalesce(sum(area), 0) AS chosen, coalesce(sum(within), 0) AS within, coalesce(sum(area - within), 0) AS beyond,
               coalesce(sum(round(within * price_per_m2, 2)), 0) AS within_yuan,
               coalesce(sum(round((area - within) * market_price_per_m2, 2)), 0) AS beyond_yuan
          FROM split
    ), money AS (
        SELECT coalesce(r.unused_yuan_per_m2, a.rate_yuan_per_m2, 0) AS rate, coalesce(a.house_yuan, 0) AS house
          FROM agreements a LEFT JOIN selection_rules r ON r.project_id = a.project_id
         WHERE a.household_id = h_id AND a.voided_at IS NULL
    ), settled AS (
        SELECT q.entitled_area, s.chosen, s.within, s.beyond, q.entitled_area - s.within AS unused, s.within_yuan, s.beyond_yuan,
               m.rate, round((q.entitled_area - s.within) * m.rate, 2) AS unused_yuan, m.house
          FROM q, sums s, money m
    )
    INSERT INTO swap_settlements (household_id, day_id, entitled_area, chosen_area, within_area, beyond_area, unused_area,
                                  within_yuan, beyond_yuan, unused_yuan_per_m2, unused_yuan, house_yuan, swap_yuan, settled_by)
    SELECT h_id, d_id, entitled_area, chosen, within, beyond, unused, within_yuan, beyond_yuan, rate, unused_yuan, house,
           unused_yuan - within_yuan - beyond_yuan - house, by_user
      FROM settled
    RETURNING json_build_object('entitled_area', entitled_area, 'chosen_area', chosen_area, 'within_area', within_area,
                                'beyond_area', beyond_area, 'unused_area', unused_area, 'within_yuan', within_yuan,
                                'beyond_yuan', beyond_yuan, 'unused_yuan_per_m2', unused_yuan_per_m2, 'unused_yuan', unused_yuan,
                                'house_yuan', house_yuan, 'swap_yuan', swap_yuan)
$$;

CREATE FUNCTION public.swap_settlements_reagree() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    UPDATE agreements a
       SET swap_yuan = NEW.swap_yuan,
           yuan = greatest(0, coalesce((SELECT o.yuan FROM compensation_overrides o WHERE o.household_id = a.household_id), a.computed_yuan)
                              + NEW.swap_yuan),
           owed_yuan = greatest(0, -(coalesce((SELECT o.yuan FROM compensation_overrides o WHERE o.household_id = a.household_id), a.computed_yuan)
                                     + NEW.swap_yuan))
     WHERE a.household_id = NEW.household_id AND a.voided_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'household % has no signed agreement to settle a selection on', NEW.household_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'swap_settlement_needs_agreement';
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION public.unit_status_events_notify() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM pg_notify('onemap_units', '');
    RETURN NULL;
END
$$;

CREATE FUNCTION public.work_group_assignments_recredit() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    household bigint := CASE WHEN TG_OP = 'INSERT' THEN NEW.household_id ELSE OLD.household_id END;
    to_group  integer := CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.group_id END;
BEGIN
    IF TG_OP = 'UPDATE' AND (NEW.id, NEW.household_id, NEW.from_at) IS DISTINCT FROM (OLD.id, OLD.household_id, OLD.from_at) THEN
        RAISE EXCEPTION 'an assignment row keeps its household and time: the history grows by new rows'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'work_group_assignments_append_only';
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.group_id IS NOT DISTINCT FROM OLD.group_id THEN
        RETURN NEW;
    END IF;
    -- in the status writers' queue: an event written meanwhile is either seen here or, written
    -- after, finds this row when it looks up its group
    PERFORM pg_advisory_xact_lock(writers_queue_lock());
    IF TG_OP = 'DELETE' THEN
        SELECT w.group_id INTO to_group FROM work_group_assignments w
         WHERE w.household_id = household AND (w.from_at, w.id) < (OLD.from_at, OLD.id)
         ORDER BY w.from_at DESC, w.id DESC LIMIT 1;
    END IF;
    PERFORM group_daily_figures_add(array_agg(ROW(m.group_id, c.day, m.sign * c.surveyed, m.sign * c.signed,
                                                  m.sign * c.vacated, m.sign * c.demolished)::group_daily_figures))
       FROM group_event_credits c CROSS JOIN LATERAL (VALUES (c.group_id, -1), (to_group, 1)) m (group_id, sign)
      WHERE c.household_id = household
        AND CASE WHEN TG_OP = 'INSERT'
                 -- the events from its time on that an earlier row credits, or none does
                 THEN c.at >= NEW.from_at AND (c.assignment_id IS NULL OR (c.held_since, c.assignment_id) < (NEW.from_at, NEW.id))
                 ELSE c.assignment_id = OLD.id END;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;

CREATE FUNCTION public.writers_queue_lock() RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT 4242001::bigint
$$;

CREATE TABLE public._sqlx_migrations (
    version bigint NOT NULL,
    description text NOT NULL,
    installed_on timestamp with time zone DEFAULT now() NOT NULL,
    success boolean NOT NULL,
    checksum bytea NOT NULL,
    execution_time bigint NOT NULL
);

CREATE TABLE public.agreements (
    household_id bigint NOT NULL,
    project_id bigint NOT NULL,
    yuan numeric(14,2) NOT NULL,
    signed_at timestamp with time zone NOT NULL,
    committed_yuan numeric(14,2) DEFAULT 0 NOT NULL,
    paid_yuan numeric(14,2) DEFAULT 0 NOT NULL,
    use text NOT NULL,
    legality text NOT NULL,
    recorded_area numeric(12,2) NOT NULL,
    rate_yuan_per_m2 numeric(10,2) NOT NULL,
    house_yuan numeric(14,2) NOT NULL,
    relocation_yuan numeric(14,2) NOT NULL,
    transition_yuan numeric(14,2) NOT NULL,
    transition_yuan_per_m2_month numeric(10,2) NOT NULL,
    transition_months smallint NOT NULL,
    incentive_yuan numeric(14,2) NOT NULL,
    incentive_until date,
    computed_yuan numeric(14,2) NOT NULL,
    voided_at timestamp with time zone,
    swap_yuan numeric(14,2) DEFAULT 0 NOT NULL,
    owed_yuan numeric(14,2) DEFAULT 0 NOT NULL,
    CONSTRAINT agreement_not_overpaid CHECK ((((0)::numeric <= paid_yuan) AND (paid_yuan <= committed_yuan) AND (committed_yuan <= yuan))),
    CONSTRAINT agreements_owed_yuan_check CHECK ((owed_yuan >= (0)::numeric)),
    CONSTRAINT agreements_yuan_check CHECK ((yuan >= (0)::numeric))
);

CREATE TABLE public.approval_chains (
    id bigint NOT NULL,
    project_id bigint,
    version integer NOT NULL,
    created_by integer,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT approval_chains_version_check CHECK ((version > 0))
);

ALTER TABLE public.approval_chains ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.approval_chains_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.approval_steps (
    chain_id bigint NOT NULL,
    "position" smallint NOT NULL,
    key text NOT NULL,
    name text NOT NULL,
    role public.user_role NOT NULL,
    office text,
    CONSTRAINT approval_steps_key_check CHECK (((key ~ '^[a-z][a-z0-9_]{1,31}$'::text) AND (key <> ALL (ARRAY['return'::text, 'submit'::text])))),
    CONSTRAINT approval_steps_name_check CHECK (((name = btrim(name)) AND ((length(name) >= 1) AND (length(name) <= 40)) AND (name !~ '[[:cntrl:]]'::text))),
    CONSTRAINT approval_steps_office_check CHECK (((office = btrim(office)) AND ((length(office) >= 1) AND (length(office) <= 40)) AND (office !~ '[[:cntrl:]]'::text))),
    CONSTRAINT approval_steps_position_check CHECK ((("position" >= 1) AND ("position" <= 12))),
    CONSTRAINT approval_steps_role_check CHECK ((role = ANY (ARRAY['admin'::public.user_role, 'operator'::public.user_role])))
);

CREATE TABLE public.attachments (
    id bigint NOT NULL,
    household_id bigint NOT NULL,
    kind public.attachment_kind NOT NULL,
    sha256 text NOT NULL,
    size_bytes bigint NOT NULL,
    content_type text NOT NULL,
    file_name text NOT NULL,
    uploaded_by integer,
    uploaded_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT attachments_content_type_check CHECK ((content_type = ANY (ARRAY['application/pdf'::text, 'image/jpeg'::text, 'image/png'::text]))),
    CONSTRAINT attachments_file_name_check CHECK ((((length(file_name) >= 1) AND (length(file_name) <= 200)) AND (file_name !~ '[/\\[:cntrl:]]'::text) AND (file_name !~ '^\.'::text))),
    CONSTRAINT attachments_sha256_check CHECK ((sha256 ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT attachments_size_bytes_check CHECK (((size_bytes > 0) AND (size_bytes <= 10485760)))
);

ALTER TABLE public.attachments ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.attachments_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.audit_log (
    id bigint NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    user_id integer,
    action text NOT NULL,
    subject text NOT NULL,
    detail jsonb DEFAULT '{}'::jsonb NOT NULL,
    CONSTRAINT audit_log_action_check CHECK ((action <> ''::text)),
    CONSTRAINT audit_log_subject_check CHECK ((subject <> ''::text))
);

ALTER TABLE public.audit_log ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.audit_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.batch_steps (
    batch_id bigint NOT NULL,
    "position" smallint NOT NULL,
    user_id integer,
    at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT batch_steps_position_check CHECK ((("position" >= 0) AND ("position" <= 12)))
);

CREATE TABLE public.buildings (
    id bigint NOT NULL,
    code text NOT NULL,
    project_id bigint NOT NULL,
    parcel_id bigint NOT NULL,
    use text NOT NULL,
    legality text NOT NULL,
    floors smallint NOT NULL,
    floor_area numeric(12,2) NOT NULL,
    status public.progress_status DEFAULT 'pending'::public.progress_status NOT NULL,
    households integer DEFAULT 0 NOT NULL,
    geom public.geometry(MultiPolygon,4326) NOT NULL,
    geom_3857 public.geometry(MultiPolygon,3857) GENERATED ALWAYS AS (public.st_transform(geom, 3857)) STORED,
    version integer DEFAULT 1 NOT NULL,
    group_id integer,
    CONSTRAINT buildings_floor_area_check CHECK ((floor_area > (0)::numeric)),
    CONSTRAINT buildings_floors_check CHECK (((floors >= 1) AND (floors <= 100))),
    CONSTRAINT buildings_geom_check CHECK (public.st_isvalid(geom)),
    CONSTRAINT buildings_households_check CHECK ((households >= 0)),
    CONSTRAINT buildings_legality_check CHECK ((legality = ANY (ARRAY['legal'::text, 'illegal'::text]))),
    CONSTRAINT buildings_use_check CHECK ((use = ANY (ARRAY['residential'::text, 'commercial'::text, 'industrial'::text, 'public'::text, 'mixed'::text])))
);

ALTER TABLE public.buildings ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.buildings_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.calendar_days (
    day date NOT NULL,
    working boolean NOT NULL,
    name text NOT NULL,
    CONSTRAINT calendar_day_differs CHECK ((working = (EXTRACT(isodow FROM day) >= (6)::numeric))),
    CONSTRAINT calendar_days_name_check CHECK ((btrim(name) <> ''::text))
);

CREATE TABLE public.case_categories (
    key text NOT NULL,
    name text NOT NULL,
    seq smallint NOT NULL,
    due_days smallint DEFAULT 0 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_by integer,
    CONSTRAINT case_categories_due_days_check CHECK (((due_days >= 0) AND (due_days <= 30))),
    CONSTRAINT case_categories_key_check CHECK ((key ~ '^[a-z_]{2,20}$'::text))
);

CREATE TABLE public.case_conference_attachments (
    conference_id bigint NOT NULL,
    attachment_id bigint NOT NULL
);

CREATE TABLE public.case_conferences (
    id bigint NOT NULL,
    case_id bigint NOT NULL,
    held_at timestamp with time zone NOT NULL,
    participants integer[] DEFAULT '{}'::integer[] NOT NULL,
    outside_attendees text[] DEFAULT '{}'::text[] NOT NULL,
    positions text NOT NULL,
    decision text NOT NULL,
    next_action text DEFAULT ''::text NOT NULL,
    recorded_by integer,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT case_conferences_decision_check CHECK (((length(btrim(decision)) >= 1) AND (length(btrim(decision)) <= 2000))),
    CONSTRAINT case_conferences_next_action_check CHECK ((length(next_action) <= 1000)),
    CONSTRAINT case_conferences_positions_check CHECK ((length(positions) <= 4000))
);

ALTER TABLE public.case_conferences ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.case_conferences_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.case_events (
    id bigint NOT NULL,
    case_id bigint NOT NULL,
    kind text NOT NULL,
    user_id integer,
    at timestamp with time zone DEFAULT now() NOT NULL,
    body jsonb DEFAULT '{}'::jsonb NOT NULL,
    CONSTRAINT case_events_kind_check CHECK ((kind = ANY (ARRAY['opened'::text, 'conference'::text, 'escalated'::text, 'reassigned'::text, 'closed'::text])))
);

ALTER TABLE public.case_events ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.case_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.case_status_events (
    case_id bigint NOT NULL,
    status_event_id bigint NOT NULL
);

CREATE TABLE public.cases (
    id bigint NOT NULL,
    household_id bigint NOT NULL,
    project_id bigint NOT NULL,
    group_id integer,
    category text NOT NULL,
    note text DEFAULT ''::text NOT NULL,
    opened_by integer,
    opened_at timestamp with time zone DEFAULT now() NOT NULL,
    due_at timestamp with time zone NOT NULL,
    level public.case_level DEFAULT 'group'::public.case_level NOT NULL,
    level_due_at timestamp with time zone NOT NULL,
    state text DEFAULT 'open'::text NOT NULL,
    outcome public.case_outcome,
    closed_at timestamp with time zone,
    closed_by integer,
    close_note text,
    CONSTRAINT case_closed_with_outcome CHECK (((state = 'closed'::text) = ((outcome IS NOT NULL) AND (closed_at IS NOT NULL)))),
    CONSTRAINT case_due_after_opening CHECK ((due_at > opened_at)),
    CONSTRAINT cases_close_note_check CHECK ((length(close_note) <= 2000)),
    CONSTRAINT cases_note_check CHECK ((length(note) <= 2000)),
    CONSTRAINT cases_state_check CHECK ((state = ANY (ARRAY['open'::text, 'closed'::text])))
);

ALTER TABLE public.cases ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.cases_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.compensation_decisions (
    id bigint NOT NULL,
    household_id bigint NOT NULL,
    decided_on date NOT NULL,
    document_no text NOT NULL,
    note text DEFAULT ''::text NOT NULL,
    user_id integer,
    at timestamp with time zone DEFAULT now() NOT NULL,
    revoked_at timestamp with time zone,
    revoked_by integer,
    revoke_reason text,
    CONSTRAINT compensation_decision_revoked_with_reason CHECK ((((revoked_at IS NULL) = (revoke_reason IS NULL)) AND ((revoke_reason IS NULL) OR (length(btrim(revoke_reason)) >= 4)))),
    CONSTRAINT compensation_decisions_document_no_check CHECK (((length(btrim(document_no)) >= 2) AND (length(btrim(document_no)) <= 80))),
    CONSTRAINT compensation_decisions_note_check CHECK ((length(note) <= 2000))
);

ALTER TABLE public.compensation_decisions ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.compensation_decisions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.compensation_incentives (
    project_id bigint NOT NULL,
    until date NOT NULL,
    yuan numeric(14,2) NOT NULL,
    CONSTRAINT compensation_incentives_yuan_check CHECK ((yuan >= (0)::numeric))
);

CREATE TABLE public.compensation_overrides (
    household_id bigint NOT NULL,
    yuan numeric(14,2) NOT NULL,
    reason text NOT NULL,
    user_id integer NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT compensation_overrides_reason_check CHECK ((btrim(reason) <> ''::text)),
    CONSTRAINT compensation_overrides_yuan_check CHECK ((yuan >= (0)::numeric))
);

CREATE TABLE public.compensation_rates (
    project_id bigint NOT NULL,
    use text NOT NULL,
    legality text NOT NULL,
    yuan_per_m2 numeric(10,2) NOT NULL,
    CONSTRAINT compensation_rates_legality_check CHECK ((legality = ANY (ARRAY['legal'::text, 'illegal'::text]))),
    CONSTRAINT compensation_rates_use_check CHECK ((use = ANY (ARRAY['residential'::text, 'commercial'::text, 'industrial'::text, 'public'::text, 'mixed'::text]))),
    CONSTRAINT compensation_rates_yuan_per_m2_check CHECK ((yuan_per_m2 >= (0)::numeric))
);

CREATE TABLE public.compensation_standards (
    project_id bigint NOT NULL,
    relocation_yuan numeric(14,2) DEFAULT 0 NOT NULL,
    transition_yuan_per_m2_month numeric(10,2) DEFAULT 0 NOT NULL,
    transition_months smallint DEFAULT 0 NOT NULL,
    agreement_template text,
    CONSTRAINT compensation_standards_relocation_yuan_check CHECK ((relocation_yuan >= (0)::numeric)),
    CONSTRAINT compensation_standards_transition_months_check CHECK (((transition_months >= 0) AND (transition_months <= 120))),
    CONSTRAINT compensation_standards_transition_yuan_per_m2_month_check CHECK ((transition_yuan_per_m2_month >= (0)::numeric))
);

CREATE TABLE public.daily_figures (
    project_id bigint NOT NULL,
    day date NOT NULL,
    surveyed integer DEFAULT 0 NOT NULL,
    signed integer DEFAULT 0 NOT NULL,
    vacated integer DEFAULT 0 NOT NULL,
    demolished integer DEFAULT 0 NOT NULL,
    monetary integer DEFAULT 0 NOT NULL,
    land_acquired_m2 double precision DEFAULT 0 NOT NULL,
    land_delivered_m2 double precision DEFAULT 0 NOT NULL
);

CREATE TABLE public.parcels (
    id bigint NOT NULL,
    code text NOT NULL,
    project_id bigint NOT NULL,
    land_use text NOT NULL,
    land_status public.land_status DEFAULT 'pending'::public.land_status NOT NULL,
    geom public.geometry(MultiPolygon,4326) NOT NULL,
    geom_3857 public.geometry(MultiPolygon,3857) GENERATED ALWAYS AS (public.st_transform(geom, 3857)) STORED,
    area_m2 double precision GENERATED ALWAYS AS (public.st_area((geom)::public.geography)) STORED,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT parcels_geom_check CHECK (public.st_isvalid(geom)),
    CONSTRAINT parcels_land_use_check CHECK ((land_use = ANY (ARRAY['residential'::text, 'commercial'::text, 'industrial'::text, 'farmland'::text, 'public'::text])))
);

CREATE VIEW public.daily_figures_recount AS
 SELECT d.project_id,
    d.day,
    sum(d.surveyed) AS surveyed,
    sum(d.signed) AS signed,
    sum(d.vacated) AS vacated,
    sum(d.demolished) AS demolished,
    sum(d.monetary) AS monetary,
    sum(d.land_acquired_m2) AS land_acquired_m2,
    sum(d.land_delivered_m2) AS land_delivered_m2
   FROM ( SELECT b.project_id,
            ((e.at AT TIME ZONE 'Asia/Shanghai'::text))::date AS day,
            public.stage_delta(e.from_status, e.to_status, 'surveyed'::text) AS surveyed,
            public.stage_delta(e.from_status, e.to_status, 'signed'::text) AS signed,
            public.stage_delta(e.from_status, e.to_status, 'vacated'::text) AS vacated,
            public.stage_delta(e.from_status, e.to_status, 'demolished'::text) AS demolished,
                CASE
                    WHEN (h.resettlement = 'monetary'::public.resettlement) THEN public.stage_delta(e.from_status, e.to_status, 'signed'::text)
                    ELSE 0
                END AS monetary,
            (0)::double precision AS land_acquired_m2,
            (0)::double precision AS land_delivered_m2
           FROM ((public.status_events e
             JOIN public.households h ON ((h.id = e.household_id)))
             JOIN public.buildings b ON ((b.id = h.building_id)))
        UNION ALL
         SELECT p.project_id,
            ((e.at AT TIME ZONE 'Asia/Shanghai'::text))::date AS timezone,
            0,
            0,
            0,
            0,
            0,
            (p.area_m2 * (public.stage_delta(e.from_status, e.to_status, 'acquired'::text))::double precision),
            (p.area_m2 * (public.stage_delta(e.from_status, e.to_status, 'delivered'::text))::double precision)
           FROM (public.status_events e
             JOIN public.parcels p ON ((p.id = e.parcel_id)))) d
  GROUP BY d.project_id, d.day;

CREATE TABLE public.disclosures (
    id bigint NOT NULL,
    project_id bigint NOT NULL,
    kind public.disclosure_kind NOT NULL,
    title text NOT NULL,
    body text NOT NULL,
    user_id integer,
    published_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT disclosures_title_check CHECK ((btrim(title) <> ''::text))
);

ALTER TABLE public.disclosures ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.disclosures_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.estate_buildings (
    id integer NOT NULL,
    estate_id integer NOT NULL,
    code text NOT NULL,
    floors smallint NOT NULL,
    geom public.geometry(MultiPolygon,4326),
    CONSTRAINT estate_buildings_code_check CHECK (((length(btrim(code)) >= 1) AND (length(btrim(code)) <= 16))),
    CONSTRAINT estate_buildings_floors_check CHECK (((floors >= 1) AND (floors <= 99))),
    CONSTRAINT estate_buildings_geom_check CHECK (((geom IS NULL) OR public.st_isvalid(geom)))
);

ALTER TABLE public.estate_buildings ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.estate_buildings_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.estate_unit_types (
    id integer NOT NULL,
    estate_id integer NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    area numeric(8,2) NOT NULL,
    floor_plan_sha256 text,
    floor_plan_type text,
    CONSTRAINT estate_unit_types_area_check CHECK (((area > (0)::numeric) AND (area < (1000)::numeric))),
    CONSTRAINT estate_unit_types_check CHECK (((floor_plan_sha256 IS NULL) = (floor_plan_type IS NULL))),
    CONSTRAINT estate_unit_types_code_check CHECK ((code ~ '^[A-Za-z0-9-]{1,16}$'::text)),
    CONSTRAINT estate_unit_types_floor_plan_sha256_check CHECK ((floor_plan_sha256 ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT estate_unit_types_floor_plan_type_check CHECK ((floor_plan_type = ANY (ARRAY['image/jpeg'::text, 'image/png'::text]))),
    CONSTRAINT estate_unit_types_name_check CHECK (((length(btrim(name)) >= 1) AND (length(btrim(name)) <= 40)))
);

ALTER TABLE public.estate_unit_types ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.estate_unit_types_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.estate_units (
    id integer NOT NULL,
    estate_id integer NOT NULL,
    building_id integer NOT NULL,
    entrance smallint NOT NULL,
    floor smallint NOT NULL,
    room text NOT NULL,
    type_id integer NOT NULL,
    area numeric(8,2) NOT NULL,
    price_per_m2 numeric(12,2) NOT NULL,
    market_price_per_m2 numeric(12,2) NOT NULL,
    orientation text,
    status public.unit_status DEFAULT 'available'::public.unit_status NOT NULL,
    status_at timestamp with time zone DEFAULT now() NOT NULL,
    household_id bigint,
    CONSTRAINT estate_units_area_check CHECK (((area > (0)::numeric) AND (area < (1000)::numeric))),
    CONSTRAINT estate_units_check CHECK ((market_price_per_m2 >= price_per_m2)),
    CONSTRAINT estate_units_check1 CHECK (((status = ANY (ARRAY['available'::public.unit_status, 'reserved'::public.unit_status])) = (household_id IS NULL))),
    CONSTRAINT estate_units_entrance_check CHECK (((entrance >= 1) AND (entrance <= 20))),
    CONSTRAINT estate_units_floor_check CHECK ((((floor >= '-3'::integer) AND (floor <= 99)) AND (floor <> 0))),
    CONSTRAINT estate_units_orientation_check CHECK ((orientation = ANY (ARRAY['南'::text, '北'::text, '东'::text, '西'::text, '东南'::text, '西南'::text, '东北'::text, '西北'::text, '南北'::text]))),
    CONSTRAINT estate_units_price_per_m2_check CHECK ((price_per_m2 >= (0)::numeric)),
    CONSTRAINT estate_units_room_check CHECK ((room ~ '^[0-9A-Za-z-]{1,8}$'::text))
);

ALTER TABLE public.estate_units ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.estate_units_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.estates (
    id integer NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    region_id integer NOT NULL,
    address text,
    delivery_planned date,
    geom public.geometry(MultiPolygon,4326) NOT NULL,
    geom_3857 public.geometry(MultiPolygon,3857) GENERATED ALWAYS AS (public.st_transform(geom, 3857)) STORED,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT estates_address_check CHECK ((length(address) <= 200)),
    CONSTRAINT estates_code_check CHECK ((code ~ '^[A-Za-z0-9-]{1,32}$'::text)),
    CONSTRAINT estates_geom_check CHECK (public.st_isvalid(geom)),
    CONSTRAINT estates_name_check CHECK (((length(btrim(name)) >= 1) AND (length(btrim(name)) <= 60)))
);

ALTER TABLE public.estates ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.estates_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.fund_allocations (
    id bigint NOT NULL,
    project_id bigint NOT NULL,
    yuan numeric(16,2) NOT NULL,
    received_on date NOT NULL,
    note text DEFAULT ''::text NOT NULL,
    user_id integer,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT fund_allocations_yuan_check CHECK ((yuan > (0)::numeric))
);

ALTER TABLE public.fund_allocations ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.fund_allocations_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.gate_overrides (
    id bigint NOT NULL,
    project_id bigint NOT NULL,
    gate public.step_gate NOT NULL,
    action public.gate_override_action NOT NULL,
    reason text NOT NULL,
    user_id integer,
    at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT gate_overrides_reason_check CHECK (((length(btrim(reason)) >= 4) AND (length(btrim(reason)) <= 500)))
);

ALTER TABLE public.gate_overrides ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.gate_overrides_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.work_group_assignments (
    id bigint NOT NULL,
    household_id bigint NOT NULL,
    group_id integer,
    from_at timestamp with time zone DEFAULT now() NOT NULL,
    user_id integer
);

CREATE VIEW public.group_daily_figures_recount AS
 SELECT s.group_id,
    ((e.at AT TIME ZONE 'Asia/Shanghai'::text))::date AS day,
    (sum(public.stage_delta(e.from_status, e.to_status, 'surveyed'::text)))::integer AS surveyed,
    (sum(public.stage_delta(e.from_status, e.to_status, 'signed'::text)))::integer AS signed,
    (sum(public.stage_delta(e.from_status, e.to_status, 'vacated'::text)))::integer AS vacated,
    (sum(public.stage_delta(e.from_status, e.to_status, 'demolished'::text)))::integer AS demolished
   FROM (public.status_events e
     JOIN ( SELECT w.household_id,
            w.group_id,
            w.from_at AS since,
            lead(w.from_at) OVER (PARTITION BY w.household_id ORDER BY w.from_at, w.id) AS until
           FROM public.work_group_assignments w) s ON (((s.household_id = e.household_id) AND (e.at >= s.since) AND ((s.until IS NULL) OR (e.at < s.until)))))
  WHERE (s.group_id IS NOT NULL)
  GROUP BY s.group_id, (((e.at AT TIME ZONE 'Asia/Shanghai'::text))::date);

CREATE VIEW public.group_event_credits AS
 SELECT e.id AS event_id,
    e.household_id,
    e.at,
    held.group_id,
    held.held_since,
    held.assignment_id,
    ((e.at AT TIME ZONE 'Asia/Shanghai'::text))::date AS day,
    public.stage_delta(e.from_status, e.to_status, 'surveyed'::text) AS surveyed,
    public.stage_delta(e.from_status, e.to_status, 'signed'::text) AS signed,
    public.stage_delta(e.from_status, e.to_status, 'vacated'::text) AS vacated,
    public.stage_delta(e.from_status, e.to_status, 'demolished'::text) AS demolished
   FROM (public.status_events e
     LEFT JOIN LATERAL public.group_holding(e.household_id, e.at) held(group_id, held_since, assignment_id) ON (true))
  WHERE (e.household_id IS NOT NULL);

CREATE TABLE public.group_holdings (
    group_id integer NOT NULL,
    households integer DEFAULT 0 NOT NULL,
    signed integer DEFAULT 0 NOT NULL
);

CREATE VIEW public.group_holdings_recount AS
 SELECT h.group_id,
    (count(*))::integer AS households,
    (count(*) FILTER (WHERE (public.status_rank((h.status)::text) >= 2)))::integer AS signed
   FROM public.households h
  WHERE (h.group_id IS NOT NULL)
  GROUP BY h.group_id;

ALTER TABLE public.households ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.households_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.kiosk_tokens (
    id integer NOT NULL,
    token_hash bytea NOT NULL,
    label text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    revoked_at timestamp with time zone,
    last_used_at timestamp with time zone,
    CONSTRAINT kiosk_tokens_label_check CHECK ((label ~ '^[A-Za-z0-9_.-]{1,40}$'::text))
);

ALTER TABLE public.kiosk_tokens ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.kiosk_tokens_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.login_failures (
    id bigint NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    username text NOT NULL,
    client inet
);

ALTER TABLE public.login_failures ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.login_failures_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.objections (
    id bigint NOT NULL,
    household_id bigint NOT NULL,
    ticket text NOT NULL,
    body text NOT NULL,
    status public.objection_status DEFAULT 'open'::public.objection_status NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    answer text,
    answered_by integer,
    answered_at timestamp with time zone,
    CONSTRAINT objection_answered CHECK (((status = 'open'::public.objection_status) OR ((btrim(COALESCE(answer, ''::text)) <> ''::text) AND (answered_at IS NOT NULL)))),
    CONSTRAINT objections_body_check CHECK (((length(btrim(body)) >= 1) AND (length(btrim(body)) <= 2000))),
    CONSTRAINT objections_ticket_check CHECK ((ticket ~ '^[0-9A-Z]{16}$'::text))
);

ALTER TABLE public.objections ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.objections_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

ALTER TABLE public.parcels ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.parcels_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.payment_batches (
    id bigint NOT NULL,
    project_id bigint NOT NULL,
    status public.batch_status DEFAULT 'submitted'::public.batch_status NOT NULL,
    note text DEFAULT ''::text NOT NULL,
    yuan numeric(16,2) DEFAULT 0 NOT NULL,
    payments integer DEFAULT 0 NOT NULL,
    submitted_by integer,
    submitted_at timestamp with time zone DEFAULT now() NOT NULL,
    paid_by integer,
    paid_at timestamp with time zone,
    returned_by integer,
    returned_at timestamp with time zone,
    return_reason text,
    chain_id bigint NOT NULL,
    steps_taken smallint DEFAULT 0 NOT NULL,
    CONSTRAINT batch_return_has_reason CHECK (((status <> 'returned'::public.batch_status) OR (btrim(COALESCE(return_reason, ''::text)) <> ''::text))),
    CONSTRAINT batch_status_with_chains CHECK ((status = ANY (ARRAY['submitted'::public.batch_status, 'paid'::public.batch_status, 'returned'::public.batch_status]))),
    CONSTRAINT batch_steps_dated CHECK ((((status <> 'paid'::public.batch_status) OR (paid_at IS NOT NULL)) AND ((status <> 'returned'::public.batch_status) OR (returned_at IS NOT NULL)))),
    CONSTRAINT batch_steps_signed CHECK (((submitted_by IS NULL) OR (((paid_at IS NULL) = (paid_by IS NULL)) AND ((returned_at IS NULL) = (returned_by IS NULL)))))
);

ALTER TABLE public.payment_batches ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.payment_batches_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.payments (
    id bigint NOT NULL,
    batch_id bigint NOT NULL,
    household_id bigint NOT NULL,
    yuan numeric(14,2) NOT NULL,
    idempotency_key text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT payments_idempotency_key_check CHECK (((length(idempotency_key) >= 8) AND (length(idempotency_key) <= 100))),
    CONSTRAINT payments_yuan_check CHECK ((yuan > (0)::numeric))
);

ALTER TABLE public.payments ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.payments_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.petition_categories (
    id smallint NOT NULL,
    name text NOT NULL,
    "position" smallint DEFAULT 100 NOT NULL,
    retired boolean DEFAULT false NOT NULL,
    CONSTRAINT petition_categories_name_check CHECK (((name = btrim(name)) AND ((length(name) >= 1) AND (length(name) <= 20))))
);

ALTER TABLE public.petition_categories ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.petition_categories_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.petitions (
    id bigint NOT NULL,
    ticket text NOT NULL,
    project_id bigint NOT NULL,
    household_id bigint,
    objection_id bigint,
    channel public.petition_channel NOT NULL,
    category_id smallint,
    petitioner_name text,
    petitioner_id_number text,
    petitioner_phone text,
    body text NOT NULL,
    received_at timestamp with time zone NOT NULL,
    registered_by integer,
    registered_at timestamp with time zone DEFAULT now() NOT NULL,
    group_id integer,
    office text,
    accept_n integer NOT NULL,
    accept_unit public.period_unit NOT NULL,
    handle_n integer NOT NULL,
    handle_unit public.period_unit NOT NULL,
    status public.petition_status DEFAULT 'registered'::public.petition_status NOT NULL,
    decided_at timestamp with time zone,
    decided_by integer,
    reject_reason text,
    replied_at timestamp with time zone,
    repeat_of bigint,
    CONSTRAINT petition_decided CHECK (((status = 'registered'::public.petition_status) = (decided_at IS NULL))),
    CONSTRAINT petition_not_own_repeat CHECK ((repeat_of <> id)),
    CONSTRAINT petition_one_owner CHECK (((group_id IS NULL) OR (office IS NULL))),
    CONSTRAINT petition_rejected_reason CHECK (((status = 'rejected'::public.petition_status) = (reject_reason IS NOT NULL))),
    CONSTRAINT petition_replied CHECK (((status = 'replied'::public.petition_status) = (replied_at IS NOT NULL))),
    CONSTRAINT petitions_body_check CHECK (((length(btrim(body)) >= 1) AND (length(btrim(body)) <= 4000))),
    CONSTRAINT petitions_office_check CHECK (((office = btrim(office)) AND ((length(office) >= 1) AND (length(office) <= 40)))),
    CONSTRAINT petitions_petitioner_id_number_check CHECK ((petitioner_id_number ~ '^[0-9]{17}[0-9X]$'::text)),
    CONSTRAINT petitions_petitioner_name_check CHECK (((petitioner_name = btrim(petitioner_name)) AND ((length(petitioner_name) >= 1) AND (length(petitioner_name) <= 40)))),
    CONSTRAINT petitions_petitioner_phone_check CHECK ((petitioner_phone ~ '^[0-9+() -]{5,20}$'::text)),
    CONSTRAINT petitions_reject_reason_check CHECK (((length(btrim(reject_reason)) >= 1) AND (length(btrim(reject_reason)) <= 1000))),
    CONSTRAINT petitions_ticket_check CHECK ((ticket ~ '^[0-9A-Z]{16}$'::text))
);

CREATE VIEW public.petition_deadlines AS
 SELECT p.id,
    d.received_on,
    public.period_end(d.received_on, p.accept_n, p.accept_unit) AS accept_due,
    ((p.decided_at AT TIME ZONE 'Asia/Shanghai'::text))::date AS decided_on,
        CASE
            WHEN (p.status = ANY (ARRAY['accepted'::public.petition_status, 'replied'::public.petition_status])) THEN public.period_end(((p.decided_at AT TIME ZONE 'Asia/Shanghai'::text))::date, p.handle_n, p.handle_unit)
            ELSE NULL::date
        END AS handle_due,
    ((p.replied_at AT TIME ZONE 'Asia/Shanghai'::text))::date AS replied_on
   FROM public.petitions p,
    LATERAL ( SELECT ((p.received_at AT TIME ZONE 'Asia/Shanghai'::text))::date AS received_on) d;

ALTER TABLE public.petition_periods ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.petition_periods_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.petition_replies (
    id bigint NOT NULL,
    petition_id bigint NOT NULL,
    body text NOT NULL,
    final boolean NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    by_user integer,
    CONSTRAINT petition_replies_body_check CHECK (((length(btrim(body)) >= 1) AND (length(btrim(body)) <= 4000)))
);

ALTER TABLE public.petition_replies ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.petition_replies_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

ALTER TABLE public.petitions ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.petitions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.procedure_template_steps (
    template_id integer NOT NULL,
    seq smallint NOT NULL,
    key text NOT NULL,
    name text NOT NULL,
    stage public.project_stage NOT NULL,
    legal_basis text NOT NULL,
    produces public.step_output NOT NULL,
    min_period smallint,
    max_period smallint,
    period_unit public.period_unit DEFAULT 'days'::public.period_unit NOT NULL,
    clock_from text,
    is_window boolean DEFAULT false NOT NULL,
    prerequisites text[] DEFAULT '{}'::text[] NOT NULL,
    published boolean DEFAULT false NOT NULL,
    publishes text[] DEFAULT '{}'::text[] NOT NULL,
    opens public.step_gate,
    CONSTRAINT procedure_template_steps_key_check CHECK ((key ~ '^[a-z][a-z0-9_]{1,39}$'::text)),
    CONSTRAINT procedure_template_steps_legal_basis_check CHECK (((length(btrim(legal_basis)) >= 1) AND (length(btrim(legal_basis)) <= 400))),
    CONSTRAINT procedure_template_steps_max_period_check CHECK ((max_period >= 1)),
    CONSTRAINT procedure_template_steps_min_period_check CHECK ((min_period >= 1)),
    CONSTRAINT procedure_template_steps_name_check CHECK (((length(btrim(name)) >= 1) AND (length(btrim(name)) <= 60))),
    CONSTRAINT procedure_template_steps_seq_check CHECK (((seq >= 1) AND (seq <= 60))),
    CONSTRAINT procedure_template_steps_stage_check CHECK ((stage <> 'closed'::public.project_stage)),
    CONSTRAINT template_published_publishes CHECK (((cardinality(publishes) = 0) OR published)),
    CONSTRAINT template_publishes_items CHECK ((publishes <@ ARRAY['overview'::text, 'policy'::text, 'compensation_plan'::text, 'announcement'::text, 'survey_results'::text, 'appraisal_results'::text, 'compensation_results'::text, 'staff'::text, 'supervision'::text])),
    CONSTRAINT template_step_min_le_max CHECK (((min_period IS NULL) OR (max_period IS NULL) OR (min_period <= max_period))),
    CONSTRAINT template_window_has_clock CHECK (((NOT is_window) OR ((clock_from IS NOT NULL) AND (max_period IS NOT NULL))))
);

CREATE TABLE public.procedure_templates (
    id integer NOT NULL,
    kind public.project_kind NOT NULL,
    version integer NOT NULL,
    name text NOT NULL,
    note text DEFAULT ''::text NOT NULL,
    created_by integer,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT procedure_templates_name_check CHECK ((btrim(name) <> ''::text)),
    CONSTRAINT procedure_templates_version_check CHECK ((version >= 1))
);

ALTER TABLE public.procedure_templates ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.procedure_templates_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.project_activity (
    project_id bigint NOT NULL,
    last_day date NOT NULL
);

CREATE TABLE public.project_estates (
    project_id bigint NOT NULL,
    estate_id integer NOT NULL
);

CREATE TABLE public.project_figures (
    project_id bigint NOT NULL,
    buildings integer DEFAULT 0 NOT NULL,
    buildings_demolished integer DEFAULT 0 NOT NULL,
    floor_area numeric(16,2) DEFAULT 0 NOT NULL,
    households integer DEFAULT 0 NOT NULL,
    surveyed integer DEFAULT 0 NOT NULL,
    signed integer DEFAULT 0 NOT NULL,
    vacated integer DEFAULT 0 NOT NULL,
    demolished integer DEFAULT 0 NOT NULL,
    monetary integer DEFAULT 0 NOT NULL,
    difficult integer DEFAULT 0 NOT NULL,
    land_m2 double precision DEFAULT 0 NOT NULL,
    land_acquired_m2 double precision DEFAULT 0 NOT NULL,
    land_delivered_m2 double precision DEFAULT 0 NOT NULL
);

CREATE TABLE public.projects (
    id bigint NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    kind public.project_kind NOT NULL,
    region_id integer NOT NULL,
    start_date date NOT NULL,
    target_date date NOT NULL,
    budget_yuan numeric(16,2) NOT NULL,
    published boolean DEFAULT false NOT NULL,
    geom public.geometry(MultiPolygon,4326) NOT NULL,
    geom_3857 public.geometry(MultiPolygon,3857) GENERATED ALWAYS AS (public.st_transform(geom, 3857)) STORED,
    stage public.project_stage DEFAULT 'preparation'::public.project_stage NOT NULL,
    settled_at timestamp with time zone,
    settled_by integer,
    archived_at timestamp with time zone,
    archived_by integer,
    CONSTRAINT project_archived_after_settled CHECK (((archived_at IS NULL) OR (settled_at IS NOT NULL))),
    CONSTRAINT project_target_after_start CHECK ((target_date >= start_date)),
    CONSTRAINT projects_budget_yuan_check CHECK ((budget_yuan >= (0)::numeric)),
    CONSTRAINT projects_geom_check CHECK (public.st_isvalid(geom)),
    CONSTRAINT projects_name_check CHECK ((name <> ''::text))
);

CREATE VIEW public.project_figures_recount AS
 SELECT p.id AS project_id,
    COALESCE(b.buildings, (0)::bigint) AS buildings,
    COALESCE(b.buildings_demolished, (0)::bigint) AS buildings_demolished,
    COALESCE(b.floor_area, (0)::numeric) AS floor_area,
    COALESCE(h.households, (0)::bigint) AS households,
    COALESCE(h.surveyed, (0)::bigint) AS surveyed,
    COALESCE(h.signed, (0)::bigint) AS signed,
    COALESCE(h.vacated, (0)::bigint) AS vacated,
    COALESCE(h.demolished, (0)::bigint) AS demolished,
    COALESCE(h.monetary, (0)::bigint) AS monetary,
    COALESCE(h.difficult, (0)::bigint) AS difficult,
    COALESCE(l.land_m2, (0)::double precision) AS land_m2,
    COALESCE(l.land_acquired_m2, (0)::double precision) AS land_acquired_m2,
    COALESCE(l.land_delivered_m2, (0)::double precision) AS land_delivered_m2
   FROM (((public.projects p
     LEFT JOIN ( SELECT buildings.project_id,
            count(*) AS buildings,
            count(*) FILTER (WHERE (buildings.status = 'demolished'::public.progress_status)) AS buildings_demolished,
            sum(buildings.floor_area) AS floor_area
           FROM public.buildings
          GROUP BY buildings.project_id) b ON ((b.project_id = p.id)))
     LEFT JOIN ( SELECT b_1.project_id,
            count(*) AS households,
            count(*) FILTER (WHERE (h_1.status >= 'surveyed'::public.progress_status)) AS surveyed,
            count(*) FILTER (WHERE (h_1.status >= 'signed'::public.progress_status)) AS signed,
            count(*) FILTER (WHERE (h_1.status >= 'vacated'::public.progress_status)) AS vacated,
            count(*) FILTER (WHERE (h_1.status >= 'demolished'::public.progress_status)) AS demolished,
            count(*) FILTER (WHERE ((h_1.status >= 'signed'::public.progress_status) AND (h_1.resettlement = 'monetary'::public.resettlement))) AS monetary,
            count(*) FILTER (WHERE h_1.difficult) AS difficult
           FROM (public.households h_1
             JOIN public.buildings b_1 ON ((b_1.id = h_1.building_id)))
          GROUP BY b_1.project_id) h ON ((h.project_id = p.id)))
     LEFT JOIN ( SELECT parcels.project_id,
            sum(parcels.area_m2) AS land_m2,
            sum(parcels.area_m2) FILTER (WHERE (parcels.land_status >= 'acquired'::public.land_status)) AS land_acquired_m2,
            sum(parcels.area_m2) FILTER (WHERE (parcels.land_status >= 'delivered'::public.land_status)) AS land_delivered_m2
           FROM public.parcels
          GROUP BY parcels.project_id) l ON ((l.project_id = p.id)));

CREATE TABLE public.project_funds (
    project_id bigint NOT NULL,
    allocated_yuan numeric(16,2) DEFAULT 0 NOT NULL,
    committed_yuan numeric(16,2) DEFAULT 0 NOT NULL,
    paid_yuan numeric(16,2) DEFAULT 0 NOT NULL,
    CONSTRAINT batch_within_allocations CHECK ((paid_yuan <= allocated_yuan)),
    CONSTRAINT project_funds_allocated_yuan_check CHECK ((allocated_yuan >= (0)::numeric)),
    CONSTRAINT project_funds_committed_yuan_check CHECK ((committed_yuan >= (0)::numeric)),
    CONSTRAINT project_funds_paid_yuan_check CHECK ((paid_yuan >= (0)::numeric))
);

CREATE TABLE public.project_procedures (
    project_id bigint NOT NULL,
    template_id integer NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

CREATE TABLE public.project_steps (
    project_id bigint NOT NULL,
    key text NOT NULL,
    state public.step_state DEFAULT 'not_started'::public.step_state NOT NULL,
    planned_start date,
    planned_end date,
    actual_start date,
    actual_end date,
    responsible integer,
    waive_reason text,
    note text DEFAULT ''::text NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    updated_by integer,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT project_steps_note_check CHECK ((length(note) <= 2000)),
    CONSTRAINT step_actual_order CHECK ((actual_end >= actual_start)),
    CONSTRAINT step_finished_has_end CHECK (((state = ANY (ARRAY['done'::public.step_state, 'waived'::public.step_state])) = (actual_end IS NOT NULL))),
    CONSTRAINT step_planned_order CHECK ((planned_end >= planned_start)),
    CONSTRAINT step_started_has_start CHECK (((state = ANY (ARRAY['not_started'::public.step_state, 'waived'::public.step_state])) OR (actual_start IS NOT NULL))),
    CONSTRAINT step_waived_has_reason CHECK (((state = 'waived'::public.step_state) = (length(btrim(COALESCE(waive_reason, ''::text))) >= 2)))
);

CREATE VIEW public.project_steps_due AS
 WITH today AS (
         SELECT ((now() AT TIME ZONE 'Asia/Shanghai'::text))::date AS day
        ), steps AS (
         SELECT ps.project_id,
            ps.key,
            ps.state,
            ps.planned_start,
            ps.planned_end,
            ps.actual_start,
            ps.actual_end,
            ps.responsible,
            ps.waive_reason,
            ps.note,
            ps.version,
            ps.updated_by,
            ps.updated_at,
            ts.seq,
            ts.name,
            ts.stage,
            ts.legal_basis,
            ts.produces,
            ts.min_period,
            ts.max_period,
            ts.period_unit,
            ts.clock_from,
            ts.is_window,
            ts.prerequisites,
            ts.published,
            ts.publishes,
            ts.opens,
            pp.template_id,
                CASE
                    WHEN (ts.clock_from IS NULL) THEN ps.actual_start
                    ELSE ( SELECT c.actual_end
                       FROM public.project_steps c
                      WHERE ((c.project_id = ps.project_id) AND (c.key = ts.clock_from) AND (c.state = 'done'::public.step_state)))
                END AS clock_start
           FROM ((public.project_steps ps
             JOIN public.project_procedures pp ON ((pp.project_id = ps.project_id)))
             JOIN public.procedure_template_steps ts ON (((ts.template_id = pp.template_id) AND (ts.key = ps.key))))
        ), dated AS (
         SELECT s.project_id,
            s.key,
            s.state,
            s.planned_start,
            s.planned_end,
            s.actual_start,
            s.actual_end,
            s.responsible,
            s.waive_reason,
            s.note,
            s.version,
            s.updated_by,
            s.updated_at,
            s.seq,
            s.name,
            s.stage,
            s.legal_basis,
            s.produces,
            s.min_period,
            s.max_period,
            s.period_unit,
            s.clock_from,
            s.is_window,
            s.prerequisites,
            s.published,
            s.publishes,
            s.opens,
            s.template_id,
            s.clock_start,
            public.period_end(s.clock_start, (s.min_period)::integer, s.period_unit) AS earliest_end,
            public.period_end(s.clock_start, (s.max_period)::integer, s.period_unit) AS legal_due
           FROM steps s
        )
 SELECT d.project_id,
    d.key,
    d.state,
    d.planned_start,
    d.planned_end,
    d.actual_start,
    d.actual_end,
    d.responsible,
    d.waive_reason,
    d.note,
    d.version,
    d.updated_by,
    d.updated_at,
    d.seq,
    d.name,
    d.stage,
    d.legal_basis,
    d.produces,
    d.min_period,
    d.max_period,
    d.period_unit,
    d.clock_from,
    d.is_window,
    d.prerequisites,
    d.published,
    d.publishes,
    d.opens,
    d.template_id,
    d.clock_start,
    d.earliest_end,
    d.legal_due,
    LEAST(d.legal_due, d.planned_end) AS due_on,
        CASE
            WHEN d.is_window THEN
            CASE
                WHEN (d.clock_start IS NULL) THEN 'not_started'::text
                WHEN (d.legal_due >= t.day) THEN 'open'::text
                ELSE 'closed'::text
            END
            WHEN (d.state = ANY (ARRAY['done'::public.step_state, 'waived'::public.step_state])) THEN (d.state)::text
            WHEN (LEAST(d.legal_due, d.planned_end) < t.day) THEN 'overdue'::text
            ELSE (d.state)::text
        END AS shown_state
   FROM dated d,
    today t;

ALTER TABLE public.projects ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.projects_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE VIEW public.public_holders AS
 SELECT h.id,
    public.mask_name(h.holder_name) AS holder,
    public.mask_id_number(h.holder_id_number) AS id_number
   FROM ((public.households h
     JOIN public.buildings b ON ((b.id = h.building_id)))
     JOIN public.projects p ON ((p.id = b.project_id)))
  WHERE p.published;

CREATE VIEW public.public_project_steps AS
 SELECT d.project_id,
    d.key,
    d.seq,
    d.name,
    d.stage,
    d.legal_basis,
    d.produces,
    d.is_window,
    d.publishes,
    d.state,
    d.shown_state,
    d.planned_start,
    d.planned_end,
    d.actual_start,
    d.actual_end,
    d.clock_start,
    d.earliest_end,
    d.legal_due
   FROM (public.project_steps_due d
     JOIN public.projects p ON ((p.id = d.project_id)))
  WHERE (d.published AND p.published);

CREATE TABLE public.region_figures (
    region_id integer NOT NULL,
    projects integer DEFAULT 0 NOT NULL,
    buildings integer NOT NULL,
    buildings_demolished integer NOT NULL,
    floor_area numeric(16,2) NOT NULL,
    households integer NOT NULL,
    surveyed integer NOT NULL,
    signed integer NOT NULL,
    vacated integer NOT NULL,
    demolished integer NOT NULL,
    monetary integer NOT NULL,
    difficult integer NOT NULL,
    land_m2 double precision NOT NULL,
    land_acquired_m2 double precision NOT NULL,
    land_delivered_m2 double precision NOT NULL
);

CREATE TABLE public.regions (
    id integer NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    level public.region_level NOT NULL,
    parent_id integer,
    lineage integer[] DEFAULT '{}'::integer[] NOT NULL,
    geom_source text NOT NULL,
    geom public.geometry(MultiPolygon,4326) NOT NULL,
    geom_3857 public.geometry(MultiPolygon,3857) GENERATED ALWAYS AS (public.st_transform(geom, 3857)) STORED,
    CONSTRAINT region_code_fits_level CHECK ((((level = 'city'::public.region_level) AND (code ~ '^[0-9]{4}00$'::text)) OR ((level = 'district'::public.region_level) AND (code ~ '^[0-9]{6}$'::text)) OR ((level = 'street'::public.region_level) AND (code ~ '^[0-9]{9}$'::text)) OR ((level = 'community'::public.region_level) AND (code ~ '^[0-9]{12}$'::text)))),
    CONSTRAINT region_root_is_city CHECK (((level = 'city'::public.region_level) = (parent_id IS NULL))),
    CONSTRAINT regions_geom_check CHECK (public.st_isvalid(geom)),
    CONSTRAINT regions_name_check CHECK ((name <> ''::text))
);

CREATE VIEW public.region_figures_recount AS
 SELECT r.id AS region_id,
    count(f.project_id) AS projects,
    COALESCE(sum(f.buildings), (0)::numeric) AS buildings,
    COALESCE(sum(f.buildings_demolished), (0)::numeric) AS buildings_demolished,
    COALESCE(sum(f.floor_area), (0)::numeric) AS floor_area,
    COALESCE(sum(f.households), (0)::numeric) AS households,
    COALESCE(sum(f.surveyed), (0)::numeric) AS surveyed,
    COALESCE(sum(f.signed), (0)::numeric) AS signed,
    COALESCE(sum(f.vacated), (0)::numeric) AS vacated,
    COALESCE(sum(f.demolished), (0)::numeric) AS demolished,
    COALESCE(sum(f.monetary), (0)::numeric) AS monetary,
    COALESCE(sum(f.difficult), (0)::numeric) AS difficult,
    COALESCE(sum(f.land_m2), (0)::double precision) AS land_m2,
    COALESCE(sum(f.land_acquired_m2), (0)::double precision) AS land_acquired_m2,
    COALESCE(sum(f.land_delivered_m2), (0)::double precision) AS land_delivered_m2
   FROM (public.regions r
     LEFT JOIN ((public.regions below
     JOIN public.projects p ON ((p.region_id = below.id)))
     JOIN public.project_figures_recount f ON ((f.project_id = p.id))) ON ((r.id = ANY (below.lineage))))
  GROUP BY r.id;

ALTER TABLE public.regions ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.regions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.resident_lookups (
    client inet NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    purpose text DEFAULT 'lookup'::text NOT NULL,
    CONSTRAINT resident_lookups_purpose_check CHECK ((purpose = ANY (ARRAY['lookup'::text, 'download'::text])))
);

CREATE TABLE public.selection_choices (
    id bigint NOT NULL,
    day_id bigint NOT NULL,
    household_id bigint NOT NULL,
    unit_id integer NOT NULL,
    state text DEFAULT 'pending'::text NOT NULL,
    chosen_by integer,
    chosen_at timestamp with time zone DEFAULT now() NOT NULL,
    settled_at timestamp with time zone,
    CONSTRAINT selection_choices_check CHECK (((state = 'confirmed'::text) = (settled_at IS NOT NULL))),
    CONSTRAINT selection_choices_state_check CHECK ((state = ANY (ARRAY['pending'::text, 'confirmed'::text, 'cancelled'::text])))
);

ALTER TABLE public.selection_choices ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.selection_choices_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.selection_days (
    id bigint NOT NULL,
    project_id bigint NOT NULL,
    day date NOT NULL,
    status text DEFAULT 'planned'::text NOT NULL,
    order_by text NOT NULL,
    seed text,
    seed_published_at timestamp with time zone,
    drawn_at timestamp with time zone,
    created_by integer,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT selection_days_check CHECK (((order_by = 'signing'::text) OR ((seed IS NOT NULL) AND (seed_published_at IS NOT NULL)))),
    CONSTRAINT selection_days_check1 CHECK (((drawn_at IS NULL) OR (drawn_at >= seed_published_at))),
    CONSTRAINT selection_days_order_by_check CHECK ((order_by = ANY (ARRAY['signing'::text, 'lottery'::text]))),
    CONSTRAINT selection_days_seed_check CHECK ((seed ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT selection_days_status_check CHECK ((status = ANY (ARRAY['planned'::text, 'open'::text, 'closed'::text])))
);

ALTER TABLE public.selection_days ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.selection_days_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.selection_queue (
    day_id bigint NOT NULL,
    household_id bigint NOT NULL,
    code text NOT NULL,
    entitled_area numeric(8,2) NOT NULL,
    signing_no integer NOT NULL,
    lottery_key text,
    "position" integer,
    state text DEFAULT 'waiting'::text NOT NULL,
    recalls smallint DEFAULT 0 NOT NULL,
    called_by integer,
    called_at timestamp with time zone,
    done_at timestamp with time zone,
    CONSTRAINT selection_queue_check CHECK (((state = 'called'::text) = (called_by IS NOT NULL))),
    CONSTRAINT selection_queue_entitled_area_check CHECK ((entitled_area >= (0)::numeric)),
    CONSTRAINT selection_queue_lottery_key_check CHECK ((lottery_key ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT selection_queue_position_check CHECK (("position" > 0)),
    CONSTRAINT selection_queue_recalls_check CHECK ((recalls >= 0)),
    CONSTRAINT selection_queue_signing_no_check CHECK ((signing_no > 0)),
    CONSTRAINT selection_queue_state_check CHECK ((state = ANY (ARRAY['waiting'::text, 'called'::text, 'done'::text, 'absent'::text])))
);

CREATE TABLE public.selection_rules (
    project_id bigint NOT NULL,
    area_ratio numeric(6,3) DEFAULT 1 NOT NULL,
    incentive_area numeric(8,2) DEFAULT 0 NOT NULL,
    beyond_max_area numeric(8,2) DEFAULT 10 NOT NULL,
    max_units smallint DEFAULT 2 NOT NULL,
    unused_yuan_per_m2 numeric(12,2),
    order_by text DEFAULT 'signing'::text NOT NULL,
    recalls smallint DEFAULT 1 NOT NULL,
    updated_by integer,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT selection_rules_area_ratio_check CHECK (((area_ratio > (0)::numeric) AND (area_ratio <= (5)::numeric))),
    CONSTRAINT selection_rules_beyond_max_area_check CHECK (((beyond_max_area >= (0)::numeric) AND (beyond_max_area < (1000)::numeric))),
    CONSTRAINT selection_rules_incentive_area_check CHECK (((incentive_area >= (0)::numeric) AND (incentive_area < (1000)::numeric))),
    CONSTRAINT selection_rules_max_units_check CHECK (((max_units >= 1) AND (max_units <= 5))),
    CONSTRAINT selection_rules_order_by_check CHECK ((order_by = ANY (ARRAY['signing'::text, 'lottery'::text]))),
    CONSTRAINT selection_rules_recalls_check CHECK (((recalls >= 0) AND (recalls <= 5))),
    CONSTRAINT selection_rules_unused_yuan_per_m2_check CHECK ((unused_yuan_per_m2 >= (0)::numeric))
);

CREATE TABLE public.sessions (
    token_hash bytea NOT NULL,
    user_id integer NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    last_seen_at timestamp with time zone DEFAULT now() NOT NULL,
    kiosk boolean DEFAULT false NOT NULL,
    kiosk_token_id integer
);

ALTER TABLE public.status_events ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.status_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.step_documents (
    id bigint NOT NULL,
    project_id bigint NOT NULL,
    key text NOT NULL,
    sha256 text NOT NULL,
    size_bytes bigint NOT NULL,
    content_type text NOT NULL,
    file_name text NOT NULL,
    public boolean DEFAULT false NOT NULL,
    uploaded_by integer,
    uploaded_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT step_documents_content_type_check CHECK ((content_type = ANY (ARRAY['application/pdf'::text, 'image/jpeg'::text, 'image/png'::text]))),
    CONSTRAINT step_documents_file_name_check CHECK ((((length(file_name) >= 1) AND (length(file_name) <= 200)) AND (file_name !~ '[/\\[:cntrl:]]'::text) AND (file_name !~ '^\.'::text))),
    CONSTRAINT step_documents_sha256_check CHECK ((sha256 ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT step_documents_size_bytes_check CHECK (((size_bytes > 0) AND (size_bytes <= 10485760)))
);

ALTER TABLE public.step_documents ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.step_documents_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.step_events (
    id bigint NOT NULL,
    project_id bigint NOT NULL,
    key text NOT NULL,
    from_state public.step_state NOT NULL,
    to_state public.step_state NOT NULL,
    actual_start date,
    actual_end date,
    reason text,
    user_id integer,
    at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE public.step_events ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.step_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.swap_settlements (
    household_id bigint NOT NULL,
    day_id bigint NOT NULL,
    entitled_area numeric(8,2) NOT NULL,
    chosen_area numeric(8,2) NOT NULL,
    within_area numeric(8,2) NOT NULL,
    beyond_area numeric(8,2) NOT NULL,
    unused_area numeric(8,2) NOT NULL,
    within_yuan numeric(14,2) NOT NULL,
    beyond_yuan numeric(14,2) NOT NULL,
    unused_yuan_per_m2 numeric(12,2) NOT NULL,
    unused_yuan numeric(14,2) NOT NULL,
    house_yuan numeric(14,2) NOT NULL,
    swap_yuan numeric(14,2) NOT NULL,
    settled_by integer,
    settled_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT swap_settlements_beyond_area_check CHECK ((beyond_area >= (0)::numeric)),
    CONSTRAINT swap_settlements_beyond_yuan_check CHECK ((beyond_yuan >= (0)::numeric)),
    CONSTRAINT swap_settlements_check CHECK ((((within_area + beyond_area) = chosen_area) AND ((within_area + unused_area) = entitled_area))),
    CONSTRAINT swap_settlements_check1 CHECK ((swap_yuan = (((unused_yuan - within_yuan) - beyond_yuan) - house_yuan))),
    CONSTRAINT swap_settlements_chosen_area_check CHECK ((chosen_area >= (0)::numeric)),
    CONSTRAINT swap_settlements_house_yuan_check CHECK ((house_yuan >= (0)::numeric)),
    CONSTRAINT swap_settlements_unused_area_check CHECK ((unused_area >= (0)::numeric)),
    CONSTRAINT swap_settlements_unused_yuan_check CHECK ((unused_yuan >= (0)::numeric)),
    CONSTRAINT swap_settlements_unused_yuan_per_m2_check CHECK ((unused_yuan_per_m2 >= (0)::numeric)),
    CONSTRAINT swap_settlements_within_area_check CHECK ((within_area >= (0)::numeric)),
    CONSTRAINT swap_settlements_within_yuan_check CHECK ((within_yuan >= (0)::numeric))
);

CREATE TABLE public.unit_status_events (
    id bigint NOT NULL,
    unit_id integer NOT NULL,
    from_status public.unit_status,
    to_status public.unit_status NOT NULL,
    household_id bigint,
    actor_id integer,
    at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE public.unit_status_events ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.unit_status_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.user_offices (
    user_id integer NOT NULL,
    office text NOT NULL,
    CONSTRAINT user_offices_office_check CHECK (((office = btrim(office)) AND ((length(office) >= 1) AND (length(office) <= 40)) AND (office !~ '[[:cntrl:]]'::text)))
);

CREATE TABLE public.users (
    id integer NOT NULL,
    username text NOT NULL,
    password_hash text NOT NULL,
    role public.user_role NOT NULL,
    region_id integer,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    locked_until timestamp with time zone,
    disabled_at timestamp with time zone,
    last_login_at timestamp with time zone,
    write_scope text DEFAULT 'region'::text NOT NULL,
    CONSTRAINT operator_has_region CHECK (((role <> 'operator'::public.user_role) OR (region_id IS NOT NULL))),
    CONSTRAINT users_username_check CHECK ((username ~ '^[A-Za-z0-9_.-]{2,40}$'::text)),
    CONSTRAINT users_write_scope_check CHECK ((write_scope = ANY (ARRAY['region'::text, 'group'::text])))
);

ALTER TABLE public.users ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.users_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.weekly_reports (
    region_id integer NOT NULL,
    week date NOT NULL,
    claimed_at timestamp with time zone DEFAULT now() NOT NULL,
    generated_at timestamp with time zone,
    bytes integer,
    sha256 text,
    pages integer,
    CONSTRAINT weekly_reports_bytes_check CHECK ((bytes > 0)),
    CONSTRAINT weekly_reports_check CHECK ((((generated_at IS NULL) = (sha256 IS NULL)) AND ((sha256 IS NULL) = (bytes IS NULL)))),
    CONSTRAINT weekly_reports_pages_check CHECK ((pages > 0)),
    CONSTRAINT weekly_reports_sha256_check CHECK ((sha256 ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT weekly_reports_week_check CHECK ((EXTRACT(isodow FROM week) = (1)::numeric))
);

ALTER TABLE public.work_group_assignments ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.work_group_assignments_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.work_group_members (
    group_id integer NOT NULL,
    user_id integer NOT NULL
);

CREATE TABLE public.work_groups (
    id integer NOT NULL,
    project_id bigint NOT NULL,
    name text NOT NULL,
    leader_id integer,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT work_groups_name_check CHECK (((length(btrim(name)) >= 1) AND (length(btrim(name)) <= 40)))
);

ALTER TABLE public.work_groups ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.work_groups_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

ALTER TABLE ONLY public._sqlx_migrations
    ADD CONSTRAINT _sqlx_migrations_pkey PRIMARY KEY (version);

ALTER TABLE ONLY public.agreements
    ADD CONSTRAINT agreements_pkey PRIMARY KEY (household_id);

ALTER TABLE ONLY public.approval_chains
    ADD CONSTRAINT approval_chain_version_once UNIQUE NULLS NOT DISTINCT (project_id, version);

ALTER TABLE ONLY public.approval_chains
    ADD CONSTRAINT approval_chains_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.approval_steps
    ADD CONSTRAINT approval_step_key_once UNIQUE (chain_id, key);

ALTER TABLE ONLY public.approval_steps
    ADD CONSTRAINT approval_step_name_once UNIQUE (chain_id, name);

ALTER TABLE ONLY public.approval_steps
    ADD CONSTRAINT approval_steps_pkey PRIMARY KEY (chain_id, "position");

ALTER TABLE ONLY public.attachments
    ADD CONSTRAINT attachments_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.batch_steps
    ADD CONSTRAINT batch_step_once PRIMARY KEY (batch_id, "position");

ALTER TABLE ONLY public.buildings
    ADD CONSTRAINT buildings_code_key UNIQUE (code);

ALTER TABLE ONLY public.buildings
    ADD CONSTRAINT buildings_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.calendar_days
    ADD CONSTRAINT calendar_days_pkey PRIMARY KEY (day);

ALTER TABLE ONLY public.case_categories
    ADD CONSTRAINT case_categories_name_key UNIQUE (name);

ALTER TABLE ONLY public.case_categories
    ADD CONSTRAINT case_categories_pkey PRIMARY KEY (key);

ALTER TABLE ONLY public.case_categories
    ADD CONSTRAINT case_categories_seq_key UNIQUE (seq);

ALTER TABLE ONLY public.case_conference_attachments
    ADD CONSTRAINT case_conference_attachments_pkey PRIMARY KEY (conference_id, attachment_id);

ALTER TABLE ONLY public.case_conferences
    ADD CONSTRAINT case_conferences_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.case_events
    ADD CONSTRAINT case_events_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.case_status_events
    ADD CONSTRAINT case_status_events_pkey PRIMARY KEY (case_id, status_event_id);

ALTER TABLE ONLY public.cases
    ADD CONSTRAINT cases_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.compensation_decisions
    ADD CONSTRAINT compensation_decisions_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.compensation_incentives
    ADD CONSTRAINT compensation_incentives_pkey PRIMARY KEY (project_id, until);

ALTER TABLE ONLY public.compensation_overrides
    ADD CONSTRAINT compensation_overrides_pkey PRIMARY KEY (household_id);

ALTER TABLE ONLY public.compensation_rates
    ADD CONSTRAINT compensation_rates_pkey PRIMARY KEY (project_id, use, legality);

ALTER TABLE ONLY public.compensation_standards
    ADD CONSTRAINT compensation_standards_pkey PRIMARY KEY (project_id);

ALTER TABLE ONLY public.daily_figures
    ADD CONSTRAINT daily_figures_pkey PRIMARY KEY (project_id, day);

ALTER TABLE ONLY public.disclosures
    ADD CONSTRAINT disclosures_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.estate_buildings
    ADD CONSTRAINT estate_buildings_estate_id_code_key UNIQUE (estate_id, code);

ALTER TABLE ONLY public.estate_buildings
    ADD CONSTRAINT estate_buildings_id_estate_id_key UNIQUE (id, estate_id);

ALTER TABLE ONLY public.estate_buildings
    ADD CONSTRAINT estate_buildings_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.estate_unit_types
    ADD CONSTRAINT estate_unit_types_estate_id_code_key UNIQUE (estate_id, code);

ALTER TABLE ONLY public.estate_unit_types
    ADD CONSTRAINT estate_unit_types_id_estate_id_key UNIQUE (id, estate_id);

ALTER TABLE ONLY public.estate_unit_types
    ADD CONSTRAINT estate_unit_types_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.estate_units
    ADD CONSTRAINT estate_units_building_id_entrance_floor_room_key UNIQUE (building_id, entrance, floor, room);

ALTER TABLE ONLY public.estate_units
    ADD CONSTRAINT estate_units_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.estates
    ADD CONSTRAINT estates_code_key UNIQUE (code);

ALTER TABLE ONLY public.estates
    ADD CONSTRAINT estates_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.fund_allocations
    ADD CONSTRAINT fund_allocations_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.gate_overrides
    ADD CONSTRAINT gate_overrides_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.group_daily_figures
    ADD CONSTRAINT group_daily_figures_pkey PRIMARY KEY (group_id, day);

ALTER TABLE ONLY public.group_holdings
    ADD CONSTRAINT group_holdings_pkey PRIMARY KEY (group_id);

ALTER TABLE ONLY public.households
    ADD CONSTRAINT households_code_key UNIQUE (code);

ALTER TABLE ONLY public.households
    ADD CONSTRAINT households_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.kiosk_tokens
    ADD CONSTRAINT kiosk_tokens_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.kiosk_tokens
    ADD CONSTRAINT kiosk_tokens_token_hash_key UNIQUE (token_hash);

ALTER TABLE ONLY public.login_failures
    ADD CONSTRAINT login_failures_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.objections
    ADD CONSTRAINT objections_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.objections
    ADD CONSTRAINT objections_ticket_key UNIQUE (ticket);

ALTER TABLE ONLY public.parcels
    ADD CONSTRAINT parcels_code_key UNIQUE (code);

ALTER TABLE ONLY public.parcels
    ADD CONSTRAINT parcels_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.payment_batches
    ADD CONSTRAINT payment_batches_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.payments
    ADD CONSTRAINT payment_household_once_per_batch UNIQUE (batch_id, household_id);

ALTER TABLE ONLY public.payments
    ADD CONSTRAINT payment_paid_once UNIQUE (idempotency_key);

ALTER TABLE ONLY public.payments
    ADD CONSTRAINT payments_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.petition_categories
    ADD CONSTRAINT petition_categories_name_key UNIQUE (name);

ALTER TABLE ONLY public.petition_categories
    ADD CONSTRAINT petition_categories_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.petition_periods
    ADD CONSTRAINT petition_periods_once UNIQUE NULLS NOT DISTINCT (project_id, channel, category_id);

ALTER TABLE ONLY public.petition_periods
    ADD CONSTRAINT petition_periods_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.petition_replies
    ADD CONSTRAINT petition_replies_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.petitions
    ADD CONSTRAINT petitions_objection_id_key UNIQUE (objection_id);

ALTER TABLE ONLY public.petitions
    ADD CONSTRAINT petitions_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.petitions
    ADD CONSTRAINT petitions_ticket_key UNIQUE (ticket);

ALTER TABLE ONLY public.procedure_template_steps
    ADD CONSTRAINT procedure_template_steps_pkey PRIMARY KEY (template_id, seq);

ALTER TABLE ONLY public.procedure_templates
    ADD CONSTRAINT procedure_template_version_once UNIQUE (kind, version);

ALTER TABLE ONLY public.procedure_templates
    ADD CONSTRAINT procedure_templates_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.project_activity
    ADD CONSTRAINT project_activity_pkey PRIMARY KEY (project_id);

ALTER TABLE ONLY public.project_estates
    ADD CONSTRAINT project_estates_pkey PRIMARY KEY (project_id, estate_id);

ALTER TABLE ONLY public.project_figures
    ADD CONSTRAINT project_figures_pkey PRIMARY KEY (project_id);

ALTER TABLE ONLY public.project_funds
    ADD CONSTRAINT project_funds_pkey PRIMARY KEY (project_id);

ALTER TABLE ONLY public.project_procedures
    ADD CONSTRAINT project_procedures_pkey PRIMARY KEY (project_id);

ALTER TABLE ONLY public.project_steps
    ADD CONSTRAINT project_steps_pkey PRIMARY KEY (project_id, key);

ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_code_key UNIQUE (code);

ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.region_figures
    ADD CONSTRAINT region_figures_pkey PRIMARY KEY (region_id);

ALTER TABLE ONLY public.regions
    ADD CONSTRAINT regions_code_key UNIQUE (code);

ALTER TABLE ONLY public.regions
    ADD CONSTRAINT regions_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.selection_choices
    ADD CONSTRAINT selection_choices_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.selection_days
    ADD CONSTRAINT selection_days_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.selection_days
    ADD CONSTRAINT selection_days_project_id_day_key UNIQUE (project_id, day);

ALTER TABLE ONLY public.selection_queue
    ADD CONSTRAINT selection_queue_day_id_code_key UNIQUE (day_id, code);

ALTER TABLE ONLY public.selection_queue
    ADD CONSTRAINT selection_queue_pkey PRIMARY KEY (day_id, household_id);

ALTER TABLE ONLY public.selection_rules
    ADD CONSTRAINT selection_rules_pkey PRIMARY KEY (project_id);

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (token_hash);

ALTER TABLE ONLY public.status_events
    ADD CONSTRAINT status_events_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.step_documents
    ADD CONSTRAINT step_documents_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.step_events
    ADD CONSTRAINT step_events_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.swap_settlements
    ADD CONSTRAINT swap_settlements_pkey PRIMARY KEY (household_id);

ALTER TABLE ONLY public.procedure_template_steps
    ADD CONSTRAINT template_step_key_once UNIQUE (template_id, key);

ALTER TABLE ONLY public.unit_status_events
    ADD CONSTRAINT unit_status_events_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.user_offices
    ADD CONSTRAINT user_offices_pkey PRIMARY KEY (user_id, office);

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_username_key UNIQUE (username);

ALTER TABLE ONLY public.weekly_reports
    ADD CONSTRAINT weekly_reports_pkey PRIMARY KEY (region_id, week);

ALTER TABLE ONLY public.work_group_assignments
    ADD CONSTRAINT work_group_assignments_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.work_group_members
    ADD CONSTRAINT work_group_members_pkey PRIMARY KEY (group_id, user_id);

ALTER TABLE ONLY public.work_groups
    ADD CONSTRAINT work_groups_id_project_id_key UNIQUE (id, project_id);

ALTER TABLE ONLY public.work_groups
    ADD CONSTRAINT work_groups_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.work_groups
    ADD CONSTRAINT work_groups_project_id_name_key UNIQUE (project_id, name);

CREATE INDEX agreements_open ON public.agreements USING btree (project_id) WHERE (voided_at IS NULL);

CREATE INDEX agreements_project ON public.agreements USING btree (project_id);

CREATE INDEX attachments_household ON public.attachments USING btree (household_id);

CREATE INDEX audit_log_action ON public.audit_log USING btree (action, id);

CREATE INDEX audit_log_at ON public.audit_log USING btree (at);

CREATE INDEX audit_log_subject ON public.audit_log USING btree (subject, id);

CREATE INDEX audit_log_user ON public.audit_log USING btree (user_id, id);

CREATE INDEX batch_steps_user ON public.batch_steps USING btree (user_id);

CREATE INDEX buildings_code_pattern ON public.buildings USING btree (code text_pattern_ops);

CREATE INDEX buildings_code_trgm ON public.buildings USING gin (code public.gin_trgm_ops);

CREATE INDEX buildings_geom_3857 ON public.buildings USING gist (geom_3857);

CREATE INDEX buildings_group ON public.buildings USING btree (group_id) WHERE (group_id IS NOT NULL);

CREATE INDEX buildings_parcel ON public.buildings USING btree (parcel_id);

CREATE INDEX buildings_project ON public.buildings USING btree (project_id);

CREATE INDEX case_conferences_case ON public.case_conferences USING btree (case_id);

CREATE INDEX case_events_case ON public.case_events USING btree (case_id, id);

CREATE UNIQUE INDEX case_open_once ON public.cases USING btree (household_id) WHERE (state = 'open'::text);

CREATE INDEX cases_escalation_due ON public.cases USING btree (level_due_at) WHERE ((state = 'open'::text) AND (level <> 'leader'::public.case_level));

CREATE INDEX cases_group ON public.cases USING btree (group_id) WHERE (group_id IS NOT NULL);

CREATE INDEX cases_household ON public.cases USING btree (household_id);

CREATE INDEX cases_open_due ON public.cases USING btree (due_at) WHERE (state = 'open'::text);

CREATE INDEX cases_open_project ON public.cases USING btree (project_id) WHERE (state = 'open'::text);

CREATE INDEX cases_project_opened ON public.cases USING btree (project_id, opened_at);

CREATE UNIQUE INDEX compensation_decision_once ON public.compensation_decisions USING btree (household_id) WHERE (revoked_at IS NULL);

CREATE INDEX daily_figures_day ON public.daily_figures USING btree (day);

CREATE INDEX disclosures_project ON public.disclosures USING btree (project_id, published_at);

CREATE INDEX estate_units_estate_status ON public.estate_units USING btree (estate_id, status);

CREATE INDEX estate_units_household ON public.estate_units USING btree (household_id) WHERE (household_id IS NOT NULL);

CREATE INDEX estates_geom_3857 ON public.estates USING gist (geom_3857);

CREATE INDEX estates_region ON public.estates USING btree (region_id);

CREATE INDEX fund_allocations_project ON public.fund_allocations USING btree (project_id);

CREATE INDEX gate_overrides_newest ON public.gate_overrides USING btree (project_id, gate, id DESC);

CREATE INDEX group_daily_figures_day ON public.group_daily_figures USING btree (day);

CREATE INDEX households_building ON public.households USING btree (building_id);

CREATE INDEX households_difficult_building ON public.households USING btree (building_id) WHERE difficult;

CREATE INDEX households_group ON public.households USING btree (group_id) WHERE (group_id IS NOT NULL);

CREATE INDEX households_holder_id_number ON public.households USING btree (holder_id_number);

CREATE INDEX households_holder_id_reversed ON public.households USING btree (reverse(holder_id_number) text_pattern_ops);

CREATE INDEX households_holder_name_pattern ON public.households USING btree (holder_name text_pattern_ops);

CREATE INDEX households_holder_name_trgm ON public.households USING gin (holder_name public.gin_trgm_ops);

CREATE INDEX login_failures_client ON public.login_failures USING btree (client, at);

CREATE INDEX login_failures_username ON public.login_failures USING btree (username, at);

CREATE INDEX objections_household ON public.objections USING btree (household_id);

CREATE INDEX parcels_geom_3857 ON public.parcels USING gist (geom_3857);

CREATE INDEX parcels_project ON public.parcels USING btree (project_id);

CREATE INDEX payment_batches_chain ON public.payment_batches USING btree (chain_id) WHERE (status = 'submitted'::public.batch_status);

CREATE INDEX payment_batches_project ON public.payment_batches USING btree (project_id, id);

CREATE INDEX payments_household ON public.payments USING btree (household_id);

CREATE INDEX petition_replies_petition ON public.petition_replies USING btree (petition_id, id);

CREATE INDEX petitions_household ON public.petitions USING btree (household_id) WHERE (household_id IS NOT NULL);

CREATE INDEX petitions_open ON public.petitions USING btree (status) WHERE (status = ANY (ARRAY['registered'::public.petition_status, 'accepted'::public.petition_status]));

CREATE INDEX petitions_petitioner ON public.petitions USING btree (petitioner_id_number) WHERE (petitioner_id_number IS NOT NULL);

CREATE INDEX petitions_project ON public.petitions USING btree (project_id, received_at);

CREATE INDEX procedure_template_steps_opens ON public.procedure_template_steps USING btree (template_id, opens) WHERE (opens IS NOT NULL);

CREATE INDEX project_estates_estate ON public.project_estates USING btree (estate_id);

CREATE INDEX projects_geom_3857 ON public.projects USING gist (geom_3857);

CREATE INDEX projects_name_trgm ON public.projects USING gin (name public.gin_trgm_ops);

CREATE INDEX projects_region ON public.projects USING btree (region_id);

CREATE INDEX projects_stage ON public.projects USING btree (stage);

CREATE INDEX regions_geom_3857 ON public.regions USING gist (geom_3857);

CREATE INDEX regions_parent ON public.regions USING btree (parent_id);

CREATE INDEX resident_lookups_client ON public.resident_lookups USING btree (client, purpose, at);

CREATE INDEX selection_choices_day ON public.selection_choices USING btree (day_id, chosen_at);

CREATE INDEX selection_choices_household ON public.selection_choices USING btree (household_id);

CREATE UNIQUE INDEX selection_choices_one_per_unit ON public.selection_choices USING btree (unit_id) WHERE (state <> 'cancelled'::text);

CREATE INDEX selection_days_project ON public.selection_days USING btree (project_id, day);

CREATE INDEX selection_queue_household ON public.selection_queue USING btree (household_id);

CREATE UNIQUE INDEX selection_queue_position ON public.selection_queue USING btree (day_id, "position") WHERE ("position" IS NOT NULL);

CREATE INDEX sessions_user ON public.sessions USING btree (user_id);

CREATE INDEX status_events_at ON public.status_events USING btree (at);

CREATE INDEX status_events_household ON public.status_events USING btree (household_id, id) WHERE (household_id IS NOT NULL);

CREATE INDEX status_events_parcel ON public.status_events USING btree (parcel_id, id) WHERE (parcel_id IS NOT NULL);

CREATE INDEX status_events_user ON public.status_events USING btree (user_id, id) WHERE (user_id IS NOT NULL);

CREATE INDEX step_documents_step ON public.step_documents USING btree (project_id, key);

CREATE INDEX step_events_project ON public.step_events USING btree (project_id, id);

CREATE INDEX unit_status_events_unit ON public.unit_status_events USING btree (unit_id, at);

CREATE INDEX weekly_reports_week ON public.weekly_reports USING btree (week DESC);

CREATE INDEX work_group_assignments_group ON public.work_group_assignments USING btree (group_id) WHERE (group_id IS NOT NULL);

CREATE INDEX work_group_assignments_household ON public.work_group_assignments USING btree (household_id, from_at DESC, id DESC);

CREATE INDEX work_group_members_user ON public.work_group_members USING btree (user_id);

CREATE TRIGGER agreements_kept_by_triggers BEFORE DELETE OR UPDATE ON public.agreements FOR EACH ROW EXECUTE FUNCTION public.kept_by_triggers();

CREATE TRIGGER agreements_need_signing BEFORE INSERT ON public.agreements FOR EACH ROW EXECUTE FUNCTION public.agreements_need_signing();

CREATE TRIGGER agreements_no_truncate BEFORE TRUNCATE ON public.agreements FOR EACH STATEMENT EXECUTE FUNCTION public.refuse_change();

CREATE TRIGGER agreements_refuse_archived BEFORE INSERT OR DELETE OR UPDATE ON public.agreements FOR EACH ROW EXECUTE FUNCTION public.projects_refuse_archived();

CREATE TRIGGER approval_chains_append_only BEFORE DELETE OR UPDATE ON public.approval_chains FOR EACH ROW EXECUTE FUNCTION public.refuse_change();

CREATE TRIGGER approval_chains_no_truncate BEFORE TRUNCATE ON public.approval_chains FOR EACH STATEMENT EXECUTE FUNCTION public.refuse_change();

CREATE CONSTRAINT TRIGGER approval_chains_numbered AFTER INSERT ON public.approval_chains DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.approval_chain_numbered();

CREATE TRIGGER approval_steps_append_only BEFORE DELETE OR UPDATE ON public.approval_steps FOR EACH ROW EXECUTE FUNCTION public.refuse_change();

CREATE TRIGGER approval_steps_no_truncate BEFORE TRUNCATE ON public.approval_steps FOR EACH STATEMENT EXECUTE FUNCTION public.refuse_change();

CREATE CONSTRAINT TRIGGER approval_steps_numbered AFTER INSERT ON public.approval_steps DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.approval_chain_numbered();

CREATE TRIGGER approval_steps_with_chain BEFORE INSERT ON public.approval_steps FOR EACH ROW EXECUTE FUNCTION public.approval_steps_with_chain();

CREATE TRIGGER attachments_refuse_archived BEFORE INSERT OR DELETE OR UPDATE ON public.attachments FOR EACH ROW EXECUTE FUNCTION public.projects_refuse_archived();

CREATE TRIGGER audit_log_append_only BEFORE DELETE OR UPDATE ON public.audit_log FOR EACH ROW EXECUTE FUNCTION public.refuse_change();

CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON public.audit_log FOR EACH STATEMENT EXECUTE FUNCTION public.refuse_change();

CREATE TRIGGER batch_steps_append_only BEFORE DELETE OR UPDATE ON public.batch_steps FOR EACH ROW EXECUTE FUNCTION public.refuse_change();

CREATE TRIGGER batch_steps_no_truncate BEFORE TRUNCATE ON public.batch_steps FOR EACH STATEMENT EXECUTE FUNCTION public.refuse_change();

CREATE TRIGGER batch_steps_refuse_archived BEFORE INSERT OR DELETE OR UPDATE ON public.batch_steps FOR EACH ROW EXECUTE FUNCTION public.projects_refuse_archived();

CREATE TRIGGER batch_steps_take BEFORE INSERT ON public.batch_steps FOR EACH ROW EXECUTE FUNCTION public.batch_steps_take();

CREATE TRIGGER buildings_refuse_archived BEFORE INSERT OR DELETE OR UPDATE ON public.buildings FOR EACH ROW EXECUTE FUNCTION public.projects_refuse_archived();

CREATE TRIGGER case_conference_attachments_append_only BEFORE DELETE OR UPDATE ON public.case_conference_attachments FOR EACH ROW EXECUTE FUNCTION public.refuse_change();

CREATE TRIGGER case_conferences_append_only BEFORE DELETE OR UPDATE ON public.case_conferences FOR EACH ROW EXECUTE FUNCTION public.refuse_change();

CREATE TRIGGER case_events_append_only BEFORE DELETE OR UPDATE ON public.case_events FOR EACH ROW EXECUTE FUNCTION public.refuse_change();

CREATE TRIGGER case_events_notify AFTER INSERT ON public.case_events FOR EACH STATEMENT EXECUTE FUNCTION public.case_events_notify();

CREATE TRIGGER case_events_queue BEFORE INSERT ON public.case_events FOR EACH STATEMENT EXECUTE FUNCTION public.case_events_queue();

CREATE TRIGGER case_status_events_append_only BEFORE DELETE OR UPDATE ON public.case_status_events FOR EACH ROW EXECUTE FUNCTION public.refuse_change();

CREATE TRIGGER cases_keep_difficult AFTER INSERT OR DELETE OR UPDATE OF state ON public.cases FOR EACH ROW EXECUTE FUNCTION public.cases_keep_difficult();

CREATE TRIGGER compensation_decisions_refuse_archived BEFORE INSERT OR DELETE OR UPDATE ON public.compensation_decisions FOR EACH ROW EXECUTE FUNCTION public.projects_refuse_archived();

CREATE TRIGGER compensation_incentives_refuse_archived BEFORE INSERT OR DELETE OR UPDATE ON public.compensation_incentives FOR EACH ROW EXECUTE FUNCTION public.projects_refuse_archived();

CREATE TRIGGER compensation_overrides_refuse_archived BEFORE INSERT OR DELETE OR UPDATE ON public.compensation_overrides FOR EACH ROW EXECUTE FUNCTION public.projects_refuse_archived();

CREATE TRIGGER compensation_rates_refuse_archived BEFORE INSERT OR DELETE OR UPDATE ON public.compensation_rates FOR EACH ROW EXECUTE FUNCTION public.projects_refuse_archived();

CREATE TRIGGER compensation_standards_refuse_archived BEFORE INSERT OR DELETE OR UPDATE ON public.compensation_standards FOR EACH ROW EXECUTE FUNCTION public.projects_refuse_archived();

CREATE TRIGGER disclosures_refuse_archived BEFORE INSERT OR DELETE OR UPDATE ON public.disclosures FOR EACH ROW EXECUTE FUNCTION public.projects_refuse_archived();

CREATE TRIGGER estate_units_record_status AFTER UPDATE OF status, household_id ON public.estate_units FOR EACH ROW WHEN (((new.status IS DISTINCT FROM old.status) OR (new.household_id IS DISTINCT FROM old.household_id))) EXECUTE FUNCTION public.estate_units_record_status();

CREATE TRIGGER estate_units_stamp_status BEFORE UPDATE OF status ON public.estate_units FOR EACH ROW EXECUTE FUNCTION public.estate_units_stamp_status();

CREATE TRIGGER fund_allocations_add AFTER INSERT ON public.fund_allocations FOR EACH ROW EXECUTE FUNCTION public.fund_allocations_add();

CREATE TRIGGER fund_allocations_append_only BEFORE DELETE OR UPDATE ON public.fund_allocations FOR EACH ROW EXECUTE FUNCTION public.refuse_change();

CREATE TRIGGER fund_allocations_no_truncate BEFORE TRUNCATE ON public.fund_allocations FOR EACH STATEMENT EXECUTE FUNCTION public.refuse_change();

CREATE TRIGGER fund_allocations_refuse_archived BEFORE INSERT OR DELETE OR UPDATE ON public.fund_allocations FOR EACH ROW EXECUTE FUNCTION public.projects_refuse_archived();

CREATE TRIGGER gate_overrides_append_only BEFORE DELETE OR UPDATE ON public.gate_overrides FOR EACH ROW EXECUTE FUNCTION public.refuse_change();

CREATE TRIGGER gate_overrides_refuse_archived BEFORE INSERT OR DELETE OR UPDATE ON public.gate_overrides FOR EACH ROW EXECUTE FUNCTION public.projects_refuse_archived();

CREATE TRIGGER households_agree AFTER UPDATE OF status ON public.households FOR EACH ROW WHEN (((old.status < 'signed'::public.progress_status) AND (new.status >= 'signed'::public.progress_status))) EXECUTE FUNCTION public.households_agree();

CREATE TRIGGER households_difficult_opens_case AFTER INSERT OR UPDATE OF difficult ON public.households FOR EACH ROW WHEN (new.difficult) EXECUTE FUNCTION public.households_difficult_opens_case();

CREATE TRIGGER households_difficult_stays_open BEFORE UPDATE OF difficult ON public.households FOR EACH ROW WHEN ((old.difficult AND (NOT new.difficult))) EXECUTE FUNCTION public.households_difficult_opens_case();

CREATE TRIGGER households_group_in_project BEFORE INSERT OR UPDATE OF group_id, building_id ON public.households FOR EACH ROW WHEN ((new.group_id IS NOT NULL)) EXECUTE FUNCTION public.households_group_in_project();

CREATE TRIGGER households_guard_status BEFORE UPDATE OF status ON public.households FOR EACH ROW WHEN ((old.status IS DISTINCT FROM new.status)) EXECUTE FUNCTION public.households_guard_status();

CREATE TRIGGER households_keep_building_group AFTER INSERT OR DELETE OR UPDATE OF group_id ON public.households FOR EACH ROW EXECUTE FUNCTION public.households_keep_building_group();

CREATE TRIGGER households_keep_group_holdings AFTER INSERT OR DELETE OR UPDATE OF group_id, status ON public.households FOR EACH ROW EXECUTE FUNCTION public.households_keep_group_holdings();

CREATE TRIGGER households_refuse_archived BEFORE INSERT OR DELETE OR UPDATE ON public.households FOR EACH ROW EXECUTE FUNCTION public.projects_refuse_archived();

CREATE TRIGGER households_roll_up AFTER INSERT OR DELETE OR UPDATE OF status, resettlement, difficult ON public.households FOR EACH ROW EXECUTE FUNCTION public.households_roll_up();

CREATE TRIGGER households_status_gates BEFORE UPDATE OF status ON public.households FOR EACH ROW WHEN ((((old.status < 'signed'::public.progress_status) AND (new.status >= 'signed'::public.progress_status)) OR ((old.status < 'demolished'::public.progress_status) AND (new.status = 'demolished'::public.progress_status)))) EXECUTE FUNCTION public.households_status_gates();

CREATE TRIGGER households_unagree AFTER UPDATE OF status ON public.households FOR EACH ROW WHEN (((old.status >= 'signed'::public.progress_status) AND (new.status < 'signed'::public.progress_status))) EXECUTE FUNCTION public.households_unagree();

CREATE TRIGGER objections_become_petitions AFTER INSERT OR UPDATE OF answer, status ON public.objections FOR EACH ROW EXECUTE FUNCTION public.objections_become_petitions();

CREATE TRIGGER overrides_reagree AFTER INSERT OR DELETE OR UPDATE ON public.compensation_overrides FOR EACH ROW EXECUTE FUNCTION public.overrides_reagree();

CREATE TRIGGER parcels_guard_status BEFORE UPDATE OF land_status ON public.parcels FOR EACH ROW WHEN ((old.land_status IS DISTINCT FROM new.land_status)) EXECUTE FUNCTION public.parcels_guard_status();

CREATE TRIGGER parcels_refuse_archived BEFORE INSERT OR DELETE OR UPDATE ON public.parcels FOR EACH ROW EXECUTE FUNCTION public.projects_refuse_archived();

CREATE TRIGGER parcels_roll_up AFTER UPDATE OF land_status ON public.parcels FOR EACH ROW EXECUTE FUNCTION public.parcels_roll_up();

CREATE TRIGGER payment_batches_insert BEFORE INSERT ON public.payment_batches FOR EACH ROW EXECUTE FUNCTION public.payment_batches_insert();

CREATE TRIGGER payment_batches_no_truncate BEFORE TRUNCATE ON public.payment_batches FOR EACH STATEMENT EXECUTE FUNCTION public.refuse_change();

CREATE TRIGGER payment_batches_refuse_archived BEFORE INSERT OR DELETE OR UPDATE ON public.payment_batches FOR EACH ROW EXECUTE FUNCTION public.projects_refuse_archived();

CREATE TRIGGER payment_batches_step BEFORE UPDATE ON public.payment_batches FOR EACH ROW EXECUTE FUNCTION public.payment_batches_step();

CREATE TRIGGER payment_batches_submitted AFTER INSERT ON public.payment_batches FOR EACH ROW EXECUTE FUNCTION public.payment_batches_submitted();

CREATE TRIGGER payments_append_only BEFORE DELETE OR UPDATE ON public.payments FOR EACH ROW EXECUTE FUNCTION public.refuse_change();

CREATE TRIGGER payments_commit AFTER INSERT ON public.payments FOR EACH ROW EXECUTE FUNCTION public.payments_commit();

CREATE TRIGGER payments_no_truncate BEFORE TRUNCATE ON public.payments FOR EACH STATEMENT EXECUTE FUNCTION public.refuse_change();

CREATE TRIGGER payments_refuse_archived BEFORE INSERT OR DELETE OR UPDATE ON public.payments FOR EACH ROW EXECUTE FUNCTION public.projects_refuse_archived();

CREATE TRIGGER procedure_template_steps_append_only BEFORE DELETE OR UPDATE ON public.procedure_template_steps FOR EACH ROW EXECUTE FUNCTION public.refuse_change();

CREATE TRIGGER procedure_templates_append_only BEFORE DELETE OR UPDATE ON public.procedure_templates FOR EACH ROW EXECUTE FUNCTION public.refuse_change();

CREATE TRIGGER project_funds_kept_by_triggers BEFORE DELETE OR UPDATE ON public.project_funds FOR EACH ROW EXECUTE FUNCTION public.kept_by_triggers();

CREATE TRIGGER project_funds_no_truncate BEFORE TRUNCATE ON public.project_funds FOR EACH STATEMENT EXECUTE FUNCTION public.refuse_change();

CREATE TRIGGER project_steps_keep AFTER INSERT OR UPDATE OF state, actual_end ON public.project_steps FOR EACH ROW EXECUTE FUNCTION public.project_steps_keep();

CREATE TRIGGER project_steps_refuse_archived BEFORE INSERT OR DELETE OR UPDATE ON public.project_steps FOR EACH ROW EXECUTE FUNCTION public.projects_refuse_archived();

CREATE TRIGGER projects_fund_row AFTER INSERT ON public.projects FOR EACH ROW EXECUTE FUNCTION public.projects_fund_row();

CREATE TRIGGER projects_refuse_archived BEFORE DELETE OR UPDATE ON public.projects FOR EACH ROW EXECUTE FUNCTION public.projects_refuse_archived_row();

CREATE TRIGGER projects_start_procedure AFTER INSERT ON public.projects FOR EACH ROW EXECUTE FUNCTION public.projects_start_procedure();

CREATE TRIGGER regions_set_lineage BEFORE INSERT OR UPDATE OF parent_id ON public.regions FOR EACH ROW EXECUTE FUNCTION public.regions_set_lineage();

CREATE TRIGGER sessions_revoked_notify AFTER DELETE ON public.sessions FOR EACH STATEMENT EXECUTE FUNCTION public.sessions_revoked_notify();

CREATE CONSTRAINT TRIGGER standards_reagree_zero AFTER INSERT OR UPDATE ON public.compensation_standards DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.standards_reagree_zero();

CREATE TRIGGER status_events_append_only BEFORE DELETE OR UPDATE ON public.status_events FOR EACH ROW EXECUTE FUNCTION public.status_events_refuse_change();

CREATE TRIGGER status_events_apply BEFORE INSERT ON public.status_events FOR EACH ROW EXECUTE FUNCTION public.status_events_apply();

CREATE TRIGGER status_events_credit_groups AFTER INSERT ON public.status_events REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION public.status_events_credit_groups();

CREATE TRIGGER status_events_no_truncate BEFORE TRUNCATE ON public.status_events FOR EACH STATEMENT EXECUTE FUNCTION public.status_events_refuse_change();

CREATE TRIGGER status_events_notify AFTER INSERT ON public.status_events FOR EACH STATEMENT EXECUTE FUNCTION public.status_events_notify();

CREATE TRIGGER status_events_refuse_archived BEFORE INSERT OR DELETE OR UPDATE ON public.status_events FOR EACH ROW EXECUTE FUNCTION public.projects_refuse_archived();

CREATE TRIGGER step_documents_refuse_archived BEFORE INSERT OR DELETE OR UPDATE ON public.step_documents FOR EACH ROW EXECUTE FUNCTION public.projects_refuse_archived();

CREATE TRIGGER step_events_append_only BEFORE DELETE OR UPDATE ON public.step_events FOR EACH ROW EXECUTE FUNCTION public.refuse_change();

CREATE TRIGGER step_events_notify AFTER INSERT ON public.step_events FOR EACH STATEMENT EXECUTE FUNCTION public.step_events_notify();

CREATE TRIGGER step_events_queue BEFORE INSERT ON public.step_events FOR EACH STATEMENT EXECUTE FUNCTION public.step_events_queue();

CREATE TRIGGER step_events_refuse_archived BEFORE INSERT OR DELETE OR UPDATE ON public.step_events FOR EACH ROW EXECUTE FUNCTION public.projects_refuse_archived();

CREATE TRIGGER swap_settlements_reagree AFTER INSERT ON public.swap_settlements FOR EACH ROW EXECUTE FUNCTION public.swap_settlements_reagree();

CREATE TRIGGER unit_status_events_notify AFTER INSERT ON public.unit_status_events FOR EACH STATEMENT EXECUTE FUNCTION public.unit_status_events_notify();

CREATE TRIGGER work_group_assignments_recredit BEFORE INSERT OR DELETE OR UPDATE ON public.work_group_assignments FOR EACH ROW EXECUTE FUNCTION public.work_group_assignments_recredit();

ALTER TABLE ONLY public.agreements
    ADD CONSTRAINT agreements_household_id_fkey FOREIGN KEY (household_id) REFERENCES public.households(id);

ALTER TABLE ONLY public.agreements
    ADD CONSTRAINT agreements_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

ALTER TABLE ONLY public.approval_chains
    ADD CONSTRAINT approval_chains_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id);

ALTER TABLE ONLY public.approval_chains
    ADD CONSTRAINT approval_chains_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

ALTER TABLE ONLY public.approval_steps
    ADD CONSTRAINT approval_steps_chain_id_fkey FOREIGN KEY (chain_id) REFERENCES public.approval_chains(id);

ALTER TABLE ONLY public.attachments
    ADD CONSTRAINT attachments_household_id_fkey FOREIGN KEY (household_id) REFERENCES public.households(id);

ALTER TABLE ONLY public.attachments
    ADD CONSTRAINT attachments_uploaded_by_fkey FOREIGN KEY (uploaded_by) REFERENCES public.users(id);

ALTER TABLE ONLY public.audit_log
    ADD CONSTRAINT audit_log_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);

ALTER TABLE ONLY public.batch_steps
    ADD CONSTRAINT batch_steps_batch_id_fkey FOREIGN KEY (batch_id) REFERENCES public.payment_batches(id);

ALTER TABLE ONLY public.batch_steps
    ADD CONSTRAINT batch_steps_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);

ALTER TABLE ONLY public.buildings
    ADD CONSTRAINT buildings_group_id_fkey FOREIGN KEY (group_id) REFERENCES public.work_groups(id);

ALTER TABLE ONLY public.buildings
    ADD CONSTRAINT buildings_parcel_id_fkey FOREIGN KEY (parcel_id) REFERENCES public.parcels(id);

ALTER TABLE ONLY public.buildings
    ADD CONSTRAINT buildings_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

ALTER TABLE ONLY public.case_categories
    ADD CONSTRAINT case_categories_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES public.users(id);

ALTER TABLE ONLY public.case_conference_attachments
    ADD CONSTRAINT case_conference_attachments_attachment_id_fkey FOREIGN KEY (attachment_id) REFERENCES public.attachments(id);

ALTER TABLE ONLY public.case_conference_attachments
    ADD CONSTRAINT case_conference_attachments_conference_id_fkey FOREIGN KEY (conference_id) REFERENCES public.case_conferences(id);

ALTER TABLE ONLY public.case_conferences
    ADD CONSTRAINT case_conferences_case_id_fkey FOREIGN KEY (case_id) REFERENCES public.cases(id);

ALTER TABLE ONLY public.case_conferences
    ADD CONSTRAINT case_conferences_recorded_by_fkey FOREIGN KEY (recorded_by) REFERENCES public.users(id);

ALTER TABLE ONLY public.case_events
    ADD CONSTRAINT case_events_case_id_fkey FOREIGN KEY (case_id) REFERENCES public.cases(id);

ALTER TABLE ONLY public.case_events
    ADD CONSTRAINT case_events_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);

ALTER TABLE ONLY public.case_status_events
    ADD CONSTRAINT case_status_events_case_id_fkey FOREIGN KEY (case_id) REFERENCES public.cases(id);

ALTER TABLE ONLY public.case_status_events
    ADD CONSTRAINT case_status_events_status_event_id_fkey FOREIGN KEY (status_event_id) REFERENCES public.status_events(id);

ALTER TABLE ONLY public.cases
    ADD CONSTRAINT cases_category_fkey FOREIGN KEY (category) REFERENCES public.case_categories(key);

ALTER TABLE ONLY public.cases
    ADD CONSTRAINT cases_closed_by_fkey FOREIGN KEY (closed_by) REFERENCES public.users(id);

ALTER TABLE ONLY public.cases
    ADD CONSTRAINT cases_group_id_fkey FOREIGN KEY (group_id) REFERENCES public.work_groups(id);

ALTER TABLE ONLY public.cases
    ADD CONSTRAINT cases_household_id_fkey FOREIGN KEY (household_id) REFERENCES public.households(id);

ALTER TABLE ONLY public.cases
    ADD CONSTRAINT cases_opened_by_fkey FOREIGN KEY (opened_by) REFERENCES public.users(id);

ALTER TABLE ONLY public.cases
    ADD CONSTRAINT cases_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

ALTER TABLE ONLY public.compensation_decisions
    ADD CONSTRAINT compensation_decisions_household_id_fkey FOREIGN KEY (household_id) REFERENCES public.households(id);

ALTER TABLE ONLY public.compensation_decisions
    ADD CONSTRAINT compensation_decisions_revoked_by_fkey FOREIGN KEY (revoked_by) REFERENCES public.users(id);

ALTER TABLE ONLY public.compensation_decisions
    ADD CONSTRAINT compensation_decisions_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);

ALTER TABLE ONLY public.compensation_incentives
    ADD CONSTRAINT compensation_incentives_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.compensation_standards(project_id) ON DELETE CASCADE;

ALTER TABLE ONLY public.compensation_overrides
    ADD CONSTRAINT compensation_overrides_household_id_fkey FOREIGN KEY (household_id) REFERENCES public.households(id);

ALTER TABLE ONLY public.compensation_overrides
    ADD CONSTRAINT compensation_overrides_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);

ALTER TABLE ONLY public.compensation_rates
    ADD CONSTRAINT compensation_rates_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.compensation_standards(project_id) ON DELETE CASCADE;

ALTER TABLE ONLY public.compensation_standards
    ADD CONSTRAINT compensation_standards_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

ALTER TABLE ONLY public.daily_figures
    ADD CONSTRAINT daily_figures_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

ALTER TABLE ONLY public.disclosures
    ADD CONSTRAINT disclosures_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

ALTER TABLE ONLY public.disclosures
    ADD CONSTRAINT disclosures_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);

ALTER TABLE ONLY public.estate_buildings
    ADD CONSTRAINT estate_buildings_estate_id_fkey FOREIGN KEY (estate_id) REFERENCES public.estates(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.estate_unit_types
    ADD CONSTRAINT estate_unit_types_estate_id_fkey FOREIGN KEY (estate_id) REFERENCES public.estates(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.estate_units
    ADD CONSTRAINT estate_units_building_id_estate_id_fkey FOREIGN KEY (building_id, estate_id) REFERENCES public.estate_buildings(id, estate_id) ON DELETE CASCADE;

ALTER TABLE ONLY public.estate_units
    ADD CONSTRAINT estate_units_estate_id_fkey FOREIGN KEY (estate_id) REFERENCES public.estates(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.estate_units
    ADD CONSTRAINT estate_units_household_id_fkey FOREIGN KEY (household_id) REFERENCES public.households(id);

ALTER TABLE ONLY public.estate_units
    ADD CONSTRAINT estate_units_type_id_estate_id_fkey FOREIGN KEY (type_id, estate_id) REFERENCES public.estate_unit_types(id, estate_id);

ALTER TABLE ONLY public.estates
    ADD CONSTRAINT estates_region_id_fkey FOREIGN KEY (region_id) REFERENCES public.regions(id);

ALTER TABLE ONLY public.fund_allocations
    ADD CONSTRAINT fund_allocations_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

ALTER TABLE ONLY public.fund_allocations
    ADD CONSTRAINT fund_allocations_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);

ALTER TABLE ONLY public.gate_overrides
    ADD CONSTRAINT gate_overrides_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

ALTER TABLE ONLY public.gate_overrides
    ADD CONSTRAINT gate_overrides_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);

ALTER TABLE ONLY public.group_daily_figures
    ADD CONSTRAINT group_daily_figures_group_id_fkey FOREIGN KEY (group_id) REFERENCES public.work_groups(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.group_holdings
    ADD CONSTRAINT group_holdings_group_id_fkey FOREIGN KEY (group_id) REFERENCES public.work_groups(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.households
    ADD CONSTRAINT households_building_id_fkey FOREIGN KEY (building_id) REFERENCES public.buildings(id);

ALTER TABLE ONLY public.households
    ADD CONSTRAINT households_group_id_fkey FOREIGN KEY (group_id) REFERENCES public.work_groups(id);

ALTER TABLE ONLY public.objections
    ADD CONSTRAINT objections_answered_by_fkey FOREIGN KEY (answered_by) REFERENCES public.users(id);

ALTER TABLE ONLY public.objections
    ADD CONSTRAINT objections_household_id_fkey FOREIGN KEY (household_id) REFERENCES public.households(id);

ALTER TABLE ONLY public.parcels
    ADD CONSTRAINT parcels_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

ALTER TABLE ONLY public.payment_batches
    ADD CONSTRAINT payment_batches_chain_id_fkey FOREIGN KEY (chain_id) REFERENCES public.approval_chains(id);

ALTER TABLE ONLY public.payment_batches
    ADD CONSTRAINT payment_batches_paid_by_fkey FOREIGN KEY (paid_by) REFERENCES public.users(id);

ALTER TABLE ONLY public.payment_batches
    ADD CONSTRAINT payment_batches_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

ALTER TABLE ONLY public.payment_batches
    ADD CONSTRAINT payment_batches_returned_by_fkey FOREIGN KEY (returned_by) REFERENCES public.users(id);

ALTER TABLE ONLY public.payment_batches
    ADD CONSTRAINT payment_batches_submitted_by_fkey FOREIGN KEY (submitted_by) REFERENCES public.users(id);

ALTER TABLE ONLY public.payments
    ADD CONSTRAINT payment_needs_signed_agreement FOREIGN KEY (household_id) REFERENCES public.agreements(household_id);

ALTER TABLE ONLY public.payments
    ADD CONSTRAINT payments_batch_id_fkey FOREIGN KEY (batch_id) REFERENCES public.payment_batches(id);

ALTER TABLE ONLY public.petition_periods
    ADD CONSTRAINT petition_periods_category_id_fkey FOREIGN KEY (category_id) REFERENCES public.petition_categories(id);

ALTER TABLE ONLY public.petition_periods
    ADD CONSTRAINT petition_periods_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

ALTER TABLE ONLY public.petition_replies
    ADD CONSTRAINT petition_replies_by_user_fkey FOREIGN KEY (by_user) REFERENCES public.users(id);

ALTER TABLE ONLY public.petition_replies
    ADD CONSTRAINT petition_replies_petition_id_fkey FOREIGN KEY (petition_id) REFERENCES public.petitions(id);

ALTER TABLE ONLY public.petitions
    ADD CONSTRAINT petitions_category_id_fkey FOREIGN KEY (category_id) REFERENCES public.petition_categories(id);

ALTER TABLE ONLY public.petitions
    ADD CONSTRAINT petitions_decided_by_fkey FOREIGN KEY (decided_by) REFERENCES public.users(id);

ALTER TABLE ONLY public.petitions
    ADD CONSTRAINT petitions_group_id_project_id_fkey FOREIGN KEY (group_id, project_id) REFERENCES public.work_groups(id, project_id);

ALTER TABLE ONLY public.petitions
    ADD CONSTRAINT petitions_household_id_fkey FOREIGN KEY (household_id) REFERENCES public.households(id);

ALTER TABLE ONLY public.petitions
    ADD CONSTRAINT petitions_objection_id_fkey FOREIGN KEY (objection_id) REFERENCES public.objections(id);

ALTER TABLE ONLY public.petitions
    ADD CONSTRAINT petitions_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

ALTER TABLE ONLY public.petitions
    ADD CONSTRAINT petitions_registered_by_fkey FOREIGN KEY (registered_by) REFERENCES public.users(id);

ALTER TABLE ONLY public.petitions
    ADD CONSTRAINT petitions_repeat_of_fkey FOREIGN KEY (repeat_of) REFERENCES public.petitions(id);

ALTER TABLE ONLY public.procedure_template_steps
    ADD CONSTRAINT procedure_template_steps_template_id_fkey FOREIGN KEY (template_id) REFERENCES public.procedure_templates(id);

ALTER TABLE ONLY public.procedure_templates
    ADD CONSTRAINT procedure_templates_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id);

ALTER TABLE ONLY public.project_activity
    ADD CONSTRAINT project_activity_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

ALTER TABLE ONLY public.project_estates
    ADD CONSTRAINT project_estates_estate_id_fkey FOREIGN KEY (estate_id) REFERENCES public.estates(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.project_estates
    ADD CONSTRAINT project_estates_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

ALTER TABLE ONLY public.project_figures
    ADD CONSTRAINT project_figures_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

ALTER TABLE ONLY public.project_funds
    ADD CONSTRAINT project_funds_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

ALTER TABLE ONLY public.project_procedures
    ADD CONSTRAINT project_procedures_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

ALTER TABLE ONLY public.project_procedures
    ADD CONSTRAINT project_procedures_template_id_fkey FOREIGN KEY (template_id) REFERENCES public.procedure_templates(id);

ALTER TABLE ONLY public.project_steps
    ADD CONSTRAINT project_steps_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.project_procedures(project_id);

ALTER TABLE ONLY public.project_steps
    ADD CONSTRAINT project_steps_responsible_fkey FOREIGN KEY (responsible) REFERENCES public.users(id);

ALTER TABLE ONLY public.project_steps
    ADD CONSTRAINT project_steps_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES public.users(id);

ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_archived_by_fkey FOREIGN KEY (archived_by) REFERENCES public.users(id);

ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_region_id_fkey FOREIGN KEY (region_id) REFERENCES public.regions(id);

ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_settled_by_fkey FOREIGN KEY (settled_by) REFERENCES public.users(id);

ALTER TABLE ONLY public.region_figures
    ADD CONSTRAINT region_figures_region_id_fkey FOREIGN KEY (region_id) REFERENCES public.regions(id);

ALTER TABLE ONLY public.regions
    ADD CONSTRAINT regions_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES public.regions(id);

ALTER TABLE ONLY public.selection_choices
    ADD CONSTRAINT selection_choices_chosen_by_fkey FOREIGN KEY (chosen_by) REFERENCES public.users(id);

ALTER TABLE ONLY public.selection_choices
    ADD CONSTRAINT selection_choices_day_id_household_id_fkey FOREIGN KEY (day_id, household_id) REFERENCES public.selection_queue(day_id, household_id);

ALTER TABLE ONLY public.selection_choices
    ADD CONSTRAINT selection_choices_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES public.estate_units(id);

ALTER TABLE ONLY public.selection_days
    ADD CONSTRAINT selection_days_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id);

ALTER TABLE ONLY public.selection_days
    ADD CONSTRAINT selection_days_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

ALTER TABLE ONLY public.selection_queue
    ADD CONSTRAINT selection_queue_called_by_fkey FOREIGN KEY (called_by) REFERENCES public.users(id);

ALTER TABLE ONLY public.selection_queue
    ADD CONSTRAINT selection_queue_day_id_fkey FOREIGN KEY (day_id) REFERENCES public.selection_days(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.selection_queue
    ADD CONSTRAINT selection_queue_household_id_fkey FOREIGN KEY (household_id) REFERENCES public.households(id);

ALTER TABLE ONLY public.selection_rules
    ADD CONSTRAINT selection_rules_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

ALTER TABLE ONLY public.selection_rules
    ADD CONSTRAINT selection_rules_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES public.users(id);

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_kiosk_token_id_fkey FOREIGN KEY (kiosk_token_id) REFERENCES public.kiosk_tokens(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.status_events
    ADD CONSTRAINT status_events_household_id_fkey FOREIGN KEY (household_id) REFERENCES public.households(id);

ALTER TABLE ONLY public.status_events
    ADD CONSTRAINT status_events_parcel_id_fkey FOREIGN KEY (parcel_id) REFERENCES public.parcels(id);

ALTER TABLE ONLY public.status_events
    ADD CONSTRAINT status_events_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);

ALTER TABLE ONLY public.step_documents
    ADD CONSTRAINT step_documents_project_id_key_fkey FOREIGN KEY (project_id, key) REFERENCES public.project_steps(project_id, key);

ALTER TABLE ONLY public.step_documents
    ADD CONSTRAINT step_documents_uploaded_by_fkey FOREIGN KEY (uploaded_by) REFERENCES public.users(id);

ALTER TABLE ONLY public.step_events
    ADD CONSTRAINT step_events_project_id_key_fkey FOREIGN KEY (project_id, key) REFERENCES public.project_steps(project_id, key);

ALTER TABLE ONLY public.step_events
    ADD CONSTRAINT step_events_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);

ALTER TABLE ONLY public.swap_settlements
    ADD CONSTRAINT swap_settlements_day_id_fkey FOREIGN KEY (day_id) REFERENCES public.selection_days(id);

ALTER TABLE ONLY public.swap_settlements
    ADD CONSTRAINT swap_settlements_household_id_fkey FOREIGN KEY (household_id) REFERENCES public.agreements(household_id);

ALTER TABLE ONLY public.swap_settlements
    ADD CONSTRAINT swap_settlements_settled_by_fkey FOREIGN KEY (settled_by) REFERENCES public.users(id);

ALTER TABLE ONLY public.unit_status_events
    ADD CONSTRAINT unit_status_events_actor_id_fkey FOREIGN KEY (actor_id) REFERENCES public.users(id);

ALTER TABLE ONLY public.unit_status_events
    ADD CONSTRAINT unit_status_events_household_id_fkey FOREIGN KEY (household_id) REFERENCES public.households(id);

ALTER TABLE ONLY public.unit_status_events
    ADD CONSTRAINT unit_status_events_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES public.estate_units(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.user_offices
    ADD CONSTRAINT user_offices_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_region_id_fkey FOREIGN KEY (region_id) REFERENCES public.regions(id);

ALTER TABLE ONLY public.weekly_reports
    ADD CONSTRAINT weekly_reports_region_id_fkey FOREIGN KEY (region_id) REFERENCES public.regions(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.work_group_assignments
    ADD CONSTRAINT work_group_assignments_group_id_fkey FOREIGN KEY (group_id) REFERENCES public.work_groups(id) ON DELETE SET NULL;

ALTER TABLE ONLY public.work_group_assignments
    ADD CONSTRAINT work_group_assignments_household_id_fkey FOREIGN KEY (household_id) REFERENCES public.households(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.work_group_assignments
    ADD CONSTRAINT work_group_assignments_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);

ALTER TABLE ONLY public.work_group_members
    ADD CONSTRAINT work_group_members_group_id_fkey FOREIGN KEY (group_id) REFERENCES public.work_groups(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.work_group_members
    ADD CONSTRAINT work_group_members_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);

ALTER TABLE ONLY public.work_groups
    ADD CONSTRAINT work_groups_leader_id_fkey FOREIGN KEY (leader_id) REFERENCES public.users(id);

ALTER TABLE ONLY public.work_groups
    ADD CONSTRAINT work_groups_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

GRANT USAGE ON SCHEMA public TO onemap_app;
GRANT USAGE ON SCHEMA public TO onemap_public;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.status_events TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.group_daily_figures TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.households TO onemap_app;

GRANT SELECT(id) ON TABLE public.households TO onemap_public;

GRANT SELECT(code) ON TABLE public.households TO onemap_public;

GRANT SELECT(building_id) ON TABLE public.households TO onemap_public;

GRANT SELECT(members) ON TABLE public.households TO onemap_public;

GRANT SELECT(recorded_area) ON TABLE public.households TO onemap_public;

GRANT SELECT(status) ON TABLE public.households TO onemap_public;

GRANT SELECT(status_at) ON TABLE public.households TO onemap_public;

GRANT SELECT(resettlement) ON TABLE public.households TO onemap_public;

GRANT SELECT(difficult) ON TABLE public.households TO onemap_public;

GRANT SELECT(version) ON TABLE public.households TO onemap_public;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.petition_periods TO onemap_app;

REVOKE ALL ON FUNCTION public.public_compensation(h_id bigint, today date) FROM PUBLIC;
GRANT ALL ON FUNCTION public.public_compensation(h_id bigint, today date) TO onemap_public;
GRANT ALL ON FUNCTION public.public_compensation(h_id bigint, today date) TO onemap_app;

REVOKE ALL ON FUNCTION public.public_households_of(holder text, id_number text, household_code text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.public_households_of(holder text, id_number text, household_code text) TO onemap_public;
GRANT ALL ON FUNCTION public.public_households_of(holder text, id_number text, household_code text) TO onemap_app;

REVOKE ALL ON FUNCTION public.selection_hall(d_id bigint, next_count integer) FROM PUBLIC;
GRANT ALL ON FUNCTION public.selection_hall(d_id bigint, next_count integer) TO onemap_public;
GRANT ALL ON FUNCTION public.selection_hall(d_id bigint, next_count integer) TO onemap_app;

REVOKE ALL ON FUNCTION public.selection_lottery(d_id bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION public.selection_lottery(d_id bigint) TO onemap_public;
GRANT ALL ON FUNCTION public.selection_lottery(d_id bigint) TO onemap_app;

GRANT SELECT ON TABLE public._sqlx_migrations TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.agreements TO onemap_app;
GRANT SELECT ON TABLE public.agreements TO onemap_public;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.approval_chains TO onemap_app;

GRANT SELECT,USAGE ON SEQUENCE public.approval_chains_id_seq TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.approval_steps TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.attachments TO onemap_app;

GRANT SELECT,USAGE ON SEQUENCE public.attachments_id_seq TO onemap_app;
GRANT USAGE ON SEQUENCE public.attachments_id_seq TO onemap_public;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.audit_log TO onemap_app;
GRANT INSERT ON TABLE public.audit_log TO onemap_public;

GRANT SELECT,USAGE ON SEQUENCE public.audit_log_id_seq TO onemap_app;
GRANT USAGE ON SEQUENCE public.audit_log_id_seq TO onemap_public;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.batch_steps TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.buildings TO onemap_app;
GRANT SELECT ON TABLE public.buildings TO onemap_public;

GRANT SELECT,USAGE ON SEQUENCE public.buildings_id_seq TO onemap_app;
GRANT USAGE ON SEQUENCE public.buildings_id_seq TO onemap_public;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.calendar_days TO onemap_app;
GRANT SELECT ON TABLE public.calendar_days TO onemap_public;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.case_categories TO onemap_app;

GRANT SELECT,INSERT ON TABLE public.case_conference_attachments TO onemap_app;

GRANT SELECT,INSERT ON TABLE public.case_conferences TO onemap_app;

GRANT SELECT,USAGE ON SEQUENCE public.case_conferences_id_seq TO onemap_app;

GRANT SELECT,INSERT ON TABLE public.case_events TO onemap_app;

GRANT SELECT,USAGE ON SEQUENCE public.case_events_id_seq TO onemap_app;

GRANT SELECT,INSERT ON TABLE public.case_status_events TO onemap_app;

GRANT SELECT,INSERT,UPDATE ON TABLE public.cases TO onemap_app;

GRANT SELECT,USAGE ON SEQUENCE public.cases_id_seq TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.compensation_decisions TO onemap_app;

GRANT UPDATE(revoked_at) ON TABLE public.compensation_decisions TO onemap_app;

GRANT UPDATE(revoked_by) ON TABLE public.compensation_decisions TO onemap_app;

GRANT UPDATE(revoke_reason) ON TABLE public.compensation_decisions TO onemap_app;

GRANT SELECT,USAGE ON SEQUENCE public.compensation_decisions_id_seq TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.compensation_incentives TO onemap_app;
GRANT SELECT ON TABLE public.compensation_incentives TO onemap_public;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.compensation_overrides TO onemap_app;
GRANT SELECT ON TABLE public.compensation_overrides TO onemap_public;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.compensation_rates TO onemap_app;
GRANT SELECT ON TABLE public.compensation_rates TO onemap_public;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.compensation_standards TO onemap_app;
GRANT SELECT ON TABLE public.compensation_standards TO onemap_public;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.daily_figures TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.parcels TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.daily_figures_recount TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.disclosures TO onemap_app;
GRANT SELECT ON TABLE public.disclosures TO onemap_public;

GRANT SELECT,USAGE ON SEQUENCE public.disclosures_id_seq TO onemap_app;
GRANT USAGE ON SEQUENCE public.disclosures_id_seq TO onemap_public;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.estate_buildings TO onemap_app;
GRANT SELECT ON TABLE public.estate_buildings TO onemap_public;

GRANT SELECT,USAGE ON SEQUENCE public.estate_buildings_id_seq TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.estate_unit_types TO onemap_app;
GRANT SELECT ON TABLE public.estate_unit_types TO onemap_public;

GRANT SELECT,USAGE ON SEQUENCE public.estate_unit_types_id_seq TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.estate_units TO onemap_app;

GRANT SELECT(id) ON TABLE public.estate_units TO onemap_public;

GRANT SELECT(estate_id) ON TABLE public.estate_units TO onemap_public;

GRANT SELECT(building_id) ON TABLE public.estate_units TO onemap_public;

GRANT SELECT(entrance) ON TABLE public.estate_units TO onemap_public;

GRANT SELECT(floor) ON TABLE public.estate_units TO onemap_public;

GRANT SELECT(room) ON TABLE public.estate_units TO onemap_public;

GRANT SELECT(type_id) ON TABLE public.estate_units TO onemap_public;

GRANT SELECT(area) ON TABLE public.estate_units TO onemap_public;

GRANT SELECT(price_per_m2) ON TABLE public.estate_units TO onemap_public;

GRANT SELECT(market_price_per_m2) ON TABLE public.estate_units TO onemap_public;

GRANT SELECT(orientation) ON TABLE public.estate_units TO onemap_public;

GRANT SELECT(status) ON TABLE public.estate_units TO onemap_public;

GRANT SELECT(status_at) ON TABLE public.estate_units TO onemap_public;

GRANT SELECT,USAGE ON SEQUENCE public.estate_units_id_seq TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.estates TO onemap_app;
GRANT SELECT ON TABLE public.estates TO onemap_public;

GRANT SELECT,USAGE ON SEQUENCE public.estates_id_seq TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.fund_allocations TO onemap_app;

GRANT SELECT,USAGE ON SEQUENCE public.fund_allocations_id_seq TO onemap_app;
GRANT USAGE ON SEQUENCE public.fund_allocations_id_seq TO onemap_public;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.gate_overrides TO onemap_app;

GRANT SELECT,USAGE ON SEQUENCE public.gate_overrides_id_seq TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.geography_columns TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.geometry_columns TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.work_group_assignments TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.group_daily_figures_recount TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.group_event_credits TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.group_holdings TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.group_holdings_recount TO onemap_app;

GRANT SELECT,USAGE ON SEQUENCE public.households_id_seq TO onemap_app;
GRANT USAGE ON SEQUENCE public.households_id_seq TO onemap_public;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.kiosk_tokens TO onemap_app;

GRANT SELECT,USAGE ON SEQUENCE public.kiosk_tokens_id_seq TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.login_failures TO onemap_app;

GRANT SELECT,USAGE ON SEQUENCE public.login_failures_id_seq TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.objections TO onemap_app;
GRANT SELECT,INSERT ON TABLE public.objections TO onemap_public;

GRANT SELECT,USAGE ON SEQUENCE public.objections_id_seq TO onemap_app;
GRANT USAGE ON SEQUENCE public.objections_id_seq TO onemap_public;

GRANT SELECT,USAGE ON SEQUENCE public.parcels_id_seq TO onemap_app;
GRANT USAGE ON SEQUENCE public.parcels_id_seq TO onemap_public;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.payment_batches TO onemap_app;
GRANT SELECT ON TABLE public.payment_batches TO onemap_public;

GRANT SELECT,USAGE ON SEQUENCE public.payment_batches_id_seq TO onemap_app;
GRANT USAGE ON SEQUENCE public.payment_batches_id_seq TO onemap_public;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.payments TO onemap_app;
GRANT SELECT ON TABLE public.payments TO onemap_public;

GRANT SELECT,USAGE ON SEQUENCE public.payments_id_seq TO onemap_app;
GRANT USAGE ON SEQUENCE public.payments_id_seq TO onemap_public;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.petition_categories TO onemap_app;

GRANT SELECT,USAGE ON SEQUENCE public.petition_categories_id_seq TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.petitions TO onemap_app;

GRANT SELECT(id) ON TABLE public.petitions TO onemap_public;

GRANT SELECT(ticket) ON TABLE public.petitions TO onemap_public;

GRANT SELECT(channel) ON TABLE public.petitions TO onemap_public;

GRANT SELECT(body) ON TABLE public.petitions TO onemap_public;

GRANT SELECT(received_at) ON TABLE public.petitions TO onemap_public;

GRANT SELECT(accept_n) ON TABLE public.petitions TO onemap_public;

GRANT SELECT(accept_unit) ON TABLE public.petitions TO onemap_public;

GRANT SELECT(handle_n) ON TABLE public.petitions TO onemap_public;

GRANT SELECT(handle_unit) ON TABLE public.petitions TO onemap_public;

GRANT SELECT(status) ON TABLE public.petitions TO onemap_public;

GRANT SELECT(decided_at) ON TABLE public.petitions TO onemap_public;

GRANT SELECT(reject_reason) ON TABLE public.petitions TO onemap_public;

GRANT SELECT(replied_at) ON TABLE public.petitions TO onemap_public;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.petition_deadlines TO onemap_app;
GRANT SELECT ON TABLE public.petition_deadlines TO onemap_public;

GRANT SELECT,USAGE ON SEQUENCE public.petition_periods_id_seq TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.petition_replies TO onemap_app;

GRANT SELECT(petition_id) ON TABLE public.petition_replies TO onemap_public;

GRANT SELECT(body) ON TABLE public.petition_replies TO onemap_public;

GRANT SELECT(final) ON TABLE public.petition_replies TO onemap_public;

GRANT SELECT(at) ON TABLE public.petition_replies TO onemap_public;

GRANT SELECT,USAGE ON SEQUENCE public.petition_replies_id_seq TO onemap_app;

GRANT SELECT,USAGE ON SEQUENCE public.petitions_id_seq TO onemap_app;

GRANT SELECT,INSERT ON TABLE public.procedure_template_steps TO onemap_app;

GRANT SELECT,INSERT ON TABLE public.procedure_templates TO onemap_app;

GRANT SELECT,USAGE ON SEQUENCE public.procedure_templates_id_seq TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.project_activity TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.project_estates TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.project_figures TO onemap_app;
GRANT SELECT ON TABLE public.project_figures TO onemap_public;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.projects TO onemap_app;
GRANT SELECT ON TABLE public.projects TO onemap_public;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.project_figures_recount TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.project_funds TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.project_procedures TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.project_steps TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.project_steps_due TO onemap_app;

GRANT SELECT,USAGE ON SEQUENCE public.projects_id_seq TO onemap_app;
GRANT USAGE ON SEQUENCE public.projects_id_seq TO onemap_public;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.public_holders TO onemap_app;
GRANT SELECT ON TABLE public.public_holders TO onemap_public;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.public_project_steps TO onemap_app;
GRANT SELECT ON TABLE public.public_project_steps TO onemap_public;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.region_figures TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.regions TO onemap_app;
GRANT SELECT ON TABLE public.regions TO onemap_public;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.region_figures_recount TO onemap_app;

GRANT SELECT,USAGE ON SEQUENCE public.regions_id_seq TO onemap_app;
GRANT USAGE ON SEQUENCE public.regions_id_seq TO onemap_public;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.resident_lookups TO onemap_app;
GRANT SELECT,INSERT,DELETE ON TABLE public.resident_lookups TO onemap_public;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.selection_choices TO onemap_app;

GRANT SELECT,USAGE ON SEQUENCE public.selection_choices_id_seq TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.selection_days TO onemap_app;

GRANT SELECT,USAGE ON SEQUENCE public.selection_days_id_seq TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.selection_queue TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.selection_rules TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.sessions TO onemap_app;

GRANT SELECT ON TABLE public.spatial_ref_sys TO onemap_app;

GRANT SELECT,USAGE ON SEQUENCE public.status_events_id_seq TO onemap_app;
GRANT USAGE ON SEQUENCE public.status_events_id_seq TO onemap_public;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.step_documents TO onemap_app;

GRANT SELECT(id) ON TABLE public.step_documents TO onemap_public;

GRANT SELECT(project_id) ON TABLE public.step_documents TO onemap_public;

GRANT SELECT(key) ON TABLE public.step_documents TO onemap_public;

GRANT SELECT(sha256) ON TABLE public.step_documents TO onemap_public;

GRANT SELECT(size_bytes) ON TABLE public.step_documents TO onemap_public;

GRANT SELECT(content_type) ON TABLE public.step_documents TO onemap_public;

GRANT SELECT(file_name) ON TABLE public.step_documents TO onemap_public;

GRANT SELECT(public) ON TABLE public.step_documents TO onemap_public;

GRANT SELECT,USAGE ON SEQUENCE public.step_documents_id_seq TO onemap_app;

GRANT SELECT,INSERT ON TABLE public.step_events TO onemap_app;

GRANT SELECT,USAGE ON SEQUENCE public.step_events_id_seq TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.swap_settlements TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.unit_status_events TO onemap_app;

GRANT SELECT,USAGE ON SEQUENCE public.unit_status_events_id_seq TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.user_offices TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.users TO onemap_app;

GRANT SELECT,USAGE ON SEQUENCE public.users_id_seq TO onemap_app;
GRANT USAGE ON SEQUENCE public.users_id_seq TO onemap_public;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.weekly_reports TO onemap_app;

GRANT SELECT,USAGE ON SEQUENCE public.work_group_assignments_id_seq TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.work_group_members TO onemap_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.work_groups TO onemap_app;

GRANT SELECT,USAGE ON SEQUENCE public.work_groups_id_seq TO onemap_app;

ALTER DEFAULT PRIVILEGES FOR ROLE <migrator> IN SCHEMA public GRANT SELECT,USAGE ON SEQUENCES  TO onemap_app;

ALTER DEFAULT PRIVILEGES FOR ROLE <migrator> IN SCHEMA public GRANT SELECT,INSERT,DELETE,UPDATE ON TABLES  TO onemap_app;
