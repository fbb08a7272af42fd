-- Population on each reference date by nationality (住民基本台帳, both sexes, all ages).
SELECT p.ref_date, p.nationality, p.persons, p.source_id
FROM population p
WHERE p.area_code = $area AND p.basis = 'juki' AND p.sex = 'total' AND p.age_group = 'total'
ORDER BY p.ref_date, p.nationality;
