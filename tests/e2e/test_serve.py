"""`make serve` in a browser: scripts/serve.py with two workers behind nginx over the bundled database. Every page
opens through the balancer; two browsers get different workers; a worker killed during a session loses its
route at once, the browser reconnects to the live worker by itself and keeps its view from the URL, and stays
there when the killed worker has been restarted; stopping the script ends nginx and every worker.
Skipped, with the reason printed, when nginx or Chromium is not installed."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from scripts.serve import find_nginx
from tests.conftest import REPO
from tests.e2e.conftest import _free_port, chromium_or_skip, remote_hosts, wait_ready
from tests.e2e.test_every_page_browser import PAGES

TFR = "input[type=range][aria-label='合計特殊出生率の目標']"
METRICS = "() => Array.from(document.querySelectorAll('[data-testid=stMetricValue]')).map(e => e.innerText).join('|')"


def _state(run_dir: Path) -> dict:
    try:
        return json.loads((run_dir / "state.json").read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def _wait(what: str, condition, seconds: float, log: Path):
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"{what} not within {seconds:.0f} s: " + log.read_text(errors="replace")[-2000:])
        time.sleep(0.2)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (exited, not yet reaped by its parent) counts as ended
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.fixture(scope="module")
def balancer(bundled_db, tmp_path_factory):
    """scripts/serve.py --workers 2 on a free loopback port; yields (base URL, run dir). At the end: SIGTERM,
    and nginx and both workers (every process it ever started) must be gone."""
    chromium_or_skip()
    if find_nginx() is None:
        reason = "nginx not installed (make serve installs Debian's nginx-light); balancer browser test skipped"
        print(reason)
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("serve")
    run_dir, log = folder / "run", folder / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "scripts/serve.py", "--workers", "2", "--port", str(_free_port()),
                                 "--host", "127.0.0.1", "--run-dir", str(run_dir), "--check-seconds", "1"],
                                cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, "POPDASH_DB": str(bundled_db),
                                     "POPDASH_USER_DB": str(folder / "user.duckdb")})
    started: set[int] = set()
    try:
        state = _wait("serve.py ready", lambda: _state(run_dir).get("ready") and _state(run_dir), 90, log)
        started.add(state["nginx_pid"])
        yield state["url"], run_dir, log, started
    finally:
        started |= {w["pid"] for w in _state(run_dir).get("workers", [])}
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert code == 0, log.read_text()[-2000:]
    assert [pid for pid in started if _alive(pid)] == [], "processes left running after SIGTERM"


def _worker_cookie(context) -> str:
    return next((c["value"] for c in context.cookies() if c["name"] == "popdash_worker"), "")


def test_every_page_through_the_balancer_on_two_workers(page, balancer):
    base, run_dir, _, started = balancer
    page.goto(f"{base}/?area=40203")
    wait_ready(page, "[data-testid=stVegaLiteChart]")
    # A second browser while the first keeps its websocket open: least_conn sends it to the other worker.
    other = page.context.browser.new_context(locale="ja-JP")
    try:
        pg = other.new_page()
        pg.set_default_timeout(60_000)
        urls: list[str] = []
        pg.on("request", lambda r: urls.append(r.url))
        pg.goto(f"{base}/natural_change?area=40203")
        wait_ready(pg, "[data-testid=stVegaLiteChart]")
        assert {_worker_cookie(page.context), _worker_cookie(other)} == {"w0", "w1"}
        # The two browsers share the pages, each on its own worker, both loading at the same time.
        paths = list(PAGES)
        for mine, theirs in zip(paths[::2], paths[1::2] + [None]):
            page.goto(f"{base}{mine}?area=40203")
            if theirs:
                pg.goto(f"{base}{theirs}?area=40203")
            for tab, path in ((page, mine), (pg, theirs)):
                for selector in PAGES.get(path, []):
                    wait_ready(tab, selector)
                assert path is None or tab.locator("h1").count() >= 1, path
        assert remote_hosts(urls) == set()
    finally:
        other.close()
    started |= {w["pid"] for w in _state(run_dir)["workers"]}


def test_killed_worker_browser_reconnects_to_the_live_one_and_keeps_its_view(page, balancer):
    base, run_dir, log, started = balancer
    page.goto(f"{base}/projection?area=40203&tfr=1.8")
    wait_ready(page, TFR)
    page.evaluate("() => { window.beforeKill = true; }")  # gone once the page has been reloaded
    was = _worker_cookie(page.context)
    victim = next(w for w in _state(run_dir)["workers"] if f"w{w['index']}" == was)
    live = next(w for w in _state(run_dir)["workers"] if w["index"] != victim["index"])
    started.add(victim["pid"])
    os.kill(victim["pid"], signal.SIGKILL)
    # A request still pinned to the dead worker (the browser's cookie) is answered by the live one at once.
    assert page.context.request.get(f"{base}/_stcore/health?probe=after-kill").ok

    # Streamlit's frontend reconnects by itself; the handshake's answer names the live worker, and
    # deploy/reconnect.js reloads the page there, since that worker has no session for this tab.
    _wait("the browser's websocket on the live worker", lambda: _worker_cookie(page.context) == f"w{live['index']}",
          30, log)
    page.wait_for_function("() => window.beforeKill === undefined", timeout=30_000)
    wait_ready(page, TFR)
    query = parse_qs(urlsplit(page.url).query)
    assert query["area"] == ["40203"] and query["tfr"] == ["1.8"]
    assert page.get_attribute(TFR, "value") == "1.8"
    assert "久留米市" in page.locator("h1").first.inner_text()
    before = page.evaluate(METRICS)
    page.locator(TFR).focus()
    page.keyboard.press("ArrowRight")  # a fragment rerun: the new session is live, not a stale picture
    page.wait_for_function(f"() => ({METRICS})() !== {before!r}")

    # The watcher saw the death, marked it down and started it again. Once it is healthy the browser stays with
    # the worker that holds its session, for its HTTP requests too (uploads and downloads live there).
    _wait("the killed worker restarted and healthy",
          lambda: next(w for w in _state(run_dir)["workers"] if w["index"] == victim["index"]).get("restarts")
          and all(w["up"] and not w["dead"] for w in _state(run_dir)["workers"]), 45, log)
    started |= {w["pid"] for w in _state(run_dir)["workers"]}
    assert page.context.request.get(f"{base}/_stcore/health?probe=after-restart").ok
    assert _worker_cookie(page.context) == f"w{live['index']}"

    def logged(probe: str) -> str:
        lines = (run_dir / "access.log").read_text().splitlines() if (run_dir / "access.log").exists() else []
        return next((line for line in lines if f"probe={probe}" in line), "")

    after_kill = _wait("the probe in nginx's access log (flushed every 2 s)", lambda: logged("after-kill"), 10, log)
    # Pinned to the dead worker's group, answered by the live one (after a refused try, or skipping it at once).
    assert re.search(rf"up=(127\.0\.0\.1:{victim['port']}, )?127\.0\.0\.1:{live['port']} "
                     rf"pool=popdash_w{victim['index']} ", after_kill), after_kill
    after_restart = _wait("the second probe in the access log", lambda: logged("after-restart"), 10, log)
    assert f"up=127.0.0.1:{live['port']} pool=popdash_w{live['index']} " in after_restart, after_restart
