-- What the 信访 rules are now: every category (retired ones too) and every period row, the
-- statute's (all NULL) first, then the local ones by project, channel and category.
SELECT json_build_object(
    'categories', (SELECT json_agg(json_build_object('id', c.id, 'name', c.name, 'position', c.position, 'retired', c.retired)
                                   ORDER BY c.position, c.id) FROM petition_categories c),
    'periods', (SELECT json_agg(json_build_object('id', r.id, 'project', p.code, 'channel', r.channel, 'category_id', r.category_id,
                                                  'accept_n', r.accept_n, 'accept_unit', r.accept_unit, 'handle_n', r.handle_n,
                                                  'handle_unit', r.handle_unit, 'basis', r.basis,
                                                  'statute', r.project_id IS NULL AND r.channel IS NULL AND r.category_id IS NULL)
                              ORDER BY r.project_id IS NOT NULL, p.code, r.channel IS NOT NULL, r.channel, r.category_id IS NOT NULL, r.category_id)
                  FROM petition_periods r LEFT JOIN projects p ON p.id = r.project_id))
