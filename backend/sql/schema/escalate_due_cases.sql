-- The escalation job: every open case whose level's time ran out by `at` moves one level up
-- (group → 指挥部 → 挂点领导) with a new level deadline by its category's rule from `at`, and
-- gets an `escalated` event (which NOTIFYs the pages). Every instance calls it every few
-- seconds (backend/src/cases/escalation.rs). One call moves at most 500 cases, the oldest ids
-- first, and passes over a case whose row someone holds (SKIP LOCKED): a backlog (a service
-- that was off, a city loaded as of a past day: 79,446 cases at a million buildings) is worked
-- off in short transactions that a clerk's signing, which closes the household's case, never
-- waits behind for long, and the job never waits behind a signing. The caller calls again
-- until nothing moves. A case moves once however many instances run at the same moment: its
-- row is locked, and another caller skips it or, having read it before, re-checks it (READ
-- COMMITTED's re-evaluation of the WHERE) and finds its level deadline moved. Returns how many
-- moved.
CREATE OR REPLACE FUNCTION escalate_due_cases(at timestamptz DEFAULT now()) RETURNS integer
LANGUAGE plpgsql AS $$
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
