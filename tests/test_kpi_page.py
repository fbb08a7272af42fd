"""The KPI tracker page: both bundled plans (久留米市 40203, 嘉麻市 40227), editing an actual and saving it, import."""
from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from loaders import kpi as sheet
from store.user import UserStore
from tests.conftest import REPO


@pytest.fixture()
def user_db(tmp_path, monkeypatch):
    path = tmp_path / "user_kpi.duckdb"
    monkeypatch.setenv("POPDASH_USER_DB", str(path))
    return path


def open_page(db, monkeypatch, **params) -> AppTest:
    monkeypatch.setenv("POPDASH_DB", str(db))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page("pages/kpi_tracker.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def tables(at: AppTest) -> list[pd.DataFrame]:
    return [t.value for t in at.table]


def test_kurume_plan_by_area(bundled_db, user_db, monkeypatch):
    at = open_page(bundled_db, monkeypatch, area="40203")
    assert at.selectbox(key="plan").value == "kurume3"
    assert at.segmented_control(key="rule").value == "trajectory"
    targets = tables(at)[0]
    row = targets.iloc[0]
    assert row["指標"] == "令和12(2030)年度末の人口（住民基本台帳）"
    assert row["最新の実績"] == "300,199人（2025年1月1日）"
    assert row["実績の出所"].startswith("自動: 総務省")  # filled in from the register, source named
    assert row["目標値"].startswith("29万5千人")
    # the URL carries the view with plain values, so a copied link restores it
    assert {k: at.query_params[k] for k in ("plan", "rule", "asof")} == {
        "plan": "kurume3", "rule": "trajectory", "asof": "FY2024"}


def test_kurume_metro_plan_has_kpis_without_actuals(bundled_db, user_db, monkeypatch):
    at = open_page(bundled_db, monkeypatch, area="40203", plan="kurume_metro")
    assert metrics(at)["KPI 設定数"] == "5"
    assert metrics(at)["× 実績なし・未実施"] == "5"  # nothing published yet: to be entered


def test_kama_second_plan_reproduces_the_report(bundled_db, user_db, monkeypatch):
    at = open_page(bundled_db, monkeypatch, area="40203", plan="kama2")
    assert at.segmented_control(key="rule").value == "kama_ratio" and at.selectbox(key="asof").value == "FY2024"
    m = metrics(at)
    assert (m["KPI 設定数"], m["○ 概ね目標達成"], m["△ 目標未達成"], m["× その他"]) == ("16", "10", "5", "1")
    counts = tables(at)[0]
    assert counts["KPI 設定数"].tolist() == [4, 4, 4, 4, 16]
    assert counts["○ 概ね目標達成"].tolist() == ["4（100%）", "1（25%）", "2（50%）", "3（75%）", "10（63%）"]
    assert counts["× その他"].tolist()[-1] == "1（6%）"
    assert any("嘉麻市の計画です" in c.value for c in at.caption)  # the area picker stays on 久留米市
    kpi_table = [d.value for d in at.dataframe if "trend" in d.value.columns][0]
    assert kpi_table.loc[kpi_table["kpi"] == "市バス年間利用者数", "progress"].item() == 89  # 133,074 / 150,000


def test_kama_by_unknown_area_and_plan_switch(bundled_db, user_db, monkeypatch):
    """嘉麻市 is not an area of the bundled demo data: the frame falls back to 久留米市 and says so; the plan
    selector still reaches 嘉麻市's plans, each with its own default rule and year."""
    at = open_page(bundled_db, monkeypatch, area="40227", plan="kama3")
    assert any("40227" in w.value for w in at.warning)
    assert at.selectbox(key="plan").value == "kama3" and at.selectbox(key="asof").value == "FY2025"
    m = metrics(at)
    assert (m["○ 順調"], m["△ 遅れ"], m["× 実績なし・未実施"]) == ("5", "10", "1")
    at.selectbox(key="plan").set_value("kama2").run()
    assert not at.exception
    assert at.segmented_control(key="rule").value == "kama_ratio" and at.selectbox(key="asof").value == "FY2024"
    assert metrics(at)["○ 概ね目標達成"] == "10"
    at.segmented_control(key="rule").set_value("trajectory").run()
    assert metrics(at)["○ 順調"] != "10"  # the rule is a real choice
    at.multiselect(key="goal").set_value(["2"]).run()
    assert metrics(at)["KPI 設定数"] == "4"
    at.multiselect(key="dept").set_value(["産業振興課"]).run()
    assert metrics(at)["KPI 設定数"] == "2"  # 基本目標2 and 産業振興課: 観光拠点施設, 年間観光入込客数


def test_english(bundled_db, user_db, monkeypatch):
    at = open_page(bundled_db, monkeypatch, area="40203", plan="kama2", lang="en")
    m = metrics(at)
    assert (m["KPIs"], m["○ Broadly achieved"], m["△ Not achieved"], m["× Other"]) == ("16", "10", "5", "1")


def test_edit_an_actual_and_save(bundled_db, user_db, monkeypatch):
    at = open_page(bundled_db, monkeypatch, area="40203", plan="kama3")
    editor = at.data_editor[0]
    assert editor.key == "kpi_edit"
    base = editor.value
    row = base.index[base["kpi_id"] == "kama3_k02"][0]
    assert base.loc[row, ["period", "value", "origin"]].tolist() == ["FY2025", "7件", "公表値"]
    assert metrics(at)["○ 順調"] == "5"
    at.session_state["kpi_edit"] = {"edited_rows": {int(row): {"value": "12件", "note": "2月に再集計"}},
                                    "added_rows": [], "deleted_rows": []}
    [b for b in at.button if b.label == "保存"][0].click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert [s.value for s in at.success] == ["1 件を保存しました（利用者データベース）。"]
    saved = UserStore(user_db).kpi_values()
    assert saved[["kpi_id", "period", "value", "value_text", "note"]].values.tolist() == [
        ["kama3_k02", "FY2025", 12.0, "12件", "2月に再集計"]]
    assert metrics(at)["○ 順調"] == "6"  # 12 of the 10 due after one year: on track
    kpi_table = [d.value for d in at.dataframe if "trend" in d.value.columns][0]
    assert kpi_table.loc[kpi_table["kpi_id"] == "kama3_k02", "origin"].item() == "利用者入力"


def test_bad_edit_is_rejected_and_nothing_is_lost(bundled_db, user_db, monkeypatch):
    UserStore(user_db).save_kpi(pd.DataFrame([{"kpi_id": "kama3_k01", "period": "FY2025", "value": 9.0,
                                                 "value_text": None, "note": None, "judgement": None}]))
    before = user_db.read_bytes()
    at = open_page(bundled_db, monkeypatch, area="40203", plan="kama3")
    base = at.data_editor[0].value
    row = int(base.index[base["kpi_id"] == "kama3_k13"][0])
    at.session_state["kpi_edit"] = {"edited_rows": {row: {"value": "十万"}}, "added_rows": [], "deleted_rows": []}
    [b for b in at.button if b.label == "保存"][0].click().run()
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and f"入力表、{row + 1}行目、列「実績値（入力）」" in errors[0] and "十万" in errors[0]
    assert user_db.read_bytes() == before


def test_import_sheet_in_the_page(bundled_db, user_db, monkeypatch):
    at = open_page(bundled_db, monkeypatch, area="40203", plan="kurume_metro")
    defs = pd.read_csv(REPO / "data" / "bundled" / "seed" / "kpi_defs.csv")
    good = pd.DataFrame({"KPI ID": ["kurume_metro_k04"], "期間": ["令和7年度"], "実績値": ["290施設"]})
    at.file_uploader(key="kpi_file").set_value(("metro.csv", sheet.to_csv(good), "text/csv")).run()
    assert not at.exception and any("1 件の実績を読み込みました" in i.value for i in at.info)
    at.button(key="kpi_import_save").click().run()
    assert UserStore(user_db).kpi_values()[["kpi_id", "period", "value"]].values.tolist() == [
        ["kurume_metro_k04", "FY2025", 290.0]]
    before = user_db.read_bytes()
    bad = pd.concat([good, pd.DataFrame({"KPI ID": ["kurume_metro_k05"], "期間": ["FY2025"], "実績値": ["多数"]})])
    at.file_uploader(key="kpi_file").set_value(("metro2.csv", sheet.to_csv(bad), "text/csv")).run()
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "metro2.csv、3行目、列「C: 実績値」" in errors[0]
    assert user_db.read_bytes() == before
    assert set(defs["kpi_id"]) >= {"kurume_metro_k04", "kurume_metro_k05"}
