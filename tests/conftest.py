"""Shared pytest fixtures.

Loader fixtures (this block): where the official raw files are, and databases built once per session
from them. The raw folder is `../shared/data/raw` next to the repository (override with the environment
variable POPDASH_RAW); tests that need it are skipped, with the reason printed, when it is absent.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # so plain `pytest` (not only `python -m pytest`) can import loaders/
    sys.path.insert(0, str(REPO))

RAW = Path(os.environ.get("POPDASH_RAW") or Path(__file__).resolve().parents[2] / "shared" / "data" / "raw")
JUKI_FOLDER = "juki_municipal_population_dynamics"


@pytest.fixture(autouse=True)
def _own_user_store(tmp_path_factory, monkeypatch):
    """No test writes to the developer's data/user/: every test starts with an empty user store of its own
    (a test or fixture may point POPDASH_USER_DB elsewhere)."""
    monkeypatch.setenv("POPDASH_USER_DB", str(tmp_path_factory.mktemp("user_store") / "user.duckdb"))


# ---------------------------------------------------------------- PostgreSQL (the user store's other back end)

def _pg_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL from Debian's packages (`make test` installs them) in a temporary directory, listening on a
    Unix socket only; stopped after the session. Yields (socket dir, user). Skipped, with the reason, when missing."""
    import shutil
    import subprocess

    bindir = _pg_bin()
    if bindir is None:
        reason = "PostgreSQL binaries not found under /usr/lib/postgresql (make test installs Debian's postgresql)"
        print(reason)
        pytest.skip(reason)
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="popdash-pg-"))  # not under pytest's 0700 folder: the server user must reach it
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    prefix = []
    if os.geteuid() == 0:  # initdb refuses to run as root: run the server as Debian's postgres user
        shutil.chown(base, "postgres")
        shutil.chown(sock, "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "popdash", "-E", "UTF8",
                    "--no-sync"], check=True, capture_output=True)
    subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-w", "-o",
                    f"-k {sock} -c listen_addresses='' -c fsync=off", "start"], check=True, capture_output=True)
    try:
        yield sock, "popdash"
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture()
def postgres_url(postgres_server, request) -> str:
    """URL of a new, empty database on the test PostgreSQL (one per test)."""
    import re

    import psycopg

    sock, user = postgres_server
    name = "t_" + re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:50]
    with psycopg.connect(f"postgresql://{user}@/postgres?host={sock}", autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}"')
        con.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql://{user}@/{name}?host={sock}"


# ---------------------------------------------------------------- loader fixtures

@pytest.fixture(scope="session")
def raw_dir() -> Path:
    """The folder of official raw files; skips the test when it is not there."""
    if not (RAW / JUKI_FOLDER).is_dir():
        reason = (f"official raw files not found at {RAW} (expected {JUKI_FOLDER}/ inside); "
                  "set POPDASH_RAW to the folder of downloaded files")
        print(reason)
        pytest.skip(reason)
    return RAW


@pytest.fixture(scope="session")
def juki_dir(raw_dir: Path) -> Path:
    """The 住民基本台帳 folder of the raw files."""
    return raw_dir / JUKI_FOLDER


@pytest.fixture(scope="session")
def national_db(raw_dir: Path, tmp_path_factory) -> Path:
    """Path of the national database, built once per session from the raw files plus the seed CSVs (~20 s)."""
    from loaders.build import SEED_DIR, csv_tables, merge, official_tables, write_database

    path = tmp_path_factory.mktemp("national") / "national.duckdb"
    write_database(merge(official_tables(raw_dir), csv_tables(SEED_DIR)), path, "national")
    return path


@pytest.fixture(scope="session")
def bundled_db(tmp_path_factory) -> Path:
    """Path of the default (bundled) database, built once per session from data/bundled/ (no raw files needed)."""
    from loaders.build import bundled_tables, write_database

    path = tmp_path_factory.mktemp("bundled") / "bundled.duckdb"
    write_database(bundled_tables(), path, "bundled")
    return path


@pytest.fixture(scope="session")
def juki_tables(juki_dir: Path):
    """loaders.juki.load_folder() of the raw 住民基本台帳 folder (tidy frames, ~13 s)."""
    from loaders.juki import load_folder

    return load_folder(juki_dir)


# ---------------------------------------------------------------- page fixtures

@pytest.fixture(scope="module")
def known(bundled_db):
    """Known area codes and names of the bundled database (queries/sql/explorer_names.sql), as the importer takes them."""
    from store.official import open_readonly
    from store.sqlfiles import text as sql

    con = open_readonly(bundled_db)
    try:
        return con.execute(sql("explorer_names")).df()
    finally:
        con.close()


def open_page(db: Path, monkeypatch, page: str | None = None, timeout: float = 120, **params):
    """Run app.py (or switch to `page`) once on database `db` with the URL `params`; fail on any exception."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("POPDASH_DB", str(db))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=timeout)
    for k, v in params.items():
        at.query_params[k] = v
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


class Sections:
    """The AppTests of every section tab of one page (?sec=…), read as one page: `get`, `caption`, `markdown`,
    `info`, `warning` and `title` concatenate what the sections drew."""

    def __init__(self, runs: dict):
        self.runs = runs

    def get(self, kind: str) -> list:
        return [e for at in self.runs.values() for e in at.get(kind)]

    def __getattr__(self, name: str) -> list:
        if name in ("caption", "markdown", "info", "warning", "title", "exception"):
            return [e for at in self.runs.values() for e in getattr(at, name)]
        raise AttributeError(name)


def run_sections(db: Path, monkeypatch, page: str, sections: list[str], timeout: float = 90, **params) -> Sections:
    """Run `page` once per section tab with ?sec=<section> and the URL `params`; fail on any exception and
    check the open tab is the one asked for."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("POPDASH_DB", str(db))
    runs = {}
    for sec in sections:
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=timeout)
        for key, value in {**params, "sec": sec}.items():
            at.query_params[key] = value
        at.switch_page(page)
        at.run()
        assert not at.exception, (page, sec, [e.value for e in at.exception])
        assert at.query_params.get("sec", sections[0]) == sec, (page, sec, "not the open tab")
        runs[sec] = at
    return Sections(runs)
