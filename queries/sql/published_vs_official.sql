-- Where a municipality's published figure and the 総務省 statistics cover the same period, both side by
-- side with the difference. Official figures before FY2012 count Japanese residents only.
WITH pub AS (
    SELECT area_code, period, 'births' AS measure, births AS value, source_id FROM vital_events
        WHERE area_code = $area AND source_id NOT LIKE 'juki%'
    UNION ALL SELECT area_code, period, 'deaths', deaths, source_id FROM vital_events
        WHERE area_code = $area AND source_id NOT LIKE 'juki%'
    UNION ALL SELECT area_code, period, 'in_total', in_total, source_id FROM migration_totals
        WHERE area_code = $area AND source_id NOT LIKE 'juki%'
    UNION ALL SELECT area_code, period, 'out_total', out_total, source_id FROM migration_totals
        WHERE area_code = $area AND source_id NOT LIKE 'juki%'),
off AS (
    SELECT area_code, period, nationality, 'births' AS measure, births AS value FROM vital_events
        WHERE area_code = $area AND source_id = 'juki_dynamics'
    UNION ALL SELECT area_code, period, nationality, 'deaths', deaths FROM vital_events
        WHERE area_code = $area AND source_id = 'juki_dynamics'
    UNION ALL SELECT area_code, period, nationality, 'in_total', in_total FROM migration_totals
        WHERE area_code = $area AND source_id = 'juki_dynamics'
    UNION ALL SELECT area_code, period, nationality, 'out_total', out_total FROM migration_totals
        WHERE area_code = $area AND source_id = 'juki_dynamics'),
off1 AS (  -- one official figure per period: all residents where published, else Japanese only
    SELECT * FROM off QUALIFY row_number() OVER (
        PARTITION BY area_code, period, measure ORDER BY (nationality = 'total') DESC) = 1)
SELECT pub.period, pub.measure, pub.value AS published, off1.value AS official,
       pub.value - off1.value AS difference, off1.nationality AS official_nationality, pub.source_id
FROM pub JOIN off1 USING (area_code, period, measure)
ORDER BY pub.period, pub.measure;
