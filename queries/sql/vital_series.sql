-- Births, deaths and natural change for every period and source of an area. Periods keep their kind
-- (FY 年度 / CY 暦年); the page never joins them into one line.
SELECT v.period, v.period_kind, v.year, v.period_end, v.nationality, v.births, v.deaths,
       v.births - v.deaths AS natural_change, v.source_id, s.publisher
FROM vital_events v JOIN sources s USING (source_id)
WHERE v.area_code = $area
ORDER BY v.period_end, v.source_id, v.nationality;
