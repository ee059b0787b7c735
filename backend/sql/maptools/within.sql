-- What a drawn boundary holds: buildings (one side of a boundary each: the one holding the
-- building's point on its surface) by status with their floor area, their households by status,
-- the parcels it touches with the area of their parts inside, the projects concerned, and the
-- first buildings by code. No personal data: the same as the tiles show every logged-in user.
-- Parameters: $1 the boundary as GeoJSON (EPSG:4326, checked by boundary.sql), $2 list length.
WITH boundary AS (
    SELECT g AS geom, ST_Transform(g, 3857) AS geom_3857 FROM (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS g) s
), inside AS (
    SELECT b.id, b.code, b.project_id, b.status, b.households, b.floor_area, b.use
      FROM buildings b, boundary
     WHERE b.geom_3857 && boundary.geom_3857 AND ST_Intersects(boundary.geom, ST_PointOnSurface(b.geom))
), homes AS (
    SELECT h.status, h.difficult FROM households h JOIN inside ON inside.id = h.building_id
), parcels_hit AS (
    SELECT p.id, ST_Area(ST_Intersection(p.geom, boundary.geom)::geography) AS area_inside
      FROM parcels p, boundary
     WHERE p.geom_3857 && boundary.geom_3857 AND ST_Intersects(p.geom, boundary.geom)
), statuses AS (
    SELECT unnest(enum_range(NULL::progress_status)) AS status
)
SELECT json_build_object(
    'area_m2', (SELECT ST_Area(geom::geography) FROM boundary),
    'buildings', json_build_object(
        'total', (SELECT count(*) FROM inside),
        'floor_area_m2', (SELECT coalesce(sum(floor_area), 0)::float8 FROM inside),
        'by_status', (SELECT json_object_agg(s.status, (SELECT count(*) FROM inside i WHERE i.status = s.status) ORDER BY s.status) FROM statuses s)),
    'households', json_build_object(
        'total', (SELECT count(*) FROM homes),
        'difficult', (SELECT count(*) FROM homes WHERE difficult),
        'by_status', (SELECT json_object_agg(s.status, (SELECT count(*) FROM homes x WHERE x.status = s.status) ORDER BY s.status) FROM statuses s)),
    'parcels', json_build_object(
        'total', (SELECT count(*) FROM parcels_hit),
        'area_inside_m2', (SELECT coalesce(sum(area_inside), 0) FROM parcels_hit)),
    'projects', coalesce((SELECT json_agg(json_build_object('id', p.id, 'code', p.code, 'name', p.name, 'buildings', n) ORDER BY p.code)
                            FROM (SELECT project_id, count(*) AS n FROM inside GROUP BY project_id) c JOIN projects p ON p.id = c.project_id), '[]'),
    'list', coalesce((SELECT json_agg(json_build_object('id', l.id, 'code', l.code, 'project_code', p.code, 'project_name', p.name,
                                                       'status', l.status, 'households', l.households, 'floor_area', l.floor_area::float8, 'use', l.use)
                                      ORDER BY l.code)
                        FROM (SELECT * FROM inside ORDER BY code LIMIT $2) l JOIN projects p ON p.id = l.project_id), '[]'))
