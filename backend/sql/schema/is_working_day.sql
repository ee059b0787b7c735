-- Whether a Beijing day is a working day: the holiday calendar where it lists the day (法定节假日, 调休), else Monday to Friday.
CREATE OR REPLACE FUNCTION is_working_day(d date) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce((SELECT c.working FROM calendar_days c WHERE c.day = d), extract(isodow FROM d) < 6)
$$;
