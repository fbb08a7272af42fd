-- Data explorer: rows of one allow-listed table. {columns}, {table}, {where} and {order} are filled by
-- queries.explorer from its allow-list only (never from user text); every filter value is a $parameter.
SELECT {columns}
FROM {table}
WHERE {where}
ORDER BY {order}
LIMIT $limit;
