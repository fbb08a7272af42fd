-- Three age groups (0-14, 15-64, 65+) on each reference date; share of persons with a known age.
WITH a AS (
    SELECT ref_date, nationality, source_id, persons,
           CAST(split_part(replace(age_group, '+', ''), '-', 1) AS INTEGER) AS lo
    FROM population
    WHERE area_code = $area AND basis = 'juki' AND sex = 'total' AND age_group <> 'total'),
g AS (
    SELECT ref_date, nationality, min(source_id) AS source_id,
           CASE WHEN lo < 15 THEN '0-14' WHEN lo < 65 THEN '15-64' ELSE '65+' END AS age3,
           CAST(sum(persons) AS BIGINT) AS persons
    FROM a GROUP BY ALL)
SELECT ref_date, nationality, age3, persons,
       persons / sum(persons) OVER (PARTITION BY ref_date, nationality) AS share, source_id
FROM g
ORDER BY ref_date, nationality, age3;
