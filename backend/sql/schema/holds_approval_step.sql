-- Whether user `u` holds step `pos` of chain `chain` for a batch of project `project`: the
-- step's role (an admin holds every role; an operator, operator steps in their region's
-- subtree) and the step's office, if it names one.
CREATE OR REPLACE FUNCTION holds_approval_step(u integer, project bigint, chain bigint, pos integer) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (
        SELECT 1 FROM approval_steps s JOIN users x ON x.id = u
         WHERE s.chain_id = chain AND s.position = pos
           AND (x.role = 'admin'
                OR (s.role = 'operator' AND x.role = 'operator'
                    AND EXISTS (SELECT 1 FROM projects p JOIN regions r ON r.id = p.region_id
                                 WHERE p.id = project AND x.region_id = ANY (r.lineage))))
           AND (s.office IS NULL OR EXISTS (SELECT 1 FROM user_offices o WHERE o.user_id = u AND o.office = s.office)))
$$;
