-- Indicator inputs: persons of known age, aged 65+ and aged 15–29 (both sexes) of every area on the dates $dates
-- (list of DATE, 2015-01-01 or later: earlier tables end in an open '80+' group next to nothing finer), for all
-- residents ('total') and foreign residents (the register's two age tables).
-- $first/$last: the earliest and latest of $dates (a range lets DuckDB skip row groups; list_contains alone cannot).
WITH a AS (
    SELECT area_code, ref_date, nationality, persons,
           CAST(split_part(replace(age_group, '+', ''), '-', 1) AS INTEGER) AS lo
    FROM population
    WHERE basis = 'juki' AND sex = 'total' AND age_group <> 'total' AND nationality IN ('total', 'foreign')
      AND ref_date BETWEEN $first AND $last AND list_contains($dates, ref_date))
SELECT area_code, ref_date, nationality,
       sum(persons) AS known,
       coalesce(sum(persons) FILTER (WHERE lo >= 65), 0) AS aged_65p,
       coalesce(sum(persons) FILTER (WHERE lo >= 15 AND lo < 30), 0) AS aged_15_29
FROM a
GROUP BY ALL
ORDER BY area_code, ref_date, nationality;
