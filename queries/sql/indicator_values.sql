-- Every indicator of every area, as computed by the database build (loaders.build._derived_tables).
SELECT * FROM indicator_values ORDER BY area_code
