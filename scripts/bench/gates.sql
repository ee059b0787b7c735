-- The gate check's cost per status event (docs/procedure.md, "Gates"), run by
-- scripts/bench-gates in a database holding the test fixtures one_building + open_gates:
-- 1. the check alone: 20,000 times the lookup the trigger makes for a signing household;
-- 2. whole events: 1,000 surveyed households of T-1 signed in one INSERT … SELECT (every row
--    trigger, no round trips), with households_status_gates disabled and enabled, alternately,
--    6 runs each, each rolled back and followed by a VACUUM so no run inherits dead rows.
-- Prints µs per check and µs per event without and with the check (medians and each run).
\set ON_ERROR_STOP on
SET client_min_messages = warning;
INSERT INTO buildings (code, project_id, parcel_id, use, legality, floors, floor_area, geom)
SELECT 'BENCH-B' || n, p.project_id, p.id, 'residential', 'legal', 6, 1800,
       ST_Multi(ST_MakeEnvelope(111.6110 + n * 0.00001, 28.9110, 111.6110 + n * 0.00001 + 0.000005, 28.9112, 4326))
  FROM parcels p, generate_series(1, 100) n WHERE p.code = 'T-1-P1';
INSERT INTO households (code, building_id, holder_name, holder_id_number, members, recorded_area, resettlement)
SELECT b.code || '-H' || k, b.id, '基准' || k, '430702198001010' || lpad(k::text, 3, '0'), 3, 100, 'monetary'
  FROM buildings b, generate_series(1, 10) k WHERE b.code LIKE 'BENCH-%';
SELECT recount_figures();
INSERT INTO status_events (household_id, from_status, to_status, actor)
SELECT id, 'pending', 'surveyed', 'bench' FROM households WHERE code LIKE 'BENCH-%' ORDER BY id;
CREATE TABLE bench_runs (gated boolean, us numeric);
VACUUM ANALYZE;

-- 1. the check alone
DO $$
DECLARE
    t0 timestamptz := clock_timestamp();
    building bigint := (SELECT id FROM buildings WHERE code = 'BENCH-B1');
    g record;
BEGIN
    FOR i IN 1..20000 LOOP
        SELECT s.* INTO g FROM buildings b, gate_state(b.project_id, 'signing') s WHERE b.id = building;
    END LOOP;
    INSERT INTO bench_runs VALUES (NULL, extract(epoch FROM clock_timestamp() - t0) * 1e6 / 20000);
END
$$;

-- 2. whole events, one run per statement
SELECT format($run$
DO $$
DECLARE
    t0 timestamptz;
    took interval;
BEGIN
    EXECUTE 'ALTER TABLE households %s TRIGGER households_status_gates';
    BEGIN
        t0 := clock_timestamp();
        INSERT INTO status_events (household_id, from_status, to_status, actor)
        SELECT id, 'surveyed', 'signed', 'bench' FROM households WHERE code LIKE 'BENCH-%%' ORDER BY id;
        took := clock_timestamp() - t0;
        RAISE EXCEPTION 'roll back';
    EXCEPTION WHEN raise_exception THEN
        NULL;
    END;
    ALTER TABLE households ENABLE TRIGGER households_status_gates;
    INSERT INTO bench_runs VALUES (%s, extract(epoch FROM took) * 1e6 / 1000);
END
$$
$run$, CASE WHEN i % 2 = 0 THEN 'ENABLE' ELSE 'DISABLE' END, (i % 2 = 0)::text),
       'VACUUM households, buildings, agreements, project_figures, region_figures, daily_figures, project_activity'
  FROM generate_series(1, 12) i \gexec

SELECT 'µs per gate check (the lookup alone): ' || round(us, 1) FROM bench_runs WHERE gated IS NULL
UNION ALL
SELECT format('µs per signing event %s the gate check: median %s (runs: %s)',
              CASE WHEN gated THEN 'with   ' ELSE 'without' END,
              round(percentile_cont(0.5) WITHIN GROUP (ORDER BY us)::numeric, 1),
              string_agg(round(us, 1)::text, ' ' ORDER BY ctid))
  FROM bench_runs WHERE gated IS NOT NULL GROUP BY gated;
