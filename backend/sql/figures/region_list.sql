-- Every region with its parent, in the order of all_regions.sql, to roll past days up from
-- the projects (backend/src/figures/history_lists.rs).
SELECT r.id, r.code, r.name, r.level::text AS level, parent.code AS parent_code
  FROM regions r LEFT JOIN regions parent ON parent.id = r.parent_id
 ORDER BY r.level, r.code
