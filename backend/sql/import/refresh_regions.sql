-- After refresh_figures.sql: the regions above project $1 re-add their projects' building
-- and land figures (a separate statement, so it sees the project's new row).
UPDATE region_figures rf SET (buildings, buildings_demolished, floor_area, land_m2, land_acquired_m2, land_delivered_m2) =
    (SELECT coalesce(sum(f.buildings), 0), coalesce(sum(f.buildings_demolished), 0), coalesce(sum(f.floor_area), 0),
            coalesce(sum(f.land_m2), 0), coalesce(sum(f.land_acquired_m2), 0), coalesce(sum(f.land_delivered_m2), 0)
       FROM project_figures f JOIN projects p ON p.id = f.project_id JOIN regions r ON r.id = p.region_id
      WHERE r.lineage @> ARRAY[rf.region_id])
 WHERE rf.region_id = ANY ((SELECT r.lineage FROM projects p JOIN regions r ON r.id = p.region_id WHERE p.id = $1)::integer[]);
