"""The one owner of the database connection (read-only) and of SQL loading.

The app reads `data/national.duckdb` when it exists (built by `make data`), else `data/bundled.duckdb`
(built by `make run` from the committed demo-region extract); `POPDASH_DB` overrides both. The
connection is opened read-only with external access and extension loading disabled, once per process;
every query runs on its own cursor because Streamlit serves sessions from several threads.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

ROOT = Path(__file__).resolve().parents[1]
SQL_DIR = Path(__file__).with_name("sql")
LOCKDOWN = {"enable_external_access": False, "autoinstall_known_extensions": False,
            "autoload_known_extensions": False, "lock_configuration": True}


def database_path() -> Path:
    """Path of the database the app shows: $POPDASH_DB, else national, else bundled."""
    env = os.environ.get("POPDASH_DB")
    if env:
        return Path(env)
    national = ROOT / "data" / "national.duckdb"
    return national if national.exists() else ROOT / "data" / "bundled.duckdb"


@lru_cache(maxsize=None)
def sql(name: str) -> str:
    """Text of queries/sql/<name>.sql (names come from code, never from users)."""
    if not name.replace("_", "").isalnum():
        raise ValueError(f"bad query name {name!r}")
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def open_readonly(path: str | Path) -> duckdb.DuckDBPyConnection:
    """Open `path` read-only with no file/network access and no extension loading; settings then locked.

    DuckDB allows one configuration per file and process, so tests and tools use this too.
    """
    if not Path(path).exists():
        raise FileNotFoundError(f"database not found: {path} (run `make run` or `make data`)")
    return duckdb.connect(str(path), read_only=True, config=dict(LOCKDOWN))


@st.cache_resource(show_spinner=False)
def _connection(path: str, mtime: float) -> duckdb.DuckDBPyConnection:
    # mtime is part of the key so a rebuilt database is picked up without restarting the server.
    return open_readonly(path)


def connection() -> duckdb.DuckDBPyConnection:
    """The shared read-only connection of the current database file."""
    path = database_path()
    return _connection(str(path), path.stat().st_mtime if path.exists() else 0.0)


def run(name: str, **params) -> pd.DataFrame:
    """Run queries/sql/<name>.sql with DuckDB named parameters ($area, …) on a fresh cursor."""
    params = {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()}  # tuples: cache keys
    cur = connection().cursor()
    try:
        return cur.execute(sql(name), params).df()
    finally:
        cur.close()


def cache_key() -> tuple[str, float]:
    """Identity of the database content, used as part of cache keys of query functions."""
    path = database_path()
    return str(path), path.stat().st_mtime if path.exists() else 0.0
