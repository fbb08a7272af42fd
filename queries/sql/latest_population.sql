-- Latest 住民基本台帳 population by nationality with the figure one reference date earlier.
WITH p AS (
    SELECT ref_date, nationality, persons, source_id FROM population
    WHERE area_code = $area AND basis = 'juki' AND sex = 'total' AND age_group = 'total'),
dates AS (SELECT DISTINCT ref_date FROM p),
ranked AS (SELECT ref_date, row_number() OVER (ORDER BY ref_date DESC) AS k FROM dates)
SELECT cur.nationality, cur.ref_date, cur.persons, prev.ref_date AS prev_date, prev.persons AS prev_persons,
       cur.source_id
FROM p cur
JOIN ranked r ON cur.ref_date = r.ref_date AND r.k = 1
LEFT JOIN (SELECT p.* FROM p JOIN ranked r2 ON p.ref_date = r2.ref_date AND r2.k = 2) prev
       ON prev.nationality = cur.nationality
ORDER BY cur.nationality;
