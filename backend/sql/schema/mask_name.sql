-- Masks a name for everything the public sees: 张三 → 张**.
CREATE OR REPLACE FUNCTION mask_name(name text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT left(name, 1) || '**' $$;
