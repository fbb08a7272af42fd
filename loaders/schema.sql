-- Tables of the population database (DuckDB). Tidy long format; every fact row carries source_id.
-- period: 'FY2024' (年度, April–March), 'CY2021' (暦年), or a span 'FY2020-FY2024'; period_end is its last day.
CREATE TABLE sources (source_id VARCHAR PRIMARY KEY, publisher VARCHAR, title VARCHAR, table_id VARCHAR,
                      url VARCHAR, retrieved VARCHAR, licence VARCHAR, note VARCHAR);
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
CREATE TABLE kpis (kpi_id VARCHAR PRIMARY KEY, plan VARCHAR, goal VARCHAR, kpi VARCHAR, unit VARCHAR,
                   direction VARCHAR, area_code VARCHAR, baseline_value DOUBLE, baseline_period VARCHAR,
                   target_value DOUBLE, target_period VARCHAR, linked_series VARCHAR, source_id VARCHAR);
CREATE TABLE kpi_values (kpi_id VARCHAR NOT NULL, period VARCHAR NOT NULL, value DOUBLE, note VARCHAR,
                         source_id VARCHAR);
CREATE TABLE statements (area_code VARCHAR, topic VARCHAR, statement_ja VARCHAR, statement_en VARCHAR,
                         period VARCHAR, source_id VARCHAR);
-- <<maps schema>>
-- <<foreign schema>>
CREATE TABLE build_info (key VARCHAR PRIMARY KEY, value VARCHAR);
