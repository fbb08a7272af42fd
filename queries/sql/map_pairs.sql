-- The largest flows between two prefectures in the 2025 人口移動報告 table (全国 view): gross movers of each
-- ordered pair, or the net of each pair (larger direction − smaller, drawn from the losing to the gaining one).
-- $mode 'gross' or 'net'; $n rows. Columns: from_code, to_code, movers (persons), period, period_kind, source_id.
WITH f AS (
    SELECT origin_code, dest_code, movers, period, period_kind, source_id
    FROM migration_flows m
    WHERE source_id = 'idou_2025_table2' AND nationality = $nationality AND sex = $sex AND age_group = 'total'
      AND origin_code IN (SELECT area_code FROM areas WHERE kind = 'prefecture')
      AND dest_code IN (SELECT area_code FROM areas WHERE kind = 'prefecture')),
pairs AS (
    SELECT a.origin_code AS from_code, a.dest_code AS to_code,
           CASE WHEN $mode = 'net' THEN a.movers - coalesce(b.movers, 0) ELSE a.movers END AS movers,
           a.period, a.period_kind, a.source_id
    FROM f a LEFT JOIN f b ON b.origin_code = a.dest_code AND b.dest_code = a.origin_code)
SELECT * FROM pairs WHERE movers > 0 ORDER BY movers DESC, from_code, to_code LIMIT $n;
