-- Events drawn on the area's time charts: national ones ('00000') and the area's own, by date.
SELECT event_date, kind, label_ja, label_en, source_id
FROM events
WHERE area_code IN ('00000', $area)
ORDER BY event_date, kind;
