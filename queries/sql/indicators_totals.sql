-- Indicator inputs: 1 January populations (住民基本台帳, all ages, both sexes) of every area on the dates $dates
-- (list of DATE), all residents ('total') and foreign residents. One row per area, date and nationality
-- (2023–2025 come from the 2013–2025 totals file; designated cities, prefectures and Japan as sums of it).
-- $first/$last: the earliest and latest of $dates (a range lets DuckDB skip row groups; list_contains alone cannot).
SELECT area_code, ref_date, nationality, persons
FROM population
WHERE basis = 'juki' AND sex = 'total' AND age_group = 'total' AND nationality IN ('total', 'foreign')
  AND ref_date BETWEEN $first AND $last AND list_contains($dates, ref_date)
ORDER BY area_code, ref_date, nationality;
