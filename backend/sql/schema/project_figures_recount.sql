-- The project figures counted from scratch: recount_figures() copies them into the kept table,
-- and `onemap verify` compares the kept table with them.
CREATE OR REPLACE VIEW project_figures_recount (project_id, buildings, buildings_demolished, floor_area, households, surveyed,
    signed, vacated, demolished, monetary, difficult, land_m2, land_acquired_m2, land_delivered_m2) AS
    SELECT p.id,
           coalesce(b.buildings, 0), coalesce(b.buildings_demolished, 0), coalesce(b.floor_area, 0),
           coalesce(h.households, 0), coalesce(h.surveyed, 0), coalesce(h.signed, 0),
           coalesce(h.vacated, 0), coalesce(h.demolished, 0), coalesce(h.monetary, 0),
           coalesce(h.difficult, 0),
           coalesce(l.land_m2, 0), coalesce(l.land_acquired_m2, 0), coalesce(l.land_delivered_m2, 0)
      FROM projects p
      LEFT JOIN (SELECT project_id, count(*) AS buildings,
                        count(*) FILTER (WHERE status = 'demolished') AS buildings_demolished,
                        sum(floor_area) AS floor_area
                   FROM buildings GROUP BY project_id) b ON b.project_id = p.id
      LEFT JOIN (SELECT b.project_id, count(*) AS households,
                        count(*) FILTER (WHERE h.status >= 'surveyed') AS surveyed,
                        count(*) FILTER (WHERE h.status >= 'signed') AS signed,
                        count(*) FILTER (WHERE h.status >= 'vacated') AS vacated,
                        count(*) FILTER (WHERE h.status >= 'demolished') AS demolished,
                        count(*) FILTER (WHERE h.status >= 'signed' AND h.resettlement = 'monetary') AS monetary,
                        count(*) FILTER (WHERE h.difficult) AS difficult
                   FROM households h JOIN buildings b ON b.id = h.building_id
                  GROUP BY b.project_id) h ON h.project_id = p.id
      LEFT JOIN (SELECT project_id, sum(area_m2) AS land_m2,
                        sum(area_m2) FILTER (WHERE land_status >= 'acquired') AS land_acquired_m2,
                        sum(area_m2) FILTER (WHERE land_status >= 'delivered') AS land_delivered_m2
                   FROM parcels GROUP BY project_id) l ON l.project_id = p.id;
