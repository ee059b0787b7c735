-- (a filter on estate_units, after "WHERE") the units project $1's households chose or hold
id IN (SELECT c.unit_id FROM selection_choices c JOIN selection_days d ON d.id = c.day_id WHERE d.project_id = $1
       UNION SELECT u.id FROM estate_units u JOIN households h ON h.id = u.household_id
               JOIN buildings b ON b.id = h.building_id WHERE b.project_id = $1)
