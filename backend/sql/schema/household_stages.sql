-- A household's contribution to each stage count: 1 where it is at or beyond the stage.
CREATE OR REPLACE FUNCTION household_stages(h households)
RETURNS TABLE (n integer, surveyed integer, signed integer, vacated integer, demolished integer,
               monetary integer, difficult integer)
LANGUAGE sql IMMUTABLE AS $$
    -- a NULL household (the missing side of an INSERT or DELETE) contributes nothing
    SELECT (h.id IS NOT NULL)::integer,
           coalesce((h.status >= 'surveyed')::integer, 0), coalesce((h.status >= 'signed')::integer, 0),
           coalesce((h.status >= 'vacated')::integer, 0), coalesce((h.status >= 'demolished')::integer, 0),
           coalesce((h.status >= 'signed' AND h.resettlement = 'monetary')::integer, 0),
           coalesce(h.difficult::integer, 0)
$$;
