-- Published net flows of $area with each prefecture for one 5-year age group (or 'total'), nationality and sex:
-- net = movers from the partner − movers to the partner (転入超過数; 2021, 人口移動報告). in/out are not published
-- by age, so they are NULL.
SELECT n.partner_code, a.name_ja AS partner_ja,
       regexp_replace(a.name_en, ' Prefecture$| \(.*\)$', '') AS partner_en, a.kind AS partner_kind, a.lat, a.lon,
       CAST(NULL AS BIGINT) AS in_movers, CAST(NULL AS BIGINT) AS out_movers, n.net_movers AS net,
       n.period, n.period_kind, n.source_id
FROM migration_net_flows n JOIN areas a ON a.area_code = n.partner_code
WHERE n.area_code = $area AND n.nationality = $nationality AND n.sex = $sex AND n.age_group = $age
  AND a.kind = 'prefecture' AND n.partner_code <> $area
ORDER BY n.partner_code;
