"""The migration map in a real browser (headless Debian Chromium, WebGL through SwiftShader): the deck canvases
draw, the labels and arcs show, and no request leaves localhost (no tile server, font or CDN)."""
from __future__ import annotations

import io

from tests.e2e.conftest import IDLE

DECK = "[data-testid=stDeckGlJsonChart]"


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


def test_map_page_draws_offline(page, server):
    page.set_viewport_size({"width": 1500, "height": 1100})
    page.goto(f"{server}/migration_map?area=40203&flow=net")
    page.wait_for_selector(f"{DECK} canvas")
    page.wait_for_function(IDLE)
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
    page.wait_for_function(IDLE)
    assert not page.query_selector("[data-testid=stException]")
