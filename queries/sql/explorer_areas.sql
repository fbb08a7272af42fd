-- Data explorer: every municipality-level area (current and former, wards of designated cities, special wards)
-- with its latest resident-register population (persons, total), for one-click selections by prefecture, size
-- band and area group.
WITH latest AS (
    SELECT area_code, arg_max(persons, ref_date) AS persons
    FROM population
    WHERE basis = 'juki' AND nationality = 'total' AND sex = 'total' AND age_group = 'total'
    GROUP BY area_code
)
SELECT a.area_code, a.name_ja, a.name_en, a.kind, a.pref_code, a.parent_code, coalesce(a."current", TRUE) AS "current",
       l.persons
FROM areas a LEFT JOIN latest l USING (area_code)
WHERE a.kind NOT IN ('nation', 'prefecture')
ORDER BY a.area_code;
