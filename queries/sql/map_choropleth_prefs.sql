-- Net migration rate of the 47 prefectures in one calendar year $period (全国 view of the choropleth), as
-- register_rates defines it (loaders/derived.sql; per 1,000). Outlines: map_prefecture_outlines.
SELECT a.area_code, a.name_ja, regexp_replace(a.name_en, ' Prefecture$| \(.*\)$', '') AS name_en, a.kind,
       r.in_total, r.out_total, r.net, r.pop_mean, r.net_rate
FROM areas a
JOIN register_rates r ON r.area_code = a.area_code AND r.period = $period AND r.nationality = 'total'
WHERE a.kind = 'prefecture'
ORDER BY a.area_code;
