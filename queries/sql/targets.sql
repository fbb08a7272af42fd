-- Targets of the area's strategy that are population statistics (e.g. 目標人口).
SELECT k.kpi_id, k.plan, k.goal, k.kpi, k.unit, k.direction, k.baseline_value, k.baseline_period,
       k.target_value, k.target_period, k.linked_series, k.source_id
FROM kpis k
WHERE k.area_code = $area AND k.linked_series IS NOT NULL
ORDER BY k.kpi_id;
