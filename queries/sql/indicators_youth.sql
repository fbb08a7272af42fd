-- Indicator inputs: published net migration (転入超過数) of Japanese aged 15–29, both sexes, of every area in the
-- calendar years $years (住民基本台帳人口移動報告; cities, the Tokyo ward area, single-municipality 郡 only).
SELECT area_code, year, net_movers
FROM youth_net_migration
WHERE nationality = 'japanese' AND sex = 'total' AND age_group = '15-29' AND list_contains($years, year)
ORDER BY area_code, year;
