-- A point inside the project with most buildings, where a client that jumps to it sees data.
SELECT ST_X(c), ST_Y(c) FROM (
    SELECT ST_PointOnSurface(p.geom) AS c FROM projects p
      JOIN project_figures f ON f.project_id = p.id
     ORDER BY f.buildings DESC, p.id LIMIT 1) s
