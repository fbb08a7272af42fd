-- Data explorer: tables and columns present in a database file (the allow-list is intersected with this), with
-- each column's type for the SQL console's schema panel.
SELECT table_name, column_name, data_type
FROM information_schema.columns
WHERE table_schema = 'main'
ORDER BY table_name, ordinal_position;
