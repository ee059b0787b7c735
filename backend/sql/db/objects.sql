-- The functions, views and triggers of the database as "function x", "view x", "trigger x",
-- PostGIS's own left out: what the files of backend/sql/schema/ should account for.
SELECT 'function ' || p.proname FROM pg_proc p
 WHERE p.pronamespace = 'public'::regnamespace
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                                              AND d.objid = p.oid AND d.deptype = 'e')
UNION
SELECT 'view ' || c.relname FROM pg_class c
 WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'v'
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                                              AND d.objid = c.oid AND d.deptype = 'e')
UNION
SELECT 'trigger ' || t.tgname FROM pg_trigger t WHERE NOT t.tgisinternal
ORDER BY 1
