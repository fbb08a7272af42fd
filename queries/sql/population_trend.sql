-- Population on each reference date by nationality (住民基本台帳, both sexes, all ages). Official rows follow the
-- area's lineage (area_lineage): before a code change, the predecessors' sum where all are present.
WITH l AS (SELECT * FROM area_lineage WHERE area_code = $area
           UNION ALL  -- an area without lineage rows (a database built without them) is its own code
           SELECT $area, NULL, NULL, $area, 1, true, NULL WHERE NOT EXISTS (SELECT 1 FROM area_lineage WHERE area_code = $area)),
x AS (
    SELECT p.*, l.member_code, l.n_members, l.era_from, l.complete
    FROM population p JOIN l ON p.area_code = l.member_code
    WHERE p.basis = 'juki' AND p.sex = 'total' AND p.age_group = 'total' AND p.source_id LIKE 'juki%'
      AND (l.era_from IS NULL OR p.ref_date >= l.era_from) AND (l.era_to IS NULL OR p.ref_date < l.era_to)),
j AS (
    SELECT ref_date, nationality, CAST(sum(persons) AS BIGINT) AS persons, source_id,
           string_agg(member_code, '+' ORDER BY member_code) AS codes, bool_and(complete) AS complete
    FROM x GROUP BY ref_date, nationality, source_id, era_from, n_members
    HAVING count(DISTINCT member_code) = max(n_members))
SELECT ref_date, nationality, persons, source_id, codes, complete FROM j
UNION ALL  -- where the predecessors are not all present: the area's own code alone, marked incomplete
SELECT ref_date, nationality, persons, source_id, area_code, false FROM population o
WHERE area_code = $area AND basis = 'juki' AND sex = 'total' AND age_group = 'total' AND source_id LIKE 'juki%'
  AND NOT EXISTS (SELECT 1 FROM j WHERE j.ref_date = o.ref_date AND j.nationality = o.nationality AND j.source_id = o.source_id)
UNION ALL
SELECT ref_date, nationality, persons, source_id, area_code, true FROM population
WHERE area_code = $area AND basis = 'juki' AND sex = 'total' AND age_group = 'total' AND source_id NOT LIKE 'juki%'
ORDER BY ref_date, nationality;
