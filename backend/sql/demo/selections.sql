-- The demo's selection days (选房, docs/selection.md). Runs after funds.sql (agreements and
-- payments) and after the inventory's estates.sql (estates, units, project_estates), with the
-- demo's day in onemap.as_of; without estates it does nothing. Generated history names nobody.
--
-- Older projects (every swap household signed 30 days or more before the demo's day) had a day
-- 14 days after their last signing, in signing order, now closed: each household in turn took
-- the available unit of its project's estates nearest its entitlement (within what the rules
-- allow beyond it), confirmed, and its swap money was settled by swap_settle() as the console
-- does. A household the flat would leave below what it has been paid already (the funds rule:
-- never pay more than agreed) took no flat that day (its entitlement paid out). The newest
-- project with households still to choose has one upcoming day: a lottery 7 days after the
-- demo's day, its seed published.
DO $$
DECLARE
    as_of date := current_setting('onemap.as_of')::date;
    p record;
    q record;
    d_id bigint;
    unit integer;
    at timestamptz;
BEGIN
    FOR p IN
        SELECT a.project_id, max(a.signed_at AT TIME ZONE 'Asia/Shanghai')::date AS last_signed
          FROM agreements a JOIN households h ON h.id = a.household_id
         WHERE a.voided_at IS NULL AND h.resettlement = 'property_swap'
           AND EXISTS (SELECT 1 FROM project_estates pe WHERE pe.project_id = a.project_id)
         GROUP BY a.project_id
        HAVING max(a.signed_at AT TIME ZONE 'Asia/Shanghai')::date <= as_of - 30
         ORDER BY a.project_id
    LOOP
        at := (p.last_signed + 14)::timestamp AT TIME ZONE 'Asia/Shanghai' + interval '9 hours';
        INSERT INTO selection_days (project_id, day, status, order_by, created_at)
        VALUES (p.project_id, p.last_signed + 14, 'open', 'signing', at - interval '7 days')
        RETURNING id INTO d_id;
        PERFORM selection_queue_fill(d_id, p.project_id);
        FOR q IN SELECT household_id, entitled_area FROM selection_queue WHERE day_id = d_id ORDER BY position LOOP
            at := at + interval '4 minutes';
            SELECT u.id INTO unit
              FROM estate_units u JOIN project_estates pe ON pe.estate_id = u.estate_id AND pe.project_id = p.project_id
              LEFT JOIN selection_rules r ON r.project_id = p.project_id
             WHERE u.status = 'available' AND u.area <= q.entitled_area + coalesce(r.beyond_max_area, 10)
             ORDER BY abs(u.area - q.entitled_area), u.id LIMIT 1;
            BEGIN
                IF unit IS NOT NULL THEN
                    INSERT INTO selection_choices (day_id, household_id, unit_id, state, chosen_at, settled_at)
                    VALUES (d_id, q.household_id, unit, 'confirmed', at, at);
                    UPDATE estate_units SET status = 'selected', household_id = q.household_id, status_at = at WHERE id = unit;
                END IF;
                PERFORM swap_settle(d_id, q.household_id, NULL);
            EXCEPTION WHEN check_violation THEN
                -- the flat would leave it below what it has been paid: no flat that day
                PERFORM swap_settle(d_id, q.household_id, NULL);
            END;
            UPDATE selection_queue SET state = 'done', done_at = at WHERE day_id = d_id AND household_id = q.household_id;
        END LOOP;
        UPDATE swap_settlements SET settled_at = c.at FROM (SELECT household_id, done_at AS at FROM selection_queue WHERE day_id = d_id) c
         WHERE swap_settlements.household_id = c.household_id AND swap_settlements.day_id = d_id;
        UPDATE selection_days SET status = 'closed' WHERE id = d_id;
    END LOOP;
    -- one upcoming lottery: the newest project with households still to choose
    INSERT INTO selection_days (project_id, day, order_by, seed, seed_published_at, created_at)
    SELECT a.project_id, as_of + 7, 'lottery', encode(sha256(convert_to('onemap demo ' || pr.code, 'UTF8')), 'hex'), now(), now()
      FROM agreements a JOIN households h ON h.id = a.household_id JOIN projects pr ON pr.id = a.project_id
     WHERE a.voided_at IS NULL AND h.resettlement = 'property_swap'
       AND EXISTS (SELECT 1 FROM project_estates pe WHERE pe.project_id = a.project_id)
       AND NOT EXISTS (SELECT 1 FROM swap_settlements s WHERE s.household_id = a.household_id)
     GROUP BY a.project_id, pr.code
     ORDER BY max(a.signed_at) DESC LIMIT 1
    RETURNING id, project_id INTO d_id, unit;
    IF d_id IS NOT NULL THEN
        PERFORM selection_queue_fill(d_id, unit);
    END IF;
END
$$;
