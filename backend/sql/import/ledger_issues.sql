-- What is wrong with the staged ledger rows against the database, for project $1: unknown
-- buildings, households that would move building or project. (Repeated codes are found
-- before staging, over every row of the file.) With each, its error code and values.
SELECT l.row, l.code, format('房屋编码: building %s is not in this project', l.building),
       'row_building_not_in_project', jsonb_build_object('row', l.row, 'building', l.building)
  FROM ledger_rows l
 WHERE NOT EXISTS (SELECT 1 FROM buildings b WHERE b.code = l.building AND b.project_id = $1)
UNION ALL
SELECT l.row, l.code, format('户编码: household %s is in building %s; an import does not move households', l.code, b.code),
       'row_household_moves', jsonb_build_object('row', l.row, 'code', l.code, 'building', b.code)
  FROM ledger_rows l JOIN households h ON h.code = l.code JOIN buildings b ON b.id = h.building_id
 WHERE b.code <> l.building
ORDER BY 1
