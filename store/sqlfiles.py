"""Named SQL: the text of queries/sql/<name>.sql and the one way to run it (values always as DuckDB parameters).

Part of the database layer so that the build and pure modules can run named SQL without importing the app's
cached query functions (queries/, which use Streamlit). Connections belong to store.official and store.user.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from store import official

SQL_DIR = Path(__file__).resolve().parents[1] / "queries" / "sql"


@lru_cache(maxsize=None)
def text(name: str) -> str:
    """Text of queries/sql/<name>.sql (names come from code, never from users)."""
    if not name.replace("_", "").isalnum():
        raise ValueError(f"bad query name {name!r}")
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def run(name: str, con: duckdb.DuckDBPyConnection | None = None, **params) -> pd.DataFrame:
    """Run queries/sql/<name>.sql with DuckDB named parameters ($area, …) on a fresh cursor of `con` (default: the
    app's official connection)."""
    params = {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()}  # tuples: cache keys
    cur = (con or official.connection()).cursor()
    try:
        return cur.execute(text(name), params).df()
    finally:
        cur.close()
