-- The households that codes name within one project: every household of the named buildings
-- (`buildings`) or the named households (`households`), and the codes that name nothing there.
-- $1 = project id (bigint), $2 = 'buildings' or 'households', $3 = the codes (text[]).
-- Answers one row per code: the code and its household ids (empty when unknown here).
SELECT c.code,
       coalesce(CASE WHEN $2 = 'buildings'
                     THEN (SELECT array_agg(h.id ORDER BY h.id) FROM buildings b JOIN households h ON h.building_id = b.id
                            WHERE b.project_id = $1 AND b.code = c.code)
                     ELSE (SELECT array_agg(h.id) FROM households h JOIN buildings b ON b.id = h.building_id
                            WHERE b.project_id = $1 AND h.code = c.code) END, '{}') AS households,
       CASE WHEN $2 = 'buildings'
            THEN EXISTS (SELECT 1 FROM buildings b WHERE b.project_id = $1 AND b.code = c.code)
            ELSE EXISTS (SELECT 1 FROM households h JOIN buildings b ON b.id = h.building_id
                          WHERE b.project_id = $1 AND h.code = c.code) END AS known
  FROM unnest($3::text[]) WITH ORDINALITY AS c (code, n)
 ORDER BY c.n
