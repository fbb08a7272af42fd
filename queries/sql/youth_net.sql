-- Published net migration of Japanese aged 15–29 (5-year groups and their sum) by calendar year and sex.
SELECT period, period_kind, year, sex, age_group, net_movers, source_id
FROM youth_net_migration
WHERE area_code = $area
ORDER BY year, sex, age_group;
