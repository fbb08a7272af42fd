-- Strategy plans whose KPIs are tracked, with the publisher of each plan's document.
SELECT p.plan_id, p.plan, p.plan_en, p.municipality_code, p.municipality_ja, p.municipality_en, p.plan_start,
       p.plan_end, p.evaluated_as_of, p.default_rule, p.source_id, p.note, s.publisher, s.title
FROM kpi_plans p LEFT JOIN sources s USING (source_id)
ORDER BY p.sort_order, p.plan_id;
