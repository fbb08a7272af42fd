-- 在留外国人統計 (出入国在留管理庁) for one prefecture (or 全国) and for 全国: persons by nationality or residence
-- status ('total' where not split) on each month/year end printed.
SELECT area_code, ref_date, nationality_country, residence_status, persons, source_id
FROM foreign_residents
WHERE area_code IN ($pref, '00000')
ORDER BY area_code, ref_date, nationality_country, residence_status;
