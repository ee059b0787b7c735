-- Buildings a field worker finds by code: the building's own code or one of its households'
-- codes containing the text (case-insensitive), within the caller's region; exact matches
-- first, at most 20, with a point to fly to. A scan of the codes: fine at a city's tens of
-- thousands of households. $1 = text, $2 = the caller's region id (NULL: everywhere).
SELECT coalesce(json_agg(json_build_object(
           'id', found.id, 'code', found.code, 'status', found.status, 'households', found.households,
           'project_code', found.project_code, 'project_name', found.project_name,
           'household_code', found.household_code, 'lon', found.lon, 'lat', found.lat)
         ORDER BY found.exact DESC, found.code), '[]')
  FROM (SELECT b.id, b.code, b.status, b.households, p.code AS project_code, p.name AS project_name,
               hit.code AS household_code,
               upper(b.code) = upper($1) OR upper(hit.code) = upper($1) AS exact,
               round(ST_X(ST_PointOnSurface(b.geom))::numeric, 6) AS lon,
               round(ST_Y(ST_PointOnSurface(b.geom))::numeric, 6) AS lat
          FROM buildings b
          JOIN projects p ON p.id = b.project_id
          JOIN regions r ON r.id = p.region_id
          LEFT JOIN LATERAL (
              SELECT h.code FROM households h
               WHERE h.building_id = b.id AND strpos(upper(h.code), upper($1)) > 0
               ORDER BY h.code LIMIT 1) hit ON true
         WHERE ($2::integer IS NULL OR $2 = ANY (r.lineage))
           AND (strpos(upper(b.code), upper($1)) > 0 OR hit.code IS NOT NULL)
         ORDER BY upper(b.code) = upper($1) OR upper(hit.code) = upper($1) DESC, b.code
         LIMIT 20) found
