-- A published household's compensation as the resident sees it (no override details, which
-- name staff). Runs as its owner.
CREATE OR REPLACE FUNCTION public_compensation(h_id bigint, today date) RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT compensation_detail(h.id, today)::jsonb - 'override'
      FROM households h JOIN buildings b ON b.id = h.building_id JOIN projects p ON p.id = b.project_id
     WHERE h.id = h_id AND p.published
$$;
REVOKE EXECUTE ON FUNCTION public_compensation(bigint, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public_compensation(bigint, date) TO onemap_public, onemap_app;
