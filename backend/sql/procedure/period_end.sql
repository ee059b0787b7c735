-- The period calculator of the pages: the last day of a period of n units from start by the SQL
-- period_end (the one place the arithmetic lives), whether a day is worked, and the listed days
-- (holidays, 调休) from the day after start to the end, so a page can show why the end falls there.
-- Parameters: $1 = start (date), $2 = n (integer), $3 = unit (period_unit label).
WITH p AS (SELECT $1::date AS start, $2::integer AS n, $3::period_unit AS unit),
e AS (SELECT p.*, period_end(p.start, p.n, p.unit) AS end_day FROM p)
SELECT json_build_object(
    'start', e.start, 'n', e.n, 'unit', e.unit, 'end', e.end_day,
    'end_weekday', extract(isodow FROM e.end_day)::integer,
    'listed', (SELECT coalesce(json_agg(json_build_object('day', c.day, 'working', c.working, 'name', c.name) ORDER BY c.day), '[]')
                 FROM calendar_days c WHERE c.day > e.start AND c.day <= e.end_day))
  FROM e
