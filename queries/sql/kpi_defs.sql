-- KPI definitions of one plan (目標人口, 基本目標の数値目標, KPI), in the order the plan prints them.
SELECT d.kpi_id, d.plan_id, d.level, d.goal_no, d.goal, d.goal_en, d.measure, d.project, d.kpi, d.kpi_en, d.unit,
       d.direction, d.value_kind, d.aggregation, d.baseline_value, d.baseline_text, d.baseline_period,
       d.target_value, d.target_text, d.target_period, d.department, d.linked_series, d.link_note, d.sort_order,
       d.source_id, d.note, d.basis
FROM kpi_defs d
WHERE d.plan_id = $plan
ORDER BY d.sort_order, d.kpi_id;
