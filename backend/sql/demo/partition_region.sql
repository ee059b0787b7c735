-- Derive child regions (streets of a district, communities of a street) by a seeded Voronoi
-- partition of the parent polygon: no package ships street or community polygons.
-- Parameters: $1 = parent region id, $2 = child codes (text[]), $3 = child names (text[]),
-- $4 = child level (region_level as text), $5 = seed (integer). Geometry EPSG:4326.
-- Each seed point gets the cell that contains it; cells are clipped to the parent, so the
-- children tile the parent exactly, without gaps or overlaps.
WITH parent AS (
    SELECT id, geom FROM regions WHERE id = $1
), seeds AS (
    SELECT d.path[1] AS i, d.geom
      FROM parent, ST_Dump(ST_GeneratePoints(parent.geom, cardinality($2::text[]), $5)) d
), cells AS (
    SELECT (ST_Dump(ST_VoronoiPolygons(ST_Collect(seeds.geom), 0.0,
                                      (SELECT ST_Expand(ST_Envelope(geom), 0.05) FROM parent)))).geom AS cell
      FROM seeds
), assigned AS (
    SELECT DISTINCT ON (seeds.i) seeds.i, cells.cell
      FROM seeds JOIN cells ON ST_Intersects(cells.cell, seeds.geom)
     ORDER BY seeds.i, ST_Distance(ST_Centroid(cells.cell), seeds.geom)
)
INSERT INTO regions (code, name, level, parent_id, geom_source, geom)
SELECT ($2::text[])[a.i], ($3::text[])[a.i], $4::region_level, parent.id, 'derived:voronoi',
       ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Intersection(a.cell, parent.geom)), 3))
  FROM assigned a, parent
