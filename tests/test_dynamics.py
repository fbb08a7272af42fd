"""Natural-change and migration pages: published tables cell by cell, official figures, period rules, pages."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from charts import dynamics as dcharts
from store.official import open_readonly
from tests.conftest import REPO, run_sections


def parse(cells: str) -> list[int]:
    return [-int(c[1:].replace(",", "")) if c.startswith("△") else int(c.replace(",", ""))
            for c in cells.replace("△ ", "△").split()]


# 久留米市の自然動態 as printed in the 人口ビジョン (年度 2005–2024)
SEED_NATURAL = {
    "births": parse("2,864 3,037 2,933 2,902 2,894 2,963 2,898 2,937 2,960 2,974 "
                    "2,934 2,788 2,756 2,742 2,676 2,412 2,373 2,299 2,188 1,999"),
    "deaths": parse("2,547 2,688 2,691 2,715 2,692 2,962 2,972 2,941 2,987 3,058 "
                    "3,103 3,177 3,182 3,252 3,287 3,269 3,479 3,838 3,693 3,824"),
    "natural_change": parse("317 349 242 187 202 1 △ 74 △ 4 △ 27 △ 84 "
                            "△ 169 △ 389 △ 426 △ 510 △ 611 △ 857 △ 1,106 △ 1,539 △ 1,505 △ 1,825"),
}
# 久留米市の社会動態 (printed with the labels 出生/死亡/自然動態; the figures are 転入/転出/社会動態)
SEED_SOCIAL = {
    "in_total": parse("12,282 11,980 11,966 11,889 11,508 11,010 11,023 11,733 12,277 12,384 "
                      "12,571 12,611 12,522 12,811 13,571 11,929 11,224 13,429 12,744 12,609"),
    "out_total": parse("12,971 12,571 13,388 12,675 12,064 11,541 11,297 11,744 11,746 11,840 "
                       "11,893 11,818 12,655 12,955 12,612 11,454 11,878 12,161 12,174 11,639"),
    "net": parse("△ 689 △ 591 △ 1,422 △ 786 △ 556 △ 531 △ 274 △ 11 531 544 "
                 "678 793 △ 133 △ 144 959 475 △ 654 1,268 570 970"),
}


@pytest.fixture()
def bundled(bundled_db, monkeypatch):
    monkeypatch.setenv("POPDASH_DB", str(bundled_db))
    import queries
    from queries import dynamics
    return queries, dynamics


def test_natural_change_table_reproduces_the_seed_cell_by_cell(bundled):
    queries, dyn = bundled
    table = dyn.published_table(queries.vital_series("40203"), "kurume_vision_2025",
                                {"births": "出生", "deaths": "死亡", "natural_change": "自然動態"})
    assert list(table.columns) == [f"FY{y}" for y in range(2005, 2025)]
    assert table.loc["出生"].tolist() == SEED_NATURAL["births"]
    assert table.loc["死亡"].tolist() == SEED_NATURAL["deaths"]
    assert table.loc["自然動態"].tolist() == SEED_NATURAL["natural_change"]


def test_migration_table_reproduces_the_seed_cell_by_cell(bundled):
    queries, dyn = bundled
    table = dyn.published_table(queries.migration_series("40203"), "kurume_vision_2025",
                                {"in_total": "転入", "out_total": "転出", "net": "社会動態"})
    for key, label in (("in_total", "転入"), ("out_total", "転出"), ("net", "社会動態")):
        assert table.loc[label].tolist() == SEED_SOCIAL[key]


def test_partner_tables_reproduce_the_seed(bundled):
    _, dyn = bundled
    ranks = dyn.published_rankings(dyn.partner_flows("40203"))
    gain = ranks["in"]
    assert gain["partner_ja"].tolist() == ["神奈川県", "長崎県", "鹿児島県", "大分県", "宮崎県", "広島県", "山口県",
                                           "沖縄県", "岡山県", "愛媛県"]
    assert gain["rank"].tolist() == [1, 2, 3, 4, 5, 6, 7, 8, 9, 9]  # the printed tie at 9
    assert gain[["in_movers", "out_movers", "net"]].iloc[0].tolist() == [2148, 1302, 846]
    loss = ranks["out"]
    assert loss["partner_ja"].tolist() == ["東京都", "福岡県", "北海道", "大阪府", "熊本県", "群馬県", "兵庫県", "愛知県",
                                           "青森県", "滋賀県"]
    assert loss["net"].tolist() == [-1010, -704, -394, -260, -249, -123, -114, -84, -56, -39]
    metro = ranks["metro"].set_index("partner_code")
    assert metro.loc["G_TOKYO", ["in_movers", "out_movers", "net"]].tolist() == [6055, 6260, -205]
    assert metro.loc["G_3METRO", ["in_movers", "out_movers", "net"]].tolist() == [9621, 10260, -639]
    assert metro.loc["40130", ["in_movers", "out_movers", "net"]].tolist() == [7499, 8963, -1464]
    assert list(metro.index) == ["G_TOKYO", "G_NAGOYA", "G_OSAKA", "G_3METRO", "40130"]


def test_prefecture_partners_come_from_the_2025_od_table(bundled):
    _, dyn = bundled
    flows = dyn.partner_flows("40000")
    assert set(flows["source_id"]) == {"idou_2025_table2"}  # 福岡県 is only a partner in 久留米市's table
    f = flows.set_index("partner_code")
    # 住民基本台帳人口移動報告 2025 表2: 福岡県→東京圏 28,297, 東京圏→福岡県 22,165; 福岡市→福岡県(市外) 22,299
    assert f.loc["G_TOKYO", ["in_movers", "out_movers"]].tolist() == [22_165, 28_297]
    assert f.loc["40130", ["in_movers", "out_movers"]].tolist() == [22_299, 24_235]
    ranks = dyn.published_rankings(flows)
    assert len(ranks["in"]) + len(ranks["out"]) <= 46 and "00000" not in set(ranks["in"]["partner_code"])
    assert (ranks["out"]["net"] < 0).all() and ranks["out"]["net"].is_monotonic_increasing


def test_non_demo_municipality_cy2021_equals_the_published_workbook(national_db, monkeypatch):
    # 2203ssjin.xlsx (令和3年 人口動態, 総計): 函館市 転入 8,088 出生 1,179 転出 9,081 死亡 4,066
    with open_readonly(national_db) as con:
        row = con.execute("SELECT v.births, v.deaths, m.in_total, m.out_total FROM vital_events v JOIN migration_totals m "
                          "USING (area_code, period, nationality, source_id) WHERE area_code='01202' AND period='CY2021' "
                          "AND nationality='total'").fetchone()
    assert row == (1179, 4066, 8088, 9081)


def test_fiscal_and_calendar_series_stay_separate(bundled):
    queries, dyn = bundled
    series = queries.vital_series("40203")
    official = dyn.select_series(series, "juki_dynamics", "total")
    fy, cy = official[official["period_kind"] == "FY"], official[official["period_kind"] == "CY"]
    assert fy["period"].iloc[[0, -1]].tolist() == ["FY1994", "FY2012"]
    assert cy["period"].iloc[[0, -1]].tolist() == ["CY2013", "CY2021"]
    assert set(fy.loc[fy["year"] <= 2011, "scope"]) == {"japanese_only"} and set(cy["scope"]) == {"all"}
    city = dyn.select_series(series, "kurume_vision_2025", "total")
    assert set(city["source_id"]) == {"kurume_vision_2025"} and len(city) == 20  # never mixed with 総務省
    spec = dcharts.flow_bars(official, "births", "deaths", "natural_change",
                             {"births": "b", "deaths": "d", "natural_change": "n"}, "ja", "t").to_dict()
    line = [layer for layer in spec["layer"] if layer.get("mark", {}).get("type") == "line"][0]
    assert line["encoding"]["detail"]["field"] == "period_kind"  # a line never crosses from FY to CY


def test_rates_and_waterfall_kurume_cy2021(bundled):
    _, dyn = bundled
    r = dyn.rates(("40203",)).set_index(["period", "nationality"]).loc[("CY2021", "total")]
    assert (r["pop_start"], r["pop_end"]) == (304_666, 303_052)
    assert r["natural_rate"] == pytest.approx(1000 * (2371 - 3396) / ((304_666 + 303_052) / 2))
    wf = dyn.waterfall("40203", "CY2021").set_index("step")["value"]
    assert wf.to_dict() == {"start": 304_666, "natural": -1025, "social": -329, "other": -260, "residual": 0, "end": 303_052}
    spec = dcharts.waterfall(dyn.waterfall("40203", "CY2021"), "ja", "t").to_dict()
    rows = {r["step"]: r for r in next(iter(spec["datasets"].values()))}
    # issue 17: a zero baseline — no bar starts at ~302,800, so △1,614 does not look like a collapse
    assert list(rows) == ["natural", "social", "other", "residual", "total"]
    assert (rows["natural"]["y0"], rows["natural"]["y1"]) == (0, -1025)
    assert (rows["social"]["y0"], rows["social"]["y1"]) == (-1025, -1354)
    assert (rows["total"]["y0"], rows["total"]["y1"], rows["total"]["text"]) == (0, -1614, "△1,614")
    bars = spec["layer"][0]["encoding"]["y"]
    assert bars["scale"]["zero"] is True and "domain" not in bars["scale"] and bars["title"] == "増減（人）"
    assert spec["title"]["subtitle"] == ["期首人口 304,666人 → 期末人口 303,052人（△1,614人）。棒は0から測った増減です。"]


def test_tfr_series_and_chart(bundled):
    _, dyn = bundled
    tfr = dyn.tfr("40203")
    assert tfr.loc[tfr["level"] == "area", ["year", "tfr"]].values.tolist() == [[2023, 1.35]]
    nation = tfr[tfr["level"] == "nation"].set_index("year")["tfr"]
    assert nation[2021] == 1.30 and nation[1947] == 4.54  # 人口動態統計
    assert tfr[(tfr["level"] == "prefecture")].set_index("year")["tfr"][2021] == 1.37  # 福岡県
    spec = dcharts.tfr_lines(tfr, "en").to_dict()
    assert any(v.get("tfr") == 2.07 for d in spec["datasets"].values() for v in d)


SECTIONS = {"pages/natural_change.py": ["trend", "tfr", "compare"],
            "pages/social_change.py": ["trend", "partners", "age", "breakdown", "compare"]}


@pytest.mark.parametrize("page", list(SECTIONS))
@pytest.mark.parametrize("code", ["40203", "40448", "40131", "40000"])
def test_pages_render_for_kinds_of_area(national_db, monkeypatch, page, code):
    at = run_sections(national_db, monkeypatch, page, SECTIONS[page], area=code)
    charts = at.get("vega_lite_chart")
    assert len(charts) >= (5 if page.endswith("social_change.py") else 4)
    for sec, run in at.runs.items():  # each tab draws only its own section
        assert 1 <= len(run.get("vega_lite_chart")) <= 3, (sec, len(run.get("vega_lite_chart")))
    captions = [c.value for c in at.caption if c.value.startswith("出典:")]
    assert len(captions) >= len(charts) - 1  # the comparison's two charts share one caption
    assert all("単位" in c and "期間" in c for c in captions)
    assert len(at.get("download_button")) >= len(charts) - 1


def test_section_tabs_are_lazy_and_in_the_url(bundled_db, monkeypatch):
    at = run_sections(bundled_db, monkeypatch, "pages/natural_change.py", ["trend", "tfr", "published", "compare"],
                      area="40203", lang="en")
    tabs = at.runs["published"].tabs
    assert [tab.label for tab in tabs] == ["Trend", "Total fertility rate", "City's published table", "Compare areas"]
    assert not at.runs["trend"].main.get("dataframe") and at.runs["published"].main.get("dataframe")  # the table
    assert not at.runs["published"].get("vega_lite_chart")
    assert "sec" not in at.runs["trend"].query_params  # the first tab keeps the URL short


def test_english_natural_page(bundled_db, monkeypatch):
    monkeypatch.setenv("POPDASH_DB", str(bundled_db))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params["area"] = "40203"
    at.query_params["lang"] = "en"
    at.switch_page("pages/natural_change.py")
    at.run()
    assert not at.exception
    assert at.title[0].value == "Natural change (births and deaths): Kurume-shi"


def test_youth_net_migration_kurume(bundled):
    _, dyn = bundled
    y = dyn.youth_net("40203")
    cy21 = y[(y["period"] == "CY2021") & (y["sex"] == "total")].set_index("age_group")["net_movers"]
    assert cy21[["15-19", "20-24", "25-29", "15-29"]].tolist() == [-43, -206, -186, -435]  # published (日本人)
    spec = dcharts.youth_bars(y[(y["sex"] == "total") & (y["age_group"] != "15-29")], "ja", "t").to_dict()
    assert spec["layer"][0]["encoding"]["xOffset"]["field"] == "age_group"


def test_residual_net_migration_by_age(bundled_db, monkeypatch):
    monkeypatch.setenv("POPDASH_DB", str(bundled_db))
    from queries import projections as qp

    r = qp.residual_migration("40203")
    assert len(r) == 2 * 18 and set(r["sex"]) == {"male", "female"}
    assert (r["low_pct"] <= r["rate_pct"] + 1e-9).all() and (r["rate_pct"] <= r["high_pct"] + 1e-9).all()
    # 久留米市 loses young adults: cohorts aged 20–24 → 25–29 have a negative net rate for men
    men = r[r["sex"] == "male"].set_index("age_from")["rate_pct"]
    assert men["20-24"] < 0
    assert dcharts.residual_age(r, "en", "t").to_dict()["layer"][0]["mark"]["type"] == "bar"


def test_municipality_without_partner_table_shows_its_prefecture(national_db, monkeypatch):
    monkeypatch.setenv("POPDASH_DB", str(national_db))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params["area"] = "40448"
    at.query_params["sec"] = "partners"
    at.switch_page("pages/social_change.py")
    at.run()
    assert not at.exception
    assert any("福岡県の表を表示" in i.value for i in at.info)


# ---------------------------------------------------------------- issue 17: comparison bars, waterfall, headings

@pytest.fixture()
def national(national_db, monkeypatch):
    monkeypatch.setenv("POPDASH_DB", str(national_db))
    import queries
    from queries.views import natural_change as nv
    return queries, nv


def _layer_encodings(spec: dict, channel: str) -> list[dict]:
    return [layer["encoding"][channel] for layer in spec["layer"] if channel in layer.get("encoding", {})]


def test_comparison_default_has_the_prefecture_and_japan_as_benchmarks(national):
    queries, nv = national
    options = queries.areas()["area_code"].tolist()
    kurume = nv.comparison_default("40203", options)
    assert kurume[:6] == ["40203", "40212", "40216", "40225", "40503", "40522"]  # 久留米広域連携中枢都市圏
    assert kurume[-2:] == ["40000", "00000"] and len(kurume) == 8
    assert nv.comparison_default("13104", options) == ["13104", "13000", "00000"]
    assert nv.comparison_default("40000", options) == ["40000", "00000"]


def test_comparison_bars_are_each_named_sorted_and_titled_with_the_unit(national):
    queries, nv = national
    options = queries.areas()["area_code"].tolist()
    names = dict(zip(options, queries.areas()["name_ja"]))
    c = nv.comparison(tuple(nv.comparison_default("40203", options)), "40203", "natural_rate", "natural_rate", names, "ja")
    latest = c["latest"].set_index("area_code")
    # 住民基本台帳 令和3年: 久留米市 (2,371 − 3,396 births − deaths) / mean population 303,859 × 1,000
    assert latest.loc["40203", "natural_rate"] == pytest.approx(-3.3733, abs=1e-4)
    assert latest.loc["40212", "natural_rate"] == pytest.approx(-10.9925, abs=1e-4)  # 大川市
    assert latest["benchmark"].to_dict() == {c: c in ("40000", "00000") for c in latest.index}
    trend = dcharts.small_multiples(c["rates"][["area_code", "name", "year", "natural_rate", "benchmark"]],
                                    "natural_rate", "40203", "ja", c["trend_title"]).to_dict()
    assert len({r["name"] for r in next(iter(trend["datasets"].values())) if r["benchmark"]}) == 2  # grey, as the bars
    assert c["title"] == "地域比較: 自然増減率（2021年）"
    spec = dcharts.ranked_bar(c["latest"], "natural_rate", "40203", "ja", c["title"]).to_dict()
    ys = _layer_encodings(spec, "y")
    bars = [v for v in next(iter(spec["datasets"].values()))]
    assert len(bars) == 8 and len({b["label"] for b in bars}) == 8  # every bar has its own name
    assert all(y["field"] == "label" for y in ys)
    order = ys[0]["sort"]
    assert order == [b["label"] for b in sorted(bars, key=lambda b: -b["natural_rate"])]  # sorted by value
    assert set(order) == {"久留米市", "大川市", "小郡市", "うきは市", "大刀洗町", "大木町", "福岡県", "全国"}
    assert all(y["sort"] == order for y in ys)  # the layers agree, so the axis keeps all 8 names
    x = _layer_encodings(spec, "x")[0]
    assert x["title"] == "人口千人あたり" and x["title"] != c["title"]
    assert x["scale"]["nice"] is True and x["axis"]["format"] == ",.0f"  # ticks −12, −10 … not −12.5, −11.5
    en = dcharts.ranked_bar(c["latest"], "natural_rate", "40203", "en", "t").to_dict()
    assert _layer_encodings(en, "x")[0]["title"] == "per 1,000 population"


def test_comparison_names_the_period_when_the_bars_are_of_several(national):
    queries, nv = national
    names = {"40203": "久留米市", "00000": "全国"}
    import pandas as pd
    from queries import dynamics as dyn
    real = dyn.rates(("40203",))
    assert real[(real["period_kind"] == "CY") & (real["nationality"] == "total")]["year"].max() == 2021
    c = nv.comparison(("00000",), "40203", "natural_rate", "natural_rate", names, "ja")
    assert set(c["latest"]["label"]) == {"久留米市", "全国"}  # one period: names only
    assert isinstance(c["latest"], pd.DataFrame)


def test_headings_are_not_repeated(national_db, monkeypatch):
    """15〜29歳 (the youth chart's title was also a subheader) and 比較する地域（最大8） (a subheader over the
    multiselect of the same label) appear once."""
    import json
    social = run_sections(national_db, monkeypatch, "pages/social_change.py", ["age", "compare"], area="40203")
    age = social.runs["age"]
    titles = [json.loads(c.proto.spec).get("title") for c in age.get("vega_lite_chart")]
    assert "15〜29歳の日本人の転入超過数（暦年）" in titles
    assert [h.value for h in age.subheader if "15〜29歳" in h.value] == []
    for at in (social.runs["compare"],
               run_sections(national_db, monkeypatch, "pages/natural_change.py", ["compare"], area="40203").runs["compare"]):
        assert [h.value for h in at.subheader] == [] and at.multiselect[0].label == "比較する地域（最大8）"
        assert at.multiselect[0].value[-2:] == ["40000", "00000"]  # the benchmarks in the default selection
