-- Households found by project, part of the holder's name, ID number (whole, or its last
-- digits: reversed, a prefix the index answers; the caller lets only digits and X through),
-- status and difficult flag, within the caller's region; one page, with the total.
-- Parameters: $1 project code, $2 name part, $3 ID number or its ending, $4 status,
-- $5 difficult, $6 the caller's region id (NULL: everywhere), $7 limit, $8 offset, $9 today.
WITH found AS (
    SELECT h.id, h.code
      FROM households h
      JOIN buildings b ON b.id = h.building_id
      JOIN projects p ON p.id = b.project_id
      JOIN regions r ON r.id = p.region_id
     WHERE ($1::text IS NULL OR p.code = $1)
       AND ($2::text IS NULL OR strpos(h.holder_name, $2) > 0)
       AND ($3::text IS NULL OR reverse(h.holder_id_number) LIKE reverse($3) || '%')
       AND ($4::text IS NULL OR h.status::text = $4)
       AND ($5::boolean IS NULL OR h.difficult = $5)
       AND ($6::integer IS NULL OR $6 = ANY (r.lineage))
), page AS (
    SELECT id FROM found ORDER BY code LIMIT $7 OFFSET $8
)
SELECT json_build_object(
    'total', (SELECT count(*) FROM found),
    'households', coalesce((
        SELECT json_agg(json_build_object(
                   'id', h.id, 'code', h.code, 'project_code', p.code, 'project_name', p.name, 'building_code', b.code,
                   'holder_name', h.holder_name, 'holder_id_number', h.holder_id_number, 'members', h.members,
                   'recorded_area', h.recorded_area, 'status', h.status, 'difficult', h.difficult,
                   'resettlement', h.resettlement, 'compensation_yuan', coalesce(a.yuan, c.total_yuan), 'agreed_yuan', a.yuan,
                   'paid_yuan', coalesce(a.paid_yuan, 0),
                   'attachments', (SELECT count(*) FROM attachments x WHERE x.household_id = h.id))
                 ORDER BY h.code)
          FROM page
          JOIN households h ON h.id = page.id
          JOIN buildings b ON b.id = h.building_id
          JOIN projects p ON p.id = b.project_id
          LEFT JOIN agreements a ON a.household_id = h.id AND a.voided_at IS NULL,
               LATERAL compensation(h.id, $9::date) c), '[]'))
