-- Groups an area belongs to, with all members of each group.
SELECT g.group_code, g.group_name_ja, g.group_name_en, m.area_code
FROM area_groups g JOIN area_groups m USING (group_code)
WHERE g.area_code = $area
ORDER BY g.group_code, m.area_code;
