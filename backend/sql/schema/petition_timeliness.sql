-- Whether a petition was or is in time on Beijing day `today`: on_time / late when closed
-- (decided and, if accepted, replied, each by its due day), overdue / open while open (the
-- due day of the step it waits for has passed, or not).
CREATE OR REPLACE FUNCTION petition_timeliness(status petition_status, accept_due date, decided_on date,
                                               handle_due date, replied_on date, today date)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE status
        WHEN 'registered' THEN CASE WHEN today > accept_due THEN 'overdue' ELSE 'open' END
        WHEN 'accepted' THEN CASE WHEN today > handle_due THEN 'overdue' ELSE 'open' END
        WHEN 'rejected' THEN CASE WHEN decided_on <= accept_due THEN 'on_time' ELSE 'late' END
        ELSE CASE WHEN decided_on <= accept_due AND replied_on <= handle_due THEN 'on_time' ELSE 'late' END
    END
$$;
