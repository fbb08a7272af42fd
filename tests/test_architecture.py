"""The house rules that keep one owner per database and per setting (issue 15): checked on the source itself."""
from __future__ import annotations

import re
import subprocess

from tests.conftest import REPO

#: Modules allowed to open DuckDB, and why.
CONNECTS = {
    "store/official.py": "the official database (read-only; `create` for the build's new file)",
    "store/user.py": "the user store",
    "queries/sandbox.py": "the SQL console's own process and its in-memory parser",
    "loaders/importer/targets.py": "an in-memory database that parses loaders/schema.sql",
}


def sources() -> dict[str, str]:
    files = subprocess.check_output(["git", "ls-files", "*.py"], cwd=REPO, text=True).split()
    return {f: (REPO / f).read_text(encoding="utf-8") for f in files
            if not f.startswith(("tests/", "benchmarks/")) and (REPO / f).exists()}


def test_only_the_database_layer_opens_duckdb():
    opened = {f for f, text in sources().items() if re.search(r"duckdb\.connect\(", text)}
    assert opened <= set(CONNECTS), sorted(opened - set(CONNECTS))
    # the importer's exception only ever opens memory
    assert re.findall(r"duckdb\.connect\(([^)]*)\)", sources()["loaders/importer/targets.py"]) == ['":memory:"']


def test_only_settings_reads_the_environment():
    readers = {f for f, text in sources().items() if re.search(r"os\.environ|os\.getenv|getenv\(", text)}
    # processes the app starts get their environment from settings.process_environment too
    assert readers == {"settings.py"}, sorted(readers)


def test_the_upload_limit_is_one_setting():
    from settings import LIMITS

    config = (REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert re.search(r"^maxUploadSize = (\d+)$", config, re.M).group(1) == str(LIMITS.upload_bytes // 2**20)


#: Lower layers never import the app's upper ones (Streamlit, ui, pages, the cached queries), with no exception.
LOWER = ("store/", "estimates/", "loaders/", "projection/", "indicators/", "kpi/", "charts/", "i18n/", "formats.py",
         "settings.py", "cells.py")


def test_no_lower_layer_imports_a_higher_one():
    import ast

    upward = set()
    for f, text in sources().items():
        if not f.startswith(LOWER):
            continue
        for node in ast.walk(ast.parse(text)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
            upward |= {(f, m) for m in names if m.split(".")[0] in ("streamlit", "ui", "pages", "queries", "app")}
    assert upward == set(), sorted(upward)
