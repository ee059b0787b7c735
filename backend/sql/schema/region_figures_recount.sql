-- The region figures counted from scratch (every project below the region): recount_figures()
-- copies them into the kept table, and `onemap verify` compares the kept table with them.
CREATE OR REPLACE VIEW region_figures_recount (region_id, projects, buildings, buildings_demolished, floor_area, households,
    surveyed, signed, vacated, demolished, monetary, difficult, land_m2, land_acquired_m2, land_delivered_m2) AS
    SELECT r.id, count(f.project_id),
           coalesce(sum(f.buildings), 0), coalesce(sum(f.buildings_demolished), 0),
           coalesce(sum(f.floor_area), 0), coalesce(sum(f.households), 0),
           coalesce(sum(f.surveyed), 0), coalesce(sum(f.signed), 0), coalesce(sum(f.vacated), 0),
           coalesce(sum(f.demolished), 0), coalesce(sum(f.monetary), 0),
           coalesce(sum(f.difficult), 0), coalesce(sum(f.land_m2), 0),
           coalesce(sum(f.land_acquired_m2), 0), coalesce(sum(f.land_delivered_m2), 0)
      FROM regions r
      LEFT JOIN (regions below JOIN projects p ON p.region_id = below.id
                 JOIN project_figures_recount f ON f.project_id = p.id) ON r.id = ANY (below.lineage)
     GROUP BY r.id;
