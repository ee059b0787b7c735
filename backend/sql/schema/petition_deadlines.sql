-- Each petition's Beijing days: received, the acceptance decision's due day and the day it was
-- decided, the handling's due day (from acceptance) and the day of the final reply. The periods
-- are the petition's own (copied from petition_periods when registered and accepted), counted by
-- period_end, so working days follow the holiday calendar as it is now. Dates only: the public
-- ticket page reads it too.
CREATE OR REPLACE VIEW petition_deadlines AS
SELECT p.id,
       d.received_on,
       period_end(d.received_on, p.accept_n, p.accept_unit) AS accept_due,
       (p.decided_at AT TIME ZONE 'Asia/Shanghai')::date AS decided_on,
       CASE WHEN p.status IN ('accepted', 'replied')
            THEN period_end((p.decided_at AT TIME ZONE 'Asia/Shanghai')::date, p.handle_n, p.handle_unit) END AS handle_due,
       (p.replied_at AT TIME ZONE 'Asia/Shanghai')::date AS replied_on
  FROM petitions p,
       LATERAL (SELECT (p.received_at AT TIME ZONE 'Asia/Shanghai')::date AS received_on) d;
GRANT SELECT ON petition_deadlines TO onemap_public;
