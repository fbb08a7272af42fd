-- Foreign residents' births, deaths, in-migrants (domestic/abroad) and out-migrants per calendar year (暦年) of
-- 住民基本台帳, with all residents' net migration (転入−転出) and gross moves of the same year for the share of net
-- migration due to foreign residents. FY2012 is left out: foreign residents entered the register only in July 2012.
SELECT f.period, f.period_kind, f.year, f.period_end,
       v.births, v.deaths, f.in_domestic, f.in_abroad, f.in_total, f.out_domestic, f.out_abroad, f.out_total,
       f.in_total - f.out_total AS net,
       t.in_total - t.out_total AS total_net,
       t.in_total + t.out_total AS total_moves,
       f.source_id
FROM migration_totals f
LEFT JOIN vital_events v ON v.area_code = f.area_code AND v.period = f.period AND v.nationality = 'foreign'
                         AND v.source_id = f.source_id
LEFT JOIN migration_totals t ON t.area_code = f.area_code AND t.period = f.period AND t.nationality = 'total'
                             AND t.source_id = f.source_id
WHERE f.area_code = $area AND f.nationality = 'foreign' AND f.period_kind = 'CY'
ORDER BY f.period_end;
