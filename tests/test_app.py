"""AppTest of the overview page (app.py) on the bundled and the national database."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from store.official import open_readonly
from tests.conftest import REPO

APP = str(REPO / "app.py")


def run_app(db, monkeypatch, **params) -> AppTest:
    monkeypatch.setenv("POPDASH_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric(at: AppTest, prefix: str):
    found = [m for m in at.metric if m.label.startswith(prefix)]
    assert found, [m.label for m in at.metric]
    return found[0]


def test_overview_kurume_bundled(bundled_db, monkeypatch):
    at = run_app(bundled_db, monkeypatch, area="40203")
    assert at.title[0].value == "久留米市の人口の概要"
    pop = metric(at, "総人口（2025年1月1日）")
    assert pop.value == "300,199"
    nat = metric(at, "自然動態（2024年度）")  # the city's FY2024 table: 1,999 births − 3,824 deaths
    assert nat.value == "△1,825"
    soc = metric(at, "社会動態（2024年度）")  # 12,609 in − 11,639 out
    assert soc.value == "970"
    assert metric(at, "高齢化率（2022年1月1日）").value == "27.7%"
    assert len(at.get("vega_lite_chart")) == 3
    assert any("目標 295,000 人を 5,199 人上回" in m.value for m in at.markdown)
    # every chart is followed by a caption naming source, unit and period kind
    captions = [c.value for c in at.caption if c.value.startswith("出典:") and "単位" in c.value]
    assert len(captions) == 3
    assert all("期間" in c for c in captions)
    assert at.query_params["area"] == "40203"


@pytest.mark.parametrize("code,name", [("40203", "久留米市"), ("40448", "東峰村"), ("40131", "福岡市東区"),
                                       ("40000", "福岡県"), ("40130", "福岡市"), ("00000", "全国")])
def test_overview_kinds_of_area_national(national_db, monkeypatch, code, name):
    at = run_app(national_db, monkeypatch, area=code)
    assert at.title[0].value == f"{name}の人口の概要"
    con = open_readonly(national_db)
    (persons,) = con.execute("SELECT persons FROM population WHERE area_code=? AND ref_date='2025-01-01' AND "
                             "nationality='total' AND sex='total' AND age_group='total'", [code]).fetchone()
    con.close()
    assert metric(at, "総人口（2025年1月1日）").value == f"{persons:,}"
    assert len(at.metric) == 4
    assert len(at.get("vega_lite_chart")) >= 2


def test_ward_population_is_the_published_figure(national_db, monkeypatch):
    # 福岡市東区 on 2022-01-01 from the published 2022 workbook: 318,351
    con = open_readonly(national_db)
    got = con.execute("SELECT persons FROM population WHERE area_code='40131' AND ref_date='2022-01-01' AND "
                      "nationality='total' AND sex='total' AND age_group='total'").fetchone()[0]
    con.close()
    assert got == 318_351


def test_english(bundled_db, monkeypatch):
    at = run_app(bundled_db, monkeypatch, area="40203", lang="en")
    assert at.title[0].value == "Population overview: Kurume-shi"
    assert metric(at, "Population (1 Jan 2025)").value == "300,199"
    assert metric(at, "Natural change (FY2024)").value == "−1,825"


def test_unknown_area_in_url_falls_back_with_message(bundled_db, monkeypatch):
    at = run_app(bundled_db, monkeypatch, area="99999")
    assert any("99999" in w.value for w in at.warning)
    assert at.title[0].value == "久留米市の人口の概要"
    assert at.query_params["area"] == "40203"


def test_area_picker_changes_view_and_url(bundled_db, monkeypatch):
    at = run_app(bundled_db, monkeypatch, area="40203")
    at.selectbox(key="_w_area").set_value("40212").run()
    assert not at.exception
    assert at.title[0].value == "大川市の人口の概要"
    assert at.query_params["area"] == "40212"


def test_presenter_flag_round_trips_through_url(bundled_db, monkeypatch):
    at = run_app(bundled_db, monkeypatch, area="40203", presenter="1")
    assert at.toggle(key="_w_presenter").value is True
    assert at.query_params["presenter"] == "1"
