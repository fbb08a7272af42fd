-- Crude rates per 1,000 residents for the official series of an area: births, deaths, natural change,
-- in-/out-migrants and net migration (転入−転出), over the mean of the population at the start and end of
-- the period (end population alone where the start is not published, e.g. CY2013 which starts before the
-- first 1 January file). Periods keep their kind (FY 年度 / CY 暦年). Each area follows its lineage
-- (area_lineage): before a code change, the sum of its predecessor codes where all are present.
WITH l AS (SELECT * FROM area_lineage WHERE area_code IN (SELECT unnest($areas))
           UNION ALL  -- areas without lineage rows are their own code
           SELECT a, NULL, NULL, a, 1, true, NULL FROM (SELECT unnest($areas) AS a)
           WHERE a NOT IN (SELECT area_code FROM area_lineage)),
fv AS (
    SELECT v.*, m.in_total, m.out_total,
           CASE v.period_kind WHEN 'FY' THEN make_date(v.year + 1, 3, 31) ELSE make_date(v.year + 1, 1, 1) END AS file_date
    FROM vital_events v
    JOIN migration_totals m USING (area_code, period, nationality, source_id)
    WHERE v.source_id = 'juki_dynamics' AND v.area_code IN (SELECT member_code FROM l)),
vj AS (
    SELECT l.area_code, fv.period, fv.period_kind, fv.year, fv.period_end, fv.nationality,
           CAST(sum(fv.births) AS BIGINT) AS births, CAST(sum(fv.deaths) AS BIGINT) AS deaths,
           CAST(sum(fv.in_total) AS BIGINT) AS in_total, CAST(sum(fv.out_total) AS BIGINT) AS out_total, fv.source_id,
           true AS complete
    FROM fv JOIN l ON fv.area_code = l.member_code
         AND (l.era_from IS NULL OR fv.file_date >= l.era_from) AND (l.era_to IS NULL OR fv.file_date < l.era_to)
    GROUP BY l.area_code, fv.period, fv.period_kind, fv.year, fv.period_end, fv.nationality, fv.source_id, l.era_from
    HAVING count(DISTINCT l.member_code) = max(l.n_members)),
v AS (  -- joined where every predecessor is present, else the area's own code
    SELECT * FROM vj
    UNION ALL
    SELECT fv.area_code, fv.period, fv.period_kind, fv.year, fv.period_end, fv.nationality, fv.births, fv.deaths,
           fv.in_total, fv.out_total, fv.source_id, false AS complete
    FROM fv WHERE fv.area_code IN (SELECT unnest($areas))
      AND NOT EXISTS (SELECT 1 FROM vj WHERE vj.area_code = fv.area_code AND vj.period = fv.period
                      AND vj.nationality = fv.nationality)),
pj AS (
    SELECT l.area_code, x.ref_date, x.nationality, sum(x.persons) AS persons
    FROM population x JOIN l ON x.area_code = l.member_code
         AND (l.era_from IS NULL OR x.ref_date >= l.era_from) AND (l.era_to IS NULL OR x.ref_date < l.era_to)
    WHERE x.basis = 'juki' AND x.sex = 'total' AND x.age_group = 'total' AND x.source_id = 'juki_dynamics'
    GROUP BY l.area_code, x.ref_date, x.nationality, l.era_from
    HAVING count(DISTINCT l.member_code) = max(l.n_members)),
p AS (
    SELECT * FROM pj
    UNION ALL
    SELECT x.area_code, x.ref_date, x.nationality, x.persons FROM population x
    WHERE x.area_code IN (SELECT unnest($areas)) AND x.basis = 'juki' AND x.sex = 'total' AND x.age_group = 'total'
      AND x.source_id = 'juki_dynamics'
      AND NOT EXISTS (SELECT 1 FROM pj WHERE pj.area_code = x.area_code AND pj.ref_date = x.ref_date
                      AND pj.nationality = x.nationality)),
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
       1000.0 * (in_total - out_total) / pop_mean AS net_migration_rate, source_id, complete
FROM j
ORDER BY area_code, period_end, nationality;
