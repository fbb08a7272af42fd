-- Published projections of an area (IPSS 2023 and 2018, the city's own): totals and three age groups of all sexes.
SELECT p.source, p.scenario, p.year, p.nationality, p.age_group, p.persons, p.source_id
FROM projections p
WHERE p.area_code = $area AND p.sex = 'total'
ORDER BY p.source, p.scenario, p.year, p.nationality, p.age_group;
