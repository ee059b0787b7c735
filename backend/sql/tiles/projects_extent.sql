-- The extent of every project in CRS84 (west, south, east, north), from the small projects
-- table; NULLs when there are none.
SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
  FROM (SELECT ST_Extent(geom)::geometry AS e FROM projects) s
