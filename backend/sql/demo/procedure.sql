-- The demo city's procedure histories, derived from each project's status history so the
-- gates hold in the past as they do live: every step before the signing gate done before the
-- first household signed (preparation may start before the project's start date), the
-- signing period running while households still sign, the demolition filing done before the
-- first demolition, relocation while households vacate, handover once all are demolished.
-- Projects nobody has signed in yet sit in earlier stages by their age. Deterministic by
-- project id: some steps run late (planned end passed: overdue), some windows are still open.
-- Runs before funds.sql (which allocates each signing project's budget before its gate) with
-- the day of the demo in the setting onemap.as_of; project_steps_keep keeps projects.stage.
DO $$
DECLARE
    as_of constant date := current_setting('onemap.as_of')::date;
    p record;
    s record;
    h record;
    gate_seq smallint;
    gate_day date;
    cursor_day date;
    span integer;
    n_before integer;
    i integer;
    st date;
    en date;
    waive text;
    late integer;
    ready boolean;
    plan_start date;
    plan_end date;
BEGIN
    FOR p IN SELECT pr.id, pr.start_date, pp.template_id FROM projects pr JOIN project_procedures pp ON pp.project_id = pr.id ORDER BY pr.id LOOP
        SELECT (min(e.at AT TIME ZONE 'Asia/Shanghai') FILTER (WHERE e.to_status = 'signed'))::date AS first_signed,
               (max(e.at AT TIME ZONE 'Asia/Shanghai') FILTER (WHERE e.to_status = 'signed'))::date AS last_signed,
               (min(e.at AT TIME ZONE 'Asia/Shanghai') FILTER (WHERE e.to_status = 'vacated'))::date AS first_vacated,
               (min(e.at AT TIME ZONE 'Asia/Shanghai') FILTER (WHERE e.to_status = 'demolished'))::date AS first_demolished,
               (max(e.at AT TIME ZONE 'Asia/Shanghai') FILTER (WHERE e.to_status = 'demolished'))::date AS last_demolished,
               (SELECT count(*) FROM households hh JOIN buildings bb ON bb.id = hh.building_id
                 WHERE bb.project_id = p.id AND hh.status < 'signed') AS unsigned,
               (SELECT count(*) FROM households hh JOIN buildings bb ON bb.id = hh.building_id
                 WHERE bb.project_id = p.id AND hh.status < 'demolished') AS standing,
               (SELECT count(*) FROM households hh JOIN buildings bb ON bb.id = hh.building_id
                 WHERE bb.project_id = p.id) AS households
          INTO h
          FROM status_events e JOIN households hh ON hh.id = e.household_id JOIN buildings bb ON bb.id = hh.building_id
         WHERE bb.project_id = p.id;

        SELECT seq INTO gate_seq FROM procedure_template_steps WHERE template_id = p.template_id AND opens = 'signing';
        SELECT count(*) INTO n_before FROM procedure_template_steps
         WHERE template_id = p.template_id AND seq < gate_seq AND NOT is_window;
        -- the gate: a week or two before the first signing; without signings, where the project's age puts it
        IF h.first_signed IS NOT NULL THEN
            gate_day := h.first_signed - (4 + p.id % 9)::integer;
        ELSE
            gate_day := p.start_date + 110 + (p.id % 5)::integer * 10;
        END IF;
        -- preparation starts before the start date when the way to the gate is short
        cursor_day := least(p.start_date - 20, gate_day - 100);
        span := (gate_day - cursor_day) / (n_before + 1);
        i := 0;
        late := 0;

        FOR s IN SELECT * FROM procedure_template_steps WHERE template_id = p.template_id AND NOT is_window ORDER BY seq LOOP
            st := NULL; en := NULL; waive := NULL;
            IF s.seq < gate_seq THEN
                i := i + 1;
                st := cursor_day;
                en := cursor_day + span;
                IF s.min_period IS NOT NULL THEN
                    en := greatest(en, period_end(st, s.min_period, s.period_unit) + 1);
                END IF;
                en := least(en, gate_day - (n_before - i));
                cursor_day := en;
            ELSIF s.seq = gate_seq THEN
                st := cursor_day;
                en := gate_day;
            ELSIF s.opens = 'compensation_decision' THEN
                -- the signing period runs while households sign; it ends once signing has stopped for 45 days
                st := gate_day + 1;
                IF h.first_signed IS NOT NULL AND (h.unsigned = 0 OR h.last_signed < as_of - 45) THEN
                    en := h.last_signed + 3;
                END IF;
            ELSIF s.opens = 'demolition' THEN
                IF h.first_demolished IS NOT NULL THEN
                    en := h.first_demolished - (3 + p.id % 5)::integer;
                    st := en - 20;
                ELSIF h.first_vacated IS NOT NULL THEN
                    st := least(as_of, h.first_vacated + 7);
                END IF;
            ELSIF s.stage = 'relocation' THEN
                st := h.first_vacated;
                IF h.standing = 0 AND h.last_demolished IS NOT NULL THEN
                    en := h.last_demolished + 5;
                END IF;
            ELSIF s.stage = 'handover' THEN
                IF h.standing = 0 AND h.last_demolished IS NOT NULL THEN
                    st := h.last_demolished + 6 + late * 15;
                    en := st + 14;
                    late := late + 1;
                END IF;
            ELSE
                -- a step after the gate follows its prerequisites by one to three weeks; a 补偿决定
                -- is waived when every household signed within the signing period
                SELECT max(ps.actual_end) + 1, bool_and(ps.actual_end IS NOT NULL) INTO st, ready
                  FROM project_steps ps WHERE ps.project_id = p.id AND ps.key = ANY (s.prerequisites);
                IF NOT coalesce(ready, false) THEN
                    st := NULL;
                ELSIF s.key = 'compensation_decision' AND h.unsigned = 0 THEN
                    en := st; waive := '签约期内全部签约，无需作出补偿决定';
                ELSE
                    en := st + 7 + ((p.id + s.seq) % 3)::integer * 7;
                END IF;
            END IF;
            IF st IS NULL OR st > as_of THEN
                CONTINUE;
            END IF;
            IF en IS NOT NULL AND en >= as_of THEN
                en := NULL;
            END IF;
            IF waive IS NOT NULL AND en IS NOT NULL THEN
                UPDATE project_steps SET state = 'waived', actual_end = en, waive_reason = waive,
                       planned_start = st, planned_end = en
                 WHERE project_id = p.id AND key = s.key;
            ELSE
                -- planned ends drift from the actual by a few days either way; one open step in three runs late
                plan_start := st - ((p.id + s.seq) % 4)::integer;
                plan_end := CASE WHEN en IS NOT NULL THEN en + ((p.id + s.seq) % 7)::integer - 3
                                 WHEN (p.id + s.seq) % 3 = 0 THEN least(as_of - 1 - ((p.id + s.seq) % 20)::integer, st + 25)
                                 ELSE greatest(st + 30, as_of + 10 + ((p.id + s.seq) % 30)::integer) END;
                UPDATE project_steps
                   SET state = CASE WHEN en IS NULL THEN 'in_progress' ELSE 'done' END::step_state,
                       actual_start = st, actual_end = en,
                       planned_start = plan_start, planned_end = greatest(plan_end, plan_start)
                 WHERE project_id = p.id AND key = s.key;
            END IF;
        END LOOP;
    END LOOP;
END
$$;

-- Each step's history as the ledger writes it: started, then done or waived, at ten in the morning Beijing time.
INSERT INTO step_events (project_id, key, from_state, to_state, actual_start, actual_end, reason, at)
SELECT project_id, key, from_state, to_state, actual_start, actual_end, reason, at
  FROM (SELECT ps.project_id, ps.key, 'not_started'::step_state AS from_state, 'in_progress'::step_state AS to_state,
               ps.actual_start, NULL::date AS actual_end, NULL::text AS reason,
               (ps.actual_start + time '10:00') AT TIME ZONE 'Asia/Shanghai' AS at
          FROM project_steps ps WHERE ps.state IN ('in_progress', 'done')
        UNION ALL
        SELECT ps.project_id, ps.key, CASE ps.state WHEN 'done' THEN 'in_progress' ELSE 'not_started' END::step_state,
               ps.state, ps.actual_start, ps.actual_end, ps.waive_reason,
               (ps.actual_end + time '10:30') AT TIME ZONE 'Asia/Shanghai'
          FROM project_steps ps WHERE ps.state IN ('done', 'waived')) e
 ORDER BY at, project_id, key;
