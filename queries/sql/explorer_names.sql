-- A name for every code that can appear in a table (areas, also former ones, and area groups): the explorer's
-- labels and the importer's list of known codes.
SELECT area_code AS code, name_ja, name_en, kind, pref_code, "current" FROM areas
UNION ALL
SELECT DISTINCT group_code, group_name_ja, group_name_en, 'group', NULL, TRUE FROM area_groups
WHERE group_code NOT IN (SELECT area_code FROM areas)
ORDER BY code;
