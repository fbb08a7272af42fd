-- Net migration rate of the 47 prefectures in one calendar year $period (全国 view of the choropleth); the same
-- definition as map_choropleth (per 1,000, mean of the 1 January populations). Boundaries come from the app.
WITH m AS (
    SELECT area_code, year, in_total, out_total FROM migration_totals
    WHERE period = $period AND nationality = 'total' AND source_id = 'juki_dynamics'),
p AS (
    SELECT area_code, ref_date, persons FROM population
    WHERE basis = 'juki' AND sex = 'total' AND age_group = 'total' AND nationality = 'total'
      AND source_id = 'juki_dynamics')
SELECT a.area_code, a.name_ja, regexp_replace(a.name_en, ' Prefecture$| \(.*\)$', '') AS name_en, a.kind,
       m.in_total, m.out_total, m.in_total - m.out_total AS net,
       CASE WHEN ps.persons IS NULL THEN pe.persons ELSE (ps.persons + pe.persons) / 2.0 END AS pop_mean,
       1000.0 * (m.in_total - m.out_total) / pop_mean AS net_rate
FROM areas a
JOIN m USING (area_code)
LEFT JOIN p ps ON ps.area_code = a.area_code AND ps.ref_date = make_date(m.year, 1, 1)
LEFT JOIN p pe ON pe.area_code = a.area_code AND pe.ref_date = make_date(m.year + 1, 1, 1)
WHERE a.kind = 'prefecture'
ORDER BY a.area_code;
