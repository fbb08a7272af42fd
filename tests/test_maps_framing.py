"""Maps that hold up on a projector (issue 17, defect 6), with the national figures: the flow map labels the largest
partners whatever the distance, and the Tokyo choropleth frames the main land (or the island picked)."""
from __future__ import annotations

import json

import pytest

from charts import maps as mcharts
from charts.maps.geometry import pixel

KURUME, FUKUOKA = "40203", "40000"


@pytest.fixture(scope="module")
def national(national_db):
    mp = pytest.MonkeyPatch()
    mp.setenv("POPDASH_DB", str(national_db))
    from queries import maps
    from queries.views import basemap
    yield maps, basemap()
    mp.undo()


def _labels(deck) -> list[str]:
    spec = json.loads(deck.to_json())
    return [d["label"] for d in spec["layers"][-1]["data"]]


def _labelled(labels: list[str]) -> dict[str, str]:
    return {text.split("\n")[0]: text.split("\n")[-1] for text in labels}


def test_kurume_labels_its_largest_partners(national):
    """久留米市 (its own table, FY2020–FY2024, in): 福岡市 7,499, 熊本県 2,926, 東京都 2,350, 長崎県 2,303, 神奈川県 2,148 —
    the nearby 熊本 and 長崎 were left out for 広島 and 愛知."""
    maps, basemap = national
    flows = maps.flows(KURUME, "kurume_vision_2025")
    subject = dict(code=KURUME, name="久留米市", lat=33.319, lon=130.508)
    shown = _labelled(_labels(mcharts.flow_deck(flows, subject, "in", "ja", basemap)))
    assert {k: shown.get(k) for k in ("福岡市", "熊本県", "東京都", "長崎県", "神奈川県")} == {
        "福岡市": "7,499", "熊本県": "2,926", "東京都": "2,350", "長崎県": "2,303", "神奈川県": "2,148"}
    assert "久留米市" in shown


def test_fukuoka_labels_its_neighbours(national):
    """福岡県 (2025 表2, in): 東京都 11,108, then 熊本県 8,484, 長崎県 8,057, 佐賀県 7,115, 大分県 7,076."""
    maps, basemap = national
    flows = maps.flows(FUKUOKA, maps.OD_SOURCE)
    subject = dict(code=FUKUOKA, name="福岡県", lat=None, lon=None)
    shown = _labelled(_labels(mcharts.flow_deck(flows, subject, "in", "ja", basemap)))
    assert {k: shown.get(k) for k in ("東京都", "熊本県", "長崎県", "佐賀県", "大分県")} == {
        "東京都": "11,108", "熊本県": "8,484", "長崎県": "8,057", "佐賀県": "7,115", "大分県": "7,076"}


@pytest.mark.parametrize("mode", ["in", "out", "net"])
def test_moved_labels_do_not_overlap(national, mode):
    maps, basemap = national
    flows = maps.flows(FUKUOKA, maps.OD_SOURCE)
    parts = mcharts.flow_parts(flows, dict(code=FUKUOKA, name="福岡県"), mode, "ja", basemap, None, 14, 4.45, 14)
    boxes = []
    for d in parts["labels"]:
        x, y = pixel(*d["p"], 4.45)
        lines = d["label"].split("\n")
        w = max(sum(0.62 if c.isascii() else 1.0 for c in line) for line in lines) * 14
        boxes.append((x - w / 2, y - len(lines) * 8, x + w / 2, y + len(lines) * 8))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] < b[0] or a[0] > b[2] or a[3] < b[1] or a[1] > b[3], (a, b)
    assert sum("a" in d for d in parts["labels"]) >= 1  # crowded Kyushu: some labels moved, with leader lines


def _view(national, code: str | None) -> dict:
    maps, basemap = national
    frame = maps.choropleth("13", "CY2021")
    deck = json.loads(mcharts.choropleth_deck(frame, code, "ja", basemap).to_json())
    return deck


def test_tokyo_frames_the_main_land(national):
    """東京都: the frame was set by 小笠原村 (27°N), so the 23 wards were a thumbnail (zoom 4.7)."""
    view = _view(national, None)["initialViewState"]
    assert 35.4 < view["latitude"] < 36.0 and 139.0 < view["longitude"] < 140.0
    assert view["zoom"] > 8.5


def test_shinjuku_is_outlined_on_the_main_land(national):
    deck = _view(national, "13104")
    assert deck["initialViewState"]["zoom"] > 8.5
    selected = next(layer for layer in deck["layers"] if layer["id"] == "selected")
    assert [f["properties"]["code"] for f in selected["data"]["features"]] == ["13104"]


def test_aogashima_is_framed_and_marked(national):
    """青ヶ島村 has no outline in the simplified boundaries: it was missing from the map and the rate table."""
    maps, _ = national
    frame = maps.choropleth("13", "CY2021").set_index("area_code")
    assert frame.at["13402", "name_ja"] == "青ヶ島村" and frame.at["13402", "net_rate"] == pytest.approx(35.82, abs=0.01)
    deck = _view(national, "13402")
    view = deck["initialViewState"]
    assert 32.3 < view["latitude"] < 32.7 and view["zoom"] > 7.5  # centred on it, 八丈島 in the frame (whole 東京都: 4.7)
    dots = next(layer for layer in deck["layers"] if layer["id"] == "dots")["data"]
    mark = next(d for d in dots if d["code"] == "13402")
    assert mark["selected"] and mark["line"][:3] == list(mcharts.INK)
    assert mark["fill"][:3] == list(mcharts.rate_colours()[-1])  # +35.8 per 1,000: the darkest blue
    assert [d["label"] for d in deck["layers"][-1]["data"]] == ["青ヶ島村", "八丈町"]  # and its neighbour in the frame


def test_other_prefectures_keep_their_islands(national):
    """Only remote islands that shrink the map fourfold are left out: 長崎県 keeps 対馬 and 五島, 鹿児島県 奄美."""
    maps, basemap = national
    for pref, island in (("42", "42209"), ("46", "46222")):
        parts = mcharts.choropleth_parts(maps.choropleth(pref, "CY2021"), None, "ja", basemap, 560)
        assert parts["focus"]["left_out"] == [], pref
        assert island in parts["names"]
