-- In- and out-migrants (転入・転出) and net migration (転入−転出) for every period and source of an area;
-- other entries/removals (職権記載・帰化等) are kept apart, not added to migration. Official (juki) rows follow
-- the area's lineage as in vital_series.sql (`codes` summed, `complete`).
WITH l AS (SELECT * FROM area_lineage WHERE area_code = $area
           UNION ALL  -- an area without lineage rows (a database built without them) is its own code
           SELECT $area, NULL, NULL, $area, 1, true, NULL WHERE NOT EXISTS (SELECT 1 FROM area_lineage WHERE area_code = $area)),
x AS (
    SELECT m.*, l.member_code, l.n_members, l.era_from, l.complete
    FROM migration_totals m JOIN l ON m.area_code = l.member_code
    WHERE m.source_id LIKE 'juki%'
      AND (l.era_from IS NULL OR CASE m.period_kind WHEN 'FY' THEN make_date(m.year + 1, 3, 31) ELSE make_date(m.year + 1, 1, 1) END >= l.era_from)
      AND (l.era_to IS NULL OR CASE m.period_kind WHEN 'FY' THEN make_date(m.year + 1, 3, 31) ELSE make_date(m.year + 1, 1, 1) END < l.era_to)),
j AS (
    SELECT period, period_kind, year, period_end, nationality,
           CAST(sum(in_total) AS BIGINT) AS in_total, CAST(sum(out_total) AS BIGINT) AS out_total,
           CAST(sum(in_domestic) AS BIGINT) AS in_domestic, CAST(sum(in_abroad) AS BIGINT) AS in_abroad,
           CAST(sum(out_domestic) AS BIGINT) AS out_domestic, CAST(sum(out_abroad) AS BIGINT) AS out_abroad,
           CAST(sum(other_in) AS BIGINT) AS other_in, CAST(sum(other_out) AS BIGINT) AS other_out, source_id,
           string_agg(member_code, '+' ORDER BY member_code) AS codes, bool_and(complete) AS complete
    FROM x GROUP BY period, period_kind, year, period_end, nationality, source_id, era_from, n_members
    HAVING count(DISTINCT member_code) = max(n_members)),
part AS (  -- where the predecessors are not all present: the area's own code alone, marked incomplete
    SELECT period, period_kind, year, period_end, nationality, in_total, out_total, in_domestic, in_abroad, out_domestic, out_abroad, other_in, other_out, source_id, area_code AS codes,
           false AS complete
    FROM migration_totals o WHERE area_code = $area AND source_id LIKE 'juki%'
      AND NOT EXISTS (SELECT 1 FROM j WHERE j.period = o.period AND j.nationality = o.nationality
                      AND j.source_id = o.source_id)),
own AS (
    SELECT period, period_kind, year, period_end, nationality, in_total, out_total, in_domestic, in_abroad,
           out_domestic, out_abroad, other_in, other_out, source_id, area_code AS codes, true AS complete
    FROM migration_totals WHERE area_code = $area AND source_id NOT LIKE 'juki%')
SELECT u.period, u.period_kind, u.year, u.period_end, u.nationality, u.in_total, u.out_total,
       u.in_total - u.out_total AS net, u.in_domestic, u.in_abroad, u.out_domestic, u.out_abroad,
       u.other_in, u.other_out, u.source_id, s.publisher, u.codes, u.complete
FROM (SELECT * FROM j UNION ALL SELECT * FROM part UNION ALL SELECT * FROM own) u JOIN sources s USING (source_id)
ORDER BY u.period_end, u.source_id, u.nationality;
