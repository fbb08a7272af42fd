-- Areas a user can pick: current codes that have population figures in this database.
SELECT a.area_code, a.name_ja, a.name_kana, a.name_en, a.kind, a.pref_code, a.pref_name,
       p.name_en AS pref_name_en, a.parent_code, a.lat, a.lon
FROM areas a
LEFT JOIN areas p ON p.area_code = a.pref_code || '000'
WHERE a."current" AND EXISTS (SELECT 1 FROM population x WHERE x.area_code = a.area_code)
ORDER BY a.area_code;
