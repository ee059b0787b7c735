-- The statement that lists every content address the rows name: one SELECT per `sha256` column
-- of the public tables (attachments, procedure documents, weekly reports, and any table added
-- later that stores a file the same way), so a restore checks them all.
SELECT string_agg(format('SELECT %I AS sha256 FROM %I.%I WHERE %I IS NOT NULL', column_name, table_schema, table_name, column_name), ' UNION ')
  FROM information_schema.columns
 WHERE table_schema = 'public' AND column_name = 'sha256' AND data_type = 'text'
   AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE')
