"""The migration map in a real browser (headless Debian Chromium, WebGL through SwiftShader): the deck canvases
draw, the labels and arcs show, and no request leaves localhost (no tile server, font or CDN)."""
from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import REPO

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--enable-unsafe-swiftshader", "--use-gl=angle", "--use-angle=swiftshader",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
LOCAL = {"127.0.0.1", "localhost", "::1", "[::1]"}
DECK = "[data-testid=stDeckGlJsonChart]"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def server(bundled_db: Path, tmp_path: Path):
    """`streamlit run app.py` on a free port over the bundled database; stopped (and killed if need be) after."""
    if not Path(CHROMIUM).exists():
        reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium); browser test skipped"
        print(reason)
        pytest.skip(reason)
    port = _free_port()
    log = (tmp_path / "streamlit.log").open("w")
    env = {**os.environ, "POPDASH_DB": str(bundled_db)}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                             "--server.port", str(port), "--server.address", "127.0.0.1",
                             "--browser.gatherUsageStats", "false"], cwd=REPO, env=env, stdout=log,
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
                raise RuntimeError("streamlit did not start: " + (tmp_path / "streamlit.log").read_text()[-2000:])
            time.sleep(0.3)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


def _drawn(png: bytes) -> dict:
    """Shares of the element's pixels that are not background, blue-ish (arcs/fills) and dark (text, outlines)."""
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("RGB")
    px = list(img.get_flattened_data()) if hasattr(img, "get_flattened_data") else list(img.getdata())
    n = len(px)
    return {"ink": sum(1 for r, g, b in px if min(r, g, b) < 235) / n,
            "blue": sum(1 for r, g, b in px if b > r + 40) / n,
            "orange": sum(1 for r, g, b in px if r > b + 60) / n,
            "dark": sum(1 for r, g, b in px if max(r, g, b) < 90) / n}


def test_map_page_draws_offline(server):
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1100}, locale="ja-JP")
            page.on("request", lambda req: requests.append(req.url))
            page.set_default_timeout(60_000)
            page.goto(f"{server}/migration_map?area=40203&flow=net")
            page.wait_for_selector(f"{DECK} canvas")
            page.wait_for_function("!document.querySelector('[data-testid=stStatusWidget]')")
            page.wait_for_timeout(2500)  # let deck.gl build the font atlas and draw
            assert not page.query_selector("[data-testid=stException]"), page.inner_text("[data-testid=stException]")
            assert "久留米市の人口移動マップ" in page.inner_text("h1")
            decks = page.query_selector_all(DECK)
            assert len(decks) == 2  # flow map and choropleth
            flows = _drawn(decks[0].screenshot())
            assert flows["ink"] > 0.10, flows  # the prefectures and arcs drew
            assert flows["blue"] > 0.005 and flows["orange"] > 0.005, flows  # gains and losses, both colours
            assert flows["dark"] > 0.0005, flows  # labels and the area's dot
            decks[1].scroll_into_view_if_needed()
            page.wait_for_timeout(1500)
            choropleth = _drawn(decks[1].screenshot())
            assert choropleth["ink"] > 0.05 and choropleth["dark"] > 0.0002, choropleth
            # Clicking the map is wired to the partner table (selection rerun) without errors.
            box = decks[0].bounding_box()
            page.mouse.click(box["x"] + box["width"] * 0.58, box["y"] + box["height"] * 0.55)
            page.wait_for_timeout(1500)
            page.wait_for_function("!document.querySelector('[data-testid=stStatusWidget]')")
            assert not page.query_selector("[data-testid=stException]")
        finally:
            browser.close()
    assert requests, "no request recorded"
    remote = sorted({u for u in requests if urlparse(u).scheme not in ("data", "blob")
                     and urlparse(u).hostname not in LOCAL})
    assert remote == [], remote
