"""Browser tests (headless Debian Chromium): deep links on a fresh server, a playlist stepped with the keyboard,
PNG export, and no request leaving localhost."""
from __future__ import annotations

import io

from PIL import Image

from tests.e2e.conftest import wait_ready


def test_deep_link_restores_scenario_on_fresh_server(page, server):
    page.goto(server + "/projection?area=40203&tfr=1.8&mig=0.5&lang=en")
    wait_ready(page, "input[type=range][aria-label='Target total fertility rate']")
    page.wait_for_selector("input[type=range][aria-label='Net migration change (points per 5 years)']")
    assert page.get_attribute("input[aria-label='Target total fertility rate']", "value") == "1.8"
    assert page.get_attribute("input[aria-label='Net migration change (points per 5 years)']", "value") == "0.5"
    assert page.locator("h1").first.inner_text().startswith("Population projection and scenarios: Kurume-shi")


def test_playlist_steps_with_the_keyboard(page, server):
    """Views saved without a chart are live slides: each opens its page in presenter mode; the clicker's keys
    (PageDown/PageUp, arrows) step through them, back included."""
    page.goto(server + "/?area=40203&presenter=1")
    wait_ready(page, "text=1 / 3")
    page.wait_for_selector("[data-testid=stSidebar]", state="hidden")  # presenter mode hides the sidebar
    page.wait_for_function("window.__popdashKeys === true")  # the key listener (ui.keys) is attached
    page.keyboard.press("PageDown")
    page.wait_for_selector("h1:has-text('自然動態')", state="attached")
    wait_ready(page, "text=2 / 3")
    page.keyboard.press("ArrowRight")
    page.wait_for_selector("h1:has-text('将来人口推計')", state="attached")
    wait_ready(page, "text=3 / 3")
    page.wait_for_selector("input[type=range][aria-label='合計特殊出生率の目標']")
    assert page.get_attribute("input[aria-label='合計特殊出生率の目標']", "value") == "1.8"
    page.keyboard.press("PageUp")
    page.wait_for_selector("h1:has-text('自然動態')", state="attached")
    wait_ready(page, "text=2 / 3")
    page.keyboard.press("Escape")  # leaves presenter mode: the sidebar and its toggle come back, off
    page.wait_for_selector("[data-testid=stSidebar]")
    assert page.get_by_role("switch", name="プレゼンターモード").is_checked() is False
    page.wait_for_timeout(3000)
    page.keyboard.press("b")  # out of presenter mode the keys are the page's again: no black screen
    page.wait_for_timeout(300)
    assert page.locator("#popdash-black").count() == 0


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
