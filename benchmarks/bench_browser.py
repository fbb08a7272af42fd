"""Browser benchmarks on loopback (headless Debian Chromium), bounded in count and time.

    python benchmarks/bench_browser.py [--db data/bundled.duckdb] [--sessions 20 50] [--moves 30]

Prints: first meaningful paint of the overview on a cold server; slider release → updated projection chart
(p50/p95 over `--moves` moves); and for each load level N: N concurrent browser sessions (contexts) each
opening the overview, the natural-change page and the projection page and moving a slider — errors, p95
latency per step and the server's peak RSS. Budgets from DESIGN.md: slider → chart ≤ 500 ms p95 in the
browser; RSS ≤ 1 GB with 20 sessions. Traffic goes only to 127.0.0.1.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import threading
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


async def session(browser, base: str, out: dict, k: int) -> None:
    ctx = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await ctx.new_page()
    page.set_default_timeout(90_000)
    areas = ["40203", "40212", "40216", "40225", "40503", "40522"]
    try:
        for name, url in (("overview", f"/?area={areas[k % 6]}"), ("natural", f"/natural_change?area={areas[(k + 1) % 6]}"),
                          ("projection", f"/projection?area={areas[(k + 2) % 6]}")):
            t0 = time.perf_counter()
            await page.goto(base + url)
            await page.wait_for_selector("[data-testid=stVegaLiteChart]")
            await page.wait_for_function(DONE)
            out.setdefault(name, []).append((time.perf_counter() - t0) * 1000)
            if await page.query_selector("[data-testid=stException]"):
                out.setdefault("errors", []).append(name)
        out.setdefault("slider", []).append(await move_slider(page, True))
    except Exception as exc:  # noqa: BLE001 - a load test counts every failure
        out.setdefault("errors", []).append(repr(exc)[:160])
    finally:
        await ctx.close()


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
            for n in a.sessions:
                out: dict = {}
                peak = [rss_mb(proc.pid)]
                stop = threading.Event()

                def sample() -> None:
                    while not stop.is_set():
                        peak.append(rss_mb(proc.pid))
                        time.sleep(0.5)

                sampler = threading.Thread(target=sample, daemon=True)
                sampler.start()
                t0 = time.perf_counter()
                try:
                    await asyncio.wait_for(asyncio.gather(*(session(browser, base, out, k) for k in range(n))), a.seconds)
                except asyncio.TimeoutError:
                    out.setdefault("errors", []).append(f"time limit {a.seconds:.0f} s reached")
                stop.set()
                sampler.join()
                steps = {k: v for k, v in out.items() if k != "errors"}
                summary = ", ".join(f"{k} p95 {pct(v, 0.95):.0f} ms (n={len(v)})" for k, v in steps.items())
                print(f"{n} concurrent sessions in {time.perf_counter() - t0:.0f} s: errors {len(out.get('errors', []))} "
                      f"{out.get('errors', [])[:3]}; {summary}; server peak RSS {max(peak):.0f} MB")
            await browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, default=ROOT / "data" / "bundled.duckdb")
    ap.add_argument("--sessions", type=int, nargs="*", default=[20, 50])
    ap.add_argument("--moves", type=int, default=30)
    ap.add_argument("--seconds", type=float, default=300, help="time limit per load level")
    asyncio.run(run(ap.parse_args()))


if __name__ == "__main__":
    main()
