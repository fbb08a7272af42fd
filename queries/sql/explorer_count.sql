-- Data explorer: number of rows the filters select (shown before any download). Identifiers as in explorer_rows.
SELECT count(*) AS n
FROM {table}
WHERE {where};
