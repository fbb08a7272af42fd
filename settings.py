"""Every environment variable and limit the app reads, in one place.

Environment variables (read on each call, so tests and tools may set them at run time):

| variable | meaning | default |
| --- | --- | --- |
| POPDASH_DB | official database file the app shows (read-only) | data/national.duckdb if built, else data/bundled.duckdb |
| POPDASH_USER_DB | user store: a DuckDB file path, or a `postgresql://` URL | data/user/user.duckdb |
| POPDASH_USER | name recorded with every saved value when the user gives none | the OS login name |

Limits are constants here; `.streamlit/config.toml` repeats the upload limit for Streamlit itself (a test checks
that both agree). No other module reads `os.environ` for the app's own settings.
"""
from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DATA_DIR = ROOT / "data"
USER_DIR = DATA_DIR / "user"
NATIONAL_DB = DATA_DIR / "national.duckdb"
BUNDLED_DB = DATA_DIR / "bundled.duckdb"
RAW_DIR = DATA_DIR / "raw"


def official_db_path() -> Path:
    """The official database the app shows: $POPDASH_DB, else the national database when built, else bundled."""
    env = os.environ.get("POPDASH_DB")
    if env:
        return Path(env)
    return NATIONAL_DB if NATIONAL_DB.exists() else BUNDLED_DB


def user_store_url() -> str:
    """Where user data (imports, KPI plans and actuals, playlists) lives: $POPDASH_USER_DB (a file path or a
    postgresql:// URL), else data/user/user.duckdb."""
    return os.environ.get("POPDASH_USER_DB") or str(USER_DIR / "user.duckdb")


def default_user_name() -> str:
    """Name saved with a value when the official typed none: $POPDASH_USER, else the OS login name."""
    env = os.environ.get("POPDASH_USER")
    if env:
        return env.strip()[:80]
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name (e.g. a container without passwd entry)
        return "unknown"


def process_environment(keep: tuple[str, ...] | None = None) -> dict[str, str]:
    """The environment given to a process the app starts: a copy of all of it (make serve's workers inherit the
    POPDASH_* settings), or only the variables in `keep` (the SQL sandbox gets PATH, locale and HOME, nothing else)."""
    return {k: v for k, v in os.environ.items() if keep is None or k in keep}


@dataclass(frozen=True)
class Limits:
    """Bounds on everything a user can send (uploads, SQL) — checked before the input is read whole."""

    upload_bytes: int = 200 * 2**20          # an uploaded file as sent (= server.maxUploadSize in MB)
    decompressed_bytes: int = 400 * 2**20    # a .gz or .xlsx member after decompression
    decompress_ratio: int = 200              # … or more than this many times its compressed size (checked past 32 MB)
    archive_members: int = 10_000            # members of a .gz, entries of an .xlsx (zip) directory
    upload_rows: int = 2_000_000             # rows of an uploaded table
    upload_cells: int = 20_000_000           # cells (rows × columns, or values of a long layout)
    cell_chars: int = 32_767                 # characters in one cell (Excel's own cell limit)
    plan_kpis: int = 1_000                   # indicators of one strategy plan created or imported in the app
    sql_seconds: float = 5.0                 # SQL console: wall time of one query
    sql_rows: int = 10_000                   # SQL console: rows returned
    sql_memory: str = "512MB"                # SQL console: DuckDB memory_limit
    sql_address_space_mb: int = 1536         # SQL console: address space beyond the worker's own
    sql_chars: int = 20_000                  # SQL console: length of the query text
    sql_concurrent: int = 2                  # SQL console: sandbox processes at once per server


LIMITS = Limits()
