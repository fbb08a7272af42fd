-- Back-test inputs: 住民基本台帳 persons by area, reference date, sex and 5-year age group with the open group
-- starting at index $open_index (16 = '80+': the register's age tables before 2015 stop at '80+'), for the
-- dates $dates (list of DATE). Before July 2012 the register held Japanese nationals only (nationality
-- 'japanese'); from 2013 it publishes all residents ('total') and foreign residents, so the caller takes
-- japanese = the 'japanese' rows where present, else total − foreign.
WITH a AS (
    SELECT area_code, ref_date, nationality, sex,
           least(CAST(split_part(replace(age_group, '+', ''), '-', 1) AS INTEGER) // 5, $open_index) AS age_index,
           persons
    FROM population
    WHERE basis = 'juki' AND nationality IN ('total', 'foreign', 'japanese') AND sex IN ('male', 'female')
      AND age_group <> 'total' AND list_contains($dates, ref_date))
SELECT area_code, ref_date, sex, age_index,
       sum(persons) FILTER (WHERE nationality = 'japanese') AS japanese_persons,
       sum(persons) FILTER (WHERE nationality = 'total') AS all_persons,
       coalesce(sum(persons) FILTER (WHERE nationality = 'foreign'), 0) AS foreign_persons
FROM a
GROUP BY ALL
ORDER BY area_code, ref_date, sex, age_index;
