-- Indicator inputs: IPSS 2018 projection (社人研 平成30年推計) of every area in the years $years: total persons and
-- women in the age groups $women (e.g. 20-24 … 35-39). Area codes as published (2018 codes).
SELECT area_code, year,
       sum(persons) FILTER (WHERE sex = 'total' AND age_group = 'total') AS total,
       coalesce(sum(persons) FILTER (WHERE sex = 'female' AND list_contains($women, age_group)), 0) AS young_women
FROM projections
WHERE source = 'ipss_2018' AND list_contains($years, year)
GROUP BY ALL
ORDER BY area_code, year;
