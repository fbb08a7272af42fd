"""Browser benchmarks on loopback (headless Debian Chromium), bounded in count and time.

    python benchmarks/bench_browser.py [--db data/bundled.duckdb] [--moves 30]

Prints: first meaningful paint of the overview on a cold server; slider release → updated projection chart
(p50/p95 over `--moves` moves). Budget from DESIGN.md: slider → chart ≤ 500 ms p95 in the browser. Traffic goes
only to 127.0.0.1. Concurrent sessions are measured by benchmarks/bench_load.py (websocket clients speaking the
browser's protocol: many Chromium contexts would load the 2 cores more than the server does).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--enable-unsafe-swiftshader", "--use-gl=angle", "--use-angle=swiftshader",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
DONE = "!document.querySelector('[data-testid=stStatusWidget]')"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                             "--server.port", str(port), "--server.address", "127.0.0.1"], cwd=ROOT,
                            env={**os.environ, "POPDASH_DB": str(db)}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(base + "/_stcore/health", timeout=2)
            return proc, base
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("server did not start")


def rss_mb(pid: int) -> float:
    """Resident memory of the server process and its children (MB)."""
    total = 0
    for p in [pid, *[int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total / 1024


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[max(0, int(round(q * len(xs))) - 1)] if xs else float("nan")


TFR = "input[type=range][aria-label='合計特殊出生率の目標']"  # the slider's (visually hidden) range input
METRICS = "() => Array.from(document.querySelectorAll('[data-testid=stMetricValue]')).map(e => e.innerText).join('|')"


async def move_slider(page, right: bool) -> float:
    """Move the TFR slider one step by keyboard; ms until the figures on screen changed."""
    before = await page.evaluate(METRICS)
    await page.locator(TFR).focus()
    t0 = time.perf_counter()
    await page.keyboard.press("ArrowRight" if right else "ArrowLeft")
    await page.wait_for_function(f"() => ({METRICS})() !== {before!r}", timeout=30_000)
    return (time.perf_counter() - t0) * 1000


async def run(a) -> None:
    from playwright.async_api import async_playwright

    proc, base = start_server(a.db)
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = await browser.new_page(viewport={"width": 1280, "height": 900})
            t0 = time.perf_counter()
            await page.goto(base + "/?area=40203")
            await page.wait_for_selector("[data-testid=stVegaLiteChart] canvas, [data-testid=stVegaLiteChart] svg",
                                         timeout=120_000)
            print(f"cold server: overview first chart painted after {(time.perf_counter() - t0) * 1000:.0f} ms")
            await page.goto(base + "/projection?area=40203")
            await page.wait_for_selector(TFR, state="attached")
            await page.wait_for_function(DONE)
            moves = [await move_slider(page, k % 2 == 0) for k in range(a.moves)]
            print(f"slider release -> updated projection figures, {len(moves)} moves: p50 {statistics.median(moves):.0f} ms, "
                  f"p95 {pct(moves, 0.95):.0f} ms (budget 500 ms p95)")
            await page.close()
            await browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, default=ROOT / "data" / "bundled.duckdb")
    ap.add_argument("--moves", type=int, default=30)
    asyncio.run(run(ap.parse_args()))


if __name__ == "__main__":
    main()
