-- Targets of the area's strategy that are population statistics (e.g. 目標人口), from the KPI tables.
SELECT d.kpi_id, p.plan, d.goal, d.kpi, d.unit, d.direction, d.baseline_value, d.baseline_period,
       d.target_value, d.target_period, d.linked_series, d.source_id
FROM kpi_defs d JOIN kpi_plans p USING (plan_id)
WHERE p.municipality_code = $area AND d.level = 'population_target' AND d.linked_series IS NOT NULL
ORDER BY d.kpi_id;
