-- Every name and ID number a test database holds (the demo's households and petitioners), one
-- `name<TAB>id number` a line: what tests/logs/privacy.sh looks for in the suite's server logs.
SELECT holder_name || E'\t' || holder_id_number FROM households
UNION
SELECT coalesce(petitioner_name, '') || E'\t' || coalesce(petitioner_id_number, '')
  FROM petitions WHERE petitioner_name IS NOT NULL OR petitioner_id_number IS NOT NULL;
