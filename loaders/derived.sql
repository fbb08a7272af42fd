-- Tables the build derives from the loaded ones (run by loaders.build after every table is written).
--
-- register_rates: the one definition of the register's per-1,000 rates (住民基本台帳, source juki_dynamics). One row
-- per area, period (FY 年度 or CY 暦年) and nationality of migration_totals: in_total, out_total, net = 転入 − 転出
-- (persons), pop_start / pop_end = the populations at the start and end of the period (1 January for a calendar
-- year, 31 March for a fiscal year), pop_mean = their mean, or the end population alone where the start is not
-- published (e.g. CY2013, which starts before the first 1 January file), net_rate = 1000 × net ÷ pop_mean.
-- dynamics_rates (every crude rate of the dynamics pages), map_choropleth(_prefs) and indicators_flows (the
-- indicator over several years: Σ net ÷ Σ pop_mean) read it; none of them recomputes the denominator.
-- Materialised and sorted by area (≈ 110k rows nationally) so a read of one area skips the other row groups.
CREATE TABLE register_rates AS
WITH p AS (
    SELECT area_code, ref_date, nationality, persons FROM population
    WHERE basis = 'juki' AND sex = 'total' AND age_group = 'total' AND source_id = 'juki_dynamics')
SELECT m.area_code, m.period, m.period_kind, m.year, m.period_end, m.nationality, m.in_total, m.out_total,
       m.in_total - m.out_total AS net, ps.persons AS pop_start, pe.persons AS pop_end,
       CASE WHEN ps.persons IS NULL THEN pe.persons ELSE (ps.persons + pe.persons) / 2.0 END AS pop_mean,
       1000.0 * (m.in_total - m.out_total) / pop_mean AS net_rate, m.source_id
FROM migration_totals m
LEFT JOIN p ps ON ps.area_code = m.area_code AND ps.nationality = m.nationality
     AND ps.ref_date = CASE m.period_kind WHEN 'FY' THEN make_date(m.year, 3, 31) ELSE make_date(m.year, 1, 1) END
LEFT JOIN p pe ON pe.area_code = m.area_code AND pe.nationality = m.nationality
     AND pe.ref_date = CASE m.period_kind WHEN 'FY' THEN make_date(m.year + 1, 3, 31) ELSE make_date(m.year + 1, 1, 1) END
WHERE m.source_id = 'juki_dynamics'
ORDER BY m.area_code, m.period_end, m.nationality;
