"""Migration map page: flow tables against the published figures, boundary simplification, prefecture outlines
stored by the build, deck builders (offline JSON), and the page for a prefecture, 久留米市 and a municipality without an origin–destination table."""
from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from charts import maps as mcharts
from loaders import boundaries
from store.official import open_readonly
from tests.conftest import REPO

PAGE = "pages/migration_map.py"
KURUME, FUKUOKA, TOHO = "40203", "40000", "40448"  # 東峰村: no origin–destination table of its own


@pytest.fixture()
def national(national_db, monkeypatch):
    monkeypatch.setenv("POPDASH_DB", str(national_db))
    from queries import maps
    return maps


@pytest.fixture()
def bundled(bundled_db, monkeypatch):
    monkeypatch.setenv("POPDASH_DB", str(bundled_db))
    from queries import maps
    return maps


# ---------------------------------------------------------------- flow tables reproduce the published figures

def test_prefecture_od_table_sums_to_published_total(national):
    """47 × 46 cells of 人口移動報告 2025 表2 (all residents, both sexes) sum to the published 2,515,731."""
    prefs = national.prefectures()["area_code"].tolist()
    assert len(prefs) == 47
    cells = pd.concat([national.flows(p, national.OD_SOURCE) for p in prefs], ignore_index=True)
    assert len(cells) == 47 * 46
    assert cells["in_movers"].sum() == 2_515_731 == cells["out_movers"].sum()
    assert set(cells["period"]) == {"CY2025"} and set(cells["period_kind"]) == {"CY"}


def test_saitama_to_tokyo(national):
    tokyo = national.flows("13000", national.OD_SOURCE).set_index("partner_code")
    saitama = national.flows("11000", national.OD_SOURCE).set_index("partner_code")
    assert tokyo.at["11000", "in_movers"] == 66_159 == saitama.at["13000", "out_movers"]
    assert tokyo.at["11000", "net"] == tokyo.at["11000", "in_movers"] - tokyo.at["11000", "out_movers"]


def test_nationality_and_sex_split_add_up(national):
    def cell(nat, sex):
        return national.flows("13000", national.OD_SOURCE, nat, sex).set_index("partner_code").at["11000", "in_movers"]
    assert cell("japanese", "total") + cell("foreign", "total") == 66_159
    assert cell("total", "male") + cell("total", "female") == 66_159


@pytest.mark.parametrize("maps_fixture", ["national", "bundled"])
def test_kurume_published_table(maps_fixture, request):
    maps = request.getfixturevalue(maps_fixture)
    plan = maps.plan(KURUME, "city", FUKUOKA)
    assert plan["published"] == ["kurume_vision_2025"]
    assert plan["od"] == (FUKUOKA, "prefecture") and plan["age"] == (FUKUOKA, "prefecture")
    flows = maps.flows(KURUME, "kurume_vision_2025")
    kanagawa = flows.set_index("partner_code").loc["14000"]
    assert (kanagawa["in_movers"], kanagawa["out_movers"], kanagawa["net"]) == (2148, 1302, 846)
    assert set(flows["period"]) == {"FY2020-FY2024"}
    # The two top-10 tables under the map are the city's published ones (prefectures, its own included).
    gain, loss = maps.rankings(flows[flows["partner_kind"] == "prefecture"], "net")
    assert gain["partner_ja"].tolist() == ["神奈川県", "長崎県", "鹿児島県", "大分県", "宮崎県", "広島県", "山口県",
                                           "沖縄県", "岡山県", "愛媛県"]
    assert gain["rank"].tolist() == [1, 2, 3, 4, 5, 6, 7, 8, 9, 9]
    assert loss["partner_ja"].tolist() == ["東京都", "福岡県", "北海道", "大阪府", "熊本県", "群馬県", "兵庫県", "愛知県",
                                           "青森県", "滋賀県"]
    assert loss["net"].tolist() == [-1010, -704, -394, -260, -249, -123, -114, -84, -56, -39]
    fukuoka_city = flows.set_index("partner_code").loc["40130"]
    assert (fukuoka_city["in_movers"], fukuoka_city["out_movers"]) == (7499, 8963)


def test_plans_fall_back_to_designated_city_or_prefecture(national):
    assert national.plan(TOHO, "village", FUKUOKA)["od"] == (FUKUOKA, "prefecture")
    assert national.plan("40131", "ward", "40130")["od"] == ("40130", "parent")
    assert national.plan(FUKUOKA, "prefecture", "00000")["od"] == (FUKUOKA, "self")
    assert national.plan("00000", "nation", None)["national"]


def test_net_by_age_adds_up_to_total(national):
    """2021 net flows of 福岡県 with 東京都: the 5-year groups sum to the published total (−2,323)."""
    total = national.net_by_age(FUKUOKA, "total").set_index("partner_code").at["13000", "net"]
    ages = [national.net_by_age(FUKUOKA, a).set_index("partner_code").at["13000", "net"] for a in national.AGES[1:]]
    assert total == -2323 == sum(ages)
    assert national.net_by_age(FUKUOKA, "20-24").set_index("partner_code").at["13000", "net"] == -2475


def test_pairs_for_japan(national):
    gross = national.pairs("gross")
    assert gross.iloc[0][["from_code", "to_code", "movers"]].tolist() == ["14000", "13000", 88_983]
    net = national.pairs("net")
    assert (net["movers"] > 0).all() and net.iloc[0][["from_code", "to_code"]].tolist() == ["23000", "13000"]


def test_choropleth_rate_matches_dynamics_rates(national, national_db):
    rates = national.choropleth("40", "CY2021")
    assert len(rates) == 72 and rates["geojson"].notna().all()  # 58 municipalities + 14 wards
    with open_readonly(national_db) as con:
        ref = con.execute("SELECT in_total, out_total FROM migration_totals WHERE area_code = $1 AND "
                          "period = 'CY2021' AND nationality = 'total' AND source_id = 'juki_dynamics'",
                          [KURUME]).fetchone()
        pops = dict(con.execute("SELECT ref_date, persons FROM population WHERE area_code = $1 AND basis = 'juki' "
                                "AND sex = 'total' AND age_group = 'total' AND nationality = 'total' "
                                "AND source_id = 'juki_dynamics' AND ref_date IN ('2021-01-01', '2022-01-01')",
                                [KURUME]).fetchall())
    assert len(pops) == 2
    expected = 1000 * (ref[0] - ref[1]) / (sum(pops.values()) / 2)
    assert rates.set_index("area_code").at[KURUME, "net_rate"] == pytest.approx(expected)
    assert national.periods("40")[0] == "CY2021"
    assert len(national.choropleth("", "CY2021")) == 47


def test_one_net_rate_definition(national_db):
    """register_rates (loaders/derived.sql) is the only place the net migration rate is defined: the choropleth,
    the dynamics pages and the indicator (Σ net ÷ Σ mean population over CY2017–CY2021) give its figures for
    every area."""
    from indicators import definitions as d
    from store import sqlfiles

    with open_readonly(national_db) as con:
        rates = con.execute("SELECT * FROM register_rates WHERE nationality = 'total'").df()
        stored = con.execute("SELECT area_code, net_migration_rate FROM indicator_values").df()
        cy2021 = rates[rates["period"] == "CY2021"].set_index("area_code")["net_rate"]
        for pref in ("13", "40", "47"):
            choro = sqlfiles.run("map_choropleth", con, pref=pref, period="CY2021").set_index("area_code")["net_rate"]
            pd.testing.assert_series_equal(choro.dropna(), cy2021.reindex(choro.index).dropna(), check_names=False)
        prefs = sqlfiles.run("map_choropleth_prefs", con, period="CY2021").set_index("area_code")["net_rate"]
        assert len(prefs) == 47 and prefs.equals(cy2021.reindex(prefs.index))
        # areas whose series joins predecessor codes (area_lineage) take the rates of the summed counts and means
        joined = set(con.execute("SELECT area_code FROM area_lineage WHERE member_code <> area_code").df()["area_code"])
        codes = sorted(set(rates["area_code"]) - joined)
        dyn = sqlfiles.run("dynamics_rates", con, areas=codes)
    dyn = dyn[dyn["nationality"] == "total"].set_index(["area_code", "period"])["net_migration_rate"]
    mine = rates.set_index(["area_code", "period"])["net_rate"].reindex(dyn.index)
    assert len(dyn) > 17_000  # ≈ 1,800 areas without code changes × 10 calendar and fiscal years
    pd.testing.assert_series_equal(dyn, mine, check_names=False)
    years = rates[(rates["period_kind"] == "CY") & rates["year"].isin(d.FLOW_YEARS) & rates["pop_mean"].notna()]
    sums = years.groupby("area_code")[["net", "pop_mean"]].sum()
    by_hand = 1000 * sums["net"] / sums["pop_mean"]
    got = stored.set_index("area_code")["net_migration_rate"].dropna()
    assert len(got) > 1_900
    pd.testing.assert_series_equal(got, by_hand.reindex(got.index), check_names=False, rtol=1e-12)


# ---------------------------------------------------------------- boundaries: loader and simplification

GEO = "geo_municipalities"


def _vertex_owners(shapes) -> dict[tuple, set]:
    owners: dict[tuple, set] = {}
    for code, polys in shapes.items():
        for poly in polys:
            for ring in poly:
                for p in ring:
                    owners.setdefault((round(p[0], 3), round(p[1], 3)), set()).add(code)
    return owners


def test_simplify_keeps_shared_borders_shared():
    """Two squares sharing a wiggly border: simplified, both keep exactly the same border vertices."""
    wiggle = [(1.0, y / 10) for y in range(11)]
    wiggle = [(x + (0.0004 if i % 2 else 0), y) for i, (x, y) in enumerate(wiggle)]  # below the tolerance
    left = [(0.0, 0.0)] + wiggle + [(0.0, 1.0), (0.0, 0.0)]
    right = wiggle[::-1] + [(2.0, 0.0), (2.0, 1.0), wiggle[-1]]
    out = boundaries.simplify({"A": [[left]], "B": [[right]]}, tolerance=0.001)
    a = {tuple(p) for p in out["A"][0][0] if p[0] >= 0.99}
    b = {tuple(p) for p in out["B"][0][0] if p[0] <= 1.01}
    assert a == b and (1.0, 0.0) in a and (1.0, 1.0) in a
    assert len(out["A"][0][0]) < len(left)


def test_fukuoka_boundaries_are_simplified_without_gaps(raw_dir):
    path = next((raw_dir / GEO).glob("N03-21_40_*.geojson"))
    shapes = boundaries.read_n03(path)
    assert len(shapes) == 72 and KURUME in shapes
    simple = boundaries.simplify(shapes)
    before = _vertex_owners(shapes)
    after = _vertex_owners(simple)
    # A border vertex kept on one side is kept on every side that shared it: no slivers between neighbours.
    for p, codes in after.items():
        if p in before and len(before[p]) > 1:
            assert codes == before[p], p
    n_in = sum(len(r) for polys in shapes.values() for poly in polys for r in poly)
    n_out = sum(len(r) for polys in simple.values() for poly in polys for r in poly)
    size = sum(len(boundaries.to_geojson(p)) for p in simple.values())
    assert n_out < n_in and size < 80_000  # bytes of GeoJSON text for the whole prefecture


def test_load_folder_takes_the_finer_file_and_wards(raw_dir):
    table, sources = boundaries.load_folder(raw_dir / GEO)
    codes = set(table["area_code"])
    assert {"40131", "40137", KURUME}.issubset(codes) and "40130" not in codes  # wards, not the merged city
    kurume = table.set_index("area_code").loc[KURUME]
    geom = json.loads(kurume["geojson"])
    assert geom["type"] in ("Polygon", "MultiPolygon") and kurume["vertices"] > 40  # the 1 % Fukuoka file
    assert set(table["source_id"]) == {boundaries.SOURCE_ID} == set(sources["source_id"])
    assert table.duplicated(boundaries.BOUNDARY_KEYS).sum() == 0


def test_load_folder_missing_is_empty(tmp_path):
    table, sources = boundaries.load_folder(tmp_path / "nothing")
    assert table.empty and sources.empty


def test_bundled_extract_has_the_demo_boundaries(bundled_db):
    with open_readonly(bundled_db) as con:
        codes = {r[0] for r in con.execute("SELECT area_code FROM boundaries WHERE level = 'municipality'").fetchall()}
    assert codes == {"40203", "40212", "40216", "40225", "40503", "40522"}
    assert (REPO / "data" / "bundled" / "extract" / "boundaries.csv").stat().st_size < 20_000


# ---------------------------------------------------------------- deck builders (pure; JSON sent to the browser)

@pytest.fixture(scope="module")
def basemap() -> mcharts.Basemap:
    """The prefecture outlines as every build stores them (loaders.boundaries.prefecture_outlines)."""
    return mcharts.Basemap.from_frame(boundaries.prefecture_outlines()[0])


def _flows() -> pd.DataFrame:
    return pd.DataFrame({
        "partner_code": ["13000", "14000", "40000", "40130", "47000"],
        "partner_ja": ["東京都", "神奈川県", "福岡県", "福岡市", "沖縄県"],
        "partner_en": ["Tokyo", "Kanagawa", "Fukuoka", "Fukuoka-shi", "Okinawa"],
        "partner_kind": ["prefecture", "prefecture", "prefecture", "designated_city", "prefecture"],
        "lat": [35.3, 35.4, 33.6, 33.59, 26.2], "lon": [139.6, 139.3, 130.7, 130.40, 127.5],
        "in_movers": [2350, 2148, 26271, 7499, 762], "out_movers": [3360, 1302, 26975, 8963, 701],
        "net": [-1010, 846, -704, -1464, 61]})


SUBJECT = dict(code=KURUME, name="久留米市", lat=33.319, lon=130.508)


def _no_remote(text: str) -> None:
    assert not re.search(r"https?://", text), re.search(r"https?://\S{0,60}", text).group(0)


@pytest.mark.parametrize("mode", ["in", "out", "net"])
def test_flow_deck_is_offline_and_labelled(mode, basemap):
    deck = mcharts.flow_deck(_flows(), SUBJECT, mode, "ja", basemap, selected="14000")
    text = deck.to_json()
    spec = json.loads(text)
    _no_remote(text)
    # map_provider=None and pydeck's style placeholder, which Streamlit removes: no tiles, no style download.
    assert not spec.get("mapProvider") and spec.get("mapStyle") == "__MAP_STYLE__"
    ids = [layer["id"] for layer in spec["layers"]]
    assert ids == ["prefectures", "inset", "flows", "places", "selected", "leaders", "labels"]
    arcs = {a["code"]: a for a in spec["layers"][ids.index("flows")]["data"]}
    assert "40000" not in arcs and set(arcs) == {"13000", "14000", "40130", "47000"}  # own prefecture not drawn
    home = [round(SUBJECT["lon"], 3), round(SUBJECT["lat"], 3)]
    inbound = {"in": {"13000", "14000", "40130", "47000"}, "out": set(), "net": {"14000", "47000"}}[mode]
    for code, arc in arcs.items():
        assert (arc["t"] == home) == (code in inbound), (mode, code)
        assert arc["sc"][3] < arc["tc"][3]  # pale origin, strong destination
    labels = spec["layers"][-1]
    chars = set(labels["characterSet"])
    assert all(set(d["label"]) - {"\n"} <= chars for d in labels["data"])
    assert "久" in chars and labels["fontFamily"].startswith("Noto Sans CJK JP")
    assert any(d["label"].startswith("神奈川県") for d in labels["data"])  # the selected partner is labelled
    tip = arcs["13000"]["tip"]
    assert "2,350" in tip and "3,360" in tip and "△1,010" in tip


def test_flow_deck_net_colours_are_diverging(basemap):
    spec = json.loads(mcharts.flow_deck(_flows(), SUBJECT, "net", "en", basemap).to_json())
    arcs = {a["code"]: a for a in spec["layers"][2]["data"]}
    gain, loss = arcs["14000"]["tc"][:3], arcs["13000"]["tc"][:3]
    assert gain[2] > gain[0] and loss[0] > loss[2]  # blue for a gain, vermillion for a loss
    assert "−1,010" in arcs["13000"]["tip"]


def test_net_legend_and_breaks():
    classes = mcharts.flow_classes(_flows(), "net", exclude=("40000", KURUME))
    html = mcharts.flow_legend(classes, "net", "ja")
    assert "転入超過（増）" in html and "転出超過（減）" in html and "以上" in html
    assert classes["breaks"] == sorted(set(classes["breaks"]))
    assert mcharts.count_breaks([5, 50, 500, 5000, 50_000]) == sorted(mcharts.count_breaks([5, 50, 500, 5000, 50_000]))


def test_labels_do_not_overlap_at_the_first_view():
    labels = [{"p": [139.6, 35.7], "label": "東京都\n3,360", "pr": 900},
              {"p": [139.5, 35.5], "label": "神奈川県\n1,302", "pr": 890},
              {"p": [135.5, 34.7], "label": "大阪府\n1,459", "pr": 880}]
    kept = mcharts.place_labels(labels, zoom=4.45, size=14)
    assert [d["label"][:3] for d in kept] == ["東京都", "大阪府"]


def test_choropleth_deck_outlines_the_area(basemap):
    def square(x: float) -> str:
        ring = [[x, 33], [x + .1, 33], [x + .1, 33.1], [x, 33.1], [x, 33]]
        return json.dumps({"type": "Polygon", "coordinates": [ring]})

    frame = pd.DataFrame({"area_code": [KURUME, "40212"], "name_ja": ["久留米市", "大川市"], "name_en": ["Kurume", "Okawa"],
                          "parent_code": [FUKUOKA, FUKUOKA], "in_total": [12000, 1000], "out_total": [11000, 1200],
                          "net": [1000, -200], "net_rate": [3.3, -6.1], "geojson": [square(130.5), square(130.3)]})
    text = mcharts.choropleth_deck(frame, KURUME, "ja", basemap).to_json()
    _no_remote(text)
    spec = json.loads(text)
    ids = [layer["id"] for layer in spec["layers"]]
    assert ids == ["basemap", "areas", "selected", "labels"]
    areas = {f["properties"]["code"]: f["properties"] for f in spec["layers"][1]["data"]["features"]}
    assert areas[KURUME]["fill"][:3] == list(mcharts.rate_colours()[6])  # +3 … +6 per 1,000: a blue class
    assert areas["40212"]["fill"][:3] == list(mcharts.rate_colours()[1])  # △10 … △6: a vermillion class
    assert "+3.3" in areas[KURUME]["tip"] and "12,000" in areas[KURUME]["tip"]
    assert [f["properties"]["code"] for f in spec["layers"][2]["data"]["features"]] == [KURUME]
    assert "△6" in mcharts.rate_legend("ja") and "per 1,000" in mcharts.rate_legend("en")


def test_picked_code_reads_a_click():
    arc = {"selection": {"indices": {"flows": [0]}, "objects": {"flows": [{"code": "13000"}]}}}
    prefecture = {"selection": {"objects": {"prefectures": [{"properties": {"code": "01000"}}]}}}
    assert mcharts.picked_code(arc) == "13000" and mcharts.picked_code(prefecture) == "01000"
    assert mcharts.picked_code({"selection": {"indices": {}, "objects": {}}}) is None
    assert mcharts.picked_code(None) is None


def test_prefecture_outlines_from_japanmap(basemap):
    shapes = basemap.japan
    assert len(shapes) == 47 and all(s["ring"][0] == s["ring"][-1] for s in shapes.values())
    lon, lat = shapes["13000"]["centroid"]
    assert 139.0 < lon < 140.0 and 35.4 < lat < 36.0  # 東京都's main area
    true = basemap.detail["47000"]["centroid"]
    moved = basemap.japan["47000"]["centroid"]
    assert true[1] < 27 < moved[1]  # 沖縄県 drawn as an inset on the flow map only


@pytest.mark.parametrize("db", ["bundled_db", "national_db"])
def test_the_build_stores_the_prefecture_outlines(db, request, basemap):
    """Both builds carry the 47 outlines at both levels, simplified once (the whole-Japan cut is coarser), with a
    source row; read back through the query they are the outlines the charts are tested with above."""
    from store import sqlfiles

    with open_readonly(request.getfixturevalue(db)) as con:
        rows = con.execute("SELECT area_code, level, geojson, vertices, source_id FROM boundaries "
                           "WHERE level LIKE 'prefecture%' ORDER BY level, area_code").df()
        sources = {r[0] for r in con.execute("SELECT source_id FROM sources").fetchall()}
        queried = sqlfiles.run("map_prefecture_outlines", con)  # what queries.maps.prefecture_outlines reads
    counts = rows.groupby("level")["vertices"].agg(["size", "sum"])
    assert counts["size"].to_dict() == {"prefecture": 47, "prefecture_fine": 47}
    assert 1_000 < counts.at["prefecture", "sum"] < counts.at["prefecture_fine", "sum"] < 10_000
    assert set(rows["source_id"]) == {boundaries.PREFECTURE_SOURCE_ID} <= sources
    stored = mcharts.Basemap.from_frame(queried)
    assert stored.japan == basemap.japan and stored.detail == basemap.detail
    okinawa = rows.set_index(["level", "area_code"]).at[("prefecture", "47000"), "geojson"]
    assert stored.japan["47000"]["centroid"][1] > 27 > json.loads(okinawa)["coordinates"][0][0][1]  # stored in place


# ---------------------------------------------------------------- the page

def _page(area: str, **params) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params["area"] = area
    at.switch_page(PAGE)
    for k, v in params.items():
        at.session_state[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _decks(at: AppTest) -> list[dict]:
    return [json.loads(e.proto.json) for e in at.get("deck_gl_json_chart")]


@pytest.mark.parametrize("db", ["national_db", "bundled_db"])
def test_page_kurume(db, request, monkeypatch):
    monkeypatch.setenv("POPDASH_DB", str(request.getfixturevalue(db)))
    at = _page(KURUME)
    assert at.title[0].value == "久留米市の人口移動マップ"
    assert not at.info  # its own published table: no fall-back message
    flows_deck, choropleth = _decks(at)
    assert any(layer["id"] == "flows" for layer in flows_deck["layers"])
    most_in = at.dataframe[0].value  # 'in' view: prefectures with the most in-migrants, the city's own first
    assert most_in["partner_ja"].tolist()[:3] == ["福岡県", "熊本県", "東京都"]
    assert most_in["in_movers"].tolist()[:3] == [26271, 2926, 2350]
    selected = [f["properties"]["code"] for f in choropleth["layers"][2]["data"]["features"]]
    assert selected == [KURUME]


def test_page_kurume_net_view(bundled_db, monkeypatch):
    monkeypatch.setenv("POPDASH_DB", str(bundled_db))
    at = _page(KURUME, flow="net")
    gain, loss = at.dataframe[0].value, at.dataframe[1].value
    assert gain["partner_ja"].iloc[0] == "神奈川県" and gain["net"].iloc[0] == 846
    assert loss["partner_ja"].tolist()[:2] == ["東京都", "福岡県"]
    assert [m.value for m in at.metric][:2] == ["7,499", "8,963"]  # the default partner: 福岡市 (largest net)


def test_page_prefecture(national_db, monkeypatch):
    monkeypatch.setenv("POPDASH_DB", str(national_db))
    at = _page(FUKUOKA)
    assert not at.info
    assert any("2025" in m.value for m in at.markdown if m.value.startswith("####"))
    first = at.dataframe[0].value
    assert first["partner_ja"].iloc[0] == "東京都"  # most in-migrants to 福岡県 in 2025 come from 東京都


def test_page_municipality_without_od_table(national_db, monkeypatch):
    monkeypatch.setenv("POPDASH_DB", str(national_db))
    at = _page(TOHO)
    assert at.title[0].value == "東峰村の人口移動マップ"
    assert "福岡県全体" in at.info[0].value  # says so, and shows the prefecture
    flows_deck, choropleth = _decks(at)
    assert flows_deck["initialViewState"]["zoom"] > 4
    assert [f["properties"]["code"] for f in choropleth["layers"][2]["data"]["features"]] == [TOHO]


def test_page_age_filter_and_japan(national_db, monkeypatch):
    monkeypatch.setenv("POPDASH_DB", str(national_db))
    at = _page(FUKUOKA, age="20-24")
    mode = next(w for w in at.get("button_group") if w.key == "flow")
    assert mode.proto.disabled  # by age only net figures exist
    assert "東京都\n転入超過: △2,475 人" in json.dumps(_decks(at)[0], ensure_ascii=False).replace("\\n", "\n")
    at = _page("00000")
    assert "全国" in at.title[0].value and at.dataframe[0].value.shape[0] == 10
