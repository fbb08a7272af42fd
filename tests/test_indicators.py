"""Indicator comparison: figures recomputed by hand from the raw official files, the 人口戦略会議 criterion on two
municipalities from the IPSS 2018 CSV, ranks with ties, peer groups, the glossary, and the page (AppTest)."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import indicators as ind
from indicators import definitions as d
from store.official import open_readonly
from tests.conftest import REPO

IPSS_CSV = "ipss_projection_2018_municipal/ipss_h30_projection_municipality_sex_age5_2015_2045.csv"


@pytest.fixture(scope="module")
def national(national_db) -> pd.DataFrame:
    """indicators.compute on the national database (the same call the page caches)."""
    from estimates import indicators as qi

    with open_readonly(national_db) as con:
        return qi.compute_all(con)


def test_the_build_stores_exactly_the_computed_indicators(national_db, national):
    from estimates import indicators as qi

    with open_readonly(national_db) as con:
        stored = qi.stored(con)
    assert stored is not None and len(stored) == len(national) > 1_900
    pd.testing.assert_frame_equal(stored.sort_index(), national.sort_index(), check_dtype=False, check_names=False)


@pytest.fixture(scope="module")
def table(national_db, national) -> pd.DataFrame:
    """The page's table (areas + indicators + level + size band) without Streamlit."""
    with open_readonly(national_db) as con:
        a = con.execute("SELECT area_code, name_ja, kind, pref_code, parent_code FROM areas WHERE \"current\"").df()
    t = a.merge(national, left_on="area_code", right_index=True)
    return t.assign(level=t["kind"].map(ind.LEVELS), size_band=ind.size_band(t["population"]))


# ---------------------------------------------------------------- real figures, recomputed from the raw files

def test_aging_rate_of_a_town_from_the_raw_age_table(juki_dir, national):
    """大木町 (40522): persons aged 65+ ÷ persons of known age on 2022-01-01, from juki_age5_sex_total (計)."""
    raw = pd.read_csv(juki_dir / "juki_age5_sex_total_2013_2022.csv.gz", dtype={"code": str, "code5": str})
    row = raw[(raw["code5"] == "40522") & (raw["ref_date"] == "2022-01-01") & (raw["sex"] == "計")].iloc[0]
    ages = ["age_0_4", "age_5_9", "age_10_14", "age_15_19", "age_20_24", "age_25_29", "age_30_34", "age_35_39",
            "age_40_44", "age_45_49", "age_50_54", "age_55_59", "age_60_64", "age_65_69", "age_70_74", "age_75_79",
            "age_80_84", "age_85_89", "age_90_94", "age_95_99", "age_100plus"]
    known = sum(int(row[c]) for c in ages)
    old = sum(int(row[c]) for c in ages[13:])
    print(f"大木町 2022-01-01: 65+ {old:,} of {known:,} known ages → {100 * old / known:.3f}%")
    assert known == int(row["total"])  # no age-unknown persons in this town
    assert national.at["40522", "aging_rate"] == pytest.approx(100 * old / known, abs=1e-9)
    assert 28.9 < national.at["40522", "aging_rate"] < 29.0


def test_natural_change_and_net_migration_rates_of_a_town_from_the_raw_dynamics(juki_dir, national):
    """大木町 (40522), CY2017–CY2021: Σ(births − deaths) and Σ(in − out) over Σ mean(1 Jan start, 1 Jan end)."""
    raw = pd.read_csv(juki_dir / "juki_dynamics_total_2013_2022.csv.gz", dtype={"code": str, "code5": str})
    town = raw[raw["code5"] == "40522"].set_index("ref_date")
    natural = net = person_years = 0.0
    for year in range(2017, 2022):
        flow = town.loc[f"{year + 1}-01-01"]  # the file dated 1 Jan Y+1 carries the flows of calendar year Y
        assert flow["flow_period"].startswith(f"CY{year}") or str(year) in flow["flow_period"]
        natural += flow["births"] - flow["deaths"]
        net += flow["in_migrants"] - flow["out_migrants"]
        person_years += (town.at[f"{year}-01-01", "pop_total"] + flow["pop_total"]) / 2
    print(f"大木町 CY2017–21: natural {natural:+.0f}, net {net:+.0f}, person-years {person_years:,.0f}")
    assert national.at["40522", "natural_rate"] == pytest.approx(1000 * natural / person_years, abs=1e-9)
    assert national.at["40522", "net_migration_rate"] == pytest.approx(1000 * net / person_years, abs=1e-9)
    assert natural < 0


def test_population_change_and_foreign_share_of_kurume(national):
    """久留米市: 305,311 (2020-01-01, 住基) → 300,199 with 6,168 foreign (2025-01-01, e-Stat totals; PROVENANCE)."""
    assert national.at["40203", "pop_change"] == pytest.approx(100 * (300_199 / 305_311 - 1))
    assert national.at["40203", "foreign_share"] == pytest.approx(100 * 6_168 / 300_199)


def _ipss_young_women(raw_dir, code: str) -> tuple[int, int]:
    """Women aged 20–39 in 2015 and 2045 from the IPSS CSV as published (header rows: 総数/男/女 × ages)."""
    head = pd.read_csv(raw_dir / IPSS_CSV, header=None, nrows=2, encoding="utf-8-sig", dtype=str)
    body = pd.read_csv(raw_dir / IPSS_CSV, header=None, skiprows=2, encoding="utf-8-sig", dtype=str)
    female_start = head.iloc[0].tolist().index("女")
    cols = [female_start + head.iloc[1, female_start:].tolist().index(a)
            for a in ("20～24歳", "25～29歳", "30～34歳", "35～39歳")]
    out = []
    for year in ("2015年", "2045年"):
        row = body[(body[0] == code) & (body[4] == year)].iloc[0]
        out.append(sum(int(row[c].replace(",", "")) for c in cols))
    return out[0], out[1]


@pytest.mark.parametrize("code, women_2015, women_2045, vanishing", [
    ("40448", 141, 57, True),        # 東峰村: 32+35+38+36 → 12+13+15+17 women; −59.6 %
    ("40203", 34_422, 26_139, False),  # 久留米市: 7,513+7,735+9,012+10,162 → 6,106+6,360+6,698+6,975; −24.1 %
])
def test_young_women_criterion_by_hand_from_the_ipss_csv(raw_dir, national, code, women_2015, women_2045, vanishing):
    assert _ipss_young_women(raw_dir, code) == (women_2015, women_2045)
    change = 100 * (women_2045 / women_2015 - 1)
    print(f"{code}: women 20–39 {women_2015:,} → {women_2045:,} = {change:+.1f}% (2015→2045, IPSS 2018)")
    assert national.at[code, "young_women_ipss_2045"] == pytest.approx(change)
    assert ind.vanishing(national.at[code, "young_women_ipss_2045"]) is vanishing
    assert (change <= -50) is vanishing


def test_criterion_boundary_and_missing():
    s = pd.Series([-50.0, -49.99, -75.0, np.nan, 10.0])
    assert ind.vanishing(s).tolist() == [True, False, True, pd.NA, False]
    assert ind.vanishing(-50.0) is True and ind.vanishing(float("nan")) is None


def test_ipss_code_change_and_coverage(national, table):
    """那珂川市 (40231) was 那珂川町 (40305) in the IPSS 2018 tables; Fukushima's municipalities have no IPSS rows."""
    assert national.at["40231", "ipss_change_2045"] == national.at["40231", "ipss_change_2045"]  # not NaN
    mun = table[table["level"] == "municipality"]
    assert len(mun) == 1741
    counts = mun[list(ind.KEYS)].notna().sum()
    for key in ("pop_change", "aging_rate", "natural_rate", "net_migration_rate", "foreign_share", "app_change_2050",
                "young_women_app_2050"):
        assert counts[key] == 1741, key
    fukushima = mun["pref_code"] == "07"
    assert mun.loc[fukushima, "ipss_change_2045"].isna().all()
    assert counts["ipss_change_2045"] == 1741 - fukushima.sum()
    assert 900 <= counts["youth_net_rate"] <= 930  # cities and single-municipality 郡 only
    print("municipalities meeting the 人口戦略会議 criterion: IPSS 2018 (2015→2045)",
          int(ind.vanishing(mun["young_women_ipss_2045"]).sum()), "of", counts["young_women_ipss_2045"],
          "; this app (2020→2050)", int(ind.vanishing(mun["young_women_app_2050"]).sum()), "of 1741")


def test_app_projection_equals_the_projection_page_baseline(national_db, national):
    """The indicator's 2050 figure is the projection page's trend baseline with its default sliders."""
    import projection as pj
    from estimates.projection_inputs import build_inputs

    with open_readonly(national_db) as con:
        inp = build_inputs(con, areas=["40203"]).area(0)
    res = pj.run(inp, pj.Scenario(steps=8, foreign_share=None, foreign_method="ccr"))  # the area's own foreign trend
    total = res.total.sum(axis=(-1, -2))
    assert national.at["40203", "app_change_2050"] == pytest.approx(100 * (total[6] / total[0] - 1), rel=1e-6)


# ---------------------------------------------------------------- ranks, ties, peers, glossary

def test_ranks_share_the_lowest_rank_on_ties():
    values = pd.Series([5.0, 3.0, 3.0, 1.0, np.nan, 3.0], index=list("abcdef"))
    assert ind.rank(values).tolist() == [1, 2, 2, 5, pd.NA, 2]
    assert ind.rank(values, ascending=True).tolist() == [5, 2, 2, 1, pd.NA, 2]


def test_real_tie_two_municipalities_without_foreign_residents(table):
    """Two municipalities had no foreign residents on 2025-01-01: they share the last rank (1740 of 1741)."""
    from queries.indicators import ranked

    mun = table[table["level"] == "municipality"]
    r = ranked(mun, "foreign_share", mun["area_code"].tolist())
    zero = r[r["foreign_share"] == 0]
    assert len(zero) == 2 and set(zero["rank"]) == {1740} and r["rank"].max() == 1740 and len(r) == 1741


def test_peer_groups_of_kurume(table):
    from queries.indicators import peers

    mun = table[table["level"] == "municipality"]
    same_pref = peers(mun, "40203", "pref")
    assert len(same_pref) == 60 and all(c.startswith("40") for c in same_pref)
    metro = ["40203", "40212", "40216", "40225", "40503", "40522"]
    assert sorted(peers(mun, "40203", "group", metro)) == metro
    size = peers(mun, "40203", "size")
    pops = mun.set_index("area_code").loc[size, "population"]
    assert pops.between(200_000, 499_999).all() and "40203" in size
    tokyo = peers(mun, "13101", "group", ["11000", "12000", "13000", "14000"])  # 東京圏: prefectures as members
    assert {c[:2] for c in tokyo} == {"11", "12", "13", "14"} and "13100" not in tokyo
    wards = peers(table[table["level"] == "ward"], "40131", "pref")
    assert all(c.startswith("4013") for c in wards) and len(wards) == 7  # 福岡市's 7 wards


def test_window_keeps_top_bottom_and_neighbours():
    ranked = pd.DataFrame({"area_code": [f"{i:05d}" for i in range(100)], "rank": range(1, 101)})
    shown = ind.window(ranked, "00050")
    assert shown["area_code"].iloc[:10].tolist() == ranked["area_code"].iloc[:10].tolist()
    assert "00050" in set(shown["area_code"]) and {"00044", "00056"} <= set(shown["area_code"])
    assert shown["area_code"].iloc[-1] == "00099" and len(shown) == 33
    assert len(ind.window(ranked.head(30), "00003")) == 30


def test_glossary_is_generated_from_the_definitions():
    g = ind.glossary("ja", {"juki_age": "総務省『住民基本台帳』"})
    assert len(g) == len(ind.INDICATORS) == 11
    assert g["指標"].tolist() == [i.name["ja"] for i in ind.INDICATORS]
    assert "65歳以上人口" in g.loc[g["指標"] == "高齢化率", "定義（計算式）"].iat[0]
    assert "総務省『住民基本台帳』" in g.loc[g["指標"] == "高齢化率", "出典"].iat[0]
    assert ind.glossary("en").columns.tolist()[0] == "Indicator"
    assert ind.size_band_labels("ja")[2] == "1万〜3万人未満" and "1,729" in ind.criterion_text("ja")
    for i in ind.INDICATORS:
        assert list(i.breaks) == sorted(i.breaks) and i.key in d.BY_KEY


def test_chart_builders_validate():
    from charts import indicators as ic

    bars = pd.DataFrame({"label": ["1位 A", "2位 B", "2位 C"], "value": [3.0, -1.0, -1.0], "selected": [False, True, False],
                         "rank": [1, 2, 2]})
    ic.ranked_bar(bars, "x（％）", 1, 0.5, (-2.0, 4.0), "ja", "t").to_dict()
    pts = pd.DataFrame({"name": ["A", "B"], "x": [1.0, 2.0], "y": [3.0, 4.0], "role": ["selected", "other"]})
    ic.scatter(pts, "x", "y", (1.5, 3.5), "en", "t").to_dict()
    assert ic.class_colours((-10, -3, -1, 1, 3, 10), True)[3] == (238, 238, 238)  # −1…1 straddles 0: neutral
    assert len(ic.class_colours((25, 30, 35), False)) == 4


# ---------------------------------------------------------------- the page

def open_page(db, monkeypatch, **params) -> AppTest:
    monkeypatch.setenv("POPDASH_DB", str(db))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page("pages/indicators.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("code", ["40203", "40448"])  # 久留米市 and 東峰村 (a village)
def test_indicator_page_renders(national_db, monkeypatch, code):
    at = open_page(national_db, monkeypatch, area=code)
    titles = [json.loads(c.proto.spec).get("title") for c in at.get("vega_lite_chart")]
    assert len(titles) == 2 and titles[0].startswith("高齢化率の順位")
    assert len(at.get("deck_gl_json_chart")) == 1  # the choropleth (the national database has boundaries)
    rank = [m for m in at.metric if m.label.startswith("順位（福岡県内）")][0]
    assert rank.value.endswith("位") and rank.delta == "60団体中"  # the count on its own line: never cut to 「1419位／1…」
    everyone = [m for m in at.metric if m.label.startswith("順位（全国の市区町村）")][0]
    assert everyone.delta == "1,741団体中" and "," in everyone.value or int(everyone.value[:-1]) < 1000
    if code == "40203":  # 46位 of 60 in 福岡県: the top 10, 40〜60位; the left-out ranks are a labelled break row
        assert rank.value == "46位"
        from charts import indicators as ic
        from queries.views import indicators as vx
        ix = vx.context(code, "ja")
        args = vx.ranked_bar(ix, vx.compare(ix, "aging_rate", "pref", None, "福岡県", "ja"), "ja")["args"]
        spec = ic.ranked_bar(*args).to_dict()
        rows = next(iter(spec["datasets"].values()))
        gaps = [r for r in rows if r["gap"]]
        assert [g["label"] for g in gaps] == ["⋯ 11〜39位 省略（29団体）"] and gaps[0]["value"] is None
        labels = [r["label"] for r in rows]
        assert labels[9].startswith("10位") and labels[11].startswith("40位")
        assert any(layer.get("mark", {}).get("type") == "rule" and "datum.gap" in json.dumps(layer)
                   for layer in spec["layer"])
    for peer in ("size", "all"):
        at.segmented_control(key="peer").set_value(peer).run()
        assert not at.exception
    at.selectbox(key="ind").set_value("young_women_ipss_2045").run()
    assert not at.exception
    if code == "40448":
        assert [m for m in at.metric if m.label.startswith("20〜39歳女性")][0].value == "△59.6%"


@pytest.mark.parametrize("code", ["40131", "40000", "00000", "07201"])  # a ward, a prefecture, Japan, 福島市
def test_indicator_page_for_other_kinds(national_db, monkeypatch, code):
    open_page(national_db, monkeypatch, area=code, ind="ipss_change_2045")


def test_indicator_page_on_the_bundled_database(bundled_db, monkeypatch):
    at = open_page(bundled_db, monkeypatch, area="40203", peer="group")
    rank = [m for m in at.metric if m.label.startswith("順位（久留米広域")][0]
    assert rank.value.endswith("位") and rank.delta == "6団体中"


def test_choropleth_deck_layers_and_legend():
    from charts import indicators as ic
    from charts.maps import Basemap
    from loaders.boundaries import prefecture_outlines

    basemap = Basemap.from_frame(prefecture_outlines()[0])
    square = '{"type":"Polygon","coordinates":[[[130.0,33.0],[130.1,33.0],[130.1,33.1],[130.0,33.1],[130.0,33.0]]]}'
    frame = pd.DataFrame({"area_code": ["40203", "40131"], "name_ja": ["久留米市", "東区"], "name_en": [None, None],
                          "parent_code": ["40000", "40130"], "value": [27.7, None], "geojson": [square, square]})
    deck = json.loads(ic.choropleth_deck(frame, "40203", (25.0, 30.0), False, 1, "高齢化率（％）", "ja", basemap).to_json())
    ids = [layer["id"] for layer in deck["layers"]]
    assert ids == ["basemap", "areas", "selected", "labels"] and not deck.get("mapProvider")  # offline: no tiles
    fills = [f["properties"]["fill"] for f in deck["layers"][1]["data"]["features"]]
    assert fills[1][:3] == [214, 214, 214]  # no value: grey
    prefs = pd.DataFrame({"area_code": ["40000"], "name_ja": ["福岡県"], "name_en": ["Fukuoka"], "parent_code": ["00000"],
                          "value": [-24.0]})
    nation = json.loads(ic.choropleth_deck(prefs, "", (-50.0, 0.0), True, 1, "x", "en", basemap).to_json())
    assert [layer["id"] for layer in nation["layers"]] == ["areas", "inset", "labels"]
    html = ic.legend((25.0, 30.0), False, "高齢化率（％）", "note", "ja")
    assert "25未満" in html and "30以上" in html and "データなし" in html
