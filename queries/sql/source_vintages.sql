-- Every source with its vintage (retrieved) and, per table, the latest period this database holds from it and the
-- number of rows: the update log of the about page.
WITH c AS (
    SELECT source_id, 'population' AS tbl, CAST(max(ref_date) AS VARCHAR) AS latest, count(*) AS n FROM population GROUP BY 1
    UNION ALL SELECT source_id, 'vital_events', max_by(period, period_end), count(*) FROM vital_events GROUP BY 1
    UNION ALL SELECT source_id, 'migration_totals', max_by(period, period_end), count(*) FROM migration_totals GROUP BY 1
    UNION ALL SELECT source_id, 'migration_flows', max(period), count(*) FROM migration_flows GROUP BY 1
    UNION ALL SELECT source_id, 'migration_net_flows', max(period), count(*) FROM migration_net_flows GROUP BY 1
    UNION ALL SELECT source_id, 'youth_net_migration', max(period), count(*) FROM youth_net_migration GROUP BY 1
    UNION ALL SELECT source_id, 'fertility', CAST(max(year) AS VARCHAR), count(*) FROM fertility GROUP BY 1
    UNION ALL SELECT source_id, 'projections', CAST(max(year) AS VARCHAR), count(*) FROM projections GROUP BY 1
    UNION ALL SELECT source_id, 'foreign_residents', CAST(max(ref_date) AS VARCHAR), count(*) FROM foreign_residents GROUP BY 1
    UNION ALL SELECT source_id, 'area_succession', CAST(max(first_seen) AS VARCHAR), count(*) FROM area_succession GROUP BY 1)
SELECT s.source_id, s.publisher, s.title, s.table_id, s.retrieved, s.note,
       string_agg(c.tbl || ': ' || c.latest, '; ' ORDER BY c.tbl) AS latest, CAST(coalesce(sum(c.n), 0) AS BIGINT) AS n_rows
FROM sources s LEFT JOIN c USING (source_id)
GROUP BY ALL
ORDER BY s.source_id;
