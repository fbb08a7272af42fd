-- Data explorer: distinct values of one allow-listed column (filter choices), within the chosen areas.
SELECT DISTINCT CAST({column} AS VARCHAR) AS value
FROM {table}
WHERE {where} AND {column} IS NOT NULL
ORDER BY value;
