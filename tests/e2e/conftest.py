"""Browser fixtures (headless Debian Chromium through Playwright): a freshly started Streamlit server over the
bundled or the national database, a page that records every request it makes, and the checks every browser test
shares (page ready, no exception, nothing left localhost)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from store.user import UserStore
from tests.conftest import REPO

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--enable-unsafe-swiftshader", "--use-gl=angle", "--use-angle=swiftshader",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
LOCAL = {"127.0.0.1", "localhost", "::1", "[::1]"}
IDLE = "!document.querySelector('[data-testid=stStatusWidget]')"


def chromium_or_skip() -> None:
    if not Path(CHROMIUM).exists():
        reason = f"Chromium not found at {CHROMIUM} (make test installs Debian chromium); browser test skipped"
        print(reason)
        pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(db: Path, log: Path, **env: str):
    """`streamlit run app.py` on a free loopback port over `db`; yields its base URL; stopped (killed if need be)."""
    chromium_or_skip()
    port = _free_port()
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                                 "--server.port", str(port), "--server.address", "127.0.0.1",
                                 "--browser.gatherUsageStats", "false"], cwd=REPO,
                                env={**os.environ, "POPDASH_DB": str(db),
                                     "POPDASH_USER_DB": str(log.parent / "user.duckdb"), **env}, stdout=out,
                                stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                        if r.read().strip() == b"ok":
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("streamlit did not start within 60 s: " + log.read_text()[-2000:])
                time.sleep(0.3)
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(bundled_db, tmp_path_factory):
    """A fresh server over the bundled database, with a three-slide presenter playlist."""
    folder = tmp_path_factory.mktemp("bundled_server")
    UserStore(folder / "user.duckdb").save_playlist([
        {"title": "人口", "url": "/?area=40203"},
        {"title": "自然動態", "url": "/natural_change?area=40203"},
        {"title": "将来推計", "url": "/projection?area=40203&tfr=1.8"},
    ])
    with streamlit_server(bundled_db, folder / "streamlit.log") as base:
        yield base


@pytest.fixture(scope="module")
def national_server(national_db, tmp_path_factory):
    """A fresh server over the national database built from the official files (every kind of area)."""
    folder = tmp_path_factory.mktemp("national_server")
    with streamlit_server(national_db, folder / "streamlit.log") as base:
        yield base


def remote_hosts(urls: list[str]) -> set[str]:
    """Hosts other than loopback that any of `urls` went to (data: and blob: URLs stay in the page)."""
    return {urlsplit(u).hostname for u in urls
            if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).hostname not in LOCAL}


@pytest.fixture()
def page():
    """A Chromium page (1400×900, Japanese locale); after the test, asserts no request left localhost."""
    chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="ja-JP",
                                      accept_downloads=True)
        pg = context.new_page()
        pg.requests = []
        pg.on("request", lambda r: pg.requests.append(r.url))
        pg.set_default_timeout(60_000)
        yield pg
        context.close()
        browser.close()
        assert pg.requests, "no request recorded"
        assert remote_hosts(pg.requests) == set(), "requests left localhost"


def wait_ready(pg, selector: str) -> None:
    """Wait for the app, for `selector`, and for the script run to finish; fail on a Streamlit exception."""
    pg.wait_for_selector("[data-testid=stApp]")
    pg.wait_for_selector(selector)
    pg.wait_for_function(IDLE)
    exception = pg.query_selector("[data-testid=stException]")
    assert exception is None, exception.inner_text()
