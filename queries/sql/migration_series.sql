-- In- and out-migrants (転入・転出) and net migration (転入−転出) for every period and source of an area;
-- other entries/removals (職権記載・帰化等) are kept apart, not added to migration.
SELECT m.period, m.period_kind, m.year, m.period_end, m.nationality, m.in_total, m.out_total,
       m.in_total - m.out_total AS net, m.in_domestic, m.in_abroad, m.out_domestic, m.out_abroad,
       m.other_in, m.other_out, m.source_id, s.publisher
FROM migration_totals m JOIN sources s USING (source_id)
WHERE m.area_code = $area
ORDER BY m.period_end, m.source_id, m.nationality;
