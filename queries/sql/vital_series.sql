-- Births, deaths and natural change for every period and source of an area. Periods keep their kind
-- (FY 年度 / CY 暦年); the page never joins them into one line. Official (juki) rows follow the area's lineage
-- (area_lineage): before a code change the figures of its predecessor codes, summed where all are present;
-- `codes` names the codes summed; `complete` is false where the predecessors are not known or not all in the
-- data (the area's own code alone is shown then: a smaller territory).
WITH l AS (SELECT * FROM area_lineage WHERE area_code = $area
           UNION ALL  -- an area without lineage rows (a database built without them) is its own code
           SELECT $area, NULL, NULL, $area, 1, true, NULL WHERE NOT EXISTS (SELECT 1 FROM area_lineage WHERE area_code = $area)),
x AS (
    SELECT v.*, l.member_code, l.n_members, l.era_from, l.complete
    FROM vital_events v JOIN l ON v.area_code = l.member_code
    WHERE v.source_id LIKE 'juki%'
      AND (l.era_from IS NULL OR CASE v.period_kind WHEN 'FY' THEN make_date(v.year + 1, 3, 31) ELSE make_date(v.year + 1, 1, 1) END >= l.era_from)
      AND (l.era_to IS NULL OR CASE v.period_kind WHEN 'FY' THEN make_date(v.year + 1, 3, 31) ELSE make_date(v.year + 1, 1, 1) END < l.era_to)),
j AS (
    SELECT period, period_kind, year, period_end, nationality, CAST(sum(births) AS BIGINT) AS births,
           CAST(sum(deaths) AS BIGINT) AS deaths, source_id, string_agg(member_code, '+' ORDER BY member_code) AS codes,
           bool_and(complete) AS complete
    FROM x GROUP BY period, period_kind, year, period_end, nationality, source_id, era_from, n_members
    HAVING count(DISTINCT member_code) = max(n_members)),
part AS (  -- where the predecessors are not all present: the area's own code alone, marked incomplete
    SELECT period, period_kind, year, period_end, nationality, births, deaths, source_id, area_code AS codes,
           false AS complete
    FROM vital_events o WHERE area_code = $area AND source_id LIKE 'juki%'
      AND NOT EXISTS (SELECT 1 FROM j WHERE j.period = o.period AND j.nationality = o.nationality
                      AND j.source_id = o.source_id)),
own AS (
    SELECT period, period_kind, year, period_end, nationality, births, deaths, source_id, area_code AS codes,
           true AS complete
    FROM vital_events WHERE area_code = $area AND source_id NOT LIKE 'juki%')
SELECT u.period, u.period_kind, u.year, u.period_end, u.nationality, u.births, u.deaths,
       u.births - u.deaths AS natural_change, u.source_id, s.publisher, u.codes, u.complete
FROM (SELECT * FROM j UNION ALL SELECT * FROM part UNION ALL SELECT * FROM own) u JOIN sources s USING (source_id)
ORDER BY u.period_end, u.source_id, u.nationality;
