-- IPSS 2018 projection (社人研 平成30年推計) of one area by year, sex and 5-year age group, for the area codes
-- $codes (the current code and the 2018 code where it changed). Persons; 2015 is the census base.
SELECT year, sex, age_group, persons, source_id
FROM projections
WHERE source = 'ipss_2018' AND list_contains($codes, area_code) AND sex IN ('male', 'female') AND age_group <> 'total'
ORDER BY year, sex, age_group;
