-- Data explorer: what one allow-listed table holds for the chosen areas: per period kind ({kind} is a column
-- name or the literal '' from the allow-list), the first and last period and the number of rows and areas.
SELECT {kind} AS kind, min(CAST({period} AS VARCHAR)) AS first, max(CAST({period} AS VARCHAR)) AS last,
       count(*) AS n, count(DISTINCT {area}) AS areas
FROM {table}
WHERE {where}
GROUP BY ALL
ORDER BY kind;
