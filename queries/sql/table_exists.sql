-- One row when a table named $table exists in the main database (none otherwise).
SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND table_name = $table
