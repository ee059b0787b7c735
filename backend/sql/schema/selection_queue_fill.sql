-- A new selection day's queue: the project's signed property-swap households not settled yet
-- and not queued on another day still to close, each with its entitled area (the rules as they
-- stand), its 签约顺序号 among the project's agreements, and for a lottery its key sha256(seed ‖
-- ":" ‖ code). A signing-order day is placed at once; a lottery at its draw (draw.sql).
-- Returns how many households it queued. The console's new days and the demo's both fill through it.
CREATE OR REPLACE FUNCTION selection_queue_fill(d_id bigint, p_id bigint) RETURNS bigint
LANGUAGE sql VOLATILE AS $$
    WITH d AS (
            SELECT id, order_by, seed FROM selection_days WHERE id = d_id
        ), numbered AS (
            SELECT a.household_id, h.code, h.resettlement, coalesce(a.recorded_area, h.recorded_area) AS area,
                   row_number() OVER (ORDER BY a.signed_at, h.code) AS signing_no
              FROM agreements a JOIN households h ON h.id = a.household_id
             WHERE a.project_id = p_id AND a.voided_at IS NULL
        ), queued AS (
            SELECT n.household_id, n.code, round(n.area * coalesce(r.area_ratio, 1) + coalesce(r.incentive_area, 0), 2) AS entitled, n.signing_no
              FROM numbered n LEFT JOIN selection_rules r ON r.project_id = p_id
             WHERE n.resettlement = 'property_swap'
               AND NOT EXISTS (SELECT 1 FROM swap_settlements s WHERE s.household_id = n.household_id)
               AND NOT EXISTS (SELECT 1 FROM selection_queue q JOIN selection_days o ON o.id = q.day_id
                                WHERE q.household_id = n.household_id AND o.status <> 'closed' AND o.id <> d_id)
        ), filled AS (
        INSERT INTO selection_queue (day_id, household_id, code, entitled_area, signing_no, lottery_key, position)
        SELECT d.id, q.household_id, q.code, q.entitled, q.signing_no,
               CASE WHEN d.order_by = 'lottery' THEN encode(sha256(convert_to(d.seed || ':' || q.code, 'UTF8')), 'hex') END,
               CASE WHEN d.order_by = 'signing' THEN row_number() OVER (ORDER BY q.signing_no) END
          FROM d, queued q
        RETURNING 1
    )
    SELECT count(*) FROM filled
$$;
