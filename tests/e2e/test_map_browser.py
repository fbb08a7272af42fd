"""The migration map in a real browser (headless Debian Chromium, WebGL through SwiftShader): the deck canvases
draw, the labels and arcs show, and no request leaves localhost (no tile server, font or CDN)."""
from __future__ import annotations

import io

import pytest

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


CLIPPED = """() => [...document.querySelectorAll('[data-testid=stButtonGroup]')].map(g => {
  const r = g.getBoundingClientRect();
  const cell = g.closest('[data-testid=stVerticalBlock]').getBoundingClientRect();
  const last = [...g.querySelectorAll('button')].pop().getBoundingClientRect();
  return {text: g.innerText.replace(/\\n/g, '/'), right: last.right, cell: cell.right, width: window.innerWidth,
          overflow: g.scrollWidth - g.clientWidth, left: r.left};
})"""


@pytest.mark.parametrize("size", [(1440, 1000), (1366, 768)])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_map_controls_are_not_clipped(page, server, size, lang):
    """転入元/転出先/転入超過 was cut at 1440 px (a quarter-width column): every button of every control shows."""
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(f"{server}/migration_map?area=40203&lang={lang}")
    page.wait_for_selector(f"{DECK} canvas")
    page.wait_for_function(IDLE)
    groups = page.evaluate(CLIPPED)
    assert len(groups) >= 3, groups  # mode, nationality, sex
    for g in groups:
        assert g["overflow"] <= 1 and g["right"] <= g["cell"] + 1 and g["right"] <= g["width"], g
    assert any(("転入超過" if lang == "ja" else "Net") in g["text"] for g in groups)
