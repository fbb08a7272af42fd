-- What the area's own published documents say about its foreign residents (seed statements, topic foreign_*).
SELECT s.topic, s.statement_ja, s.statement_en, s.period, s.source_id
FROM statements s
WHERE s.area_code = $area AND s.topic LIKE 'foreign%'
ORDER BY CASE s.topic WHEN 'foreign_share' THEN 0 WHEN 'foreign_growth' THEN 1
                      WHEN 'foreign_top_nationalities' THEN 2 WHEN 'foreign_top_statuses' THEN 3 ELSE 4 END, s.topic;
