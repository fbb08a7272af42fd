-- Indicator inputs: IPSS 2023 projection (社人研 令和5年推計) of every area in the years $years: total persons.
-- Area codes as published (2023 codes; 07999 浜通り地域 is an area group, not an area).
SELECT area_code, year, persons AS total
FROM projections
WHERE source = 'ipss_2023' AND sex = 'total' AND age_group = 'total' AND list_contains($years, year)
ORDER BY area_code, year;
