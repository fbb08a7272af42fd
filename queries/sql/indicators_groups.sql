-- Every area group (連携中枢都市圏, 東京圏 …) with its members: group_code, group_name_ja, group_name_en, area_code.
SELECT group_code, group_name_ja, group_name_en, area_code
FROM area_groups
ORDER BY group_code, area_code;
