-- Origin–destination tables that have $area as their subject, with what they can be split by:
-- a published table whose every row has the area on one side (e.g. the city's 都道府県別 table, FY2020–FY2024),
-- the 2025 人口移動報告 table where the area is a row (prefectures, the 21 major cities), and the 2021 net
-- flows by 5-year age (kind 'net_age').
WITH subject AS (
    SELECT source_id FROM migration_flows GROUP BY source_id
    HAVING bool_and(origin_code = $area OR dest_code = $area)),
gross AS (
    SELECT source_id, min(period) AS period, min(period_kind) AS period_kind,
           CASE WHEN source_id IN (SELECT source_id FROM subject) THEN 'published' ELSE 'od' END AS kind,
           count(DISTINCT nationality) AS nationalities, count(DISTINCT sex) AS sexes
    FROM migration_flows
    WHERE (origin_code = $area AND (source_id IN (SELECT source_id FROM subject) OR source_id LIKE 'idou%'))
       OR (dest_code = $area AND source_id IN (SELECT source_id FROM subject))
    GROUP BY source_id),
net AS (
    SELECT source_id, min(period) AS period, min(period_kind) AS period_kind, 'net_age' AS kind,
           count(DISTINCT nationality) AS nationalities, count(DISTINCT sex) AS sexes
    FROM migration_net_flows WHERE area_code = $area GROUP BY source_id)
SELECT * FROM gross UNION ALL SELECT * FROM net
ORDER BY kind, source_id;
