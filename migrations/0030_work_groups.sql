-- 工作组: per project, a leader and members (onemap users) who hold (包干) households. The group
-- is a dimension (figures, rankings, tiles, exports) and the write scope of its members; the
-- cases and petitions of later migrations are owned by groups.
CREATE TABLE work_groups (
    id         integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id bigint NOT NULL REFERENCES projects (id),
    name       text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 40),
    leader_id  integer REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (project_id, name),
    -- (id, project_id) is what a household's group reference checks against
    UNIQUE (id, project_id)
);

CREATE TABLE work_group_members (
    group_id integer NOT NULL REFERENCES work_groups (id) ON DELETE CASCADE,
    user_id  integer NOT NULL REFERENCES users (id),
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX work_group_members_user ON work_group_members (user_id);

-- The group holding a household. The building carries its households' group when they share
-- one (NULL when none or mixed) so the tiles need no join; kept by trigger.
ALTER TABLE households ADD COLUMN group_id integer REFERENCES work_groups (id);
ALTER TABLE buildings ADD COLUMN group_id integer REFERENCES work_groups (id);
CREATE INDEX households_group ON households (group_id) WHERE group_id IS NOT NULL;
CREATE INDEX buildings_group ON buildings (group_id) WHERE group_id IS NOT NULL;
