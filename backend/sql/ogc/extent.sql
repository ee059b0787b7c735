-- The data's extent in CRS84 (west, south, east, north), from the small regions table;
-- NULLs when there are no regions.
SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
  FROM (SELECT ST_Extent(geom)::geometry AS e FROM regions) s
