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
g AS (  -- joined where every member is present, else the area's own code alone (marked incomplete)
    SELECT period, period_kind, year, period_end, nationality, source_id,
           count(DISTINCT member_code) = max(n_members) AS whole,
           CAST(sum(births) AS BIGINT) AS all_births, CAST(sum(deaths) AS BIGINT) AS all_deaths,
           max(births) FILTER (WHERE member_code = $area) AS own_births,
           max(deaths) FILTER (WHERE member_code = $area) AS own_deaths,
           string_agg(member_code, '+' ORDER BY member_code) AS all_codes, bool_and(complete) AS all_complete,
           bool_or(member_code = $area) AS has_own
    FROM x GROUP BY period, period_kind, year, period_end, nationality, source_id, era_from),
j AS (
    SELECT period, period_kind, year, period_end, nationality,
           CASE WHEN whole THEN all_births ELSE own_births END AS births,
           CASE WHEN whole THEN all_deaths ELSE own_deaths END AS deaths, source_id,
           CASE WHEN whole THEN all_codes ELSE $area END AS codes, whole AND all_complete AS complete
    FROM g WHERE whole OR has_own
    UNION ALL
    SELECT period, period_kind, year, period_end, nationality, births, deaths, source_id, area_code, true
    FROM vital_events WHERE area_code = $area AND source_id NOT LIKE 'juki%')
SELECT j.period, j.period_kind, j.year, j.period_end, j.nationality, j.births, j.deaths,
       j.births - j.deaths AS natural_change, j.source_id, s.publisher, j.codes, j.complete
FROM j JOIN sources s USING (source_id)
ORDER BY j.period_end, j.source_id, j.nationality;
