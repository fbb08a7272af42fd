-- Municipal boundaries (simplified GeoJSON, lon/lat) of the areas of prefecture $pref ('40'): municipalities,
-- and the wards of designated cities (a designated city has no outline of its own; its wards make it up).
SELECT b.area_code, b.geojson, b.source_id AS geo_source_id
FROM boundaries b JOIN areas a USING (area_code)
WHERE a.pref_code = $pref AND b.level = 'municipality'
ORDER BY b.area_code;
