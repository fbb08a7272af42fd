-- The area a defunct code became (area_succession), followed to today's code: area_code, its names, the kind and
-- first register date of the first change, whether it is current, and the defunct code's own name (old_name).
WITH RECURSIVE chain(code, kind, first_seen, depth) AS (
    SELECT new_code, kind, first_seen, 1 FROM area_succession WHERE old_code = $code AND new_code IS NOT NULL
    UNION ALL
    SELECT s.new_code, c.kind, c.first_seen, c.depth + 1 FROM area_succession s JOIN chain c ON s.old_code = c.code
    WHERE s.new_code IS NOT NULL AND c.depth < 10)
SELECT c.code AS area_code, a.name_ja, a.name_en, c.kind, c.first_seen, a."current",
       (SELECT name_ja FROM areas WHERE area_code = $code) AS old_name
FROM chain c JOIN areas a ON a.area_code = c.code
ORDER BY c.depth DESC
LIMIT 1;
