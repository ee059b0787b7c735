-- What each group holds now and how many of those households have signed, counted from the
-- households: recount_group_figures() copies it into the kept group_holdings.
CREATE OR REPLACE VIEW group_holdings_recount (group_id, households, signed) AS
    SELECT h.group_id, count(*)::integer, count(*) FILTER (WHERE status_rank(h.status::text) >= 2)::integer
      FROM households h
     WHERE h.group_id IS NOT NULL
     GROUP BY h.group_id;
