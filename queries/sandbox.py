"""Read-only SQL console: one SELECT over the database, checked by DuckDB's own parser, run in a sandbox process.

Layers (each would stop a write or a file/network access on its own):
1. `check()` — DuckDB's parser (`duckdb.extract_statements`): exactly one statement of type SELECT (WITH … SELECT,
   FROM-first and DESCRIBE/SUMMARIZE parse as SELECT); no COPY/ATTACH/DETACH/PRAGMA/SET/INSTALL/LOAD/EXPORT/
   CALL/CREATE/INSERT/UPDATE/DELETE/DROP/ALTER/EXPLAIN/PIVOT. Then the parse tree (`json_serialize_sql`) is walked:
   functions that read files or URLs or run SQL text (read_csv, read_parquet, glob, read_text, query, sqlite_scan,
   getenv …) are refused by name, and so are table references with a file path or URL ('x.csv').
2. A separate process (`python queries/sandbox.py`) with RLIMIT_CPU and, before the query, RLIMIT_AS (address
   space: what it maps by then + ADDRESS_SPACE_MB) opens the database read-only with external access disabled, extension install/autoload off, memory_limit, 2 threads and
   no temp spill, then locks the configuration (verified with current_setting() before running). The user's
   imports, if any, are attached read-only as `imports` beforehand (allowed_paths names exactly that file).
3. A time limit: a timer thread in the worker calls `interrupt()`; the parent kills the process shortly after if it
   has not answered. A row limit: at most `max_rows` rows are fetched (streamed), the rest is not computed. At most
   MAX_CONCURRENT sandbox processes run at once.
The app's own connection (store.official.open_readonly) uses the same lockdown; the console never touches it.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

TIME_LIMIT_S = 5.0
MAX_ROWS = 10_000
MEMORY_LIMIT = "512MB"
ADDRESS_SPACE_MB = 1536  # on top of what the worker maps before the query
MAX_SQL_CHARS = 20_000
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
MAX_CONCURRENT = 2  # sandbox processes at once per server (each may map ADDRESS_SPACE_MB more)
_SLOTS = threading.BoundedSemaphore(MAX_CONCURRENT)
_STATEMENT_NAMES = {"SELECT"}


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


def _parser():
    global _PARSER
    if _PARSER is None:
        import duckdb

        _PARSER = duckdb.connect(":memory:", config=dict(LOCKDOWN))
    return _PARSER


def _walk(node, found: dict) -> None:
    if isinstance(node, dict):
        cls, typ = node.get("class"), node.get("type")
        if cls == "FUNCTION" or typ == "FUNCTION":
            found.setdefault("functions", set()).add(str(node.get("function_name", "")).lower())
        if typ == "TABLE_FUNCTION":
            fn = node.get("function") or {}
            found.setdefault("functions", set()).add(str(fn.get("function_name", "")).lower())
        if typ == "BASE_TABLE":
            found.setdefault("tables", set()).add((str(node.get("catalog_name", "")), str(node.get("schema_name", "")),
                                                   str(node.get("table_name", ""))))
        for v in node.values():
            _walk(v, found)
    elif isinstance(node, list):
        for v in node:
            _walk(v, found)


def check(sql: str) -> str:
    """Return the single statement of `sql` if the console may run it, else raise Refused (reason in ja/en)."""
    import duckdb

    text = (sql or "").strip()
    if not text:
        raise Refused("SQL を入力してください。", "enter a query.")
    if len(text) > MAX_SQL_CHARS:
        raise Refused(f"SQL が長すぎます（{MAX_SQL_CHARS:,} 文字まで）。", f"the query is too long ({MAX_SQL_CHARS:,} characters max).")
    try:
        statements = duckdb.extract_statements(text)
    except duckdb.Error as exc:
        raise Refused(f"SQL の構文エラー: {_first_line(exc)}", f"syntax error: {_first_line(exc)}") from None
    if len(statements) != 1:
        raise Refused(f"文は1つだけ実行できます（{len(statements)} 個あります）。", f"only one statement can run ({len(statements)} given).")
    st = statements[0]
    kind = str(st.type).split(".")[-1]
    if kind not in _STATEMENT_NAMES:
        raise Refused(f"読み取り（SELECT）以外の文は実行できません（{kind}）。", f"only read-only SELECT queries can run (got {kind}).")
    try:
        tree = json.loads(_parser().execute("SELECT json_serialize_sql($q::VARCHAR)", {"q": st.query}).fetchone()[0])
    except Exception as exc:  # noqa: BLE001 - any parser failure refuses the query
        raise Refused(f"SQL を解析できません: {_first_line(exc)}", f"cannot analyse the query: {_first_line(exc)}") from None
    if tree.get("error"):
        msg = str(tree.get("error_message", ""))
        raise Refused(f"SQL を解析できません: {msg}", f"cannot analyse the query: {msg}")
    found: dict = {}
    _walk(tree.get("statements", []), found)
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


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__


# ---------------------------------------------------------------- running

def run(sql: str, database: str | Path, user_db: str | Path | None = None, time_limit: float = TIME_LIMIT_S,
        max_rows: int = MAX_ROWS):
    """Check `sql` and run it in the sandbox process against `database` (read-only; `user_db` attached read-only
    as `imports` when given and present). Returns Result(frame, truncated, seconds); raises Refused for a query
    refused by the checks, the time limit, the memory limit or a DuckDB error (message in ja/en)."""
    query = check(sql)
    if not _SLOTS.acquire(timeout=time_limit):
        raise Refused("ほかの利用者のクエリを実行中です。少し待ってからやり直してください。",
                      "other queries are running; try again in a moment.")
    try:
        return _spawn(query, database, user_db, time_limit, max_rows, precheck=True)
    finally:
        _SLOTS.release()


def _spawn(query: str, database, user_db, time_limit: float, max_rows: int, precheck: bool):
    import pyarrow as pa

    job = {"sql": query, "db": str(Path(database).resolve()),
           "user_db": str(Path(user_db).resolve()) if user_db and Path(user_db).exists() else None,
           "time_limit": float(time_limit), "max_rows": int(max_rows), "memory_limit": MEMORY_LIMIT,
           "address_mb": ADDRESS_SPACE_MB, "lockdown": LOCKDOWN, "precheck": precheck}
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "HOME", "TMPDIR")}
    # -I -S: no site hooks or user paths in the worker; the parent's import path is passed explicitly.
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parents[1]), *(p for p in sys.path if p)])
    try:
        proc = subprocess.run([sys.executable, "-I", "-S", str(Path(__file__).resolve()), "--worker"],
                              input=json.dumps(job).encode(), capture_output=True, timeout=time_limit + 10,
                              env=env, cwd="/")
    except subprocess.TimeoutExpired:
        raise Refused(f"時間制限（{time_limit:g} 秒）を超えたため中止しました。", f"stopped: over the time limit of {time_limit:g} s.") from None
    if proc.returncode != 0 or not proc.stdout.startswith(b"OK"):
        err = proc.stdout.decode("utf-8", "replace") if proc.stdout.startswith(b"ERR") else proc.stderr.decode("utf-8", "replace")
        kind, _, msg = err.partition("\n")
        raise _error(kind.removeprefix("ERR ").strip(), msg.strip(), time_limit, proc.returncode)
    header, _, body = proc.stdout.partition(b"\n")
    _, truncated, seconds = header.decode().split()
    frame = pa.ipc.open_stream(body).read_all().to_pandas()
    return Result(frame, truncated == "1", float(seconds))


def _error(kind: str, msg: str, time_limit: float, rc: int) -> Refused:
    if kind == "InterruptException":
        return Refused(f"時間制限（{time_limit:g} 秒）を超えたため中止しました。", f"stopped: over the time limit of {time_limit:g} s.")
    if kind == "OutOfMemoryException" or rc in (-9, 137) or "MemoryError" in kind:
        return Refused(f"メモリ制限（{MEMORY_LIMIT}）を超えたため中止しました。集計や行数を絞ってください。",
                       f"stopped: over the memory limit ({MEMORY_LIMIT}); aggregate or filter more.")
    if kind == "PermissionException":
        return Refused(f"ファイル・ネットワークへのアクセスは禁止されています: {msg[:200]}", f"file and network access is disabled: {msg[:200]}")
    if kind == "Locked":
        return Refused("利用者データベースが使用中です（取り込み中）。少し待ってからやり直してください。", "the user database is busy (an import is running); try again.")
    if kind == "Refused":
        ja, _, en = msg.partition("\t")
        return Refused(ja, en or ja)
    if rc < 0:
        return Refused(f"実行が中止されました（シグナル {-rc}）。", f"the query process was stopped (signal {-rc}).")
    first = msg.splitlines()[0][:300] if msg else kind
    return Refused(f"SQL エラー（{kind}）: {first}", f"SQL error ({kind}): {first}")


# ---------------------------------------------------------------- the sandbox process

def _worker() -> None:  # pragma: no cover - runs in the child process; exercised through run()
    import resource
    import threading
    import time

    job = json.loads(sys.stdin.buffer.read())
    cpu = int(job["time_limit"] * 4) + 5
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    out = sys.stdout.buffer

    def fail(kind: str, msg: str) -> None:
        out.write(f"ERR {kind}\n{msg}".encode())
        out.flush()
        os._exit(0)

    import duckdb
    import pyarrow as pa

    if job["precheck"]:
        try:
            check(job["sql"])  # again, in the process that runs it
        except Refused as exc:
            fail("Refused", f"{exc.ja}\t{exc.en}")
    config = {k: v for k, v in job["lockdown"].items() if k not in ("enable_external_access", "lock_configuration")}
    config.update({"memory_limit": job["memory_limit"], "threads": 2, "max_temp_directory_size": "0B"})
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
                             "current_setting('access_mode')").fetchone()
        if checks != (False, True, False, False, "read_only"):
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
        rel = cur.sql(job["sql"])  # a relation streams: only the batches fetched below are computed
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
    except MemoryError:
        fail("MemoryError", "out of memory")
    finally:
        timer.cancel()
    seconds = time.perf_counter() - started
    truncated = table.num_rows > job["max_rows"]
    table = table.slice(0, job["max_rows"])
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as w:
        w.write_table(table)
    out.write(f"OK {int(truncated)} {seconds:.3f}\n".encode())
    out.write(sink.getvalue().to_pybytes())
    out.flush()
    os._exit(0)  # no teardown: DuckDB's threads may still be unwinding an interrupted query


if __name__ == "__main__":
    if sys.argv[1:] == ["--worker"]:
        sys.path[:0] = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
        _worker()
