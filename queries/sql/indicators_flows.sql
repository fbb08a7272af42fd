-- Indicator inputs: births, deaths, in- and out-migrants (転入・転出, all residents) of every area in the
-- calendar years $years (list of INTEGER), official series (総務省 住民基本台帳).
SELECT v.area_code, v.year, v.births, v.deaths, m.in_total, m.out_total
FROM vital_events v
JOIN migration_totals m USING (area_code, period, nationality, source_id)
WHERE v.source_id = 'juki_dynamics' AND v.period_kind = 'CY' AND v.nationality = 'total'
  AND list_contains($years, v.year)
ORDER BY v.area_code, v.year;
