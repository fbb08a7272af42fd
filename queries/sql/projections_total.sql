-- Published projections of an area's total population (all sources and scenarios).
SELECT p.source, p.scenario, p.year, p.nationality, p.persons, p.source_id
FROM projections p
WHERE p.area_code = $area AND p.sex = 'total' AND p.age_group = 'total'
ORDER BY p.source, p.scenario, p.year, p.nationality;
