-- Share of Japanese births alive in the register aged 0–4 five years on (for the ASFR path): national
-- Japanese residents aged 0–4 on the latest 1 January on the 5-year grid (all − foreign) divided by the
-- Japanese births of the five calendar years before it (住民基本台帳 人口動態). Deaths and net emigration of
-- young children together; NULL when either side is missing.
WITH base AS (
    SELECT max(ref_date) AS d FROM population
    WHERE basis = 'juki' AND area_code = '00000' AND age_group = '0-4' AND year(ref_date) % 5 = 0
      AND month(ref_date) = 1 AND day(ref_date) = 1),
kids AS (
    SELECT sum(persons) FILTER (WHERE nationality = 'total') - coalesce(sum(persons) FILTER (WHERE nationality = 'foreign'), 0) AS n
    FROM population, base
    WHERE basis = 'juki' AND area_code = '00000' AND age_group = '0-4' AND sex IN ('male', 'female') AND ref_date = base.d),
born AS (
    SELECT sum(births) AS n, count(*) AS years FROM vital_events, base
    WHERE area_code = '00000' AND nationality = 'japanese' AND period_kind = 'CY'
      AND CAST(substr(period, 3) AS INTEGER) BETWEEN year(base.d) - 5 AND year(base.d) - 1)
SELECT CASE WHEN born.years = 5 AND born.n > 0 THEN kids.n / born.n END AS ratio FROM kids, born;
