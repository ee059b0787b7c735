-- The demo's 工作组 people: a leader and two to four members per group, accounts that cannot
-- log in (password hash '!'), operators of the project's region; the leaders write for the
-- region, the members only for their group's households (write scope `group`). Named
-- wl<project id>_g<n>_lead and wl<project id>_g<n>_m<k>. Runs after the projects have their
-- final regions.
WITH numbered AS (
    SELECT g.id, g.project_id, p.region_id, row_number() OVER (PARTITION BY g.project_id ORDER BY g.id) AS n,
           'wl' || lpad(g.project_id::text, greatest(4, length(g.project_id::text)), '0') AS prefix
      FROM work_groups g JOIN projects p ON p.id = g.project_id
), people AS (
    SELECT id AS group_id, region_id, prefix || '_g' || n || '_lead' AS username, 'region' AS scope, true AS leads
      FROM numbered
    UNION ALL
    SELECT id, region_id, prefix || '_g' || n || '_m' || k, 'group', false
      FROM numbered CROSS JOIN LATERAL generate_series(1, 2 + (id % 3)::integer) k
), made AS (
    INSERT INTO users (username, password_hash, role, region_id, write_scope, created_at)
    SELECT username, '!', 'operator', region_id, scope, now() FROM people ORDER BY username
    ON CONFLICT (username) DO NOTHING
    RETURNING id, username
), led AS (
    UPDATE work_groups g SET leader_id = m.id
      FROM people pe JOIN made m ON m.username = pe.username
     WHERE pe.leads AND g.id = pe.group_id
)
INSERT INTO work_group_members (group_id, user_id)
SELECT pe.group_id, m.id FROM people pe JOIN made m ON m.username = pe.username WHERE NOT pe.leads
ON CONFLICT DO NOTHING;
