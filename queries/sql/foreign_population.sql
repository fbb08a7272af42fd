-- Japanese and foreign residents on each register date with the foreign share (%), from 住民基本台帳 (basis 'juki',
-- all ages, both sexes; dates with a foreign count only, i.e. from 2013), plus a city's own published foreign
-- counts (basis 'city_register', 年度末) where the seed documents have them (total and share then NULL).
WITH p AS (
    SELECT ref_date, basis, nationality, persons, source_id
    FROM population
    WHERE area_code = $area AND sex = 'total' AND age_group = 'total' AND basis IN ('juki', 'city_register'))
SELECT ref_date, basis,
       max(persons) FILTER (WHERE nationality = 'total') AS total,
       max(persons) FILTER (WHERE nationality = 'japanese') AS japanese,
       max(persons) FILTER (WHERE nationality = 'foreign') AS "foreign",
       100.0 * max(persons) FILTER (WHERE nationality = 'foreign')
             / nullif(max(persons) FILTER (WHERE nationality = 'total'), 0) AS foreign_share_pct,
       max(source_id) FILTER (WHERE nationality = 'foreign') AS source_id
FROM p
GROUP BY ref_date, basis
HAVING max(persons) FILTER (WHERE nationality = 'foreign') IS NOT NULL
ORDER BY basis DESC, ref_date;
