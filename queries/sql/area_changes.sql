-- Code changes in the lineage of an area (itself and every predecessor code), newest first: the change, its kind,
-- the register dates either side, the codes before and after, and whether the series is joined across it.
WITH RECURSIVE chain(code) AS (
    SELECT $area
    UNION
    SELECT s.old_code FROM area_succession s JOIN chain c ON s.new_code = c.code WHERE s.old_code IS NOT NULL)
SELECT s.change_id, s.kind, s.last_seen, s.first_seen, s.new_code, any_value(s.new_name) AS new_name,
       string_agg(s.old_code, '+' ORDER BY s.old_code) AS old_codes,
       string_agg(s.old_name, '・' ORDER BY s.old_code) AS old_names,
       s.kind <> 'unresolved' AS joined
FROM area_succession s
WHERE s.new_code IN (SELECT code FROM chain)
GROUP BY ALL
ORDER BY s.first_seen DESC, s.change_id;
