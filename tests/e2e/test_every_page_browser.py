"""Every page by deep link on a fresh server, for a city, a village, a designated-city ward and a prefecture:
no Streamlit exception, its main content drawn, no request leaving localhost (headless Debian Chromium)."""
from __future__ import annotations

import pytest

from tests.e2e.test_presenter_browser import page, server, wait_ready  # noqa: F401 - shared fixtures

PAGES = {
    "/": "[data-testid=stVegaLiteChart]",
    "/natural_change": "[data-testid=stVegaLiteChart]",
    "/social_change": "[data-testid=stVegaLiteChart]",
    "/projection": "[data-testid=stVegaLiteChart]",
    "/migration_map": "[data-testid=stDeckGlJsonChart], canvas",
    "/foreign_residents": "[data-testid=stVegaLiteChart]",
    "/data_explorer": "[data-testid=stMain] [data-testid=stDataFrame]",
}
# The bundled database holds the demo region, so the kinds of area come from it: a city, a town, the prefecture,
# and Japan. A village and a designated-city ward are covered against the national database by the AppTests.
AREAS = ["40203", "40503", "40000", "00000"]


@pytest.mark.parametrize("path", list(PAGES))
def test_page_renders_for_every_kind_of_area(page, server, path):  # noqa: F811 - pytest fixtures
    for area in AREAS:
        page.goto(f"{server}{path}?area={area}")
        wait_ready(page, PAGES[path])
        assert page.query_selector("[data-testid=stException]") is None, f"{path} {area}"
        assert page.locator("h1").count() >= 1
