-- The demo city's 疑难个案, derived from its households so the flag, the board and the wall
-- agree: every household the generator flagged difficult has an open case (most opened today,
-- some yesterday and escalated to 指挥部 overnight, a few older and at 挂点领导: the overdue
-- ones), and a share of the signed households had a case closed 签约 at their signing (linked
-- to the signing event; most on time, some after an escalation), a few unsigned ones a case
-- withdrawn (撤销) the same day. Deterministic by household id; set-based (one pass per table).
-- Runs after procedure.sql with the day of the demo in onemap.as_of; the case triggers are off
-- while it runs (the flags already say "has an open case").
ALTER TABLE cases DISABLE TRIGGER USER;

CREATE TEMP TABLE demo_clock ON COMMIT DROP AS
SELECT at, ((at AT TIME ZONE 'Asia/Shanghai')::date)::timestamp AT TIME ZONE 'Asia/Shanghai' AS day_start
  FROM (SELECT least(now(), ((current_setting('onemap.as_of')::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai') - interval '1 minute') AS at) c;

-- the category of a household's case, by its id: 标准异议 and 面积 most often
CREATE TEMP TABLE demo_case_rows ON COMMIT DROP AS
WITH flagged AS (
    SELECT h.id, h.group_id, b.project_id, h.status, (h.id * 2654435761) % 1000 AS hash
      FROM households h JOIN buildings b ON b.id = h.building_id
     WHERE h.difficult
)
SELECT f.id AS household_id, f.project_id, f.group_id,
       CASE WHEN f.status >= 'signed' THEN 'resettlement'
            ELSE (ARRAY['ownership', 'ownership', 'area', 'area', 'area', 'standard', 'standard', 'standard', 'standard',
                        'illegal', 'illegal', 'family', 'family', 'family', 'resettlement', 'other'])[1 + f.hash % 16] END AS category,
       -- 85% opened today, 10% yesterday (escalated overnight), 5% two to five days ago (at the top)
       CASE WHEN f.hash % 20 < 17 THEN greatest(c.day_start + interval '1 minute', c.at - make_interval(mins => (f.hash % 480)::integer))
            WHEN f.hash % 20 < 19 THEN c.day_start - interval '1 day' + make_interval(hours => 9 + (f.hash % 10)::integer)
            ELSE c.day_start - make_interval(days => 2 + (f.hash % 4)::integer) + make_interval(hours => 10) END AS opened_at,
       CASE WHEN f.hash % 20 < 17 THEN 0 WHEN f.hash % 20 < 19 THEN 1 ELSE 2 END AS escalations,
       'open' AS state, NULL::case_outcome AS outcome, NULL::timestamptz AS closed_at, NULL::bigint AS status_event_id
  FROM flagged f, demo_clock c;

-- closed 签约 at the signing: one signed household in twelve had a case opened hours before
INSERT INTO demo_case_rows
SELECT e.household_id, b.project_id, h.group_id,
       (ARRAY['area', 'standard', 'standard', 'ownership', 'family', 'resettlement'])[1 + (h.id % 6)::integer],
       e.at - make_interval(hours => 2 + (h.id % 30)::integer), 0, 'closed', 'signed', e.at, e.id
  FROM status_events e
  JOIN households h ON h.id = e.household_id
  JOIN buildings b ON b.id = h.building_id, demo_clock c
 WHERE e.to_status = 'signed' AND (h.id * 2654435761) % 12 = 5 AND e.at <= c.at;
-- withdrawn (撤销) the same day: one unsigned household in sixty, a week or two ago
INSERT INTO demo_case_rows
SELECT h.id, b.project_id, h.group_id, 'standard',
       c.day_start - make_interval(days => 3 + (h.id % 12)::integer) + interval '10 hours', 0, 'closed', 'withdrawn',
       c.day_start - make_interval(days => 3 + (h.id % 12)::integer) + interval '16 hours', NULL
  FROM households h JOIN buildings b ON b.id = h.building_id JOIN projects p ON p.id = b.project_id, demo_clock c
 WHERE h.status IN ('surveyed') AND NOT h.difficult AND (h.id * 2654435761) % 60 = 7
   AND p.start_date < (c.at AT TIME ZONE 'Asia/Shanghai')::date - 20;

-- deadlines: due at the end of the opening's Beijing day; a case escalates at each day's end it
-- passes open (the job's one level per deadline); an open case's level deadline is the end of
-- the day it last escalated
CREATE TEMP TABLE demo_case_ladder ON COMMIT DROP AS
SELECT r.*, d.due_at,
       -- how many deadlines a closed case passed before it closed (at most two levels)
       CASE WHEN r.state = 'open' THEN r.escalations
            ELSE least(2, greatest(0, ceil(extract(epoch FROM r.closed_at - d.due_at) / 86400.0)))::integer END AS levels
  FROM demo_case_rows r,
       LATERAL (SELECT (((r.opened_at AT TIME ZONE 'Asia/Shanghai')::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai') AS due_at) d;

INSERT INTO cases (household_id, project_id, group_id, category, note, opened_at, due_at, level, level_due_at,
                   state, outcome, closed_at, close_note)
SELECT household_id, project_id, group_id, category, '',
       opened_at, due_at, (ARRAY['group', 'command', 'leader'])[1 + levels]::case_level,
       due_at + make_interval(days => levels), state, outcome, closed_at,
       CASE state WHEN 'closed' THEN CASE outcome WHEN 'signed' THEN '已签约' ELSE '诉求撤回' END END
  FROM demo_case_ladder
 ORDER BY opened_at, household_id;

-- each case's events in time order: opened, escalated at each deadline passed, a conference
-- after an escalation, closed
CREATE TEMP TABLE demo_case_ids ON COMMIT DROP AS
SELECT c.id, c.household_id, c.opened_at, c.due_at, c.level, c.state, c.outcome, c.closed_at, c.category, l.status_event_id,
       l.levels
  FROM cases c JOIN demo_case_ladder l ON l.household_id = c.household_id AND l.opened_at = c.opened_at;
INSERT INTO case_events (case_id, kind, at, body)
SELECT case_id, kind, at, body FROM (
    SELECT id AS case_id, 'opened' AS kind, opened_at AS at, jsonb_build_object('category', category) AS body FROM demo_case_ids
    UNION ALL
    SELECT i.id, 'escalated', i.due_at + make_interval(days => n - 1) + interval '10 seconds',
           jsonb_build_object('from', (ARRAY['group', 'command'])[n], 'to', (ARRAY['command', 'leader'])[n],
                              'level_due_at', i.due_at + make_interval(days => n))
      FROM demo_case_ids i, generate_series(1, i.levels) n
    UNION ALL
    SELECT i.id, 'conference', i.due_at + interval '9 hours', jsonb_build_object('decision', '组织复核，约谈户主')
      FROM demo_case_ids i WHERE i.levels > 0 AND i.due_at + interval '9 hours' < coalesce(i.closed_at, (SELECT at FROM demo_clock))
    UNION ALL
    SELECT id, 'closed', closed_at, jsonb_build_object('outcome', outcome, 'status_event_ids',
                                                       CASE WHEN status_event_id IS NOT NULL THEN jsonb_build_array(status_event_id) ELSE '[]' END)
      FROM demo_case_ids WHERE state = 'closed'
) e
 ORDER BY at, case_id;
INSERT INTO case_conferences (case_id, held_at, positions, decision, next_action)
SELECT i.id, i.due_at + interval '9 hours', '户主坚持原诉求；工作组认为依据不足', '组织复核，约谈户主', '三日内复核并答复'
  FROM demo_case_ids i WHERE i.levels > 0 AND i.due_at + interval '9 hours' < coalesce(i.closed_at, (SELECT at FROM demo_clock));
INSERT INTO case_status_events (case_id, status_event_id)
SELECT id, status_event_id FROM demo_case_ids WHERE status_event_id IS NOT NULL;

ALTER TABLE cases ENABLE TRIGGER USER;
