-- Indicator inputs: births, deaths, in- and out-migrants (転入・転出, all residents) of every area in the
-- calendar years $years (list of INTEGER), official series (総務省 住民基本台帳), with each year's net and mean
-- population as register_rates defines them (loaders/derived.sql).
SELECT v.area_code, v.year, v.births, v.deaths, r.in_total, r.out_total, r.net, r.pop_mean
FROM vital_events v
JOIN register_rates r USING (area_code, period, nationality, source_id)
WHERE v.source_id = 'juki_dynamics' AND v.period_kind = 'CY' AND v.nationality = 'total'
  AND list_contains($years, v.year)
ORDER BY v.area_code, v.year;
