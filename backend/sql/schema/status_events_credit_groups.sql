-- Credits a statement's new household events to the groups that held their households at the
-- events' times, on their Beijing days (group_event_credits): once per statement, so a
-- building's write of many households adds each group's day once.
CREATE OR REPLACE FUNCTION status_events_credit_groups() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM group_daily_figures_add(array_agg(ROW(c.group_id, c.day, c.surveyed, c.signed, c.vacated, c.demolished)::group_daily_figures))
       FROM group_event_credits c
      WHERE c.event_id IN (SELECT id FROM added) AND c.group_id IS NOT NULL;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER status_events_credit_groups AFTER INSERT ON status_events
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION status_events_credit_groups();
