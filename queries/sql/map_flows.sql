-- Movers between $area and each partner in one origin–destination table ($source): in_movers (partner → area),
-- out_movers (area → partner), net = in − out; one nationality and sex, all ages.
-- Partners are places: prefectures, and for a published table of the area also the cities it names. The
-- metropolitan groups and 全国 rows are totals, not places, and are left out here (the migration page lists them).
WITH f AS (
    SELECT * FROM migration_flows
    WHERE source_id = $source AND (origin_code = $area OR dest_code = $area) AND origin_code <> dest_code
      AND nationality = $nationality AND sex = $sex AND age_group = 'total'),
agg AS (
    SELECT CASE WHEN dest_code = $area THEN origin_code ELSE dest_code END AS partner_code, period, period_kind,
           CAST(sum(CASE WHEN dest_code = $area THEN movers END) AS BIGINT) AS in_movers,
           CAST(sum(CASE WHEN origin_code = $area THEN movers END) AS BIGINT) AS out_movers, source_id
    FROM f GROUP BY ALL)
SELECT agg.partner_code, a.name_ja AS partner_ja,
       regexp_replace(a.name_en, ' Prefecture$| \(.*\)$', '') AS partner_en, a.kind AS partner_kind, a.lat, a.lon,
       agg.in_movers, agg.out_movers, agg.in_movers - agg.out_movers AS net, agg.period, agg.period_kind, agg.source_id
FROM agg JOIN areas a ON a.area_code = agg.partner_code
WHERE a.kind = 'prefecture' OR (a.kind <> 'nation' AND $source NOT LIKE 'idou%')
ORDER BY agg.partner_code;
