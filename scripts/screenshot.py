"""Take a screenshot of a page of the running app in headless Debian Chromium.

    python scripts/screenshot.py "http://localhost:8765/?area=40203" out.png [--wait SELECTOR] [--width 1600]

Waits for the Streamlit app, then for SELECTOR (default: a rendered chart) and for the script to finish.
"""
from __future__ import annotations

import argparse

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--enable-unsafe-swiftshader", "--use-gl=angle", "--use-angle=swiftshader",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


def shoot(url: str, out: str, wait: str, width: int, height: int) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": height}, locale="ja-JP")
        page.goto(url)
        page.wait_for_selector("[data-testid=stApp]")
        page.wait_for_selector(f"{wait}, [data-testid=stException]", timeout=60_000)
        if page.query_selector("[data-testid=stException]"):
            print("Streamlit exception on page:", page.inner_text("[data-testid=stException]")[:2000])
        page.wait_for_function("!document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000)
        page.wait_for_timeout(1500)
        page.screenshot(path=out, full_page=True)
        browser.close()


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("out")
    ap.add_argument("--wait", default="[data-testid=stVegaLiteChart] canvas, [data-testid=stVegaLiteChart] svg")
    ap.add_argument("--width", type=int, default=1600)
    ap.add_argument("--height", type=int, default=1000)
    a = ap.parse_args()
    shoot(a.url, a.out, a.wait, a.width, a.height)
