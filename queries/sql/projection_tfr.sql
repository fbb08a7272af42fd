-- Latest published total fertility rate (births per woman) of each area in $areas (NULL = every area),
-- with its year and source; used only to turn TFR targets into child-woman-ratio multipliers.
SELECT area_code, arg_max(tfr, year) AS tfr, max(year) AS year, arg_max(source_id, year) AS source_id
FROM fertility
WHERE tfr IS NOT NULL AND ($areas IS NULL OR list_contains($areas, area_code))
GROUP BY area_code
ORDER BY area_code;
