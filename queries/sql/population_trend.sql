-- Population on each reference date by nationality (住民基本台帳, both sexes, all ages). Official rows follow the
-- area's lineage (area_lineage): before a code change, the predecessors' sum where all are present, else the
-- area's own code alone (`complete` false: a smaller territory); `codes` names the codes summed.
WITH l AS (SELECT * FROM area_lineage WHERE area_code = $area
           UNION ALL  -- an area without lineage rows (a database built without them) is its own code
           SELECT $area, NULL, NULL, $area, 1, true, NULL WHERE NOT EXISTS (SELECT 1 FROM area_lineage WHERE area_code = $area)),
g AS (
    SELECT p.ref_date, p.nationality, p.source_id, count(DISTINCT l.member_code) = max(l.n_members) AS whole,
           CAST(sum(p.persons) AS BIGINT) AS all_persons, max(p.persons) FILTER (WHERE l.member_code = $area) AS own,
           string_agg(l.member_code, '+' ORDER BY l.member_code) AS all_codes, bool_and(l.complete) AS all_complete
    FROM population p JOIN l ON p.area_code = l.member_code
    WHERE p.basis = 'juki' AND p.sex = 'total' AND p.age_group = 'total' AND p.source_id LIKE 'juki%'
      AND (l.era_from IS NULL OR p.ref_date >= l.era_from) AND (l.era_to IS NULL OR p.ref_date < l.era_to)
    GROUP BY p.ref_date, p.nationality, p.source_id, l.era_from)
SELECT ref_date, nationality, CASE WHEN whole THEN all_persons ELSE own END AS persons, source_id,
       CASE WHEN whole THEN all_codes ELSE $area END AS codes, whole AND all_complete AS complete
FROM g WHERE whole OR own IS NOT NULL
UNION ALL
SELECT ref_date, nationality, persons, source_id, area_code, true FROM population
WHERE area_code = $area AND basis = 'juki' AND sex = 'total' AND age_group = 'total' AND source_id NOT LIKE 'juki%'
ORDER BY ref_date, nationality;
