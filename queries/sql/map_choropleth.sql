-- Net migration rate of every municipality (wards of designated cities separately) of prefecture $pref
-- ('40') in one calendar year $period ('CY2021'), with its boundary: net = 転入 − 転出 (住民基本台帳, all residents);
-- net_rate per 1,000 = net ÷ mean of the 1 January populations at the start and end of the year (the end
-- population where the start is not published, as in dynamics_rates). Areas without figures keep NULL rates.
WITH m AS (
    SELECT area_code, year, in_total, out_total FROM migration_totals
    WHERE period = $period AND nationality = 'total' AND source_id = 'juki_dynamics'),
p AS (
    SELECT area_code, ref_date, persons FROM population
    WHERE basis = 'juki' AND sex = 'total' AND age_group = 'total' AND nationality = 'total'
      AND source_id = 'juki_dynamics'),
j AS (
    SELECT a.area_code, a.name_ja, a.name_en, a.kind, a.parent_code, m.in_total, m.out_total,
           m.in_total - m.out_total AS net,
           CASE WHEN ps.persons IS NULL THEN pe.persons ELSE (ps.persons + pe.persons) / 2.0 END AS pop_mean,
           b.geojson, b.source_id AS geo_source_id
    FROM boundaries b JOIN areas a USING (area_code)
    LEFT JOIN m USING (area_code)
    LEFT JOIN p ps ON ps.area_code = a.area_code AND ps.ref_date = make_date(m.year, 1, 1)
    LEFT JOIN p pe ON pe.area_code = a.area_code AND pe.ref_date = make_date(m.year + 1, 1, 1)
    WHERE a.pref_code = $pref AND b.level = 'municipality')
SELECT area_code, name_ja, name_en, kind, parent_code, in_total, out_total, net, pop_mean,
       1000.0 * net / pop_mean AS net_rate, geojson, geo_source_id
FROM j ORDER BY area_code;
