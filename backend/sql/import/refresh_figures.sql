-- After an import: the figures that come from buildings and parcels (which change without a
-- status event) recounted for one project ($1) and the regions above it. Household counts
-- are kept by their own trigger.
WITH counted AS (
    SELECT (SELECT count(*) FROM buildings WHERE project_id = $1) AS buildings,
           (SELECT count(*) FROM buildings WHERE project_id = $1 AND status = 'demolished') AS buildings_demolished,
           (SELECT coalesce(sum(floor_area), 0) FROM buildings WHERE project_id = $1) AS floor_area,
           (SELECT coalesce(sum(area_m2), 0) FROM parcels WHERE project_id = $1) AS land_m2,
           (SELECT coalesce(sum(area_m2) FILTER (WHERE land_status >= 'acquired'), 0) FROM parcels WHERE project_id = $1) AS land_acquired_m2,
           (SELECT coalesce(sum(area_m2) FILTER (WHERE land_status >= 'delivered'), 0) FROM parcels WHERE project_id = $1) AS land_delivered_m2
), project AS (
    UPDATE project_figures f SET buildings = c.buildings, buildings_demolished = c.buildings_demolished,
           floor_area = c.floor_area, land_m2 = c.land_m2, land_acquired_m2 = c.land_acquired_m2,
           land_delivered_m2 = c.land_delivered_m2
      FROM counted c WHERE f.project_id = $1
    RETURNING f.project_id
)
SELECT count(*) FROM project;
