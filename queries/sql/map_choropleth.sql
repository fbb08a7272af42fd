-- Net migration rate of every municipality (wards of designated cities separately) of prefecture $pref
-- ('40') in one calendar year $period ('CY2021'), with its boundary: net = 転入 − 転出 (住民基本台帳, all residents)
-- and net_rate per 1,000 as register_rates defines them (loaders/derived.sql). Areas without figures keep NULL rates.
SELECT a.area_code, a.name_ja, a.name_en, a.kind, a.parent_code, r.in_total, r.out_total, r.net, r.pop_mean,
       r.net_rate, b.geojson, b.source_id AS geo_source_id
FROM boundaries b JOIN areas a USING (area_code)
LEFT JOIN register_rates r ON r.area_code = a.area_code AND r.period = $period AND r.nationality = 'total'
WHERE a.pref_code = $pref AND b.level = 'municipality'
ORDER BY a.area_code;
