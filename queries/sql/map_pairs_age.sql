-- The largest net flows between two prefectures for one 5-year age group (2021 人口移動報告, 転入超過数), 全国 view:
-- one row per pair, drawn from the losing to the gaining prefecture. Columns as map_pairs.
SELECT n.partner_code AS from_code, n.area_code AS to_code, n.net_movers AS movers, n.period, n.period_kind, n.source_id
FROM migration_net_flows n
WHERE n.nationality = $nationality AND n.sex = $sex AND n.age_group = $age AND n.net_movers > 0
  AND n.area_code IN (SELECT area_code FROM areas WHERE kind = 'prefecture')
  AND n.partner_code IN (SELECT area_code FROM areas WHERE kind = 'prefecture')
ORDER BY movers DESC, from_code, to_code LIMIT $n;
