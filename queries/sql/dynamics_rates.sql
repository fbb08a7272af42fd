-- Crude rates per 1,000 residents for the official series of an area: births, deaths, natural change,
-- in-/out-migrants and net migration (転入−転出), over the mean of the population at the start and end of
-- the period (end population alone where the start is not published, e.g. CY2013 which starts before the
-- first 1 January file). Periods keep their kind (FY 年度 / CY 暦年).
WITH v AS (
    SELECT v.area_code, v.period, v.period_kind, v.year, v.period_end, v.nationality, v.births, v.deaths,
           m.in_total, m.out_total, v.source_id
    FROM vital_events v
    JOIN migration_totals m USING (area_code, period, nationality, source_id)
    WHERE v.area_code IN (SELECT unnest($areas)) AND v.source_id = 'juki_dynamics'),
p AS (
    SELECT area_code, ref_date, nationality, persons FROM population
    WHERE area_code IN (SELECT unnest($areas)) AND basis = 'juki' AND sex = 'total' AND age_group = 'total'
      AND source_id = 'juki_dynamics'),
j AS (
    SELECT v.*, ps.persons AS pop_start, pe.persons AS pop_end,
           CASE WHEN ps.persons IS NULL THEN pe.persons ELSE (ps.persons + pe.persons) / 2.0 END AS pop_mean
    FROM v
    LEFT JOIN p ps ON ps.area_code = v.area_code AND ps.nationality = v.nationality
         AND ps.ref_date = CASE v.period_kind WHEN 'FY' THEN make_date(v.year, 3, 31) ELSE make_date(v.year, 1, 1) END
    LEFT JOIN p pe ON pe.area_code = v.area_code AND pe.nationality = v.nationality
         AND pe.ref_date = CASE v.period_kind WHEN 'FY' THEN make_date(v.year + 1, 3, 31) ELSE make_date(v.year + 1, 1, 1) END)
SELECT area_code, period, period_kind, year, period_end, nationality, births, deaths, in_total, out_total,
       pop_start, pop_end, pop_mean,
       1000.0 * births / pop_mean AS birth_rate, 1000.0 * deaths / pop_mean AS death_rate,
       1000.0 * (births - deaths) / pop_mean AS natural_rate,
       1000.0 * in_total / pop_mean AS in_rate, 1000.0 * out_total / pop_mean AS out_rate,
       1000.0 * (in_total - out_total) / pop_mean AS net_migration_rate, source_id
FROM j
ORDER BY area_code, period_end, nationality;
