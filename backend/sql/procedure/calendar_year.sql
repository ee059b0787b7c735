-- A year of the holiday calendar: its listed days in order (法定节假日 on weekdays, working false;
-- 调休 weekend days worked, working true) with their ISO weekday, and every year the calendar
-- lists days of (a year not listed counts by weekday alone). Parameter: $1 = year (integer).
SELECT json_build_object(
    'year', $1::integer,
    'days', (SELECT coalesce(json_agg(json_build_object('day', c.day, 'working', c.working, 'name', c.name,
                                                        'weekday', extract(isodow FROM c.day)::integer) ORDER BY c.day), '[]')
               FROM calendar_days c
              WHERE c.day >= make_date($1, 1, 1) AND c.day < make_date($1 + 1, 1, 1)),
    'years', (SELECT coalesce(json_agg(y ORDER BY y), '[]')
                FROM (SELECT DISTINCT extract(year FROM day)::integer AS y FROM calendar_days) listed))
