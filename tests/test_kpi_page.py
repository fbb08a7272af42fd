"""The KPI tracker page: both bundled plans (久留米市 40203, 嘉麻市 40227), editing an actual and saving it, import."""
from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from loaders import kpi as sheet
from store.user import UserStore
from tests.conftest import REPO
from tests.conftest import open_page as run_page


@pytest.fixture()
def user_db(tmp_path, monkeypatch):
    path = tmp_path / "user_kpi.duckdb"
    monkeypatch.setenv("POPDASH_USER_DB", str(path))
    return path


def open_page(db, monkeypatch, **params) -> AppTest:
    return run_page(db, monkeypatch, "pages/kpi_tracker.py", 90, **params)

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
        "plan": "kurume3", "rule": "trajectory", "asof": "FY2026"}  # the plan's first year, not a year before it


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


def test_kurume_third_plan_is_not_graded_before_it_starts(bundled_db, user_db, monkeypatch):
    """久留米 第3期 (FY2026–FY2030) read at FY2024 showed 「○ 順調 100 %」 for its target population."""
    at = open_page(bundled_db, monkeypatch, area="40203", asof="FY2024")
    assert at.selectbox(key="asof").value == "FY2024"
    row = tables(at)[0].iloc[0]
    assert (row["評価"], row["判定の根拠"]) == ("計画期間前", "計画期間前")
    assert row["最新の実績"] == "300,199人（2025年1月1日）"  # the figure is still shown
    kpi_table = [d.value for d in at.dataframe if "trend" in d.value.columns][0]
    assert kpi_table["progress"].isna().all() and set(kpi_table["grade"]) == {"計画期間前"}


def test_kama_target_population_and_uncapped_progress_on_the_page(bundled_db, user_db, monkeypatch):
    at = open_page(bundled_db, monkeypatch, area="40203", plan="kama2")
    pop = tables(at)[1].iloc[0]  # [0] is the count per goal
    assert pop["評価"] == "○ 概ね目標達成" and pop["判定の根拠"].startswith("減少 3,270人（経路上の許容減少 3,730人、許容÷実際 114%）")
    kpi_table = [d.value for d in at.dataframe if "trend" in d.value.columns][0].set_index("kpi_id")
    assert kpi_table.loc["kama2_k04", "progress"] == 1150 and kpi_table.loc["kama2_k04", "reason"] == "実績/目標 1150%"


def plan_rows(at: AppTest) -> pd.DataFrame:
    return [e for e in at.data_editor if e.key == "kpi_pf_rows_new"][0].value


def test_a_city_without_a_plan_creates_its_own(bundled_db, user_db, monkeypatch):
    """大川市 has no plan: the page invites it to create one (never 嘉麻市's plan), the target population row starts
    from its register population, and the saved plan is graded like an official one."""
    at = open_page(bundled_db, monkeypatch, area="40212")
    assert at.selectbox(key="plan").value == "new" and not at.metric
    assert any("大川市の総合戦略（KPI）の計画はまだ登録されていません" in i.value for i in at.info)
    assert not any("嘉麻市" in c.value for c in at.caption)
    rows = plan_rows(at)
    assert rows.iloc[0][["level", "kpi", "baseline_period", "linked_series"]].tolist() == [
        "目標人口", "目標人口", "2025-01-01", "住基人口"]
    baseline = int(rows.iloc[0]["baseline_value"].replace(",", ""))
    assert 30_000 < baseline < 35_000  # 大川市, 住民基本台帳 1 Jan 2025
    at.text_input(key="kpi_pf_name_new").set_value("大川市総合戦略（第3期）")
    at.text_input(key="kpi_pf_start_new").set_value("令和7年度")
    at.text_input(key="kpi_pf_end_new").set_value("FY2029")
    at.session_state["kpi_pf_rows_new"] = {
        "edited_rows": {0: {"target_value": "30,000", "target_period": "令和12年10月1日"}},
        "added_rows": [{"level": "KPI", "goal_no": 1, "goal": "しごとをつくる", "kpi": "創業支援件数", "unit": "件",
                        "direction": "増やす", "value_kind": "数値", "aggregation": "期間の累計", "baseline_value": "0",
                        "baseline_period": "FY2024", "target_value": "25", "target_period": "FY2025-FY2029",
                        "department": "商工観光課"}],
        "deleted_rows": []}
    [b for b in at.button if b.label == "計画を保存"][0].click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert [s.value for s in at.success] == ["計画「大川市総合戦略（第3期）」（指標 2 件）を保存しました（利用者データベース）。"]
    store = UserStore(user_db)
    assert store.kpi_plans()[["plan_id", "plan", "municipality_code", "plan_start", "plan_end", "default_rule"]].values.tolist() == [
        ["u40212_1", "大川市総合戦略（第3期）", "40212", "FY2025", "FY2029", "trajectory"]]
    defs = store.kpi_defs().set_index("kpi_id")
    assert defs.loc["u40212_1_01", ["level", "target_value", "target_period", "basis", "linked_series"]].tolist() == [
        "population_target", 30000.0, "2030-10-01", "juki", "population_total"]
    assert defs.loc["u40212_1_02", ["aggregation", "target_value", "target_period"]].tolist() == ["sum", 25.0, "FY2025-FY2029"]
    # the page now shows the new plan, graded like any other
    assert at.selectbox(key="plan").value == "u40212_1"
    assert metrics(at)["KPI 設定数"] == "1"
    assert any("このアプリで作成した計画" in c.value for c in at.caption)
    pop = tables(at)[1].iloc[0]
    assert pop["指標"] == "目標人口" and pop["実績の出所"].startswith("自動: 総務省")
    # an official enters the first year's actual of the KPI like for any plan
    base = at.data_editor(key="kpi_edit").value
    row = int(base.index[base["kpi_id"] == "u40212_1_02"][0])
    assert base.loc[row, "period"] == "FY2025"
    at.session_state["kpi_edit"] = {"edited_rows": {row: {"value": "6件"}}, "added_rows": [], "deleted_rows": []}
    [b for b in at.button if b.label == "保存"][0].click().run()
    assert not at.error and metrics(at)["○ 順調"] == "1"  # 6 of the 5 due after one year of 25 in five


def test_a_bad_plan_row_is_rejected_with_row_and_column(bundled_db, user_db, monkeypatch):
    at = open_page(bundled_db, monkeypatch, area="40212")
    at.session_state["kpi_pf_rows_new"] = {"edited_rows": {0: {"target_value": "三万", "target_period": "FY2030"}},
                                           "added_rows": [], "deleted_rows": []}
    [b for b in at.button if b.label == "計画を保存"][0].click().run()
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "指標の表、1行目、列「目標値」" in errors[0] and "三万" in errors[0]
    assert UserStore(user_db).kpi_plans().empty
    assert at.selectbox(key="plan").value == "new"


def test_a_plan_imported_from_another_plans_sheet(bundled_db, user_db, monkeypatch):
    """The KPI一覧 worksheet of 嘉麻市's KPI sheet starts 大川市's plan: same format, new ids, nothing of 嘉麻市 kept."""
    at = open_page(bundled_db, monkeypatch, area="40203", plan="kama3")
    book = [b for b in at.get("download_button") if b.proto.label == "KPI シート（Excel）をダウンロード"]
    assert book
    from queries import kpi as kq

    monkeypatch.setenv("POPDASH_DB", str(bundled_db))
    data = sheet.to_xlsx({"実績": pd.DataFrame({"x": [1]}), "KPI一覧": kq.definitions_sheet(kq.definitions("kama3"), "ja")})
    at = open_page(bundled_db, monkeypatch, area="40212")
    at.file_uploader(key="kpi_pf_file_new").set_value(("kama3_sheet.xlsx", data, "application/octet-stream"))
    [b for b in at.button if b.label == "計画を保存"][0].click().run()
    assert not at.error, [e.value for e in at.error]
    defs = UserStore(user_db).kpi_defs()
    assert len(defs) == 18 and defs["kpi_id"].str.startswith("u40212_1_").all()
    assert metrics(at)["KPI 設定数"] == "16"


def test_edit_and_delete_a_plan_made_in_the_app(bundled_db, user_db, monkeypatch):
    from tests.test_kpi_plans_store import META, defs

    pid = UserStore(user_db).save_plan(META, defs("A", "B"), by="山田")
    at = open_page(bundled_db, monkeypatch, area="40212")
    assert at.selectbox(key="plan").value == pid and metrics(at)["KPI 設定数"] == "2"
    rows = [e for e in at.data_editor if e.key == f"kpi_pf_rows_{pid}"][0].value
    assert rows["kpi"].tolist() == ["A", "B"] and rows["target_value"].tolist() == ["10", "10"]
    at.text_input(key=f"kpi_pf_name_{pid}").set_value("改訂版")
    at.session_state[f"kpi_pf_rows_{pid}"] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [0]}
    [b for b in at.button if b.label == "計画を保存"][0].click().run()
    assert not at.error, [e.value for e in at.error]
    assert UserStore(user_db).kpi_defs(pid)[["kpi_id", "kpi"]].values.tolist() == [[f"{pid}_02", "B"]]
    assert metrics(at)["KPI 設定数"] == "1" and at.selectbox(key="plan").value == pid
    at.button(key="kpi_plan_delete").click().run()
    assert UserStore(user_db).kpi_plans().empty
    assert at.selectbox(key="plan").value == "new" and any("計画「改訂版」を削除しました" in s.value for s in at.success)
