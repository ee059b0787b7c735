-- The periods a petition of this project, channel and category is decided and handled in: the
-- most specific row of petition_periods (a project's own before the default, then category, then
-- channel), the statute's row of all NULLs when nothing local matches.
CREATE OR REPLACE FUNCTION petition_period(project bigint, ch petition_channel, category smallint)
RETURNS petition_periods
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.*
      FROM petition_periods r
     WHERE (r.project_id IS NULL OR r.project_id = project)
       AND (r.channel IS NULL OR r.channel = ch)
       AND (r.category_id IS NULL OR r.category_id = category)
     ORDER BY r.project_id IS NOT NULL DESC, r.category_id IS NOT NULL DESC, r.channel IS NOT NULL DESC
     LIMIT 1
$$;
