-- Published values of one plan's KPIs: actual (value, as printed), interim target, projection, recorded grade.
SELECT v.kpi_id, v.period, v.value, v.value_text, v.note, v.judgement, v.target, v.projection, v.source_id
FROM kpi_values v JOIN kpi_defs d USING (kpi_id)
WHERE d.plan_id = $plan
ORDER BY v.kpi_id, v.period;
