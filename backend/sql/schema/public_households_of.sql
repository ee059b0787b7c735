-- A resident names themselves: the households of published projects held by exactly this name
-- and ID number (and code, when given). Runs as its owner; answers ids, never names.
CREATE OR REPLACE FUNCTION public_households_of(holder text, id_number text, household_code text DEFAULT NULL)
RETURNS SETOF bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT h.id FROM households h JOIN buildings b ON b.id = h.building_id JOIN projects p ON p.id = b.project_id
     WHERE h.holder_id_number = id_number AND h.holder_name = holder AND p.published
       AND (household_code IS NULL OR h.code = household_code)
$$;
REVOKE EXECUTE ON FUNCTION public_households_of(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public_households_of(text, text, text) TO onemap_public, onemap_app;
