-- The last day of a legal period of n units that starts on `start`: the start day is not counted,
-- and a period ending on a rest day ends on the next working day (民法典 第二百零一条、第二百零三条).
-- Working days count only working days after the start (is_working_day: weekends and the holiday calendar).
CREATE OR REPLACE FUNCTION period_end(start date, n integer, unit period_unit) RETURNS date
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    d date := start;
    left_ integer := n;
BEGIN
    IF start IS NULL OR n IS NULL THEN
        RETURN NULL;
    END IF;
    IF unit = 'working_days' THEN
        WHILE left_ > 0 LOOP
            d := d + 1;
            IF is_working_day(d) THEN
                left_ := left_ - 1;
            END IF;
        END LOOP;
        RETURN d;
    END IF;
    -- a month period ends on the same day number, or the month's last day when it has none
    d := CASE unit WHEN 'months' THEN (start + make_interval(months => n))::date ELSE start + n END;
    WHILE NOT is_working_day(d) LOOP
        d := d + 1;
    END LOOP;
    RETURN d;
END
$$;
