-- Masks an ID number for everything the public sees: 430702198001011234 → 4307**********1234.
CREATE OR REPLACE FUNCTION mask_id_number(id text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN length(id) < 8 THEN repeat('*', length(id))
                ELSE left(id, 4) || repeat('*', length(id) - 8) || right(id, 4) END
$$;
