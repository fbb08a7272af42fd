-- Total fertility rate of the area, its prefecture and the nation (calendar years).
SELECT f.area_code, a.name_ja, a.name_en, f.year, f.tfr, f.source_id,
       CASE WHEN f.area_code = $area THEN 'area' WHEN f.area_code = '00000' THEN 'nation' ELSE 'prefecture' END AS level
FROM fertility f JOIN areas a USING (area_code)
WHERE f.area_code IN ($area, substr($area, 1, 2) || '000', '00000')
ORDER BY level, f.year;
