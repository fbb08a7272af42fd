"""SQL console sandbox: attack strings refused (by the parser check, by the locked read-only engine, by the time,
memory and row limits), ordinary analyst queries answered, and the console page."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from loaders import importer
from queries import sandbox
from store import user as user_store
from queries.db import sql
from store.official import open_readonly
from tests.conftest import REPO

LIMIT_S = 2.0

# (id, SQL, words expected in the English reason)
ATTACKS = [
    ("read_csv_passwd", "SELECT * FROM read_csv('/etc/passwd')", "read_csv"),
    ("read_csv_auto", "SELECT * FROM read_csv_auto('/etc/passwd', header=false)", "read_csv_auto"),
    ("replacement_scan_file", "SELECT * FROM '/etc/passwd'", "files and URLs"),
    ("replacement_scan_url", "SELECT * FROM 'https://example.com/data.parquet'", "files and URLs"),
    ("read_parquet_glob", "SELECT * FROM read_parquet('/work/**/*.parquet')", "read_parquet"),
    ("glob", "SELECT * FROM glob('/root/*')", "glob"),
    ("read_text", "SELECT content FROM read_text('/proc/self/environ')", "read_text"),
    ("read_blob_nested", "SELECT (SELECT count(*) FROM read_blob('/etc/shadow')) AS n", "read_blob"),
    ("getenv", "SELECT getenv('HOME')", "getenv"),
    ("current_setting", "SELECT current_setting('temp_directory')", "current_setting"),
    ("settings_paths", "SELECT name, value FROM duckdb_settings() WHERE name LIKE '%directory%'", "duckdb_settings"),
    ("query_text", "SELECT * FROM query('SELECT 1')", "query"),
    ("sqlite_scan", "SELECT * FROM sqlite_scan('/tmp/x.db', 't')", "sqlite_scan"),
    ("pragma_function", "SELECT * FROM pragma_table_info('areas')", "pragma_table_info"),
    ("copy_to", "COPY areas TO '/tmp/areas.csv'", "COPY"),
    ("copy_from", "COPY areas FROM '/etc/passwd'", "COPY"),
    ("export_database", "EXPORT DATABASE '/tmp/dump'", "EXPORT"),
    ("attach", "ATTACH '/tmp/other.duckdb' AS other", "ATTACH"),
    ("detach", "DETACH imports", "DETACH"),
    ("install_httpfs", "INSTALL httpfs", "LOAD"),
    ("load_httpfs", "LOAD httpfs", "LOAD"),
    ("pragma", "PRAGMA enable_profiling", "PRAGMA"),
    ("set_external_access", "SET enable_external_access = true", "SET"),
    ("reset", "RESET memory_limit", "SET"),
    ("create_table", "CREATE TABLE x AS SELECT 1", "CREATE"),
    ("create_macro", "CREATE MACRO f(a) AS a + 1", "CREATE"),
    ("insert", "INSERT INTO areas (area_code, name_ja, kind) VALUES ('99999', 'x', 'city')", "INSERT"),
    ("update", "UPDATE population SET persons = 0", "UPDATE"),
    ("delete", "DELETE FROM population", "DELETE"),
    ("drop", "DROP TABLE population", "DROP"),
    ("alter", "ALTER TABLE areas RENAME TO a2", "ALTER"),
    ("two_statements", "SELECT 1; DROP TABLE population", "only one statement"),
    ("select_then_select", "SELECT 1; SELECT 2", "only one statement"),
    ("call", "CALL pragma_version()", "CALL"),
    ("checkpoint", "CHECKPOINT", "CALL"),
    ("pivot_multi", "PIVOT areas ON kind", "MULTI"),
    ("explain", "EXPLAIN SELECT 1", "EXPLAIN"),
    ("other_catalog", "SELECT * FROM other_db.main.areas", "not available"),
    ("syntax_error", "SELEC * FROM areas", "syntax error"),
    ("empty", "   ", "enter a query"),
]
RUNAWAY = [
    ("recursive_cte", "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r",
     "time limit"),
    ("cross_join_count", "SELECT count(*) FROM range(100000) a, range(100000) b, range(1000) c", "time limit"),
    ("huge_string", "SELECT length(repeat('x', 2000000000)) AS n", "memory limit"),
    ("huge_list", "SELECT len(list(range)) FROM range(1000000000)", "memory limit"),
]


@pytest.fixture(scope="module")
def dbfile(bundled_db):
    return bundled_db


@pytest.mark.parametrize("sql, why", [a[1:] for a in ATTACKS], ids=[a[0] for a in ATTACKS])
def test_attack_refused_before_running(sql, why, dbfile):
    with pytest.raises(sandbox.Refused) as info:
        sandbox.check(sql)
    assert why in info.value.en, info.value.en
    assert info.value.ja
    with pytest.raises(sandbox.Refused):  # and run() refuses it too
        sandbox.run(sql, dbfile, time_limit=LIMIT_S)


@pytest.mark.parametrize("sql, why", [a[1:] for a in RUNAWAY], ids=[a[0] for a in RUNAWAY])
def test_runaway_query_stopped_by_limits(sql, why, dbfile):
    sandbox.check(sql)  # a legal SELECT: the limits, not the parser, must stop it
    with pytest.raises(sandbox.Refused) as info:
        sandbox.run(sql, dbfile, time_limit=LIMIT_S)
    assert why in info.value.en, info.value.en


def test_huge_cross_join_stops_at_the_row_limit(dbfile):
    r = sandbox.run("SELECT a.range AS a, b.range AS b FROM range(1000000) a, range(1000000) b", dbfile,
                    time_limit=LIMIT_S, max_rows=500)
    assert r.truncated and len(r.frame) == 500


@pytest.mark.parametrize("sql", [
    "SELECT * FROM read_csv('/etc/passwd')",
    "COPY areas TO '/tmp/popdash_should_not_exist.csv'",
    "ATTACH '/tmp/popdash_other.duckdb' AS o",
    "INSERT INTO areas (area_code, name_ja, kind) VALUES ('99999', 'x', 'city')",
    "SET enable_external_access = true",
    "SET memory_limit = '64GB'",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SELECT * FROM glob('/*')",
    "CREATE TABLE t AS SELECT 1",
])
def test_engine_refuses_even_without_the_parser_check(sql, dbfile):
    """Defence in depth: with the check skipped, the locked read-only connection itself refuses."""
    with pytest.raises(sandbox.Refused) as info:
        sandbox._spawn(sql, dbfile, None, LIMIT_S, 10, precheck=False)
    assert any(w in info.value.en for w in ("disabled", "read-only", "locked", "Cannot execute", "Permission", "configuration"))
    assert not (REPO.parent / "popdash_should_not_exist.csv").exists()


def test_apps_connection_is_locked_down(dbfile):
    con = open_readonly(dbfile)
    try:
        assert con.execute("SELECT current_setting('enable_external_access'), current_setting('lock_configuration'), "
                           "current_setting('autoload_known_extensions'), current_setting('access_mode')").fetchall() \
            == [(False, True, False, "read_only")]
    finally:
        con.close()


def test_examples_and_ordinary_queries_work(dbfile):
    for ex in sandbox.EXAMPLES:
        if ex.key == "sqlx_imports":
            continue
        r = sandbox.run(ex.sql, dbfile, time_limit=10)
        assert len(r.frame) > 0, ex.key
    trend = sandbox.run(sandbox.EXAMPLES[1].sql, dbfile, time_limit=10).frame
    assert trend.set_index(trend["ref_date"].astype(str))["persons"]["2022-01-01"] == 303_052
    r = sandbox.run("FROM areas SELECT count(*) AS n WHERE kind = 'prefecture'", dbfile, time_limit=10)
    assert int(r.frame["n"].iat[0]) == 47
    r = sandbox.run("DESCRIBE population", dbfile, time_limit=10)
    assert "persons" in set(r.frame["column_name"])
    r = sandbox.run("WITH x AS (SELECT 1 AS a) SELECT a, 'これは文字列; DROP TABLE x' AS s FROM x;", dbfile)
    assert r.frame["s"].iat[0].startswith("これは")


def test_imports_attached_read_only(bundled_db, tmp_path, monkeypatch):
    from tests.test_import import estat, row

    monkeypatch.setenv("POPDASH_USER_DB", str(tmp_path / "user" / "user.duckdb"))
    con = open_readonly(bundled_db)
    known = con.execute(sql("explorer_names")).df()
    con.close()
    prepared = importer.read_and_prepare("a.csv", estat(row()), known)[1]
    importer.append(prepared, {"publisher": "p", "title": "t", "retrieved": "2025-01-01"})
    user = user_store.default().path
    r = sandbox.run("SELECT p.persons, a.name_ja FROM imports.population p JOIN areas a USING (area_code)",
                    bundled_db, user, time_limit=10)
    assert r.frame.to_dict("records") == [{"persons": 303_316, "name_ja": "久留米市"}]
    with pytest.raises(sandbox.Refused) as info:
        sandbox._spawn("DELETE FROM imports.population", bundled_db, user, LIMIT_S, 10, precheck=False)
    assert "read-only" in info.value.en or "read only" in info.value.en.lower()
    assert importer.list_imports()["rows"].tolist() == [1]


def test_console_page_runs_a_query_and_refuses_an_attack(bundled_db, tmp_path, monkeypatch):
    monkeypatch.setenv("POPDASH_DB", str(bundled_db))
    monkeypatch.setenv("POPDASH_USER_DB", str(tmp_path / "none.duckdb"))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params["area"] = "40203"
    at.switch_page("pages/sql_console.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.text_area(key="sql").set_value("SELECT area_code, name_ja FROM areas WHERE area_code = '40203'")
    at.button[0].click()
    at.run()
    assert not at.exception
    frames = [d.value for d in at.dataframe if "name_ja" in getattr(d.value, "columns", [])]
    assert frames and frames[-1]["name_ja"].tolist() == ["久留米市"]
    at.text_area(key="sql").set_value("COPY areas TO '/tmp/x.csv'")
    at.button[0].click()
    at.run()
    assert not at.exception
    assert any("COPY" in e.value for e in at.error)
