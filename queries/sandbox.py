"""Read-only SQL console: one SELECT over the database, checked by DuckDB's own parser, run in a sandbox process.

Layers (each would stop a write or a file/network access on its own):
1. `check()` — DuckDB's parser (`extract_statements`): exactly one statement of type SELECT (WITH … SELECT,
   FROM-first and DESCRIBE/SUMMARIZE parse as SELECT); no COPY/ATTACH/DETACH/PRAGMA/SET/INSTALL/LOAD/EXPORT/
   CALL/CREATE/INSERT/UPDATE/DELETE/DROP/ALTER/EXPLAIN/PIVOT. Then the parse tree (`json_serialize_sql`) is walked:
   DELETE/INSERT/UPDATE/COPY nodes inside it (a CTE body) are refused, functions that read files or URLs or run
   SQL text (read_csv, read_parquet, glob, read_text, query, sqlite_scan, getenv …) are refused by name, and so
   are table references with a file path or URL ('x.csv').
   `check()` may be called from many sessions' threads at once: each call parses on its own cursor.
2. A separate process (`python queries/sandbox.py`) with RLIMIT_CPU and, before the query, RLIMIT_AS (address
   space: what it maps by then + LIMITS.sql_address_space_mb) opens the database read-only with external access
   disabled, extension install/autoload off, memory_limit = LIMITS.sql_memory, 2 threads and no spilling to disk
   (temp_directory '' — DuckDB would otherwise write `<database>.tmp/` next to the official file), then locks the
   configuration (verified with current_setting() before running). The user's imports, if any, are attached
   read-only as `imports` beforehand (allowed_paths names exactly that file).
3. A time limit (LIMITS.sql_seconds): a timer thread in the worker calls `interrupt()`; the parent kills the process
   shortly after if it has not answered. A row limit (LIMITS.sql_rows): at most that many rows are fetched
   (streamed), the rest is not computed. At most LIMITS.sql_concurrent sandbox processes run at once.
Whatever goes wrong — a DuckDB error, a crash of the worker, a result that pandas cannot hold — `run()` raises
Refused with a Japanese and an English message (DuckDB's full error text, at most MESSAGE_CHARS characters).
Columns of types a spreadsheet or pandas cannot hold (LIST, STRUCT, MAP, UNION, INTERVAL, TIME, BLOB, UUID …) come
back as DuckDB's text for them; dates and timestamps outside years 1–9999 (e.g. 'infinity') as text too.
The app's own connection (store.official.open_readonly) uses the same lockdown; the console never touches it.
"""
from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

if __name__ == "__main__" and len(sys.argv) > 2:  # the sandbox process runs isolated (-I -S): the parent passes
    sys.path[:0] = [p for p in sys.argv[2].split(os.pathsep) if p]  # its import path as the second argument

from settings import LIMITS, process_environment  # noqa: E402

MESSAGE_CHARS = 2_000  # longest error text shown to the analyst (DuckDB's message can echo the whole query)
LOCKDOWN = {"enable_external_access": False, "autoinstall_known_extensions": False,
            "autoload_known_extensions": False, "lock_configuration": True}  # as store.official.LOCKDOWN

#: Table/scalar functions refused by name (lower case): files, URLs, other databases, SQL text, environment.
DENIED_FUNCTIONS = frozenset({
    "read_csv", "read_csv_auto", "read_parquet", "parquet_scan", "parquet_metadata", "parquet_schema",
    "parquet_file_metadata", "parquet_kv_metadata", "parquet_bloom_probe", "read_json", "read_json_auto",
    "read_json_objects", "read_json_objects_auto", "read_ndjson", "read_ndjson_auto", "read_ndjson_objects",
    "read_text", "read_blob", "glob", "sniff_csv", "read_xlsx", "read_excel", "st_read", "delta_scan",
    "iceberg_scan", "iceberg_metadata", "iceberg_snapshots", "sqlite_scan", "sqlite_attach", "postgres_scan",
    "postgres_attach", "postgres_query", "postgres_execute", "mysql_scan", "mysql_query", "mysql_execute",
    "query", "query_table", "getenv", "load_extension", "install_extension", "duckdb_secrets",
    "which_secret", "http_get", "http_post", "pragma_database_size", "duckdb_extensions",
    "checkpoint", "force_checkpoint", "enable_profiling", "set_variable", "current_setting",
    "duckdb_settings", "duckdb_databases", "duckdb_temporary_files", "duckdb_memory", "duckdb_logs",
})
_SLOTS = threading.BoundedSemaphore(LIMITS.sql_concurrent)  # each process may map sql_address_space_mb more
_STATEMENT_NAMES = {"SELECT"}
#: Query nodes a SELECT may contain. DuckDB 2 also parses DELETE/INSERT/UPDATE/COPY … RETURNING as a CTE body
#: (`WITH x AS (DELETE FROM t RETURNING *) SELECT …` is statement type SELECT); those nodes are refused.
_READ_NODES = frozenset({"SELECT_NODE", "SET_OPERATION_NODE", "RECURSIVE_CTE_NODE", "CTE_NODE"})


class Refused(Exception):
    """A statement the console will not run. `ja`/`en`: the reason for the analyst."""

    def __init__(self, ja: str, en: str):
        super().__init__(en)
        self.ja, self.en = ja, en

    def message(self, lang: str = "ja") -> str:
        return self.ja if lang == "ja" else self.en


@dataclass
class Result:
    """Outcome of a console query: rows (pandas DataFrame, at most max_rows), truncated flag, seconds."""

    frame: object
    truncated: bool
    seconds: float


@dataclass(frozen=True)
class Example:
    """A named example query shown in the console (key of its i18n title, SQL)."""

    key: str
    sql: str


EXAMPLES = [
    Example("sqlx_tables", "SELECT table_name, estimated_size AS rows, column_count\nFROM duckdb_tables()\nORDER BY table_name"),
    Example("sqlx_kurume_trend",
            "-- 久留米市の総人口（住民基本台帳、日本人＋外国人）\nSELECT ref_date, persons\nFROM population\n"
            "WHERE area_code = '40203' AND nationality = 'total' AND sex = 'total'\n  AND age_group = 'total' AND basis = 'juki'\n"
            "ORDER BY ref_date"),
    Example("sqlx_natural_rank",
            "-- 自然増減率（人口千人あたり）の低い市区町村 2021年\nWITH v AS (\n  SELECT area_code, births - deaths AS natural\n"
            "  FROM vital_events WHERE period = 'CY2021' AND nationality = 'total'\n), p AS (\n"
            "  SELECT area_code, persons FROM population\n  WHERE ref_date = DATE '2022-01-01' AND basis = 'juki'\n"
            "    AND nationality = 'total' AND sex = 'total' AND age_group = 'total'\n)\n"
            "SELECT a.area_code, a.name_ja, v.natural, p.persons,\n       round(1000.0 * v.natural / p.persons, 2) AS per_1000\n"
            "FROM v JOIN p USING (area_code) JOIN areas a USING (area_code)\n"
            "WHERE a.kind IN ('city', 'town', 'village', 'special_ward')\nORDER BY per_1000\nLIMIT 20"),
    Example("sqlx_foreign_share",
            "-- 外国人住民の割合が高い市区町村（2022年1月1日）\nSELECT a.name_ja, a.pref_name,\n"
            "       sum(persons) FILTER (nationality = 'foreign') AS foreign_persons,\n"
            "       sum(persons) FILTER (nationality = 'total') AS total_persons,\n"
            "       round(100.0 * foreign_persons / total_persons, 2) AS foreign_pct\n"
            "FROM population JOIN areas a USING (area_code)\n"
            "WHERE ref_date = DATE '2022-01-01' AND basis = 'juki' AND sex = 'total' AND age_group = 'total'\n"
            "  AND a.kind NOT IN ('nation', 'prefecture', 'designated_city')\nGROUP BY ALL\nORDER BY foreign_pct DESC\nLIMIT 20"),
    Example("sqlx_group",
            "-- 久留米広域連携中枢都市圏の人口（最新の基準日）\nSELECT g.group_name_ja, a.name_ja, p.ref_date, p.persons\n"
            "FROM area_groups g JOIN population p USING (area_code) JOIN areas a USING (area_code)\n"
            "WHERE g.group_code = 'kurume_metro' AND p.basis = 'juki' AND p.nationality = 'total'\n"
            "  AND p.sex = 'total' AND p.age_group = 'total'\n"
            "QUALIFY p.ref_date = max(p.ref_date) OVER ()\nORDER BY p.persons DESC"),
    Example("sqlx_imports", "-- 取り込んだデータ（imports.population など）\nSELECT *\nFROM imports.imports\nORDER BY import_id"),
]


# ---------------------------------------------------------------- checking

_PARSER = None
_PARSER_LOCK = threading.Lock()


def _parser_cursor():
    """A cursor of its own for one check() call. A DuckDB connection is not safe to share between threads: with one
    connection for all sessions, concurrent calls read each other's parse trees (measured: 6 threads let attacks
    through and refused harmless queries). Cursors of one in-memory database are independent connections and cost
    ~0.4 ms, a fresh database ~45 ms."""
    global _PARSER
    import duckdb

    with _PARSER_LOCK:
        if _PARSER is None:
            _PARSER = duckdb.connect(":memory:", config=dict(LOCKDOWN))
        return _PARSER.cursor()


def _walk(node, found: dict) -> None:
    if isinstance(node, dict):
        cls, typ = node.get("class"), node.get("type")
        if cls == "FUNCTION" or typ == "FUNCTION":
            found.setdefault("functions", set()).add(str(node.get("function_name", "")).lower())
        if typ == "TABLE_FUNCTION":
            fn = node.get("function") or {}
            found.setdefault("functions", set()).add(str(fn.get("function_name", "")).lower())
        if isinstance(typ, str) and typ.endswith("_NODE") and typ not in _READ_NODES:
            found.setdefault("nodes", set()).add(typ.removesuffix("_NODE").removesuffix("_QUERY"))
        if typ == "BASE_TABLE":
            found.setdefault("tables", set()).add((str(node.get("catalog_name", "")), str(node.get("schema_name", "")),
                                                   str(node.get("table_name", ""))))
        for v in node.values():
            _walk(v, found)
    elif isinstance(node, list):
        for v in node:
            _walk(v, found)


def check(sql: str) -> str:
    """Return the single statement of `sql` if the console may run it, else raise Refused (reason in ja/en).

    Safe to call from several threads at once (each call parses on its own cursor)."""
    import duckdb

    text = (sql or "").strip()
    if not text:
        raise Refused("SQL を入力してください。", "enter a query.")
    limit = LIMITS.sql_chars
    if len(text) > limit:
        raise Refused(f"SQL が長すぎます（{limit:,} 文字まで）。", f"the query is too long ({limit:,} characters max).")
    cur = _parser_cursor()
    try:
        try:
            statements = cur.extract_statements(text)
        except duckdb.Error as exc:
            raise Refused(f"SQL の構文エラー: {error_text(exc)}", f"syntax error: {error_text(exc)}") from None
        if len(statements) != 1:
            raise Refused(f"文は1つだけ実行できます（{len(statements)} 個あります）。", f"only one statement can run ({len(statements)} given).")
        st = statements[0]
        try:
            kind = str(st.type).split(".")[-1]
        except ValueError:  # a type the Python binding has no name for (UPDATE EXTENSIONS is 29): not a SELECT
            kind = "UNKNOWN"
        if kind not in _STATEMENT_NAMES:
            raise Refused(f"読み取り（SELECT）以外の文は実行できません（{kind}）。", f"only read-only SELECT queries can run (got {kind}).")
        try:
            tree = json.loads(cur.execute("SELECT json_serialize_sql($q::VARCHAR)", {"q": st.query}).fetchone()[0])
        except Exception as exc:  # noqa: BLE001 - any parser failure refuses the query
            raise Refused(f"SQL を解析できません: {error_text(exc)}", f"cannot analyse the query: {error_text(exc)}") from None
    finally:
        cur.close()
    if tree.get("error"):
        msg = _bounded(str(tree.get("error_message", "")))
        raise Refused(f"SQL を解析できません: {msg}", f"cannot analyse the query: {msg}")
    found: dict = {}
    _walk(tree.get("statements", []), found)
    if found.get("nodes"):
        kinds = ", ".join(sorted(found["nodes"]))
        raise Refused(f"読み取り（SELECT）以外の文は実行できません（WITH 内の {kinds}）。",
                      f"only read-only SELECT queries can run (got {kinds} inside the query).")
    denied = sorted(f for f in found.get("functions", set()) if f in DENIED_FUNCTIONS or f.startswith(("read_", "pragma_")))
    if denied:
        raise Refused(f"ファイル・ネットワーク・設定にアクセスする関数は使えません: {', '.join(denied)}",
                      f"functions that reach files, the network or settings are not allowed: {', '.join(denied)}")
    for catalog, schema, table in found.get("tables", set()):
        if re.search(r"[./\\:]", table) or "://" in table:
            raise Refused(f"ファイルやURLを表として読むことはできません: {table}", f"files and URLs cannot be read as tables: {table}")
        if catalog.lower() not in ("", "main", "imports", "memory") and catalog.lower() != "system":
            raise Refused(f"データベース「{catalog}」は使えません（main と imports のみ）。", f"database {catalog!r} is not available (main and imports only).")
    return st.query.strip().rstrip(";")


def error_text(exc: BaseException | str) -> str:
    """DuckDB's (or any) error message in full — every line, e.g. the LINE/caret lines and candidate bindings —
    at most MESSAGE_CHARS characters; the exception's class name when it has no text."""
    text = str(exc).strip()
    if not text and isinstance(exc, BaseException):
        text = type(exc).__name__
    return _bounded(text)


def _bounded(text: str) -> str:
    return text if len(text) <= MESSAGE_CHARS else text[:MESSAGE_CHARS - 1].rstrip() + "…"


# ---------------------------------------------------------------- running

def run(sql: str, database: str | Path, user_db: str | Path | None = None, time_limit: float | None = None,
        max_rows: int | None = None, memory_limit: str | None = None) -> Result:
    """Check `sql` and run it in the sandbox process against `database` (read-only; `user_db` attached read-only
    as `imports` when given and present).

    Limits default to settings.LIMITS: `time_limit` seconds (sql_seconds), `max_rows` rows (sql_rows),
    `memory_limit` as DuckDB writes it, e.g. '512MB' (sql_memory). Returns Result(frame, truncated, seconds).
    Raises Refused — and only Refused — for a query refused by the checks, over a limit, failed in DuckDB, a worker
    that crashed or a result that cannot be converted (message in ja/en, never a traceback)."""
    time_limit = LIMITS.sql_seconds if time_limit is None else float(time_limit)
    max_rows = LIMITS.sql_rows if max_rows is None else int(max_rows)
    try:
        query = check(sql)
        if not _SLOTS.acquire(timeout=time_limit):
            raise Refused("ほかの利用者のクエリを実行中です。少し待ってからやり直してください。",
                          "other queries are running; try again in a moment.")
        try:
            return _spawn(query, database, user_db, time_limit, max_rows, precheck=True, memory_limit=memory_limit)
        finally:
            _SLOTS.release()
    except Refused:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever fails, the analyst gets a message, not a traceback
        raise _unexpected(exc) from None


def _unexpected(exc: BaseException | str, kind: str | None = None) -> Refused:
    kind = kind or type(exc).__name__
    return Refused(f"クエリを実行できませんでした（{kind}）: {error_text(exc)}",
                   f"the query could not be run ({kind}): {error_text(exc)}")


def _spawn(query: str, database, user_db, time_limit: float, max_rows: int, precheck: bool,
           memory_limit: str | None = None) -> Result:
    """Run `query` in a fresh sandbox process (see module docstring); `precheck=False` skips the parser check in
    the worker (tests of the engine's own lockdown). Returns Result; raises Refused."""
    memory_limit = memory_limit or LIMITS.sql_memory
    job = {"sql": query, "db": str(Path(database).resolve()),
           "user_db": str(Path(user_db).resolve()) if user_db and Path(user_db).exists() else None,
           "time_limit": float(time_limit), "max_rows": int(max_rows), "memory_limit": memory_limit,
           "address_mb": LIMITS.sql_address_space_mb, "lockdown": LOCKDOWN, "precheck": precheck}
    env = process_environment(("PATH", "LANG", "LC_ALL", "HOME", "TMPDIR"))
    # -I -S: no site hooks or user paths in the worker; the parent's import path is passed explicitly.
    path = os.pathsep.join([str(Path(__file__).resolve().parents[1]), *(p for p in sys.path if p)])
    try:
        proc = subprocess.run([sys.executable, "-I", "-S", str(Path(__file__).resolve()), "--worker", path],
                              input=json.dumps(job).encode(), capture_output=True, timeout=time_limit + 10,
                              env=env, cwd="/")
    except subprocess.TimeoutExpired:
        raise _over_time(time_limit) from None
    except OSError as exc:
        raise Refused(f"SQL の実行プロセスを起動できません: {error_text(exc)}",
                      f"cannot start the query process: {error_text(exc)}") from None
    if proc.returncode != 0 or not proc.stdout.startswith(b"OK"):
        if proc.stdout.startswith(b"ERR"):
            kind, _, msg = proc.stdout.decode("utf-8", "replace").partition("\n")
            raise _error(kind.removeprefix("ERR ").strip(), msg.strip(), time_limit, memory_limit, proc.returncode)
        # No answer from the worker: a signal (CPU or memory limit, crash) or an interpreter failure. Its stderr
        # may hold a traceback, which is never shown; its last line names the error.
        last = (proc.stderr.decode("utf-8", "replace").strip().splitlines() or [""])[-1]
        raise _error("", last, time_limit, memory_limit, proc.returncode or 1)
    header, _, body = proc.stdout.partition(b"\n")
    try:
        _, truncated, seconds = header.decode().split()
        seconds = float(seconds)
    except ValueError:
        raise _unexpected(f"unexpected answer {header[:80]!r}", "sandbox") from None
    return Result(_frame(body), truncated == "1", seconds)


def _frame(body: bytes):
    """The worker's Arrow IPC stream -> pandas DataFrame (column names and order as in the query, duplicates
    kept; integer columns as nullable integers, so a NULL does not turn counts into floats). Raises Refused naming
    the first column pandas cannot convert."""
    import pandas as pd
    import pyarrow as pa

    ints = _int_dtypes().get
    try:
        table = pa.ipc.open_stream(body).read_all()
    except Exception as exc:  # noqa: BLE001 - a truncated or corrupt answer
        raise _unexpected(exc, "Arrow") from None
    try:
        return table.to_pandas(types_mapper=ints)
    except Exception:  # noqa: BLE001 - find the column, below
        pass
    series = []
    for name, col in zip(table.column_names, table.columns):
        try:
            series.append(pd.Series(col.to_pandas(types_mapper=ints), name=name))
        except Exception as exc:  # noqa: BLE001 - any conversion failure is one message naming the column
            raise Refused(f"列「{name}」（{col.type}）を表示できません。CAST(\"{name}\" AS VARCHAR) で文字列にしてください。"
                          f" {error_text(exc)}",
                          f"column {name!r} ({col.type}) cannot be shown; cast it to text with "
                          f"CAST(\"{name}\" AS VARCHAR). {error_text(exc)}") from None
    return pd.concat(series, axis=1) if series else pd.DataFrame()


@functools.cache
def _int_dtypes() -> dict:
    """Arrow integer type -> pandas nullable integer dtype."""
    import pandas as pd
    import pyarrow as pa

    return {pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(),
            pa.int64(): pd.Int64Dtype(), pa.uint8(): pd.UInt8Dtype(), pa.uint16(): pd.UInt16Dtype(),
            pa.uint32(): pd.UInt32Dtype(), pa.uint64(): pd.UInt64Dtype()}


def _over_time(time_limit: float) -> Refused:
    return Refused(f"時間制限（{time_limit:g} 秒）を超えたため中止しました。", f"stopped: over the time limit of {time_limit:g} s.")


def _error(kind: str, msg: str, time_limit: float, memory_limit: str, rc: int) -> Refused:
    """The Refused for a worker's answer `ERR kind\nmsg` (or, with kind '', for a worker that died with code `rc`
    and last stderr line `msg`)."""
    if kind == "InterruptException":
        return _over_time(time_limit)
    if kind == "OutOfMemoryException" or rc in (-9, 137) or "MemoryError" in kind or msg == "MemoryError":
        return Refused(f"メモリ制限（{memory_limit}）を超えたため中止しました。集計や行数を絞ってください。",
                       f"stopped: over the memory limit ({memory_limit}); aggregate or filter more.")
    if kind == "PermissionException":
        return Refused(f"ファイル・ネットワークへのアクセスは禁止されています: {error_text(msg)}",
                       f"file and network access is disabled: {error_text(msg)}")
    if kind == "Locked":
        return Refused("利用者データベースが使用中です（取り込み中）。少し待ってからやり直してください。", "the user database is busy (an import is running); try again.")
    if kind == "Refused":
        ja, _, en = msg.partition("\t")
        return Refused(ja, en or ja)
    if rc == -24:  # SIGXCPU: RLIMIT_CPU, the worker's last line of defence against a query that ignores interrupt()
        return _over_time(time_limit)
    if rc < 0:
        return Refused(f"実行が中止されました（シグナル {-rc}）。", f"the query process was stopped (signal {-rc}).")
    if not kind:
        return _unexpected(msg or f"exit code {rc}", "sandbox")
    return Refused(f"SQL エラー（{kind}）: {error_text(msg or kind)}", f"SQL error ({kind}): {error_text(msg or kind)}")


# ---------------------------------------------------------------- the sandbox process

#: DuckDB result types handed to pandas as they are; any other type (LIST, STRUCT, MAP, UNION, ARRAY, INTERVAL,
#: TIME, BLOB, BIT, UUID, ENUM, GEOMETRY, BIGNUM …) is cast to VARCHAR in the worker — pandas, Arrow's parquet
#: writer or Excel cannot hold every one of them (test_all_types() showed each failure).
_PORTABLE_TYPES = frozenset({
    "boolean", "tinyint", "smallint", "integer", "bigint", "utinyint", "usmallint", "uinteger", "ubigint",
    "hugeint", "uhugeint", "float", "double", "decimal", "varchar", "date", "timestamp", "timestamp_s",
    "timestamp_ms", "timestamp_ns", "timestamp with time zone", "timestamptz_ns",
})


def _portable(rel):
    """`rel` with every column of a type outside _PORTABLE_TYPES cast to VARCHAR (by position: names may repeat)."""
    ids = [t.id for t in rel.types]
    if all(i in _PORTABLE_TYPES for i in ids):
        return rel
    cols = []
    for k, (name, i) in enumerate(zip(rel.columns, ids), start=1):
        alias = '"' + name.replace('"', '""') + '"'
        cols.append(f"#{k} AS {alias}" if i in _PORTABLE_TYPES else f"CAST(#{k} AS VARCHAR) AS {alias}")
    return rel.project(", ".join(cols))


def _in_range(cur, table):
    """`table` (pyarrow) with each date/timestamp column holding a value outside years 1–9999 (e.g. 'infinity',
    which neither pandas nor Excel can hold) replaced by DuckDB's text for it."""
    import pyarrow as pa
    import pyarrow.compute as pc

    far = []
    for k, (field, col) in enumerate(zip(table.schema, table.columns), start=1):
        if (pa.types.is_date(field.type) or pa.types.is_timestamp(field.type)) and col.null_count < len(col):
            lo, hi = pc.min_max(pc.year(col)).values()
            if lo.as_py() < 1 or hi.as_py() > 9999:
                far.append(k)
    if not far:
        return table
    cols = [f"CAST(#{k} AS VARCHAR)" if k in far else f"#{k}" for k in range(1, table.num_columns + 1)]
    out = cur.from_arrow(table).project(", ".join(cols)).to_arrow_table()
    return out.rename_columns(table.column_names)


def _worker() -> None:  # pragma: no cover - runs in the child process; exercised through run()
    import resource
    import threading
    import time

    out = sys.stdout.buffer

    def fail(kind: str, msg: str) -> None:
        out.write(f"ERR {kind}\n{msg}".encode("utf-8", "replace"))
        out.flush()
        os._exit(0)

    try:
        job = json.loads(sys.stdin.buffer.read())
        cpu = int(job["time_limit"] * 4) + 5
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))

        import duckdb
        import pyarrow as pa

        if job["precheck"]:
            try:
                check(job["sql"])  # again, in the process that runs it
            except Refused as exc:
                fail("Refused", f"{exc.ja}\t{exc.en}")
        config = {k: v for k, v in job["lockdown"].items() if k not in ("enable_external_access", "lock_configuration")}
        # temp_directory '': no spilling at all (DuckDB's default is `<database>.tmp/` beside the official file);
        # a query that needs more than memory_limit fails with an out-of-memory error instead.
        config.update({"memory_limit": job["memory_limit"], "threads": 2, "temp_directory": "",
                       "max_temp_directory_size": "0B"})
        try:
            con = duckdb.connect(job["db"], read_only=True, config=config)
            user = job["user_db"]
            if user:
                con.execute("SET allowed_paths = $p", {"p": [user, user + ".wal"]})
            con.execute("SET enable_external_access = false")
            if user:
                try:
                    con.execute(f"ATTACH '{user.replace(chr(39), chr(39) * 2)}' AS imports (READ_ONLY)")
                except duckdb.IOException:
                    fail("Locked", "user database locked")
            con.execute("SET lock_configuration = true")
            checks = con.execute("SELECT current_setting('enable_external_access'), current_setting('lock_configuration'), "
                                 "current_setting('autoload_known_extensions'), current_setting('autoinstall_known_extensions'), "
                                 "current_setting('access_mode'), current_setting('temp_directory')").fetchone()
            if checks != (False, True, False, False, "read_only", ""):
                fail("Refused", f"サンドボックスの設定を確認できません {checks}\tsandbox settings not as expected {checks}")
        except duckdb.Error as exc:
            fail(type(exc).__name__, str(exc))
        cur = con.cursor()
        # Address-space cap: what the process already maps (interpreter, DuckDB, pyarrow) plus a fixed budget, so a
        # query that builds a huge string or list fails with an out-of-memory error instead of growing without bound.
        with open("/proc/self/status") as fh:
            mapped = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmSize:"))
        lim = mapped + job["address_mb"] * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (lim, lim))
        timer = threading.Timer(job["time_limit"], cur.interrupt)
        timer.daemon = True
        started = time.perf_counter()
        timer.start()
        try:
            try:
                rel = cur.sql(job["sql"])  # a relation streams: only the batches fetched below are computed
            except duckdb.Error:
                # Failed while binding. The relation API's message leaves out where (LINE 1: … ^^^); binding the
                # statement again through execute() raises the same error with it, before anything runs.
                cur.execute(job["sql"])
                raise
            rel = _portable(rel)
            reader = rel.to_arrow_reader(min(job["max_rows"] + 1, 100_000))
            batches, n = [], 0
            for batch in reader:
                batches.append(batch)
                n += batch.num_rows
                if n > job["max_rows"]:
                    break
            table = pa.Table.from_batches(batches, schema=reader.schema) if batches else reader.schema.empty_table()
        except duckdb.Error as exc:
            fail(type(exc).__name__, str(exc))
        finally:
            timer.cancel()
        seconds = time.perf_counter() - started
        truncated = table.num_rows > job["max_rows"]
        table = _in_range(cur, table.slice(0, job["max_rows"]))
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as w:
            w.write_table(table)
        body = sink.getvalue().to_pybytes()
    except MemoryError:
        fail("MemoryError", "out of memory")
    except BaseException as exc:  # noqa: BLE001 - Arrow, pyarrow IPC, anything: one line for the parent
        fail(type(exc).__name__, str(exc))
    out.write(f"OK {int(truncated)} {seconds:.3f}\n".encode())
    out.write(body)
    out.flush()
    os._exit(0)  # no teardown: DuckDB's threads may still be unwinding an interrupted query


if __name__ == "__main__" and sys.argv[1:2] == ["--worker"]:
    _worker()
