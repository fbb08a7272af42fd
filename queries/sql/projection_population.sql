-- 住民基本台帳 persons by area, reference date, sex and projection age group (19 groups: age_index 0 = '0-4'
-- … 17 = '85-89', 18 = '90+' which sums 90-94, 95-99 and 100+), for the dates $dates (list of DATE) and the
-- areas $areas (list of area codes; NULL = every area). all_persons = all residents, foreign_persons =
-- foreign residents; the register publishes age tables only for these two, so Japanese = all − foreign
-- (computed by the caller). Only dates with the full age detail (2015-01-01 onward) are meaningful: before
-- 2015 the oldest group is '80+'; queries/projection_inputs.py refuses earlier dates.
WITH a AS (
    SELECT area_code, ref_date, nationality, sex,
           least(CAST(split_part(replace(age_group, '+', ''), '-', 1) AS INTEGER) // 5, 18) AS age_index,
           persons
    FROM population
    WHERE basis = 'juki' AND nationality IN ('total', 'foreign') AND sex IN ('male', 'female')
      AND age_group <> 'total' AND list_contains($dates, ref_date)
      AND ($areas IS NULL OR list_contains($areas, area_code)))
SELECT area_code, ref_date, sex, age_index,
       coalesce(sum(persons) FILTER (WHERE nationality = 'total'), 0) AS all_persons,
       coalesce(sum(persons) FILTER (WHERE nationality = 'foreign'), 0) AS foreign_persons
FROM a
GROUP BY ALL
ORDER BY area_code, ref_date, sex, age_index;
