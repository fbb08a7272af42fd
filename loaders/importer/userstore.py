"""Writes of imports to the user store (store.user owns the file; DuckDB or PostgreSQL): one transaction per import,
a key already imported refused, and the list and removal of imports."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from loaders.errors import LoaderError
from loaders.importer.prepared import Prepared
from loaders.importer.targets import TARGETS, table_columns
from store import user as user_store
from store.user import UserStore


def _store(path: Path | None = None) -> UserStore:
    return UserStore(path) if path is not None else user_store.default()


def _ensure_schema(con) -> None:
    con.execute("""CREATE TABLE IF NOT EXISTS imports (import_id INTEGER PRIMARY KEY, file_name VARCHAR, sha256 VARCHAR,
        layout VARCHAR, encoding VARCHAR, tables VARCHAR, rows BIGINT, imported_at TIMESTAMP, publisher VARCHAR,
        title VARCHAR, table_id VARCHAR, url VARCHAR, retrieved VARCHAR, licence VARCHAR, note VARCHAR)""")
    for table, cols in table_columns().items():
        # identifiers from schema.sql, never from an upload
        defs = ", ".join(f'"{c}" {_sql_type(typ)}' + ("" if nullable else " NOT NULL") for c, typ, nullable in cols)
        con.execute(f'CREATE TABLE IF NOT EXISTS "{table}" ({defs}, orig_source_id VARCHAR, import_id INTEGER NOT NULL)')


def append(prepared: Prepared, source: dict[str, str], path: Path | None = None) -> int:
    """Append the prepared rows to the user store in one transaction; returns the new import id.

    source: publisher, title, table_id, url, retrieved (YYYY-MM-DD), licence, note — stored with the import and
    shown as the source of its rows. A key (table keys + orig_source_id) already present from an earlier import
    raises LoaderError naming the file row and the earlier import; then nothing of this file is written.
    """
    retrieved = (source.get("retrieved") or "").strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", retrieved):
        raise LoaderError(prepared.file, "取得日（YYYY-MM-DD）を入力してください。", "enter the retrieval date (YYYY-MM-DD).",
                          column="retrieved")
    with _store(path).writing() as con:
        _ensure_schema(con)
        import_id = con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM imports").fetchall()[0][0]
        for table, frame in prepared.tables.items():
            _insert(con, table, frame, import_id, prepared.file)
        summary = ", ".join(f"{t}:{len(f)}" for t, f in prepared.tables.items())
        con.execute("INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [import_id, prepared.file, prepared.sha256, prepared.layout, prepared.encoding, summary,
                     prepared.rows, datetime.now(timezone.utc).replace(tzinfo=None),
                     *(str(source.get(k, "") or "") for k in ("publisher", "title", "table_id", "url")), retrieved,
                     *(str(source.get(k, "") or "") for k in ("licence", "note"))])
    return int(import_id)


def _sql_type(typ: str) -> str:
    """A column type of schema.sql written so both user-store back ends accept it (DuckDB and PostgreSQL)."""
    return "DOUBLE PRECISION" if typ == "DOUBLE" else typ


def _insert(con, table: str, frame: pd.DataFrame, import_id: int, file: str) -> None:
    types = {c: _sql_type(typ) for c, typ, _ in table_columns()[table]} | {"orig_source_id": "VARCHAR", "import_id": "INTEGER"}
    cols = [c for c, _, _ in table_columns()[table]]
    keys = list(TARGETS[table].keys)
    data = frame.assign(source_id=f"user_{import_id}", import_id=import_id)
    con.register("incoming", data)
    try:
        # incoming's types come from the values (an all-empty column has none): cast to the table's
        on = " AND ".join(f'e."{k}" IS NOT DISTINCT FROM CAST(i."{k}" AS {types[k]})' for k in [*keys, "orig_source_id"])
        hit = con.execute(f'SELECT i._row, e.import_id, m.file_name FROM incoming i JOIN "{table}" e ON {on} '
                          f"LEFT JOIN imports m ON m.import_id = e.import_id ORDER BY i._row LIMIT 1").fetchall()
        hit = hit[0] if hit else None
        if hit:
            raise LoaderError(file, f"この行は取り込み済みです（#{hit[1]}「{hit[2]}」と同じキー）。先に以前の取り込みを削除してください。",
                              f"this row is already imported (same key as import #{hit[1]} {hit[2]!r}); delete that import first.",
                              row=int(hit[0]) if hit[0] is not None else None)
        col_list = ", ".join(f'"{c}"' for c in [*cols, "orig_source_id", "import_id"])
        casts = ", ".join(f'CAST("{c}" AS {types[c]})' for c in [*cols, "orig_source_id", "import_id"])
        con.execute(f'INSERT INTO "{table}" ({col_list}) SELECT {casts} FROM incoming')
    finally:
        con.unregister("incoming")


IMPORT_LIST_COLUMNS = ["import_id", "file_name", "layout", "tables", "rows", "imported_at", "publisher", "title",
                       "table_id", "url", "retrieved", "licence", "note"]


def list_imports(path: Path | None = None) -> pd.DataFrame:
    """Imports so far: import_id, file_name, tables (table:rows), rows, imported_at, publisher, title, retrieved …"""
    with _store(path).reading() as con:
        if con is None or not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'imports'").fetchall()[0][0]:
            return pd.DataFrame(columns=IMPORT_LIST_COLUMNS)
        return con.execute(f"SELECT {', '.join(IMPORT_LIST_COLUMNS)} FROM imports ORDER BY import_id").df()


def delete_import(import_id: int, path: Path | None = None) -> int:
    """Remove one import (its rows in every table and its entry), in one transaction. Returns rows removed."""
    removed = 0
    with _store(path).writing() as con:
        _ensure_schema(con)
        for table in table_columns():
            removed += con.execute(f'DELETE FROM "{table}" WHERE import_id = ?', [int(import_id)]).fetchall()[0][0]
        con.execute("DELETE FROM imports WHERE import_id = ?", [int(import_id)])
    return removed
