-- Movers between an area and its partners, one row per partner: in (partner -> area), out (area -> partner).
-- Two kinds of table: a published table whose subject is the area (the area is on one side of every row of
-- that source, e.g. the city's 都道府県別 top-10 and 大都市圏 tables), or the 2025 origin-destination table
-- of 住民基本台帳人口移動報告 (prefectures, the three metro areas and the 21 major cities).
WITH subject AS (
    SELECT source_id FROM migration_flows GROUP BY source_id
    HAVING bool_and(origin_code = $area OR dest_code = $area)),
f AS (SELECT * FROM migration_flows WHERE (origin_code = $area OR dest_code = $area)
                                      AND sex = 'total' AND age_group = 'total' AND nationality = $nationality
                                      AND (source_id IN (SELECT source_id FROM subject) OR source_id = 'idou_2025_table2')),
g AS (SELECT DISTINCT group_code, group_name_ja, group_name_en FROM area_groups),
agg AS (
    SELECT CASE WHEN f.dest_code = $area THEN f.origin_code ELSE f.dest_code END AS partner_code,
           f.period, f.period_kind, f.nationality,
           sum(CASE WHEN f.dest_code = $area THEN f.movers END) AS in_movers,
           sum(CASE WHEN f.origin_code = $area THEN f.movers END) AS out_movers,
           min(f.source_id) AS source_id
    FROM f GROUP BY ALL)
SELECT agg.partner_code, coalesce(a.name_ja, g.group_name_ja) AS partner_ja,
       coalesce(a.name_en, g.group_name_en) AS partner_en, (g.group_code IS NOT NULL) AS is_group,
       agg.period, agg.period_kind, agg.nationality, agg.in_movers, agg.out_movers,
       agg.in_movers - agg.out_movers AS net, agg.source_id
FROM agg
LEFT JOIN areas a ON a.area_code = agg.partner_code
LEFT JOIN g ON g.group_code = agg.partner_code
WHERE agg.partner_code <> '00000'
ORDER BY agg.source_id, net DESC;
