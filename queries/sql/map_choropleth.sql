-- Net migration rate of every municipality (wards of designated cities separately) of prefecture $pref
-- ('40') in one calendar year $period ('CY2021'), with its boundary: net = 転入 − 転出 (住民基本台帳, all residents)
-- and net_rate per 1,000 as register_rates defines them (loaders/derived.sql). Areas without figures keep NULL rates.
-- A current municipality whose outline the build's simplification left out (a small island such as 青ヶ島村) comes
-- with geojson NULL and its lat/lon (the map draws a dot), when the prefecture's outlines are otherwise complete
-- (≥ 90 % of its municipalities; not the demo extract).
WITH here AS (
    SELECT a.area_code, a.name_ja, a.name_en, a.kind, a.parent_code, a.lat, a.lon, b.geojson,
           b.source_id AS geo_source_id
    FROM areas a LEFT JOIN boundaries b ON b.area_code = a.area_code AND b.level = 'municipality'
    WHERE a.pref_code = $pref
      AND (b.area_code IS NOT NULL
           OR (a.current AND a.kind IN ('city', 'town', 'village', 'ward', 'special_ward')))
), cover AS (SELECT count(geojson) AS shaped, count(*) AS total FROM here)
SELECT h.area_code, h.name_ja, h.name_en, h.kind, h.parent_code, r.in_total, r.out_total, r.net, r.pop_mean,
       r.net_rate, h.geojson, h.geo_source_id, h.lat, h.lon
FROM here h CROSS JOIN cover c
LEFT JOIN register_rates r ON r.area_code = h.area_code AND r.period = $period AND r.nationality = 'total'
WHERE h.geojson IS NOT NULL OR (h.lat IS NOT NULL AND h.lon IS NOT NULL AND c.shaped > 0 AND c.shaped >= 0.9 * c.total)
ORDER BY h.area_code;
