"""The user store: what officials create in the app, kept apart from the official statistics.

Tables (one file, separate tables, so no kind of user data can overwrite another):
- `kpi_values` — the current actual per KPI and period (kpi_id, period, value, value_text, note, judgement,
  saved_at UTC, saved_by); `kpi_history` — every change ever made, with the old and the new value, who and when.
- `user_kpi_plans` / `user_kpi_defs` — strategy plans created or imported in the app (one row per plan, one per
  KPI definition, the same columns as the official kpi_plans / kpi_defs), each row with saved_at UTC and saved_by.
- `playlist_items` — the presenter's saved views (playlist, position, title, url, spec, caption, notes).
- `imports` and one table per importable project table (layout owned by loaders.importer) — imported files.

Back end: a DuckDB file (settings.user_store_url(), default data/user/user.duckdb). It is opened for each operation
and closed after it, so other processes (another server worker, the SQL console's sandbox, which attaches it
read-only) can use it between operations; inside a process one lock serialises operations (DuckDB allows one
configuration per file and process, and a write is short). Every write is one transaction: it commits whole or not
at all, and a failed write leaves the file as it was. Writes from many sessions are applied one after the other, each
row by its key, so two officials saving at the same moment both keep their edit (the later one is current; both are
in the history).

Files of earlier versions (data/user/kpi.duckdb, data/user/imports.duckdb, data/user/playlist.json) are copied into
a new store the first time it is created; they are left in place untouched.
"""
from __future__ import annotations

import json
import math
import re
import shutil
import threading
import time
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterator

import duckdb
import pandas as pd

import settings
from loaders.errors import LoaderError

KPI_FIELDS = ["kpi_id", "period", "value", "value_text", "note", "judgement"]
KPI_COLUMNS = KPI_FIELDS + ["saved_at", "saved_by"]
HISTORY_COLUMNS = ["change_id", "batch", "kpi_id", "period", "action", "old_value", "old_value_text", "old_note",
                   "old_judgement", "value", "value_text", "note", "judgement", "saved_at", "saved_by"]
PLAYLIST_FIELDS = ["title", "url", "spec", "caption", "notes"]
PLAN_FIELDS = ["plan_id", "plan", "plan_en", "municipality_code", "municipality_ja", "municipality_en", "plan_start",
               "plan_end", "evaluated_as_of", "default_rule", "note"]
PLAN_COLUMNS = PLAN_FIELDS + ["saved_at", "saved_by"]
DEF_FIELDS = ["kpi_id", "plan_id", "level", "goal_no", "goal", "goal_en", "measure", "project", "kpi", "kpi_en", "unit",
              "direction", "value_kind", "aggregation", "baseline_value", "baseline_text", "baseline_period",
              "target_value", "target_text", "target_period", "department", "linked_series", "link_note", "sort_order",
              "note", "basis"]
DEF_COLUMNS = DEF_FIELDS + ["saved_at", "saved_by"]
USER_PLAN_PREFIX = "u"  # user plan ids: 'u40212_1'; their KPI ids: 'u40212_1_01'. Official ids never start so.
BUSY_SECONDS = 10.0  # how long an operation waits for another process (worker, SQL sandbox) to release the file
_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
_LOCKS: dict[str, threading.RLock] = {}
_LOCKS_GUARD = threading.Lock()

_SCHEMA = """
CREATE TABLE IF NOT EXISTS store_info (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS kpi_values (kpi_id VARCHAR NOT NULL, period VARCHAR NOT NULL, value DOUBLE PRECISION,
    value_text VARCHAR, note VARCHAR, judgement VARCHAR, saved_at TIMESTAMP NOT NULL, saved_by VARCHAR,
    PRIMARY KEY (kpi_id, period));
CREATE TABLE IF NOT EXISTS kpi_history (change_id BIGINT PRIMARY KEY, batch BIGINT NOT NULL, kpi_id VARCHAR NOT NULL,
    period VARCHAR NOT NULL, action VARCHAR NOT NULL, old_value DOUBLE PRECISION, old_value_text VARCHAR, old_note VARCHAR,
    old_judgement VARCHAR, value DOUBLE PRECISION, value_text VARCHAR, note VARCHAR, judgement VARCHAR,
    saved_at TIMESTAMP NOT NULL, saved_by VARCHAR);
CREATE TABLE IF NOT EXISTS user_kpi_plans (plan_id VARCHAR PRIMARY KEY, plan VARCHAR NOT NULL, plan_en VARCHAR,
    municipality_code VARCHAR NOT NULL, municipality_ja VARCHAR, municipality_en VARCHAR, plan_start VARCHAR NOT NULL,
    plan_end VARCHAR NOT NULL, evaluated_as_of VARCHAR, default_rule VARCHAR NOT NULL, note VARCHAR,
    saved_at TIMESTAMP NOT NULL, saved_by VARCHAR);
CREATE TABLE IF NOT EXISTS user_kpi_defs (kpi_id VARCHAR PRIMARY KEY, plan_id VARCHAR NOT NULL, level VARCHAR NOT NULL,
    goal_no INTEGER, goal VARCHAR, goal_en VARCHAR, measure VARCHAR, project VARCHAR, kpi VARCHAR NOT NULL, kpi_en VARCHAR,
    unit VARCHAR, direction VARCHAR NOT NULL, value_kind VARCHAR NOT NULL, aggregation VARCHAR NOT NULL,
    baseline_value DOUBLE PRECISION, baseline_text VARCHAR, baseline_period VARCHAR, target_value DOUBLE PRECISION, target_text VARCHAR,
    target_period VARCHAR, department VARCHAR, linked_series VARCHAR, link_note VARCHAR, sort_order INTEGER, note VARCHAR,
    basis VARCHAR, saved_at TIMESTAMP NOT NULL, saved_by VARCHAR);
CREATE TABLE IF NOT EXISTS playlist_items (playlist VARCHAR NOT NULL, position INTEGER NOT NULL, title VARCHAR NOT NULL,
    url VARCHAR NOT NULL, spec VARCHAR, caption VARCHAR, notes VARCHAR, saved_at TIMESTAMP NOT NULL, saved_by VARCHAR,
    PRIMARY KEY (playlist, position));
"""
SCHEMA_VERSION = "1"


def _lock(key: str) -> threading.RLock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(key, threading.RLock())


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _clean(v):
    """None for NaN/NA so values go into DuckDB as NULL."""
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if v is pd.NA or v is pd.NaT:
        return None
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):  # numpy scalars -> Python (PostgreSQL adapts those)
        v = v.item()
        return None if isinstance(v, float) and math.isnan(v) else v
    return v


class _PgResult:
    """The rows of a PostgreSQL statement, read like a DuckDB result (fetchone/fetchall/df)."""

    def __init__(self, cur):
        self.columns = [d.name for d in cur.description] if cur.description else []
        # a statement without rows (INSERT, DELETE …) answers its row count, as DuckDB does
        self.rows = cur.fetchall() if cur.description else [(max(cur.rowcount, 0),)]

    def fetchone(self):
        return self.rows[0] if self.rows else None

    def fetchall(self):
        return self.rows

    def df(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=self.columns)


class _PgConnection:
    """A psycopg connection spoken to like a DuckDB one: execute(sql with ? placeholders, params) -> result with
    fetchone/fetchall/df, and executemany. The store's SQL is written once for both back ends."""

    def __init__(self, con):
        self.con = con

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("%", "%%").replace("?", "%s")

    def execute(self, sql: str, params=None) -> _PgResult:
        with self.con.cursor() as cur:
            if params is None:  # no parameters: sent as written (a script such as the schema statement by statement)
                for part in (p for p in sql.split(";") if p.strip()):
                    cur.execute(part)
                return _PgResult(cur)
            cur.execute(self._sql(sql), list(params))
            return _PgResult(cur)

    def executemany(self, sql: str, rows) -> None:
        with self.con.cursor() as cur:
            cur.executemany(self._sql(sql), rows)

    def register(self, name: str, frame: pd.DataFrame) -> None:
        """Like DuckDB's register: `frame` as a table `name` for this transaction (a temporary table, bulk-loaded
        with COPY; column types from the values)."""
        cols = ", ".join(f'"{c}" {_pg_type(frame[c])}' for c in frame.columns)
        with self.con.cursor() as cur:
            cur.execute(f'CREATE TEMP TABLE "{name}" ({cols}) ON COMMIT DROP')
            with cur.copy(f'COPY "{name}" FROM STDIN') as copy:
                for row in frame.itertuples(index=False, name=None):
                    copy.write_row([_clean(v) for v in row])

    def unregister(self, name: str) -> None:
        self.execute(f'DROP TABLE IF EXISTS "{name}"')


def _pg_type(series: pd.Series) -> str:
    kind = series.dtype.kind
    if kind in "iu":
        return "BIGINT"
    if kind == "f":
        return "DOUBLE PRECISION"
    if kind == "b":
        return "BOOLEAN"
    if kind == "M":
        return "TIMESTAMP"
    first = next((v for v in series if not missing_value(v)), None)
    if isinstance(first, datetime):
        return "TIMESTAMP"
    if isinstance(first, date):
        return "DATE"
    if isinstance(first, bool):
        return "BOOLEAN"
    if isinstance(first, int):
        return "BIGINT"
    if isinstance(first, float):
        return "DOUBLE PRECISION"
    return "VARCHAR"


def missing_value(v) -> bool:
    return _clean(v) is None


class UserStore:
    """The user store at `url` (default: settings.user_store_url()): a DuckDB file path or a postgresql:// URL.
    Cheap to create; holds no open handle."""

    def __init__(self, url: str | Path | None = None):
        self.url = str(url) if url is not None else settings.user_store_url()
        self.postgres = self.url.startswith(("postgresql://", "postgres://"))
        self.path = None if self.postgres else Path(self.url)

    def __repr__(self) -> str:
        return f"UserStore({self.name()!r})"

    def name(self) -> str:
        """Where the store is, for people: the file path, or the PostgreSQL URL without its password."""
        if not self.postgres:
            return str(self.path)
        from urllib.parse import urlsplit

        u = urlsplit(self.url)
        host = u.hostname or ""
        user = f"{u.username}@" if u.username else ""
        return f"{u.scheme}://{user}{host}{':' + str(u.port) if u.port else ''}{u.path}"

    # ------------------------------------------------------------ connections

    def _key(self) -> str:
        return self.url if self.postgres else str(self.path.resolve())

    def stamp(self) -> tuple:
        """Identity of the store's content for cache keys: changes after every committed write."""
        if self.postgres:
            try:
                with self.reading() as con:
                    if not _has_table(con, "store_info"):
                        return (self.url, None)
                    return (self.url, con.execute("SELECT value FROM store_info WHERE key = 'revision'").fetchone())
            except LoaderError:
                return (self.url, None)
        out = [str(self.path)]
        for p in (self.path, Path(f"{self.path}.wal")):
            try:
                s = p.stat()
                out += [s.st_mtime_ns, s.st_size]
            except FileNotFoundError:
                out += [0, 0]
        return tuple(out)

    def _open(self):
        if self.postgres:
            return self._open_pg()
        deadline = time.monotonic() + BUSY_SECONDS
        while True:
            try:
                return duckdb.connect(str(self.path), config=dict(_CONFIG))
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                    raise LoaderError(self.path.name, "利用者データベースが使用中です。少し待ってからやり直してください。",
                                      "the user database is busy; try again in a moment.") from None
                time.sleep(0.05)

    def _open_pg(self) -> _PgConnection:
        import psycopg

        try:
            return _PgConnection(psycopg.connect(self.url, autocommit=True, connect_timeout=5))
        except psycopg.Error as exc:
            reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
            raise LoaderError(self.name(), f"利用者データベース（PostgreSQL）に接続できません。入力や取り込みは保存できません（{reason}）。"
                              "統計の表示はそのまま使えます。", f"cannot connect to the user database (PostgreSQL); nothing can be "
                              f"saved ({reason}). The statistics pages keep working.") from None

    def problem(self) -> LoaderError | None:
        """Why the store cannot be used right now (PostgreSQL unreachable or refusing the login), else None."""
        if not self.postgres:
            return None
        try:
            self._open_pg().con.close()
        except LoaderError as exc:
            return exc
        return None

    def _exists(self) -> bool:
        return self.postgres or self.path.exists()

    @contextmanager
    def reading(self) -> Iterator:
        """A connection for reading, or None while the store does not exist yet (nothing saved so far)."""
        with _lock(self._key()):
            if not self._exists() and _legacy_pending(self.path):
                with self.writing():  # bring an earlier version's files in before the first read
                    pass
            if not self._exists():
                yield None
                return
            con = self._open()
            try:
                yield con
            finally:
                con.con.close() if self.postgres else con.close()

    @contextmanager
    def writing(self) -> Iterator:
        """A connection inside one transaction: committed when the block ends, rolled back if it raises."""
        with _lock(self._key()):
            if not self._exists():
                self.path.parent.mkdir(parents=True, exist_ok=True)
                _copy_legacy_imports(self.path)
            con = self._open()
            try:
                con.execute(_SCHEMA)
                if not con.execute("SELECT count(*) FROM store_info WHERE key = 'schema_version'").fetchone()[0]:
                    # First use of this file by the store: bring earlier data in. Each copy is idempotent, so a
                    # migration interrupted before the version row is written simply runs again.
                    if not self.postgres:
                        _migrate_legacy(con, self.path)
                    con.execute("INSERT INTO store_info VALUES ('schema_version', ?) ON CONFLICT DO NOTHING", [SCHEMA_VERSION])
                con.execute("BEGIN")
                try:
                    if self.postgres:  # writers on other hosts: one write transaction at a time, in commit order
                        con.execute("SELECT pg_advisory_xact_lock(7270)")
                    yield con
                    con.execute("INSERT INTO store_info VALUES ('revision', '1') ON CONFLICT (key) DO UPDATE "
                                "SET value = CAST(CAST(store_info.value AS BIGINT) + 1 AS VARCHAR)")
                    con.execute("COMMIT")
                except BaseException:
                    con.execute("ROLLBACK")
                    raise
            finally:
                con.con.close() if self.postgres else con.close()

    @contextmanager
    def analytics(self) -> Iterator:
        """A DuckDB connection over the user tables for analytical SQL (the explorer's queries): the store itself
        when it is a DuckDB file, else an in-memory copy of every user table (PostgreSQL). None when empty."""
        if not self.postgres:
            with self.reading() as con:
                yield con
            return
        copy = duckdb.connect(":memory:", config=dict(_CONFIG))
        try:
            with self.reading() as con:
                names = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                                   "WHERE table_schema = 'public' ORDER BY table_name", []).fetchall()]
                for name in names:
                    frame = con.execute(f'SELECT * FROM "{name}"', []).df()
                    copy.register("frame_view", frame)
                    copy.execute(f'CREATE TABLE "{name}" AS SELECT * FROM frame_view')
                    copy.unregister("frame_view")
            yield copy if names else None
        finally:
            copy.close()

    def duckdb_file(self, folder: Path) -> Path | None:
        """A DuckDB file the SQL console's sandbox can attach read-only: the store itself, or for PostgreSQL a copy
        written to `folder` (rewritten whenever the store changed). None while the store is empty."""
        if not self.postgres:
            return self.path if self.path.exists() else None
        import hashlib

        target = folder / f"user-{hashlib.sha1(repr(self.stamp()).encode()).hexdigest()[:16]}.duckdb"
        if target.exists():
            return target
        folder.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        with self.analytics() as con:
            if con is None:
                return None
            con.execute(f"ATTACH '{str(tmp).replace(chr(39), chr(39) * 2)}' AS out")
            con.execute("COPY FROM DATABASE memory TO out")
            con.execute("DETACH out")
        for old in folder.glob("user-*.duckdb"):
            old.unlink(missing_ok=True)
        tmp.rename(target)
        return target

    def _frame(self, table: str, sql: str, columns: list[str], params: list | None = None) -> pd.DataFrame:
        with self.reading() as con:
            if con is None or not _has_table(con, table):
                return pd.DataFrame(columns=columns)
            return con.execute(sql, params or []).df().reindex(columns=columns)

    # ------------------------------------------------------------ KPI actuals

    def kpi_values(self) -> pd.DataFrame:
        """Current actuals entered by officials: KPI_COLUMNS, one row per KPI and period."""
        return self._frame("kpi_values", f"SELECT {', '.join(KPI_COLUMNS)} FROM kpi_values ORDER BY kpi_id, period", KPI_COLUMNS)

    def kpi_history(self) -> pd.DataFrame:
        """Every change: HISTORY_COLUMNS (action 'set' or 'clear'; old_* what was current before), oldest first."""
        return self._frame("kpi_history", f"SELECT {', '.join(HISTORY_COLUMNS)} FROM kpi_history ORDER BY change_id", HISTORY_COLUMNS)

    def save_kpi(self, rows: pd.DataFrame, clear: list[tuple[str, str]] | None = None, by: str | None = None) -> int:
        """Set the actuals in `rows` (KPI_FIELDS) and remove the (kpi_id, period) pairs in `clear`, in one transaction,
        recording each change with the value it replaced, `by` (default settings.default_user_name()) and the time.
        Returns the number of rows set or cleared."""
        clear = list(clear or [])
        if rows.empty and not clear:
            return 0
        by = (by or "").strip()[:80] or settings.default_user_name()
        records = [{k: _clean(r.get(k)) for k in KPI_FIELDS} for r in rows.reindex(columns=KPI_FIELDS).to_dict("records")]
        with self.writing() as con:
            now = _now()
            last = con.execute("SELECT max(saved_at) FROM kpi_history").fetchone()[0]
            if last is not None and now <= last:  # keep the order of saves even if the clock steps back
                now = last + pd.Timedelta(microseconds=1).to_pytimedelta()
            change, batch = con.execute("SELECT coalesce(max(change_id), 0), coalesce(max(batch), 0) "
                                        "FROM kpi_history").fetchone()
            batch += 1
            history, n = [], 0
            for action, rec in [("set", r) for r in records] + [("clear", {"kpi_id": k, "period": p}) for k, p in clear]:
                old = con.execute("SELECT value, value_text, note, judgement FROM kpi_values WHERE kpi_id = ? AND period = ?",
                                  [rec["kpi_id"], rec["period"]]).fetchone()
                if action == "clear":
                    if old is None:
                        continue
                    con.execute("DELETE FROM kpi_values WHERE kpi_id = ? AND period = ?", [rec["kpi_id"], rec["period"]])
                    new = [None] * 4
                else:
                    new = [rec["value"], rec["value_text"], rec["note"], rec["judgement"]]
                    con.execute("INSERT INTO kpi_values VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kpi_id, period) DO UPDATE "
                                "SET value = excluded.value, value_text = excluded.value_text, note = excluded.note, "
                                "judgement = excluded.judgement, saved_at = excluded.saved_at, saved_by = excluded.saved_by",
                                [rec["kpi_id"], rec["period"], *new, now, by])
                change += 1
                n += 1
                history.append([change, batch, rec["kpi_id"], rec["period"], action, *(old or [None] * 4), *new, now, by])
            if history:
                con.executemany(f"INSERT INTO kpi_history VALUES ({', '.join(['?'] * len(HISTORY_COLUMNS))})", history)
        return n

    # ------------------------------------------------------------ strategy plans created in the app

    def kpi_plans(self) -> pd.DataFrame:
        """Plans created or imported by officials: PLAN_COLUMNS, oldest first."""
        return self._frame("user_kpi_plans", f"SELECT {', '.join(PLAN_COLUMNS)} FROM user_kpi_plans ORDER BY saved_at, plan_id",
                           PLAN_COLUMNS)

    def kpi_defs(self, plan_id: str | None = None) -> pd.DataFrame:
        """KPI definitions of the user plans (of `plan_id` only when given): DEF_COLUMNS, in the plan's order."""
        where, params = ("WHERE plan_id = ?", [plan_id]) if plan_id is not None else ("", [])
        return self._frame("user_kpi_defs", f"SELECT {', '.join(DEF_COLUMNS)} FROM user_kpi_defs {where} "
                           "ORDER BY plan_id, sort_order, kpi_id", DEF_COLUMNS, params)

    def save_plan(self, plan: dict, defs: pd.DataFrame, by: str | None = None) -> str:
        """Create or replace a plan and its KPI definitions in one transaction; returns the plan id.

        plan: PLAN_FIELDS (plan_id None = a new plan: 'u{municipality_code}_{n}', n the next free number, chosen
        inside the transaction so two officials creating plans at once both keep theirs). defs: DEF_FIELDS
        (plan_id ignored); a kpi_id not of this plan ('{plan_id}_…', e.g. copied from another plan's sheet, or
        empty) gets the next free '{plan_id}_{nn}'; KPIs of the plan missing from `defs` are removed (their
        entered actuals stay in kpi_values and come back if the KPI does). sort_order follows the row order.
        """
        by = (by or "").strip()[:80] or settings.default_user_name()
        with self.writing() as con:
            now = _now()
            plan_id = _clean(plan.get("plan_id"))
            if plan_id is None:
                code = str(plan["municipality_code"])
                taken = {r[0] for r in con.execute("SELECT plan_id FROM user_kpi_plans WHERE municipality_code = ?",
                                                   [code]).fetchall()}
                # ids of a deleted plan are not reused: its actuals stay in kpi_values and must not join a new plan
                taken |= {k.rsplit("_", 1)[0] for k in _used_kpi_ids(con, f"{USER_PLAN_PREFIX}{code}_", plans=True)}
                n = 1
                while f"{USER_PLAN_PREFIX}{code}_{n}" in taken:
                    n += 1
                plan_id = f"{USER_PLAN_PREFIX}{code}_{n}"
            row = {**{k: _clean(plan.get(k)) for k in PLAN_FIELDS}, "plan_id": plan_id}
            con.execute("DELETE FROM user_kpi_plans WHERE plan_id = ?", [plan_id])  # replace: portable to both back ends
            con.execute(f"INSERT INTO user_kpi_plans VALUES ({', '.join(['?'] * len(PLAN_COLUMNS))})",
                        [row[k] for k in PLAN_FIELDS] + [now, by])
            records = [{k: _clean(r.get(k)) for k in DEF_FIELDS} for r in defs.reindex(columns=DEF_FIELDS).to_dict("records")]
            own = [r["kpi_id"] for r in records if isinstance(r["kpi_id"], str) and r["kpi_id"].startswith(f"{plan_id}_")]
            used = {int(k.rsplit("_", 1)[1]) for k in own + sorted(_used_kpi_ids(con, f"{plan_id}_"))
                    if k.rsplit("_", 1)[1].isdigit()}  # a removed KPI's number is not given to another
            keep, seen = [], set()
            nxt = 1
            for i, r in enumerate(records):
                kid = r["kpi_id"]
                if kid not in own or kid in seen:
                    while nxt in used:
                        nxt += 1
                    used.add(nxt)
                    kid = f"{plan_id}_{nxt:02d}"
                seen.add(kid)
                goal_no = r["goal_no"]
                keep.append({**r, "kpi_id": kid, "plan_id": plan_id, "sort_order": i + 1,
                             "goal_no": None if goal_no is None else int(goal_no)})
            others = {r[0] for r in con.execute("SELECT kpi_id FROM user_kpi_defs WHERE plan_id <> ?", [plan_id]).fetchall()}
            clash = sorted(others & {r["kpi_id"] for r in keep})
            if clash:  # cannot happen with ids of this plan's prefix; refuse rather than move another plan's KPI
                raise LoaderError(self.name(), f"KPI ID「{clash[0]}」は別の計画のものです。",
                                  f"KPI ID {clash[0]!r} belongs to another plan.")
            con.execute("DELETE FROM user_kpi_defs WHERE plan_id = ?", [plan_id])
            if keep:
                con.executemany(f"INSERT INTO user_kpi_defs VALUES ({', '.join(['?'] * len(DEF_COLUMNS))})",
                                [[r[k] for k in DEF_FIELDS] + [now, by] for r in keep])
        return plan_id

    def delete_plan(self, plan_id: str) -> bool:
        """Remove a user plan and its definitions in one transaction (entered actuals stay, with their history).
        Returns False when there was no such plan."""
        with self.writing() as con:
            if not con.execute("SELECT count(*) FROM user_kpi_plans WHERE plan_id = ?", [plan_id]).fetchone()[0]:
                return False
            con.execute("DELETE FROM user_kpi_defs WHERE plan_id = ?", [plan_id])
            con.execute("DELETE FROM user_kpi_plans WHERE plan_id = ?", [plan_id])
        return True

    # ------------------------------------------------------------ the playlist

    def playlist(self, name: str = "default") -> list[dict]:
        """Saved views of playlist `name` in order: {title, url, spec (dict or None), caption, notes}."""
        frame = self._frame("playlist_items", "SELECT title, url, spec, caption, notes FROM playlist_items WHERE playlist = ? "
                            "ORDER BY position", PLAYLIST_FIELDS, [name])
        out = []
        for r in frame.to_dict("records"):
            item = {k: _clean(r[k]) for k in PLAYLIST_FIELDS}
            item["spec"] = json.loads(item["spec"]) if isinstance(item["spec"], str) else None
            item["caption"] = item["caption"] or ""
            item["notes"] = item["notes"] or ""
            out.append(item)
        return out

    def save_playlist(self, items: list[dict], name: str = "default", by: str | None = None) -> None:
        """Replace playlist `name` with `items` (title and url required; url "" for a title slide) in one transaction."""
        by = (by or "").strip()[:80] or settings.default_user_name()
        now = _now()
        rows = [[name, i, str(it["title"]), str(it["url"]),
                 json.dumps(it["spec"], ensure_ascii=False) if it.get("spec") else None,
                 it.get("caption") or "", it.get("notes") or "", now, by]
                for i, it in enumerate(x for x in items if x.get("url") is not None and x.get("title") is not None)]
        with self.writing() as con:
            con.execute("DELETE FROM playlist_items WHERE playlist = ?", [name])
            if rows:
                con.executemany("INSERT INTO playlist_items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _used_kpi_ids(con, prefix: str, plans: bool = False) -> set[str]:
    """KPI ids that a plan defines or that ever held an actual (kpi_history): '{prefix}{nn}' (a plan's KPIs), or
    with `plans` '{prefix}{n}_{nn}' (the KPIs of every plan '{prefix}{n}')."""
    ids = {r[0] for r in con.execute("SELECT kpi_id FROM user_kpi_defs").fetchall()}
    ids |= {r[0] for r in con.execute("SELECT DISTINCT kpi_id FROM kpi_history").fetchall()}
    shape = re.compile(re.escape(prefix) + (r"\d+_\d+" if plans else r"\d+"))
    return {k for k in ids if shape.fullmatch(k)}


def _has_table(con, name: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchone()[0])


# ---------------------------------------------------------------- files of earlier versions

def _legacy_dir(path: Path) -> Path | None:
    """Earlier versions kept user data in data/user/{kpi,imports}.duckdb and playlist.json; they are migrated
    only into a store at the default location."""
    return settings.USER_DIR if path.resolve() == (settings.USER_DIR / "user.duckdb").resolve() else None


def _legacy_pending(path: Path) -> bool:
    legacy = _legacy_dir(path)
    return legacy is not None and any((legacy / n).exists() for n in ("kpi.duckdb", "imports.duckdb", "playlist.json"))


def _copy_legacy_imports(path: Path) -> None:
    legacy = _legacy_dir(path)
    old = legacy / "imports.duckdb" if legacy else None
    if old is not None and old.exists() and not Path(f"{old}.wal").exists():
        shutil.copyfile(old, path)


def _migrate_legacy(con, path: Path) -> None:
    """Copy a legacy KPI file and playlist into a store just created (the imports file was copied whole before)."""
    if _has_table(con, "kpi_user_values"):  # POPDASH_USER_DB used to name the KPI file itself
        _copy_kpi(con, "main")
    legacy = _legacy_dir(path)
    if legacy is None:
        return
    kpi = legacy / "kpi.duckdb"
    if kpi.exists():
        con.execute(f"ATTACH '{str(kpi).replace(chr(39), chr(39) * 2)}' AS legacy_kpi (READ_ONLY)")
        try:
            if con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = 'legacy_kpi' "
                           "AND table_name = 'kpi_user_values'").fetchone()[0]:
                _copy_kpi(con, "legacy_kpi")
        finally:
            con.execute("DETACH legacy_kpi")
    playlist = legacy / "playlist.json"
    if playlist.exists():
        try:
            items = json.loads(playlist.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            items = []
        now = _now()
        rows = [["default", i, it["title"], it["url"], json.dumps(it.get("spec"), ensure_ascii=False) if it.get("spec") else None,
                 it.get("caption") or "", "", now, "migrated"]
                for i, it in enumerate(x for x in items if isinstance(x, dict) and isinstance(x.get("url"), str)
                                       and isinstance(x.get("title"), str))]
        if rows:
            con.executemany("INSERT OR REPLACE INTO playlist_items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _copy_kpi(con, db: str) -> None:
    con.execute(f"INSERT OR REPLACE INTO kpi_values SELECT kpi_id, period, value, value_text, note, judgement, saved_at, "
                f"'migrated' FROM {db}.kpi_user_values")
    con.execute(f"INSERT OR IGNORE INTO kpi_history SELECT row_number() OVER (ORDER BY batch, saved_at, kpi_id, period), "
                f"batch, kpi_id, period, action, NULL, NULL, NULL, NULL, value, value_text, note, judgement, saved_at, "
                f"'migrated' FROM {db}.kpi_user_history")


def default() -> UserStore:
    """The store the app uses now (settings.user_store_url())."""
    return UserStore()
