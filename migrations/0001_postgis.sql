-- PostGIS first: sqlx test databases are plain copies of template1, so every later migration
-- may rely on geometry types only because this one creates them.
CREATE EXTENSION IF NOT EXISTS postgis;
