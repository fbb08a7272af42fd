"""Honest defaults: the foreign-share target is a labelled preset, not the default; rounding noise is not change;
pages state how far their series go; the about page lists every source's vintage."""
from __future__ import annotations

import re

import pytest
import formats
from tests.conftest import REPO, open_page



def test_the_foreign_share_preset_is_defined_once():
    from estimates import indicators as qi
    from projection import controls
    from queries import outlook as qo

    assert controls.FOREIGN_SHARE_PRESET == 10.8 and controls.FOREIGN_SHARE_DEFAULT == 0.0
    assert qo.scenario_defaults(1.4)["fshare"] == 0.0
    assert qi.APP_SCENARIO.foreign_share is None  # the indicators' projection follows each area's own trend
    literal = re.compile(r"(?<![\d.])(10\.8|0\.108)(?![\d])")
    hits = [f"{p.relative_to(REPO)}:{n}" for folder in ("pages", "queries", "ui") for p in (REPO / folder).glob("*.py")
            for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
            if literal.search(line) and not line.lstrip().startswith("#")]
    assert hits == []
    assert "FOREIGN_SHARE_PRESET = 10.8" in (REPO / "projection" / "controls.py").read_text(encoding="utf-8")


def test_oizumi_default_projection_follows_its_own_trend_not_the_national_share(national_db, monkeypatch):
    """大泉町 10524 (21.3 % foreign on 2025-01-01): by default the projected foreign share is the town's own
    cohort-change trend; the 10.8 % preset is only applied when chosen."""
    monkeypatch.setenv("POPDASH_DB", str(national_db))
    import projection as pj
    from queries import outlook as qo
    from queries import projections as qp

    base = qp.base_year_or_none()
    inputs = qp.inputs("10524", base)
    values = qo.scenario_defaults(float(inputs.tfr_base))
    default = qp.run("10524", base, qo.scenario_of(values))["summary"].set_index("year")
    trend = qp.run("10524", base, pj.Scenario(steps=8, foreign_share=None, foreign_method="ccr"))["summary"].set_index("year")
    from projection.controls import FOREIGN_SHARE_PRESET

    preset = qp.run("10524", base, qo.scenario_of({**values, "fshare": FOREIGN_SHARE_PRESET}))["summary"].set_index("year")
    share = lambda s, y: 100 * s.loc[y, "foreign"] / s.loc[y, "total"]  # noqa: E731
    year = int(default.index.max())  # 2060 (8 steps from 2020)
    assert qo.scenario_of(values).foreign_share is None
    # the same as the bare trend (the default TFR target is the base TFR rounded to 0.01: a 0.01-point difference)
    assert share(default, year) == pytest.approx(share(trend, year), abs=0.05)
    assert share(default, year) > 21.0  # the trend keeps growing; the preset would pull it down toward 10.8 %
    assert share(preset, year) < share(default, year) - 5


def test_rounding_noise_is_not_change():
    assert formats.metric_delta(-0.3) == "0" and formats.metric_delta(0.49) == "0"
    assert formats.metric_delta(-0.6) == "-1" and formats.metric_delta(1825.2) == "+1,825"
    assert formats.metric_delta(0.04, 1, "pt") == "0" and formats.metric_delta(-0.46, 1, "pt") == "-0.5pt"
    assert formats.metric_delta(None) is None
    from charts import projection as pcharts
    import pandas as pd

    spec = pcharts.diff_bars(pd.DataFrame({"year": [2025, 2030], "diff_total": [-0.3, 0.2]}), "ja", "t").to_dict()
    layer = spec["layer"][0]
    assert "abs(datum.value) < 0.5 ? '0'" in layer["encoding"]["y"]["axis"]["labelExpr"]
    calc = {c["as"]: c["calculate"] for c in layer["transform"]}
    assert calc["shown"].startswith("abs(datum.diff_total) < 0.5 ? 0")


def test_namie_projection_shows_no_signed_zero_and_says_the_trend_does_not_fit(national_db, monkeypatch):
    at = open_page(national_db, monkeypatch, "pages/projection.py", area="07547")
    m = [m for m in at.metric if m.label.startswith("2060年の総人口")][0]
    assert m.delta == "0"  # the default scenario is the baseline: no '↓ −0'
    assert any("前提は当てはまりません" in w.value for w in at.warning)
    assert not [b for b in at.button if b.key == "preset"]  # 久留米市's scenario does not apply here
    labels = [b.label for b in at.button]
    assert any("10.8%" in b for b in labels)  # offered as a labelled preset


def test_kurume_preset_only_where_the_city_published_its_scenario(bundled_db, monkeypatch):
    at = open_page(bundled_db, monkeypatch, "pages/projection.py", area="40203")
    assert [b for b in at.button if b.key == "preset"]
    at.button(key="fs_ipss").click().run()
    assert at.slider(key="fshare").value == 10.8


def test_pages_state_the_latest_period_of_each_series(bundled_db, monkeypatch):
    at = open_page(bundled_db, monkeypatch, "pages/natural_change.py", area="40203")
    text = " ".join(c.value for c in at.caption)
    assert "収録期間 — 人口動態（出生・死亡）: 2021年（暦年）まで・人口（住民基本台帳）: 2025年1月1日まで" in text
    en = open_page(bundled_db, monkeypatch, "pages/social_change.py", area="40203", lang="en")
    assert any("Coverage — Migration: to CY2021 (calendar year)" in c.value for c in en.caption)
    ov = open_page(bundled_db, monkeypatch, None, area="40203")
    assert any(c.value.startswith("収録期間 — 人口（住民基本台帳）: 2025年1月1日まで") for c in ov.caption)


def test_about_page_lists_the_build_and_every_source_vintage(bundled_db, monkeypatch):
    from store.official import open_readonly

    at = open_page(bundled_db, monkeypatch, "pages/about.py", area="40203")
    assert at.title[0].value == "データについて（更新履歴）"
    assert any("データベース: 同梱デモ版、作成" in m.value for m in at.markdown)
    table = at.dataframe[0].value
    con = open_readonly(bundled_db)
    ids = {r[0] for r in con.execute("SELECT source_id FROM sources").fetchall()}
    retrieved = dict(con.execute("SELECT source_id, retrieved FROM sources").fetchall())
    con.close()
    assert set(table["出典"]) == ids
    row = table[table["出典"] == "juki_dynamics"].iloc[0]
    assert row["取得・版"] == retrieved["juki_dynamics"] and "vital_events: CY2021" in row["最新の期間"]


def test_evacuated_area_note_and_2011_mark(national_db, monkeypatch):
    at = open_page(national_db, monkeypatch, "pages/natural_change.py", area="07546")  # 双葉町
    assert any("避難指示" in i.value for i in at.info)
    from queries import dynamics as dyn
    import queries
    from ui import coverage

    sel = dyn.select_series(queries.vital_series("07546"), "juki_dynamics", "total")
    marks = coverage.evacuation_marks("07546", sel)
    assert marks["period"].tolist() == ["FY2011"]
    assert coverage.evacuation_marks("40203", sel).empty
