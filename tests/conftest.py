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
