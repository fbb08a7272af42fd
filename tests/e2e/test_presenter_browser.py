"""Browser tests (headless Debian Chromium): deep links on a fresh server, a playlist stepped with the keyboard,
PNG export, and no request leaving localhost."""
from __future__ import annotations

import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlsplit

import pytest
from PIL import Image

from tests.conftest import REPO

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--enable-unsafe-swiftshader", "--use-gl=angle", "--use-angle=swiftshader",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(bundled_db, tmp_path_factory):
    if not os.path.exists(CHROMIUM):
        reason = f"{CHROMIUM} not installed (make test installs Debian chromium)"
        print(reason)
        pytest.skip(reason)
    playlist = tmp_path_factory.mktemp("pl") / "playlist.json"
    playlist.write_text(json.dumps([
        {"title": "人口", "url": "/?area=40203"},
        {"title": "自然動態", "url": "/natural_change?area=40203"},
        {"title": "将来推計", "url": "/projection?area=40203&tfr=1.8"},
    ], ensure_ascii=False), encoding="utf-8")
    port = _free_port()
    env = {**os.environ, "POPDASH_DB": str(bundled_db), "POPDASH_PLAYLIST": str(playlist)}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                             "--server.port", str(port), "--server.address", "127.0.0.1"],
                            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(base + "/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("streamlit server did not start within 60 s")
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture()
def page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
        pg = context.new_page()
        pg.requests = []
        pg.on("request", lambda r: pg.requests.append(r.url))
        pg.set_default_timeout(60_000)
        yield pg
        hosts = {urlsplit(u).hostname for u in pg.requests if urlsplit(u).scheme in ("http", "https", "ws", "wss")}
        context.close()
        browser.close()
        assert hosts <= {"127.0.0.1", "localhost"}, f"requests left localhost: {hosts}"


def wait_ready(pg, selector: str) -> None:
    pg.wait_for_selector("[data-testid=stApp]")
    pg.wait_for_selector(selector)
    pg.wait_for_function("!document.querySelector('[data-testid=stStatusWidget]')")
    assert pg.query_selector("[data-testid=stException]") is None


def test_deep_link_restores_scenario_on_fresh_server(page, server):
    page.goto(server + "/projection?area=40203&tfr=1.8&mig=0.5&lang=en")
    wait_ready(page, "input[type=range][aria-label='Target total fertility rate']")
    page.wait_for_selector("input[type=range][aria-label='Net migration change (points per 5 years)']")
    assert page.get_attribute("input[aria-label='Target total fertility rate']", "value") == "1.8"
    assert page.get_attribute("input[aria-label='Net migration change (points per 5 years)']", "value") == "0.5"
    assert page.locator("h1").first.inner_text().startswith("Population projection and scenarios: Kurume-shi")


def test_playlist_steps_with_the_keyboard(page, server):
    page.goto(server + "/?area=40203&presenter=1")
    wait_ready(page, "text=1 / 3")
    page.wait_for_selector("[data-testid=stSidebar]", state="hidden")  # presenter mode hides the sidebar
    page.keyboard.press("PageDown")
    page.wait_for_selector("h1:has-text('自然動態')")
    page.wait_for_selector("text=2 / 3")
    page.keyboard.press("ArrowRight")
    page.wait_for_selector("h1:has-text('将来人口推計')")
    wait_ready(page, "text=3 / 3")
    page.wait_for_selector("input[type=range][aria-label='合計特殊出生率の目標']")
    assert page.get_attribute("input[aria-label='合計特殊出生率の目標']", "value") == "1.8"
    page.keyboard.press("PageUp")
    page.wait_for_selector("h1:has-text('自然動態')")


def test_png_export_decodes_and_is_not_blank(page, server):
    page.goto(server + "/?area=40203")
    wait_ready(page, "[data-testid=stVegaLiteChart]")
    page.get_by_role("button", name="画像を保存").first.click()
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="PNG").first.click()
    data = open(info.value.path(), "rb").read()
    img = Image.open(io.BytesIO(data)).convert("L")
    lo, hi = img.getextrema()
    assert img.width > 800 and lo < 100 and hi > 200
