-- A lottery day's publication (摇号公示): the seed and the list of household codes, published
-- before the draw, and once drawn the order — sha256(seed ‖ ":" ‖ code) ascending, ties by code
-- (docs/selection.md; tools/selection-lottery.py recomputes it). Published projects only.
CREATE OR REPLACE FUNCTION selection_lottery(d_id bigint) RETURNS json
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT json_build_object(
        'day', d.id, 'project_code', p.code, 'date', d.day, 'order_by', d.order_by,
        'algorithm', 'sha256-hex(seed + ":" + code) ascending, ties by code',
        'seed', d.seed, 'seed_published_at', d.seed_published_at, 'drawn_at', d.drawn_at,
        'codes', (SELECT coalesce(json_agg(q.code ORDER BY q.code COLLATE "C"), '[]') FROM selection_queue q WHERE q.day_id = d.id),
        'order', CASE WHEN d.drawn_at IS NULL THEN NULL ELSE
                 (SELECT coalesce(json_agg(q.code ORDER BY q.lottery_key COLLATE "C", q.code COLLATE "C"), '[]') FROM selection_queue q WHERE q.day_id = d.id) END)
      FROM selection_days d JOIN projects p ON p.id = d.project_id
     WHERE d.id = d_id AND p.published AND d.order_by = 'lottery'
$$;
REVOKE EXECUTE ON FUNCTION selection_lottery(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION selection_lottery(bigint) TO onemap_public, onemap_app;
