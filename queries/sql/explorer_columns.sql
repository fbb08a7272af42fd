-- Data explorer: tables and columns present in a database file (the allow-list is intersected with this).
SELECT table_name, column_name
FROM information_schema.columns
WHERE table_schema = 'main'
ORDER BY table_name, ordinal_position;
