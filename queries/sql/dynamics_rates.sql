-- Crude rates per 1,000 residents for the official series of an area: births, deaths, natural change,
-- in-/out-migrants and net migration (転入−転出), over the mean population of the period as register_rates
-- defines it (loaders/derived.sql: mean of the populations at the start and end of the period, the end population
-- alone where the start is not published). Periods keep their kind (FY 年度 / CY 暦年).
SELECT v.area_code, v.period, v.period_kind, v.year, v.period_end, v.nationality, v.births, v.deaths,
       r.in_total, r.out_total, r.pop_start, r.pop_end, r.pop_mean,
       1000.0 * v.births / r.pop_mean AS birth_rate, 1000.0 * v.deaths / r.pop_mean AS death_rate,
       1000.0 * (v.births - v.deaths) / r.pop_mean AS natural_rate,
       1000.0 * r.in_total / r.pop_mean AS in_rate, 1000.0 * r.out_total / r.pop_mean AS out_rate,
       r.net_rate AS net_migration_rate, v.source_id
FROM vital_events v
JOIN register_rates r USING (area_code, period, nationality, source_id)
WHERE v.area_code IN (SELECT unnest($areas)) AND v.source_id = 'juki_dynamics'
ORDER BY v.area_code, v.period_end, v.nationality;
