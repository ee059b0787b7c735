-- Writes the staged ledger into project $1: new households inserted (pending), known ones
-- updated where something differs. One row per written household: inserted or updated.
INSERT INTO households AS h (code, building_id, holder_name, holder_id_number, members, recorded_area, resettlement, difficult)
SELECT l.code, b.id, l.holder_name, l.holder_id_number, l.members, l.recorded_area, l.resettlement, l.difficult
  FROM ledger_rows l JOIN buildings b ON b.code = l.building AND b.project_id = $1
 ORDER BY l.row
ON CONFLICT (code) DO UPDATE SET
    holder_name = excluded.holder_name, holder_id_number = excluded.holder_id_number, members = excluded.members,
    recorded_area = excluded.recorded_area, resettlement = excluded.resettlement, difficult = excluded.difficult
 WHERE (h.holder_name, h.holder_id_number, h.members, h.recorded_area, h.resettlement, h.difficult)
       IS DISTINCT FROM (excluded.holder_name, excluded.holder_id_number, excluded.members, excluded.recorded_area,
                         excluded.resettlement, excluded.difficult)
RETURNING (xmax = 0) AS inserted
