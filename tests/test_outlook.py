"""Outlook page (地域の未来予測): the age-group arithmetic, IPSS figures against the published CSV, the scenario read
from the projection page's URL / session keys, the generated summary, and the page for several kinds of area."""
from __future__ import annotations

import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from indicators import outlook as ol
from tests.conftest import REPO
from tests.test_indicators import IPSS_CSV


def synthetic() -> pd.DataFrame:
    """One source, two years; 10 persons in every 5-year group and sex in 2020, 20 in 2025."""
    from projection import AGES, SEXES

    rows = [dict(source="s", year=y, sex=s, age_group=a, persons=10.0 * (1 + (y == 2025)))
            for y in (2020, 2025) for s in SEXES for a in AGES]
    return pd.DataFrame(rows)


def test_demand_groups_shares_index_and_ratios():
    table = ol.demand_table(synthetic(), 2020).set_index(["year", "group"])
    assert table.loc[(2020, "0-4"), "persons"] == 20            # one group × 2 sexes
    assert table.loc[(2020, "5-14"), "persons"] == 40           # 5–9, 10–14
    assert table.loc[(2020, "15-64"), "persons"] == 200         # ten groups
    assert table.loc[(2020, "75+"), "persons"] == 4 * 20        # 75–79, 80–84, 85–89, 90+
    assert table.loc[(2020, "85+"), "persons"] == 2 * 20        # 85–89, 90+
    assert table.loc[(2020, "0-4"), "share"] == pytest.approx(100 * 20 / 380)
    assert table.loc[(2025, "75+"), "index"] == pytest.approx(200)
    ratios = ol.dependency_ratios(synthetic()).set_index(["year", "ratio"])["value"]
    assert ratios[(2020, "young")] == pytest.approx(100 * 60 / 200)
    assert ratios[(2020, "old")] == pytest.approx(100 * 120 / 200)  # 65–69 … 90+: six groups
    assert ratios[(2020, "total")] == pytest.approx(90)
    women = ol.young_women(synthetic())
    assert women["persons"].tolist() == [40, 80] and women["change"].tolist() == [0, 100]
    facts = ol.summary_facts(ol.demand_table(synthetic(), 2020), ol.dependency_ratios(synthetic()), "s", 2020, 2025)
    assert facts["total"] == 760 and facts["groups"]["85+"]["ratio"] == 2 and facts["support"] == pytest.approx(100 / 60)


def test_round_persons_for_prose():
    assert [ol.round_persons(v) for v in (48_768.4, 2_345.6, 123.4)] == [48_800, 2_350, 123]


def test_ipss_groups_of_kurume_equal_the_published_csv(raw_dir, national_db, monkeypatch):
    """IPSS 2018 久留米市 2045: 75+ and 85+ (総数 block, 75～79歳 … 90歳以上) from the CSV as published."""
    monkeypatch.setenv("POPDASH_DB", str(national_db))
    from queries import outlook as qo

    head = pd.read_csv(raw_dir / IPSS_CSV, header=None, nrows=2, encoding="utf-8-sig", dtype=str)
    body = pd.read_csv(raw_dir / IPSS_CSV, header=None, skiprows=2, encoding="utf-8-sig", dtype=str)
    labels = head.iloc[1].tolist()
    row = body[(body[0] == "40203") & (body[4] == "2045年")].iloc[0]
    cell = lambda a: int(row[labels.index(a)].replace(",", ""))  # noqa: E731 — first match = 総数 block
    old75 = sum(cell(a) for a in ("75～79歳", "80～84歳", "85～89歳", "90歳以上"))
    old85 = cell("85～89歳") + cell("90歳以上")
    ipss = qo.ipss("40203").assign(source="ipss")
    table = ol.demand_table(ipss, 2020).set_index(["year", "group"])
    print(f"久留米市 IPSS 2045: 75+ {old75:,}, 85+ {old85:,}")
    assert table.loc[(2045, "75+"), "persons"] == old75
    assert table.loc[(2045, "85+"), "persons"] == old85
    crit = ol.criterion(ol.young_women(ipss), "ipss", 2015, 2045)
    assert crit["persons_start"] == 34_422 and crit["persons_end"] == 26_139 and not crit["vanishing"]


def test_ipss_of_a_renamed_municipality(national_db, monkeypatch):
    """那珂川市 (40231) is published under its 2018 code 40305 (那珂川町)."""
    monkeypatch.setenv("POPDASH_DB", str(national_db))
    from queries import outlook as qo

    assert set(qo.ipss("40231")["year"]) == {2015, 2020, 2025, 2030, 2035, 2040, 2045}


def test_scenario_from_url_then_session_then_defaults():
    from queries import outlook as qo

    base = 1.4734
    default = qo.scenario_values({}, {}, base)
    assert default == dict(tfr=1.47, tfry=2060, mig=0.0, ages=(10, 30), fshare=0.0, fm="ccr")  # no share target: the area's own trend
    assert qo.is_trend(default, base) and qo.url_params(default, base) == {}
    state = {"tfr": 1.6, "mig": 0.5, "ages": (20, 40), "fm": "counts"}  # the projection page's widgets
    url = {"tfr": ["1.8"], "ages": ["15", "35"], "fshare": ["99"], "tfry": ["bad"]}
    v = qo.scenario_values(url, state, base)
    assert v == dict(tfr=1.8, tfry=2060, mig=0.5, ages=(15, 35), fshare=20.0, fm="counts")
    sc = qo.scenario_of(v)
    assert (sc.tfr_target, sc.migration_points, sc.migration_ages, sc.foreign_share, sc.foreign_method) == (
        1.8, 0.5, (15.0, 35.0), 0.2, "counts")
    assert qo.url_params(v, base) == {"tfr": "1.8", "mig": "0.5", "ages": ["15", "35"], "fshare": "20.0", "fm": "counts"}
    roundtrip = {k: (x if isinstance(x, list) else [x]) for k, x in qo.url_params(v, base).items()}
    assert qo.scenario_values(roundtrip, {}, base) == v
    assert sc.baseline().tfr_target is None and sc.baseline().foreign_share == 0.2


def test_the_scenario_controls_are_defined_once(bundled_db, monkeypatch):
    """The projection page's sliders and the outlook's reading of the same scenario from the URL share
    projection.controls: the sliders have its ranges, steps and defaults, and a value beyond a range is clipped to
    the slider's bound; the two pages build the same Scenario from the same values."""
    from projection import controls as pc
    from queries import outlook as qo
    from queries.views import projection as vp
    from tests.conftest import open_page

    at = open_page(bundled_db, monkeypatch, "pages/projection.py", area="40203")
    sliders = [c for c in pc.SCENARIO_CONTROLS if isinstance(c, pc.Slider)]
    assert [c.key for c in sliders] == ["tfr", "tfry", "mig", "ages", "fshare"]
    for c in sliders:
        s = at.slider(key=c.key)
        assert (s.min, s.max, s.step) == (c.min, c.max, c.step), c.key
        if c.default is not None:
            assert (tuple(s.value) if isinstance(c.default, tuple) else s.value) == c.default, c.key
        if c.key != "ages":
            assert qo.scenario_values({c.key: [str(c.max + 100)]}, {}, 1.5)[c.key] == c.max, c.key
            assert qo.scenario_values({c.key: [str(c.min - 100)]}, {}, 1.5)[c.key] == c.min, c.key
    assert qo.scenario_values({"ages": ["-50", "500"]}, {}, 1.5)["ages"] == (0, 90)
    assert qo.scenario_values({"fm": ["other"]}, {}, 1.5)["fm"] == pc.FOREIGN_METHOD.default == "ccr"
    base_tfr = at.slider(key="tfr").value
    assert qo.scenario_defaults(base_tfr)["tfr"] == base_tfr
    values = dict(tfr=1.8, tfry=2050, mig=0.5, ages=(15, 35), fshare=10.8, fm="counts")
    assert qo.scenario_of(values) == vp.scenario(1.8, 2050, 0.5, (15, 35), 10.8, "counts", "cwr")
    # no range literal of a slider is left in the pages, views or widgets
    literal = re.compile(r"0\.8, 2\.5|2030, 2070|-3\.0, 3\.0|0\.0, 20\.0")
    hits = [f"{p.relative_to(REPO)}:{n}" for folder in ("pages", "queries", "queries/views", "ui")
            for p in (REPO / folder).glob("*.py") for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
            if literal.search(line)]
    assert hits == []


def test_chart_builders_validate(bundled_db, monkeypatch):
    from charts import outlook as oc

    table = ol.demand_table(synthetic(), 2020).assign(source="app_scenario")
    sources = (("app_scenario", "A"),)
    oc.demand_panels(table, sources, tuple((g, g) for g, _, _ in ol.GROUPS), "ja", "t").to_dict()
    oc.ratio_panels(ol.dependency_ratios(synthetic()).assign(source="app_scenario"), sources,
                    (("young", "y"), ("old", "o"), ("total", "t")), "en", "t").to_dict()
    oc.women_chart(ol.young_women(synthetic()).assign(source="app_scenario"), sources, -50.0, "ja", "t").to_dict()


# ---------------------------------------------------------------- the page

def open_page(db, monkeypatch, state: dict | None = None, **params) -> AppTest:
    monkeypatch.setenv("POPDASH_DB", str(db))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    for k, v in (state or {}).items():
        at.session_state[k] = v
    at.switch_page("pages/outlook.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric(at: AppTest, prefix: str) -> str:
    return [m for m in at.metric if m.label.startswith(prefix)][0].value


def summary(at: AppTest) -> str:
    return [m.value for m in at.markdown if m.value.startswith("- 総人口")][0]


def test_outlook_page_for_kurume(national_db, monkeypatch):
    at = open_page(national_db, monkeypatch, area="40203")
    assert len(at.get("vega_lite_chart")) == 3
    text = summary(at)
    n75 = int(metric(at, "75歳以上（2040年）").replace(",", ""))
    quoted = int(re.search(r"2040年に75歳以上は約([\d,]+)人", text).group(1).replace(",", ""))
    assert quoted == ol.round_persons(n75)   # the summary quotes the number on the page
    assert "倍）" in text and "人口戦略会議の基準に該当しない" in text
    assert "社人研 平成30年推計で2015年から2045年に24.1%減" in text
    preset = open_page(national_db, monkeypatch, area="40203", fshare="10.8")  # the city's foreign-share assumption
    assert metric(preset, "20〜39歳女性（2020→2050年）").startswith("△")
    at.select_slider(key="oy").set_value(2060).run()
    assert not at.exception and "2060年に75歳以上は" in summary(at)
    at.segmented_control(key="osrc").set_value("ipss").run()
    assert not at.exception and "2045年に75歳以上は" in summary(at)  # IPSS ends in 2045
    assert at.query_params["osrc"] == "ipss"  # a code, not the label: the same link works in English
    english = open_page(national_db, monkeypatch, area="40203", osrc="ipss", lang="en")
    assert english.segmented_control(key="osrc").value == "ipss"


def test_outlook_reads_the_projection_scenario(national_db, monkeypatch):
    """The same query parameters as the projection page (deep link), or its widget values left in the session."""
    plain = open_page(national_db, monkeypatch, area="40203")
    linked = open_page(national_db, monkeypatch, area="40203", tfr="1.8", mig="0.5")
    session = open_page(national_db, monkeypatch, state={"tfr": 1.8, "mig": 0.5}, area="40203")
    assert "合計特殊出生率 1.80" in " ".join(m.value for m in linked.markdown)
    assert metric(linked, "0〜4歳（2040年）") == metric(session, "0〜4歳（2040年）") != metric(plain, "0〜4歳（2040年）")
    # the page writes the scenario to its own address bar, so a copied link restores it
    assert [str(at.query_params.get("tfr")).strip("[]'") for at in (linked, session)] == ["1.8", "1.8"]


def test_outlook_matches_the_projection_page(national_db, monkeypatch):
    """Same scenario, same numbers: the projection page's 2060 total equals the outlook table's."""
    from tests.test_projection_page import open_page as open_projection, population_2060

    proj = open_projection(national_db, monkeypatch, area="40203", tfr="1.8")
    at = open_page(national_db, monkeypatch, area="40203", tfr="1.8", oy="2060")
    quoted = re.search(r"2060年には約([\d,]+)人", summary(at)).group(1)
    assert int(quoted.replace(",", "")) == ol.round_persons(population_2060(proj))


def test_outlook_page_for_a_village(national_db, monkeypatch):
    at = open_page(national_db, monkeypatch, area="40448")  # 東峰村
    assert "人口戦略会議の基準に該当" in summary(at)
    lines = " ".join(m.value for m in at.markdown)
    assert "**社人研 平成30年推計**（2015→2045年）: 141人 → 57人、**△59.6%** — 人口戦略会議の基準に該当" in lines


@pytest.mark.parametrize("code", ["40131", "07201", "40000", "00000"])  # a ward, 福島市 (no IPSS), a prefecture, Japan
def test_outlook_page_for_other_kinds(national_db, monkeypatch, code):
    at = open_page(national_db, monkeypatch, area=code)
    if code in ("40131", "07201"):
        assert any("社人研 平成30年推計は" in c.value for c in at.caption)


def test_outlook_page_on_the_bundled_database(bundled_db, monkeypatch):
    at = open_page(bundled_db, monkeypatch, area="40203", lang="en")
    assert not at.exception and "Women aged 20–39" in " ".join(m.value for m in at.markdown)
