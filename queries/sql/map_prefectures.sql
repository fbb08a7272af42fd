-- The 47 prefectures with short English names ('Fukuoka', 'Tokyo') for map labels.
SELECT area_code, name_ja, regexp_replace(name_en, ' Prefecture$| \(.*\)$', '') AS name_en, lat, lon
FROM areas WHERE kind = 'prefecture' ORDER BY area_code;
