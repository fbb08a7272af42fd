"""SQL console sandbox: attack strings refused (by the parser check, by the locked read-only engine, by the time,
memory and row limits), ordinary analyst queries answered, every failure a ja/en message, and the console page."""
from __future__ import annotations

import dataclasses
import shutil
import subprocess
import threading

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from loaders import importer
from queries import sandbox
from store.sqlfiles import text as sql
from store.official import open_readonly
from store import user as user_store
from settings import LIMITS
from tests.conftest import REPO, open_page

LIMIT_S = 2.0

# The bad-input corpus: (id, SQL, words expected in the English reason). Classes: table and scalar functions that
# read files, URLs, other databases, SQL text, settings or the environment (in every position: FROM, FROM-first,
# subquery, CTE, lambda, VALUES, LATERAL, DESCRIBE/SUMMARIZE; quoted, upper case, schema-qualified); files and
# URLs as table names; every non-SELECT statement; DML or COPY hidden in a CTE; several statements (also behind
# comments); other catalogs; syntax errors; empty and over-long text.
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
    # the same functions written differently or hidden deeper
    ("upper_case", "SELECT * FROM READ_CSV('/etc/passwd')", "read_csv"),
    ("quoted_name", "SELECT * FROM \"read_csv\"('/etc/passwd')", "read_csv"),
    ("schema_qualified", "SELECT * FROM system.main.read_csv('/etc/passwd')", "read_csv"),
    ("from_first", "FROM read_text('/etc/hostname')", "read_text"),
    ("describe_select", "DESCRIBE SELECT * FROM read_csv('/etc/passwd')", "read_csv"),
    ("summarize_select", "SUMMARIZE SELECT * FROM read_csv('/etc/passwd')", "read_csv"),
    ("in_cte", "WITH t AS (SELECT * FROM read_blob('/etc/shadow')) SELECT * FROM t", "read_blob"),
    ("in_where_subquery", "SELECT * FROM areas WHERE area_code IN (SELECT content FROM read_text('/etc/hostname'))",
     "read_text"),
    ("in_lambda", "SELECT list_transform([1], x -> getenv('HOME'))", "getenv"),
    ("in_values", "SELECT * FROM (VALUES (getenv('HOME')))", "getenv"),
    ("in_lateral", "SELECT * FROM range(3), LATERAL (SELECT * FROM glob('/*'))", "glob"),
    ("in_concat", "SELECT 'x' || getenv('USER')", "getenv"),
    ("computed_path", "SELECT * FROM glob(chr(47) || '*')", "glob"),
    ("path_list", "SELECT * FROM read_csv(['/etc/passwd'])", "read_csv"),
    ("variable_path", "SELECT * FROM read_text(getvariable('p'))", "read_text"),
    ("sniff_csv", "SELECT * FROM sniff_csv('/etc/passwd')", "sniff_csv"),
    ("read_json_auto", "SELECT * FROM read_json_auto('/etc/passwd')", "read_json_auto"),
    ("parquet_metadata", "SELECT * FROM parquet_metadata('/x.parquet')", "parquet_metadata"),
    ("parquet_scan", "SELECT * FROM parquet_scan('/x')", "parquet_scan"),
    ("st_read", "SELECT * FROM st_read('/etc/passwd')", "st_read"),
    ("read_xlsx", "SELECT * FROM read_xlsx('/x.xlsx')", "read_xlsx"),
    ("iceberg", "SELECT * FROM iceberg_scan('x')", "iceberg_scan"),
    ("postgres", "SELECT * FROM postgres_scan('host=x', 'public', 't')", "postgres_scan"),
    ("http_get", "SELECT http_get('http://x')", "http_get"),
    ("load_extension_fn", "SELECT load_extension('x')", "load_extension"),
    ("query_table", "SELECT * FROM query_table('areas')", "query_table"),
    ("query_copy", "SELECT * FROM query('COPY areas TO ''/tmp/x''')", "query"),
    ("secrets", "SELECT * FROM duckdb_secrets()", "duckdb_secrets"),
    ("which_secret", "SELECT * FROM which_secret('s3://x', 's3')", "which_secret"),
    ("extensions", "SELECT * FROM duckdb_extensions()", "duckdb_extensions"),
    ("temporary_files", "SELECT * FROM duckdb_temporary_files()", "duckdb_temporary_files"),
    ("pragma_version", "SELECT * FROM pragma_version()", "pragma_version"),
    ("settings_value", "SELECT current_setting('memory_limit')", "current_setting"),
    # files and URLs as tables
    ("parquet_as_table", "SELECT * FROM 'data.parquet'", "files and URLs"),
    ("quoted_path_table", "SELECT * FROM \"/etc/passwd\"", "files and URLs"),
    ("s3_url", "SELECT * FROM 's3://bucket/x.parquet'", "files and URLs"),
    # writes or file access inside a SELECT (DuckDB 2 parses DML and COPY … RETURNING as a CTE body)
    ("delete_in_cte", "WITH x AS (DELETE FROM areas RETURNING *) SELECT * FROM x", "DELETE inside"),
    ("insert_in_cte", "WITH x AS (INSERT INTO areas VALUES ('1') RETURNING *) SELECT * FROM x", "INSERT inside"),
    ("update_in_cte", "WITH x AS (UPDATE areas SET kind = 'x' RETURNING *) SELECT * FROM x", "UPDATE inside"),
    ("copy_in_cte", "WITH x AS (COPY areas TO '/tmp/popdash_cte.csv') SELECT * FROM x", "COPY inside"),
    ("delete_in_scalar_subquery", "SELECT (WITH x AS (DELETE FROM areas RETURNING 1) SELECT 1)", "DELETE inside"),
    # other statements
    ("comment_hides_second", "SELECT 1 /* ; */ ; DROP TABLE areas", "only one statement"),
    ("line_comment_second", "SELECT 1; -- x\nDROP TABLE areas", "only one statement"),
    ("prepare", "PREPARE p AS SELECT 1", "PREPARE"),
    ("execute", "EXECUTE p", "EXECUTE"),
    ("begin", "BEGIN TRANSACTION", "TRANSACTION"),
    ("vacuum", "VACUUM", "VACUUM"),
    ("use", "USE imports", "SET"),
    ("load_file", "LOAD '/tmp/x.duckdb_extension'", "LOAD"),
    ("create_secret", "CREATE SECRET s (TYPE s3, KEY_ID 'x', SECRET 'y')", "CREATE"),
    ("update_extensions", "UPDATE EXTENSIONS", "UNKNOWN"),  # a statement type the Python binding cannot name
    ("set_variable", "SET VARIABLE p = '/etc/passwd'", "SET"),
    ("comment_on", "COMMENT ON TABLE areas IS 'x'", "ALTER"),
    ("merge", "MERGE INTO areas USING areas b ON areas.area_code = b.area_code WHEN MATCHED THEN DELETE", "MERGE"),
    ("insert_imports", "INSERT INTO imports.population SELECT * FROM imports.population", "INSERT"),
    ("other_catalog_3part", "SELECT * FROM imports2.main.x", "not available"),
    ("too_long", "SELECT " + "1 + " * 6000 + "1", "too long"),
]
#: Ordinary queries (some merely look suspicious) that the check must let through.
HARMLESS = [
    "SELECT area_code, name_ja FROM areas WHERE area_code = '40203'",
    "SELECT 'read_csv(''/etc/passwd'')' AS s",
    "SELECT 1 AS glob, 2 AS getenv",
    "SELECT name_ja FROM areas WHERE name_ja LIKE '%/%'",
    "FROM areas SELECT count(*) AS n WHERE kind = 'prefecture'",
    "DESCRIBE population",
    "SUMMARIZE areas",
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT sum(n) FROM r",
    "SELECT kind, count(*) FROM areas GROUP BY ALL ORDER BY 2 DESC",
    "SELECT * FROM imports.population LIMIT 1",
    "SELECT list_transform([1, 2], x -> x * 2) AS l",
    "SELECT * FROM duckdb_tables()",
    "SELECT regexp_replace('a.csv', '[.]csv$', '') AS s",
    "SELECT 1 UNION ALL SELECT 2 EXCEPT SELECT 3",
    "SELECT * FROM range(3) t(x) WHERE x IN (SELECT 1)",
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


@pytest.mark.parametrize("sql", HARMLESS)
def test_harmless_query_passes_the_check(sql):
    assert sandbox.check(sql)


def test_check_from_many_threads_gives_no_wrong_outcome():
    """Streamlit runs each session in its own thread. With one shared DuckDB connection for the parser, 6 threads
    let 51 of 1,200 attacks through and refused 183 of 1,200 harmless queries (they read each other's parse trees).
    6 threads × 400 checks, attacks and harmless queries interleaved: every outcome must be right."""
    attacks = [a[1] for a in ATTACKS if a[0] not in ("empty", "too_long")]
    wrong = {"attack_passed": 0, "harmless_refused": 0, "other_error": 0}
    counted = {"attacks": 0, "harmless": 0}
    lock, start = threading.Lock(), threading.Barrier(6)

    def session(i: int) -> None:
        start.wait()
        for k in range(400):
            attack = (i + k) % 2 == 0
            q = attacks[(i * 7 + k) % len(attacks)] if attack else HARMLESS[(i * 5 + k) % len(HARMLESS)]
            outcome = "attack_passed" if attack else None
            try:
                sandbox.check(q)
            except sandbox.Refused:
                outcome = None if attack else "harmless_refused"
            except Exception:  # noqa: BLE001 - counted: check() may only return or raise Refused
                outcome = "other_error"
            with lock:
                counted["attacks" if attack else "harmless"] += 1
                if outcome:
                    wrong[outcome] += 1

    threads = [threading.Thread(target=session, args=(i,)) for i in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert counted == {"attacks": 1200, "harmless": 1200}
    assert wrong == {"attack_passed": 0, "harmless_refused": 0, "other_error": 0}


@pytest.mark.parametrize("sql, why", [a[1:] for a in RUNAWAY], ids=[a[0] for a in RUNAWAY])
def test_runaway_query_stopped_by_limits(sql, why, dbfile):
    sandbox.check(sql)  # a legal SELECT: the limits, not the parser, must stop it
    # The memory cases take ~1.5 s to reach the limit; on a loaded machine a 2 s time limit came first.
    with pytest.raises(sandbox.Refused) as info:
        sandbox.run(sql, dbfile, time_limit=30 if why == "memory limit" else LIMIT_S)
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
    monkeypatch.setenv("POPDASH_USER_DB", str(tmp_path / "none.duckdb"))
    at = open_page(bundled_db, monkeypatch, "pages/sql_console.py", 60, area="40203")
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


# ---------------------------------------------------------------- limits, spilling, errors as messages

def test_no_spill_file_next_to_the_database(bundled_db, tmp_path):
    """A hash aggregate over more than the memory limit: DuckDB's default would write `<db>.tmp/` beside the
    official file; the sandbox has no temp directory, so the query stops with the memory-limit message."""
    db = tmp_path / "official.duckdb"
    shutil.copy(bundled_db, db)
    with pytest.raises(sandbox.Refused) as info:
        sandbox.run("SELECT count(*) FROM (SELECT range AS k, count(*) AS n FROM range(3000000) GROUP BY k)", db,
                    time_limit=30, memory_limit="64MB")
    assert "memory limit (64MB)" in info.value.en and "メモリ制限（64MB）" in info.value.ja
    assert sorted(p.name for p in tmp_path.iterdir()) == ["official.duckdb"]


def test_limits_come_from_settings(dbfile, monkeypatch):
    for name in ("TIME_LIMIT_S", "MAX_ROWS", "MEMORY_LIMIT", "ADDRESS_SPACE_MB", "MAX_SQL_CHARS", "MAX_CONCURRENT"):
        assert not hasattr(sandbox, name), name  # one place for limits: settings.LIMITS
    monkeypatch.setattr(sandbox, "LIMITS", dataclasses.replace(LIMITS, sql_rows=3, sql_chars=30))
    r = sandbox.run("SELECT * FROM range(10)", dbfile)
    assert r.truncated and r.frame["range"].tolist() == [0, 1, 2]
    with pytest.raises(sandbox.Refused) as info:
        sandbox.check("SELECT area_code FROM areas WHERE kind = 'city'")
    assert "30 characters max" in info.value.en


def test_every_duckdb_type_comes_back(dbfile):
    """test_all_types() once crashed the page (pyarrow could not convert UNION, TIME, out-of-range dates)."""
    r = sandbox.run("SELECT * FROM test_all_types()", dbfile)
    f = r.frame
    assert len(f) == 3 and f.shape[1] > 50
    assert f["int"].tolist()[:2] == [-2147483648, 2147483647] and str(f["int"].dtype) == "Int32"  # NULL row: still ints
    assert f["union"].tolist()[:2] == ["Frank", "5"]  # UNION, TIME, INTERVAL, LIST … as DuckDB's text
    assert f["date"].tolist()[:2] == ["5877642-06-25 (BC)", "5881580-07-10"]  # beyond pandas and Excel: text
    assert f["time"].iat[1] == "24:00:00" and f["int_array"].iat[1] == "[42, 999, NULL, NULL, -42]"
    assert str(f["timestamp_ns"].dtype).startswith("datetime64")  # in range: stays a timestamp


def test_duplicate_names_and_nested_values(dbfile):
    r = sandbox.run("SELECT 1 AS a, [1, 2] AS a, {'k': 'v'} AS \"s t\", INTERVAL 3 DAY AS i", dbfile)
    assert list(r.frame.columns) == ["a", "a", "s t", "i"]
    assert r.frame.iloc[0].tolist() == [1, "[1, 2]", "{'k': v}", "3 days"]


def test_full_duckdb_message_bounded(dbfile):
    with pytest.raises(sandbox.Refused) as info:
        sandbox.run("SELECT nonexistent FROM areas", dbfile)
    en = info.value.en
    assert 'Referenced column "nonexistent" not found' in en and "LINE 1: SELECT nonexistent FROM areas" in en
    assert "^^^" in en and "Candidate bindings" in en and info.value.ja.startswith("SQL エラー")
    with pytest.raises(sandbox.Refused) as info:
        sandbox.run('SELECT "' + "x" * 5000 + '" FROM areas', dbfile)
    assert len(info.value.en) <= sandbox.MESSAGE_CHARS + 40 and info.value.en.endswith("…")


def _fake_worker(monkeypatch, returncode: int, stdout: bytes, stderr: bytes = b""):
    monkeypatch.setattr(sandbox.subprocess, "run",
                        lambda *a, **k: subprocess.CompletedProcess(a, returncode, stdout, stderr))


@pytest.mark.parametrize("rc, stdout, stderr, words", [
    (0, b"OK 0 0.010\nnot an arrow stream", b"", "(Arrow)"),
    (0, b"OK garbage", b"", "unexpected answer"),
    (1, b"", b"Traceback (most recent call last):\n  File \"x\"\nZeroDivisionError: division by zero", "ZeroDivisionError"),
    (-11, b"", b"", "signal 11"),
    (-24, b"", b"", "time limit"),
    (0, b"ERR ArrowInvalid\nbad batch\nsecond line", b"", "second line"),
])
def test_worker_failures_become_messages(dbfile, monkeypatch, rc, stdout, stderr, words):
    _fake_worker(monkeypatch, rc, stdout, stderr)
    with pytest.raises(sandbox.Refused) as info:
        sandbox.run("SELECT 1", dbfile)
    assert words in info.value.en and info.value.ja
    assert "Traceback" not in info.value.en and 'File "x"' not in info.value.en


def test_unexpected_error_in_the_parent_becomes_a_message(dbfile, monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(sandbox, "_spawn", boom)
    with pytest.raises(sandbox.Refused) as info:
        sandbox.run("SELECT 1", dbfile)
    assert info.value.en == "the query could not be run (RuntimeError): disk on fire"
    assert info.value.ja == "クエリを実行できませんでした（RuntimeError）: disk on fire"


def test_column_pandas_cannot_convert_is_named(monkeypatch):
    """A result column that pandas cannot hold (the worker casts these, this is the last line) names itself."""
    union = pa.UnionArray.from_sparse(pa.array([0, 1], type=pa.int8()), [pa.array(["a", "b"]), pa.array([1, 2])])
    table = pa.table({"ok": pa.array([1, 2]), "u": union})
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as w:
        w.write_table(table)
    with pytest.raises(sandbox.Refused) as info:
        sandbox._frame(sink.getvalue().to_pybytes())
    assert "column 'u' (sparse_union" in info.value.en and 'CAST("u" AS VARCHAR)' in info.value.en
    assert "列「u」" in info.value.ja


def test_worker_error_opening_the_database_is_a_message(tmp_path):
    with pytest.raises(sandbox.Refused) as info:
        sandbox.run("SELECT 1", tmp_path)  # a directory, not a database file
    assert info.value.en.startswith("SQL error (") and info.value.ja.startswith("SQL エラー")


def test_console_page_shows_any_result_and_full_errors(bundled_db, tmp_path, monkeypatch):
    monkeypatch.setenv("POPDASH_DB", str(bundled_db))
    monkeypatch.setenv("POPDASH_USER_DB", str(tmp_path / "none.duckdb"))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params["area"] = "40203"
    at.switch_page("pages/sql_console.py")
    at.run()
    assert f"{LIMITS.sql_seconds:g} 秒" in at.caption[0].value
    at.text_area(key="sql").set_value("SELECT * FROM test_all_types()")
    at.button[0].click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    assert [d.value.shape for d in at.dataframe if "union" in getattr(d.value, "columns", [])][-1][0] == 3
    at.text_area(key="sql").set_value("SELECT nonexistent FROM areas")
    at.button[0].click()
    at.run()
    assert not at.exception
    msg = at.error[-1].value
    assert "```text" in msg and "LINE 1: SELECT nonexistent FROM areas" in msg and "^^^" in msg
    monkeypatch.setattr(sandbox, "_spawn", lambda *a, **k: 1 / 0)
    at.text_area(key="sql").set_value("SELECT 2")
    at.button[0].click()
    at.run()
    assert not at.exception
    assert "ZeroDivisionError" in at.error[-1].value
