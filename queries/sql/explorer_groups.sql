-- Data explorer: area groups (連携中枢都市圏, 東京圏 …) with their member codes.
SELECT group_code, any_value(group_name_ja) AS group_name_ja, any_value(group_name_en) AS group_name_en,
       list(area_code ORDER BY area_code) AS members
FROM area_groups
GROUP BY group_code
ORDER BY group_code;
