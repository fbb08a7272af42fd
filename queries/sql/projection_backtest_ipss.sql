-- Back-test of IPSS 平成30年推計 (2018): its total population (all nationalities, census basis, 1 October) of
-- every area in the years $years (e.g. 2015 and 2020). Area codes as published (2018 codes; Fukushima's
-- municipalities are one prefecture-wide area there, so they are absent).
SELECT area_code, year, persons
FROM projections
WHERE source = 'ipss_2018' AND sex = 'total' AND age_group = 'total' AND nationality = 'total'
  AND list_contains($years, year)
ORDER BY area_code, year;
