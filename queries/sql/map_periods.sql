-- Calendar years of the official 住民基本台帳 migration figures in prefecture $pref ('' = the prefectures),
-- newest first, for the choropleth's year picker.
SELECT DISTINCT m.period, m.year FROM migration_totals m JOIN areas a USING (area_code)
WHERE m.source_id = 'juki_dynamics' AND m.period_kind = 'CY' AND m.nationality = 'total'
  AND (($pref = '' AND a.kind = 'prefecture') OR a.pref_code = $pref)
ORDER BY m.year DESC;
