-- The chain a batch of project `project` submitted now follows: the project's latest version,
-- else the default's.
CREATE OR REPLACE FUNCTION approval_chain_in_force(project bigint) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT id FROM approval_chains WHERE project_id = project OR project_id IS NULL
     ORDER BY project_id NULLS LAST, version DESC LIMIT 1
$$;
