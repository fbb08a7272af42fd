-- The area's series that population KPIs link to (all residents):
--   population_total: 住民基本台帳 population per reference date (one source per date, register tables first);
--   net_migration: 転入−転出 per year; births: births per year (every source and period kind, FY and CY).
SELECT 'population_total' AS series, CAST(p.ref_date AS VARCHAR) AS period, 'date' AS period_kind,
       CAST(p.persons AS DOUBLE) AS value, p.source_id
FROM population p
WHERE p.area_code = $area AND p.basis = 'juki' AND p.nationality = 'total' AND p.sex = 'total'
  AND p.age_group = 'total' AND p.persons IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY p.ref_date ORDER BY p.source_id) = 1
UNION ALL
SELECT 'net_migration', m.period, m.period_kind, CAST(m.in_total - m.out_total AS DOUBLE), m.source_id
FROM migration_totals m
WHERE m.area_code = $area AND m.nationality = 'total' AND m.in_total IS NOT NULL AND m.out_total IS NOT NULL
  AND strpos(m.period, '-') = 0
UNION ALL
SELECT 'births', v.period, v.period_kind, CAST(v.births AS DOUBLE), v.source_id
FROM vital_events v
WHERE v.area_code = $area AND v.nationality = 'total' AND v.births IS NOT NULL AND strpos(v.period, '-') = 0
ORDER BY 1, 2, 5;
