-- Age × sex of foreign and Japanese residents (Japanese = all residents − foreign, the register publishes no
-- Japanese age table after 2010) on the latest date with a foreign age table; 90 and over in one group.
-- A group holding a suppressed cell stays NULL (never guessed).
WITH d AS (
    SELECT max(ref_date) AS ref_date FROM population
    WHERE area_code = $area AND basis = 'juki' AND nationality = 'foreign' AND sex = 'male' AND age_group <> 'total'),
a AS (
    SELECT p.ref_date, p.nationality, p.sex, p.persons, p.source_id,
           CAST(split_part(replace(p.age_group, '+', ''), '-', 1) AS INTEGER) AS lo, p.age_group
    FROM population p JOIN d USING (ref_date)
    WHERE p.area_code = $area AND p.basis = 'juki' AND p.nationality IN ('total', 'foreign')
      AND p.sex IN ('male', 'female') AND p.age_group <> 'total'),
g AS (
    SELECT ref_date, nationality, sex, least(lo, 90) AS lo,
           CASE WHEN lo >= 90 THEN '90+' ELSE any_value(age_group) END AS age_group,
           CASE WHEN count(*) = count(persons) THEN sum(persons) END AS persons, min(source_id) AS source_id
    FROM a GROUP BY ref_date, nationality, sex, least(lo, 90), lo >= 90)
SELECT f.ref_date, 'foreign' AS nationality, f.sex, f.age_group, f.lo, CAST(f.persons AS BIGINT) AS persons, f.source_id
FROM g f WHERE f.nationality = 'foreign'
UNION ALL
SELECT t.ref_date, 'japanese', t.sex, t.age_group, t.lo, CAST(t.persons - f.persons AS BIGINT), t.source_id
FROM g t JOIN g f ON f.ref_date = t.ref_date AND f.sex = t.sex AND f.lo = t.lo AND f.nationality = 'foreign'
WHERE t.nationality = 'total'
ORDER BY 2, 3, 5;
