-- The regions of the kept figure lists (figures/kept.rs) with their trigger-kept figures, in
-- the order of all_regions.sql; what comes from the projects below is summed in memory.
-- Parameters: $1 = region ids (integer[]; NULL = every region).
SELECT r.id, r.code, r.name, r.level::text AS level, parent.code AS parent_code,
       f.households::bigint, f.floor_area::float8, f.difficult::bigint, f.land_m2,
       f.surveyed::bigint, f.signed::bigint, f.vacated::bigint, f.demolished::bigint, f.monetary::bigint,
       f.land_acquired_m2, f.land_delivered_m2
  FROM regions r
  JOIN region_figures f ON f.region_id = r.id
  LEFT JOIN regions parent ON parent.id = r.parent_id
 WHERE $1::integer[] IS NULL OR r.id = ANY ($1::integer[])
 ORDER BY r.level, r.code
