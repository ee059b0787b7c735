-- When a case of `category` opened (or escalated) at `since` is due: the end of the Beijing day
-- its category's due_days after `since` (0: the same day, "疑难问题不过夜").
CREATE OR REPLACE FUNCTION case_due(category text, since timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
    SELECT (((since AT TIME ZONE 'Asia/Shanghai')::date + c.due_days + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
      FROM case_categories c WHERE c.key = category
$$;
