"""Still images of the maps (charts.maps.still): the same map as the deck as a Vega-Lite spec that validates and
renders offline with vl-convert (as ui.export does) with Japanese labels; the page offers 画像を保存 under every map."""
from __future__ import annotations

import io
import json

import altair as alt
import pytest
import vl_convert as vlc
from PIL import Image

from charts import maps as mcharts
from charts.maps import still
from loaders import boundaries
from tests.conftest import open_page
from tests.test_maps import SUBJECT, _flows
from ui import export


@pytest.fixture(scope="module")
def basemap() -> mcharts.Basemap:
    return mcharts.Basemap.from_frame(boundaries.prefecture_outlines()[0])


def _png(spec: dict) -> Image.Image:
    return Image.open(io.BytesIO(vlc.vegalite_to_png(spec, scale=1)))


def _layer(spec: dict, name: str) -> dict:
    return next(layer for layer in spec["layer"] if layer["data"]["name"] == name)


def test_flow_still_is_the_deck(basemap):
    deck = json.loads(mcharts.flow_deck(_flows(), SUBJECT, "in", "ja", basemap, selected="14000").to_json())
    legend = [("799以下", (200, 220, 240)), ("800以上", (0, 90, 140))]
    spec = still.from_deck(deck, 640, legend, "転入者数（人）")
    alt.LayerChart.from_dict(spec)  # validates against the Vega-Lite schema
    assert spec["width"] == 1000 and "title" not in spec
    assert spec["projection"]["type"] == "mercator" and spec["projection"]["center"] == [137.0, 38.4]
    # the same prefectures and colours, the same arcs (as tapered trails, thick at the destination), the same labels
    prefs = {f["properties"]["code"]: f["properties"]["fill"] for f in spec["datasets"]["prefectures"]}
    fills = {f["properties"]["code"]: f["properties"]["fill"]
             for f in next(lay for lay in deck["layers"] if lay["id"] == "prefectures")["data"]["features"]}
    assert len(prefs) == 47 and prefs["14000"] == still.hex_colour(fills["14000"])
    trails = spec["datasets"]["flows"]
    assert {t["arc"] for t in trails} == set(range(4))
    first = [t for t in trails if t["arc"] == 0]
    assert first[0]["w"] < first[-1]["w"] and [first[-1]["lon"], first[-1]["lat"]] == [130.508, 33.319]
    texts = [d["lines"] for d in spec["datasets"]["labels"]]
    assert texts == [d["label"] for d in deck["layers"][-1]["data"]] and "神奈川県\n2,148" in texts
    assert _layer(spec, "legend")["encoding"]["color"]["scale"]["domain"] == ["799以下", "800以上"]
    img = _png(export.stamped(spec, "久留米市への転入", ["出典: 久留米市"]))
    assert 1000 <= img.width <= 1300 and 700 <= img.height <= 900


def test_choropleth_still_rewinds_and_marks_the_area(basemap):
    """GeoJSON rings (counter-clockwise outside) would make d3 fill the whole globe: they are rewound."""
    ring = [[130.5, 33.0], [130.6, 33.0], [130.6, 33.1], [130.5, 33.1], [130.5, 33.0]]  # counter-clockwise
    import pandas as pd
    frame = pd.DataFrame({"area_code": ["40203", "40212"], "name_ja": ["久留米市", "大川市"], "name_en": ["Kurume", "Okawa"],
                          "parent_code": ["40000", "40000"], "in_total": [1, 1], "out_total": [1, 1], "net": [0, 0],
                          "net_rate": [3.3, None], "geojson": [json.dumps({"type": "Polygon", "coordinates": [ring]}), None],
                          "lat": [33.3, 33.2], "lon": [130.5, 130.35]})
    deck = json.loads(mcharts.choropleth_deck(frame, "40212", "ja", basemap).to_json())
    spec = still.from_deck(deck, 560, [("+3〜+6", mcharts.rate_colours()[6])], "社会増減率")
    alt.LayerChart.from_dict(spec)
    (area,) = spec["datasets"]["areas"]
    outer = area["geometry"]["coordinates"][0]
    assert outer == ring[::-1]  # clockwise, as d3-geo wants
    (dot,) = spec["datasets"]["dots"]
    assert dot["line"] == still.hex_colour(mcharts.INK) and dot["fill"] == still.hex_colour(mcharts.NO_RATE)
    assert [d["lines"] for d in spec["datasets"]["labels"]] == ["大川市"]
    img = _png(spec).convert("RGB")
    assert img.getpixel((5, 5)) in {(255, 255, 255), (250, 250, 250)}  # background or basemap, not a globe-wide fill


@pytest.fixture()
def national_views(national_db, monkeypatch):
    monkeypatch.setenv("POPDASH_DB", str(national_db))
    from queries.views import migration_map as vm
    return vm


@pytest.mark.parametrize("area", ["13000", "13402"])
def test_tokyo_still_renders_the_frame(national_views, area):
    vm = national_views
    import queries
    row = queries.areas().set_index("area_code").loc[area]
    row = {**row.to_dict(), "area_code": area}
    r = vm.rates(row, "13", "CY2021", "ja", height=640, label_size=14)
    spec = r["still"]
    alt.LayerChart.from_dict(spec)
    codes = {f["properties"]["code"] for f in spec["datasets"]["areas"]}
    assert "13104" in codes and "13421" in codes  # every outline is there; the projection frames the main land
    center = spec["projection"]["center"]
    if area == "13000":
        assert 35.4 < center[1] < 36.0 and "大島町" in r["note"] and "小笠原村" in r["note"]
    else:
        assert 32.3 < center[1] < 33.0 and "青ヶ島村" in r["note"]  # drawn as a dot, and said so
        assert [d["lines"] for d in spec["datasets"]["labels"]] == ["青ヶ島村", "八丈町"]
    assert "青ヶ島村" in r["table"]["name_ja"].tolist()
    img = _png(spec)
    assert img.width >= 1000


def test_page_offers_an_image_of_both_maps(national_db, monkeypatch):
    at = open_page(national_db, monkeypatch, "pages/migration_map.py", area="40203")
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels.count("PNG") == 2 and labels.count("SVG") == 2  # 画像を保存 under the flow map and the choropleth
    main = at.session_state["_charts"][0]["spec"]  # what a slide / handout shows: the flow map's still
    assert "熊本県\n2,926" in [d["lines"] for d in main["datasets"]["labels"]]


def test_indicator_map_has_a_still_image(national_db, monkeypatch):
    """指標比較's choropleth (pages/indicators.py ix_map): its caption offers 画像を保存 like the charts above it."""
    at = open_page(national_db, monkeypatch, "pages/indicators.py", area="40203")
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels.count("PNG") == 3  # the ranked bar, the scatter and the map
    from queries.views import indicators as vx
    ix = vx.context("40203", "ja")
    cmp = vx.compare(ix, ix["state"][0][2], "pref", None, "福岡県", "ja")
    geo = vx.choropleth(ix, cmp, "ja")
    alt.LayerChart.from_dict(geo["still"])
    codes = {f["properties"]["code"] for f in geo["still"]["datasets"]["areas"]}
    assert "40203" in codes and len(codes) >= 60
    assert [d["lines"] for d in geo["still"]["datasets"]["labels"]] == ["久留米市"]
    assert _png(geo["still"]).width >= 1000
