-- Where IPSS published area $area in the vintage $source ('ipss_2023' / 'ipss_2018'): the area itself, else an
-- area group projected as one area that contains it (浜通り地域 07999 for its 13 municipalities in IPSS 2023).
-- No row: that vintage has no projection for the area.
WITH own AS (
    SELECT DISTINCT area_code AS code, CAST(NULL AS VARCHAR) AS name_ja, CAST(NULL AS VARCHAR) AS name_en,
           FALSE AS is_group
    FROM projections WHERE area_code = $area AND source = $source),
grp AS (
    SELECT DISTINCT g.group_code AS code, g.group_name_ja AS name_ja, g.group_name_en AS name_en, TRUE AS is_group
    FROM area_groups g JOIN projections p ON p.area_code = g.group_code AND p.source = $source
    WHERE g.area_code = $area)
SELECT * FROM own
UNION ALL
SELECT * FROM grp WHERE NOT EXISTS (SELECT 1 FROM own)
ORDER BY code;
