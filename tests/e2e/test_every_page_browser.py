"""Every page by deep link on a freshly started server over the national database, for 久留米市, a village, a
designated-city ward and a prefecture: no Streamlit exception, the page's main content drawn, no request leaving
localhost (headless Debian Chromium). Then the projection sliders: moving one changes the figures and the URL."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.conftest import IDLE, wait_ready

CHART = "[data-testid=stVegaLiteChart]"
TABLE = "[data-testid=stMain] [data-testid=stDataFrame]"
DECK = "[data-testid=stDeckGlJsonChart] canvas"
# page → what must be drawn on it for every kind of area (CSS selectors, each at least once).
PAGES = {
    "/": [CHART, "[data-testid=stMetric]"],
    "/natural_change": [CHART],
    "/social_change": [CHART],
    "/projection": [CHART, "[data-testid=stMetric]", "input[type=range]"],
    "/migration_map": [DECK],
    "/foreign_residents": [CHART],
    "/kpi_tracker": ["[data-testid=stFileUploader]"],
    "/outlook": [CHART, "[data-testid=stMetric]"],
    "/indicators": [CHART, DECK, TABLE],
    "/data_explorer": [TABLE],
    "/import_data": ["[data-testid=stFileUploader]"],
    "/sql_console": ["textarea"],
}
AREAS = {"40203": "久留米市", "40448": "東峰村", "40131": "福岡市東区", "40000": "福岡県"}
# Pages about a plan or a tool rather than one area do not name the area in their title.
UNTITLED = {"/kpi_tracker", "/data_explorer", "/import_data", "/sql_console"}
# What a page must also draw for one area: 久留米市's strategy has its KPI table.
EXTRA = {("/kpi_tracker", "40203"): [TABLE, CHART]}


@pytest.mark.parametrize("path", list(PAGES))
def test_page_renders_for_every_kind_of_area(page, national_server, path):
    for code, name in AREAS.items():
        page.goto(f"{national_server}{path}?area={code}")
        for selector in PAGES[path] + EXTRA.get((path, code), []):
            wait_ready(page, selector)
        assert page.locator("h1").count() >= 1, f"{path} {code}: no title"
        if path not in UNTITLED:
            assert name in page.locator("h1").first.inner_text(), f"{path} {code}: title does not name {name}"


def test_sql_console_runs_a_query_in_the_browser(page, national_server):
    page.goto(f"{national_server}/sql_console")
    wait_ready(page, "textarea")
    page.locator("textarea").fill("SELECT area_code, name_ja FROM areas WHERE area_code = '40448'")
    page.get_by_role("button", name="実行").click()
    wait_ready(page, "text=1 行")
    page.locator(TABLE).last.wait_for()  # the result (the first table is the schema, folded)
    assert "SELECT" in parse_qs(urlsplit(page.url).query)["sql"][0]  # the query is in the shareable URL


def test_section_tabs_run_on_click_and_restore_from_the_url(page, national_server):
    page.goto(f"{national_server}/social_change?area=40203")
    wait_ready(page, CHART)
    assert page.get_by_role("tab", name="推移").get_attribute("aria-selected") == "true"
    page.get_by_role("tab", name="年齢別").click()
    page.wait_for_function("new URL(location.href).searchParams.get('sec') === 'age'")
    wait_ready(page, "text=市区町村別15〜29歳の表")  # the youth chart's caption (its title is drawn in the chart only)
    page.wait_for_function("document.querySelectorAll('[data-testid=stVegaLiteChart]').length >= 2")
    page.goto(page.url.replace("lang=ja", "lang=en"))  # the same link in English opens the same tab
    wait_ready(page, CHART)
    assert page.get_by_role("tab", name="By age").get_attribute("aria-selected") == "true"


def _headline(pg) -> str:
    return pg.locator("[data-testid=stMetric]").first.inner_text()


def _stable(pg, slider: str) -> str:
    """The slider's value once it has held still for a quarter of a second (key presses reach it one by one)."""
    value = None
    for _ in range(40):
        pg.wait_for_timeout(250)
        now = pg.eval_on_selector(slider, "e => e.value")
        if now == value:
            return value
        value = now
    return value


def _move(pg, slider: str, name: str, presses: int) -> str:
    """Press → on `slider` `presses` times and return its final value once the URL carries it and the app is idle.
    A key press that lands while a rerun is being drawn can be lost or undone by that rerun (the slider does not
    move, or the app never hears of the move), so the slider is pressed once more, as a user would, up to 3 times."""
    old = pg.eval_on_selector(slider, "e => e.value")
    pg.locator(slider).focus()
    for _ in range(presses):
        pg.keyboard.press("ArrowRight")
    for attempt in range(4):
        value = _stable(pg, slider)
        if value != old:
            try:
                pg.wait_for_function("([name, v]) => new URL(location.href).searchParams.get(name) === v",
                                     arg=[name, value], timeout=15_000)
                pg.wait_for_function(IDLE)
                return value
            except PlaywrightTimeout:
                pass
        pg.wait_for_function(IDLE)
        pg.locator(slider).focus()
        pg.keyboard.press("ArrowRight")
    raise AssertionError(f"{name}: the URL never carried the slider's value {value} (was {old})")


def test_moving_projection_sliders_changes_figures_and_url(page, national_server):
    page.goto(f"{national_server}/projection?area=40203")
    tfr = "input[type=range][aria-label='合計特殊出生率の目標']"
    mig = "input[type=range][aria-label='純移動率の改善（ポイント／5年）']"
    wait_ready(page, tfr)
    before = _headline(page)
    assert re.search(r"\d{3},\d{3}", before), before  # a population figure, e.g. 2070年の人口 …

    value = _move(page, tfr, "tfr", 3)
    page.wait_for_function("(b) => document.querySelector('[data-testid=stMetric]').innerText !== b", arg=before)
    after_tfr = _headline(page)
    assert parse_qs(urlsplit(page.url).query)["tfr"] == [value] == [page.get_attribute(tfr, "value")]

    mig_value = _move(page, mig, "mig", 1)
    page.wait_for_function("(b) => document.querySelector('[data-testid=stMetric]').innerText !== b", arg=after_tfr)
    query = parse_qs(urlsplit(page.url).query)
    assert query["mig"] == [mig_value] and query["tfr"] == [value]
    assert query["area"] == ["40203"]
    final = _headline(page)

    # The URL restores the same scenario and the same figures on a new load.
    page.goto(page.url)
    wait_ready(page, tfr)
    page.wait_for_selector("[data-testid=stMetric]")
    assert page.get_attribute(tfr, "value") == value
    assert _headline(page) == final != before
