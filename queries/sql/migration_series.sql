-- In- and out-migrants (転入・転出) and net migration (転入−転出) for every period and source of an area;
-- other entries/removals (職権記載・帰化等) are kept apart, not added to migration. Official (juki) rows follow
-- the area's lineage as in vital_series.sql (`codes` summed, `complete`).
WITH l AS (SELECT * FROM area_lineage WHERE area_code = $area
           UNION ALL  -- an area without lineage rows (a database built without them) is its own code
           SELECT $area, NULL, NULL, $area, 1, true, NULL WHERE NOT EXISTS (SELECT 1 FROM area_lineage WHERE area_code = $area)),
x AS (
    SELECT m.*, l.member_code, l.n_members, l.era_from, l.complete, m.area_code = $area AS own
    FROM migration_totals m JOIN l ON m.area_code = l.member_code
    WHERE m.source_id LIKE 'juki%'
      AND (l.era_from IS NULL OR CASE m.period_kind WHEN 'FY' THEN make_date(m.year + 1, 3, 31) ELSE make_date(m.year + 1, 1, 1) END >= l.era_from)
      AND (l.era_to IS NULL OR CASE m.period_kind WHEN 'FY' THEN make_date(m.year + 1, 3, 31) ELSE make_date(m.year + 1, 1, 1) END < l.era_to)),
g AS (  -- joined where every member is present, else the area's own code alone (marked incomplete)
    SELECT period, period_kind, year, period_end, nationality, source_id,
           count(DISTINCT member_code) = max(n_members) AS whole, bool_or(own) AS has_own,
           string_agg(member_code, '+' ORDER BY member_code) AS all_codes, bool_and(complete) AS all_complete,
           CAST(sum(in_total) AS BIGINT) AS in_total, CAST(sum(out_total) AS BIGINT) AS out_total,
           CAST(sum(in_domestic) AS BIGINT) AS in_domestic, CAST(sum(in_abroad) AS BIGINT) AS in_abroad,
           CAST(sum(out_domestic) AS BIGINT) AS out_domestic, CAST(sum(out_abroad) AS BIGINT) AS out_abroad,
           CAST(sum(other_in) AS BIGINT) AS other_in, CAST(sum(other_out) AS BIGINT) AS other_out,
           max(in_total) FILTER (WHERE own) AS o_in_total, max(out_total) FILTER (WHERE own) AS o_out_total,
           max(in_domestic) FILTER (WHERE own) AS o_in_domestic, max(in_abroad) FILTER (WHERE own) AS o_in_abroad,
           max(out_domestic) FILTER (WHERE own) AS o_out_domestic, max(out_abroad) FILTER (WHERE own) AS o_out_abroad,
           max(other_in) FILTER (WHERE own) AS o_other_in, max(other_out) FILTER (WHERE own) AS o_other_out
    FROM x GROUP BY period, period_kind, year, period_end, nationality, source_id, era_from),
j AS (
    SELECT period, period_kind, year, period_end, nationality,
           CASE WHEN whole THEN in_total ELSE o_in_total END AS in_total,
           CASE WHEN whole THEN out_total ELSE o_out_total END AS out_total,
           CASE WHEN whole THEN in_domestic ELSE o_in_domestic END AS in_domestic,
           CASE WHEN whole THEN in_abroad ELSE o_in_abroad END AS in_abroad,
           CASE WHEN whole THEN out_domestic ELSE o_out_domestic END AS out_domestic,
           CASE WHEN whole THEN out_abroad ELSE o_out_abroad END AS out_abroad,
           CASE WHEN whole THEN other_in ELSE o_other_in END AS other_in,
           CASE WHEN whole THEN other_out ELSE o_other_out END AS other_out, source_id,
           CASE WHEN whole THEN all_codes ELSE $area END AS codes, whole AND all_complete AS complete
    FROM g WHERE whole OR has_own
    UNION ALL
    SELECT period, period_kind, year, period_end, nationality, in_total, out_total, in_domestic, in_abroad,
           out_domestic, out_abroad, other_in, other_out, source_id, area_code, true
    FROM migration_totals WHERE area_code = $area AND source_id NOT LIKE 'juki%')
SELECT j.period, j.period_kind, j.year, j.period_end, j.nationality, j.in_total, j.out_total,
       j.in_total - j.out_total AS net, j.in_domestic, j.in_abroad, j.out_domestic, j.out_abroad,
       j.other_in, j.other_out, j.source_id, s.publisher, j.codes, j.complete
FROM j JOIN sources s USING (source_id)
ORDER BY j.period_end, j.source_id, j.nationality;
