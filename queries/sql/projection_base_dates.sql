-- Reference dates (1 January) on which the register has the national ('00000') age-by-sex table with the full
-- age detail (an age group '90-94' or older: from 2015 on), newest first. The projection base is the latest
-- of these on the 5-year grid, and its estimation windows are the 5-year pairs among them.
SELECT DISTINCT ref_date
FROM population
WHERE basis = 'juki' AND area_code = '00000' AND sex IN ('male', 'female') AND nationality = 'total'
  AND month(ref_date) = 1 AND day(ref_date) = 1 AND age_group IN ('90-94', '95-99', '100+', '90+')
ORDER BY ref_date DESC;
