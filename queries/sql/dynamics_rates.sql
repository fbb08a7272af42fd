-- Crude rates per 1,000 residents for the official series of an area: births, deaths, natural change,
-- in-/out-migrants and net migration (転入−転出), over the mean population of the period as register_rates
-- defines it (loaders/derived.sql: mean of the populations at the start and end of the period, the end population
-- alone where the start is not published). Periods keep their kind (FY 年度 / CY 暦年). Each area follows its
-- lineage (area_lineage): before a code change, the sum of its predecessor codes where all are present (counts and
-- mean populations summed, the same rates of the sums); else the area's own code.
WITH l AS (SELECT * FROM area_lineage WHERE area_code IN (SELECT unnest($areas))
           UNION ALL  -- areas without lineage rows are their own code
           SELECT a, NULL, NULL, a, 1, true, NULL FROM (SELECT unnest($areas) AS a)
           WHERE a NOT IN (SELECT area_code FROM area_lineage)),
rv AS (
    SELECT r.*, v.births, v.deaths,
           CASE r.period_kind WHEN 'FY' THEN make_date(r.year + 1, 3, 31) ELSE make_date(r.year + 1, 1, 1) END AS file_date
    FROM register_rates r
    JOIN vital_events v USING (area_code, period, nationality, source_id)
    WHERE r.area_code IN (SELECT member_code FROM l)),
joined AS (
    SELECT l.area_code, rv.period, rv.period_kind, rv.year, rv.period_end, rv.nationality,
           CAST(sum(rv.births) AS BIGINT) AS births, CAST(sum(rv.deaths) AS BIGINT) AS deaths,
           CAST(sum(rv.in_total) AS BIGINT) AS in_total, CAST(sum(rv.out_total) AS BIGINT) AS out_total,
           CAST(sum(rv.net) AS BIGINT) AS net,
           CASE WHEN count(rv.pop_start) = count(*) THEN sum(rv.pop_start) END AS pop_start,
           sum(rv.pop_end) AS pop_end, sum(rv.pop_mean) AS pop_mean, rv.source_id, true AS complete
    FROM rv JOIN l ON rv.area_code = l.member_code
         AND (l.era_from IS NULL OR rv.file_date >= l.era_from) AND (l.era_to IS NULL OR rv.file_date < l.era_to)
    GROUP BY l.area_code, rv.period, rv.period_kind, rv.year, rv.period_end, rv.nationality, rv.source_id, l.era_from
    HAVING count(DISTINCT l.member_code) = max(l.n_members)),
v AS (  -- joined where every predecessor is present, else the area's own code (complete = false)
    SELECT * FROM joined
    UNION ALL
    SELECT area_code, period, period_kind, year, period_end, nationality, births, deaths, in_total, out_total, net,
           pop_start, pop_end, pop_mean, source_id, false AS complete
    FROM rv WHERE rv.area_code IN (SELECT unnest($areas))
      AND NOT EXISTS (SELECT 1 FROM joined j WHERE j.area_code = rv.area_code AND j.period = rv.period
                      AND j.nationality = rv.nationality))
SELECT area_code, period, period_kind, year, period_end, nationality, births, deaths, in_total, out_total,
       pop_start, pop_end, pop_mean,
       1000.0 * births / pop_mean AS birth_rate, 1000.0 * deaths / pop_mean AS death_rate,
       1000.0 * (births - deaths) / pop_mean AS natural_rate,
       1000.0 * in_total / pop_mean AS in_rate, 1000.0 * out_total / pop_mean AS out_rate,
       1000.0 * net / pop_mean AS net_migration_rate, source_id, complete
FROM v
WHERE source_id = 'juki_dynamics'
ORDER BY area_code, period_end, nationality;
