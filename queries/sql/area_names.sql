SELECT area_code, name_ja, name_en, kind FROM areas WHERE area_code IN (SELECT unnest($areas)) ORDER BY area_code;
