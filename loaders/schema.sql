-- Tables of the population database (DuckDB). Tidy long format; every fact row carries source_id.
-- period: 'FY2024' (年度, April–March), 'CY2021' (暦年), or a span 'FY2020-FY2024'; period_end is its last day.
CREATE TABLE sources (source_id VARCHAR PRIMARY KEY, publisher VARCHAR, title VARCHAR, table_id VARCHAR,
                      url VARCHAR, retrieved VARCHAR, licence VARCHAR, note VARCHAR,
                      publisher_en VARCHAR, title_en VARCHAR, table_id_en VARCHAR);  -- loaders.sources.with_english
CREATE TABLE areas (area_code VARCHAR PRIMARY KEY, name_ja VARCHAR NOT NULL, name_kana VARCHAR, name_en VARCHAR,
                    pref_code VARCHAR, pref_name VARCHAR, kind VARCHAR NOT NULL, lat DOUBLE, lon DOUBLE,
                    parent_code VARCHAR, "current" BOOLEAN);
CREATE TABLE area_groups (group_code VARCHAR, group_name_ja VARCHAR, group_name_en VARCHAR, area_code VARCHAR,
                          source_id VARCHAR, PRIMARY KEY (group_code, area_code));
CREATE TABLE population (area_code VARCHAR NOT NULL, ref_date DATE NOT NULL, basis VARCHAR NOT NULL,
                         nationality VARCHAR NOT NULL, sex VARCHAR NOT NULL, age_group VARCHAR NOT NULL,
                         persons BIGINT, source_id VARCHAR NOT NULL);
CREATE TABLE households (area_code VARCHAR NOT NULL, ref_date DATE NOT NULL, nationality VARCHAR NOT NULL,
                         households BIGINT, source_id VARCHAR NOT NULL);
CREATE TABLE vital_events (area_code VARCHAR NOT NULL, period VARCHAR NOT NULL, period_kind VARCHAR NOT NULL,
                           year INTEGER NOT NULL, period_end DATE NOT NULL, nationality VARCHAR NOT NULL,
                           births BIGINT, deaths BIGINT, source_id VARCHAR NOT NULL);
CREATE TABLE migration_totals (area_code VARCHAR NOT NULL, period VARCHAR NOT NULL, period_kind VARCHAR NOT NULL,
                               year INTEGER NOT NULL, period_end DATE NOT NULL, nationality VARCHAR NOT NULL,
                               in_total BIGINT, in_domestic BIGINT, in_abroad BIGINT, out_total BIGINT,
                               out_domestic BIGINT, out_abroad BIGINT, other_in BIGINT, other_out BIGINT,
                               source_id VARCHAR NOT NULL);
CREATE TABLE migration_flows (origin_code VARCHAR NOT NULL, dest_code VARCHAR NOT NULL, period VARCHAR NOT NULL,
                              period_kind VARCHAR NOT NULL, nationality VARCHAR NOT NULL, sex VARCHAR NOT NULL,
                              age_group VARCHAR NOT NULL, movers BIGINT, source_id VARCHAR NOT NULL);
-- Published net flows (転入超過数 = movers from partner − movers to partner), e.g. 2021 by 5-year age.
CREATE TABLE migration_net_flows (area_code VARCHAR NOT NULL, partner_code VARCHAR NOT NULL, period VARCHAR NOT NULL,
                                  period_kind VARCHAR NOT NULL, nationality VARCHAR NOT NULL, sex VARCHAR NOT NULL,
                                  age_group VARCHAR NOT NULL, net_movers BIGINT, source_id VARCHAR NOT NULL);
-- Net migration of Japanese aged 15–29 by municipality (age_group '15-19', '20-24', '25-29' and '15-29').
CREATE TABLE youth_net_migration (area_code VARCHAR NOT NULL, period VARCHAR NOT NULL, period_kind VARCHAR NOT NULL,
                                  year INTEGER NOT NULL, nationality VARCHAR NOT NULL, sex VARCHAR NOT NULL,
                                  age_group VARCHAR NOT NULL, net_movers BIGINT, source_id VARCHAR NOT NULL);
CREATE TABLE fertility (area_code VARCHAR NOT NULL, year INTEGER NOT NULL, tfr DOUBLE, source_id VARCHAR NOT NULL);
CREATE TABLE projections (area_code VARCHAR NOT NULL, source VARCHAR NOT NULL, scenario VARCHAR NOT NULL,
                          year INTEGER NOT NULL, nationality VARCHAR NOT NULL, sex VARCHAR NOT NULL,
                          age_group VARCHAR NOT NULL, persons BIGINT, source_id VARCHAR NOT NULL);
-- kpi_values: one row per KPI and period. value = the actual (NULL where not yet known; `note` says why),
-- value_text = the cell as printed ('19件', '小学校:平均△2.0 …', '未実施'), target = the interim target set for
-- that period, projection = the reference projection printed beside it (社人研推計値), judgement = a grade
-- (○/△/×) recorded by the publisher. kpi_id refers to kpi_defs.
CREATE TABLE kpi_values (kpi_id VARCHAR NOT NULL, period VARCHAR NOT NULL, value DOUBLE, note VARCHAR,
                         source_id VARCHAR, value_text VARCHAR, target DOUBLE, projection DOUBLE, judgement VARCHAR);
CREATE TABLE statements (area_code VARCHAR, topic VARCHAR, statement_ja VARCHAR, statement_en VARCHAR,
                         period VARCHAR, source_id VARCHAR);
-- Events drawn on the time charts ('00000' = every area): date, kind, short label (charts.events).
CREATE TABLE events (area_code VARCHAR NOT NULL, event_date DATE NOT NULL, kind VARCHAR NOT NULL,
                     label_ja VARCHAR NOT NULL, label_en VARCHAR NOT NULL, source_id VARCHAR NOT NULL);
-- <<maps schema>>
-- Municipal boundaries (GeoJSON geometry text, lon/lat, simplified) for the net-migration choropleth.
CREATE TABLE boundaries (area_code VARCHAR NOT NULL, level VARCHAR NOT NULL, geojson VARCHAR NOT NULL,
                         vertices INTEGER, source_id VARCHAR NOT NULL);
-- <<foreign schema>>
-- 在留外国人統計 (出入国在留管理庁): persons at a month/year end by prefecture ('PP000'; '00000' = 全国) × nationality
-- × residence status ('total' where not split; both split only for 全国). Statuses are the 11 groups of 第6表.
CREATE TABLE foreign_residents (area_code VARCHAR NOT NULL, ref_date DATE NOT NULL, nationality_country VARCHAR NOT NULL,
                                residence_status VARCHAR NOT NULL, persons BIGINT, source_id VARCHAR NOT NULL);
-- Strategy KPI tracker (総合戦略 KPI 進捗・効果検証): plans -> basic goals -> measures -> KPIs.
-- municipality_code is the plan's municipality (JIS); not checked against areas because plans of municipalities
-- outside the bundled demo region (e.g. 嘉麻市 40227) are bundled too.
CREATE TABLE kpi_plans (plan_id VARCHAR PRIMARY KEY, plan VARCHAR NOT NULL, plan_en VARCHAR, municipality_code VARCHAR,
                        municipality_ja VARCHAR, municipality_en VARCHAR, plan_start VARCHAR, plan_end VARCHAR,
                        evaluated_as_of VARCHAR, default_rule VARCHAR, sort_order INTEGER, source_id VARCHAR, note VARCHAR);
-- level: population_target (目標人口) | goal_target (基本目標の数値目標) | kpi (重要業績評価指標);
-- direction: higher | lower | reduce_decline (negative values, closer to zero is better);
-- value_kind: number | done (1 = 実施, 0 = 未実施) | text; aggregation: latest | sum (cumulative, '5年間に40件');
-- periods: 'FY2024', 'CY2025', 'FY2020-FY2024', ISO date '2025-01-01', ISO interval '2015-10-01/2020-10-01';
-- basis: census | juki | NULL — what the KPI's own figures count (a linked 住基 actual of a census KPI is a reference).
CREATE TABLE kpi_defs (kpi_id VARCHAR PRIMARY KEY, plan_id VARCHAR NOT NULL, level VARCHAR NOT NULL, goal_no INTEGER,
                       goal VARCHAR, goal_en VARCHAR, measure VARCHAR, project VARCHAR, kpi VARCHAR NOT NULL,
                       kpi_en VARCHAR, unit VARCHAR, direction VARCHAR NOT NULL, value_kind VARCHAR NOT NULL,
                       aggregation VARCHAR NOT NULL, baseline_value DOUBLE, baseline_text VARCHAR, baseline_period VARCHAR,
                       target_value DOUBLE, target_text VARCHAR, target_period VARCHAR, department VARCHAR,
                       linked_series VARCHAR, link_note VARCHAR, sort_order INTEGER, source_id VARCHAR, note VARCHAR,
                       basis VARCHAR);
CREATE TABLE build_info (key VARCHAR PRIMARY KEY, value VARCHAR);
-- What the build covers: one row per table, series (e.g. 'juki_age/foreign' = source_id/nationality, see
-- loaders.validate.COVERAGE), area and period ('' for tables without one). The next build refuses to cover less.
CREATE TABLE build_coverage (table_name VARCHAR NOT NULL, series VARCHAR NOT NULL, area_code VARCHAR NOT NULL,
                             period VARCHAR NOT NULL);
-- Municipal code changes read from the register (loaders/succession.py): one row per predecessor; kind rename |
-- merger | absorption | unresolved; last_seen / first_seen = register dates either side of the change.
CREATE TABLE area_succession (change_id VARCHAR NOT NULL, kind VARCHAR NOT NULL, old_code VARCHAR, old_name VARCHAR,
                              new_code VARCHAR, new_name VARCHAR, pref_code VARCHAR, last_seen DATE, first_seen DATE,
                              source_id VARCHAR NOT NULL);
-- How today's territory is made of codes over time: figures with a register (file) date in [era_from, era_to)
-- are the sum of the n_members member codes; complete = false where the predecessors are not known.
CREATE TABLE area_lineage (area_code VARCHAR NOT NULL, era_from DATE, era_to DATE, member_code VARCHAR NOT NULL,
                           n_members INTEGER NOT NULL, complete BOOLEAN NOT NULL, change_id VARCHAR);
