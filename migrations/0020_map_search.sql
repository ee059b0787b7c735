-- The map's search box (GET /api/search, backend/src/maptools/search.rs) at a million buildings:
-- trigram indexes answer "code contains" and "name contains" without reading every row, and
-- pattern-ordered b-trees answer "starts with" in code order, stopping at the page's end.
-- pg_trgm is a trusted extension (PostgreSQL 13+): the schema's owner may create it, no superuser.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX buildings_code_pattern ON buildings (code text_pattern_ops);
CREATE INDEX buildings_code_trgm ON buildings USING gin (code gin_trgm_ops);
-- personal data: read only for admins and the region's operators (the handler checks)
CREATE INDEX households_holder_name_pattern ON households (holder_name text_pattern_ops);
CREATE INDEX households_holder_name_trgm ON households USING gin (holder_name gin_trgm_ops);
CREATE INDEX projects_name_trgm ON projects USING gin (name gin_trgm_ops);
