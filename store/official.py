"""The official statistics database: its one owner on the read side.

The app reads settings.official_db_path(): `data/national.duckdb` when built (`make data`), else
`data/bundled.duckdb` (built by `make run` from the committed demo-region extract); `POPDASH_DB` overrides both.
The file is opened read-only with external access and extension loading disabled and the configuration locked,
once per process and file version (a rebuilt file is picked up without restarting the server); every query runs on
its own cursor because Streamlit serves sessions from several threads. The database build writes a new file with
`create` and swaps it in; nothing else writes it.
"""
from __future__ import annotations

import threading
from pathlib import Path

import duckdb

import settings

#: No file or network access, no extensions, no spill files next to the official database, settings locked.
LOCKDOWN = {"enable_external_access": False, "autoinstall_known_extensions": False,
            "autoload_known_extensions": False, "temp_directory": "", "lock_configuration": True}
_OPEN: dict[tuple[str, float], duckdb.DuckDBPyConnection] = {}
_GUARD = threading.Lock()


def database_path() -> Path:
    """Path of the database the app shows: $POPDASH_DB, else national, else bundled."""
    return settings.official_db_path()


def open_readonly(path: str | Path) -> duckdb.DuckDBPyConnection:
    """Open `path` read-only with no file/network access and no extension loading; settings then locked.

    DuckDB allows one configuration per file and process, so tests and tools use this too.
    """
    if not Path(path).exists():
        raise FileNotFoundError(f"database not found: {path} (run `make run` or `make data`)")
    return duckdb.connect(str(path), read_only=True, config=dict(LOCKDOWN))


def cache_key() -> tuple[str, float]:
    """Identity of the database content (path, modification time), part of the cache keys of query functions."""
    path = database_path()
    return str(path), path.stat().st_mtime if path.exists() else 0.0


def connection() -> duckdb.DuckDBPyConnection:
    """The shared read-only connection of the current database file (take a `cursor()` per query)."""
    key = cache_key()
    with _GUARD:
        con = _OPEN.get(key)
        if con is None:
            con = _OPEN[key] = open_readonly(key[0])
        return con


def create(path: str | Path) -> duckdb.DuckDBPyConnection:
    """A writable connection to a new database file at `path` (the build's temporary file; never the live one)."""
    if Path(path).exists():
        raise FileExistsError(path)
    return duckdb.connect(str(path), config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
