-- What to announce when project $1's groups $2 (integer[]) took or gave up households $3
-- (bigint[]): every instance evicts the buildings tiles of their extent (EPSG:3857) and sends
-- the pages an SSE `groups` event. The regions are the project's lineage, for the feed's filter.
SELECT json_build_object(
           'type', 'groups', 'project_id', $1::bigint, 'groups', $2::integer[],
           'regions', (SELECT array_agg(a.code ORDER BY cardinality(a.lineage))
                         FROM projects p JOIN regions r ON r.id = p.region_id JOIN regions a ON a.id = ANY (r.lineage)
                        WHERE p.id = $1),
           'extent', (SELECT json_build_array(ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e))
                        FROM (SELECT ST_Extent(b.geom_3857) AS e FROM buildings b
                               WHERE b.id IN (SELECT building_id FROM households WHERE id = ANY ($3))) x
                       WHERE e IS NOT NULL))::text
