-- 工作组, second part: the assignment history rankings attribute each event by (the group that
-- held the household at the event's time), the users' write scope (a region, or their groups'
-- households), and the service role's grants. The guard that a household's group is one of its
-- own project is backend/sql/schema/households_group_in_project.sql.
CREATE TABLE work_group_assignments (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    household_id bigint NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    -- NULL: unassigned from then on; a deleted group's spans become unassigned, never another's
    group_id     integer REFERENCES work_groups (id) ON DELETE SET NULL,
    from_at      timestamptz NOT NULL DEFAULT now(),
    user_id      integer REFERENCES users (id)
);
-- the group at a time: the household's latest row at or before it
CREATE INDEX work_group_assignments_household ON work_group_assignments (household_id, from_at DESC, id DESC);
CREATE INDEX work_group_assignments_group ON work_group_assignments (group_id) WHERE group_id IS NOT NULL;

-- 'group': an operator who writes only for the households their groups hold (led or member)
ALTER TABLE users ADD COLUMN write_scope text NOT NULL DEFAULT 'region'
    CHECK (write_scope IN ('region', 'group'));

-- households already held (migration 0030's demo groups) were held since their group began
INSERT INTO work_group_assignments (household_id, group_id, from_at)
SELECT h.id, h.group_id, g.created_at
  FROM households h JOIN work_groups g ON g.id = h.group_id
 ORDER BY h.id;

GRANT SELECT, INSERT, UPDATE, DELETE ON work_groups, work_group_members, work_group_assignments TO onemap_app;
GRANT USAGE, SELECT ON SEQUENCE work_groups_id_seq, work_group_assignments_id_seq TO onemap_app;
