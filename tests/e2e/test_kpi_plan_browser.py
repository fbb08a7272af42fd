"""In the browser: a city that had no strategy plan (大川市) is invited to create one, creates it from a KPI list
sheet, sees it graded, and a fresh deep link restores it."""
from __future__ import annotations

import pandas as pd

from loaders import kpi as sheet
from tests.e2e.conftest import wait_ready


def test_a_city_without_a_plan_creates_one_in_the_browser(page, server, tmp_path):
    page.goto(server + "/kpi_tracker?area=40212")
    wait_ready(page, "text=大川市の総合戦略（KPI）の計画はまだ登録されていません")
    assert page.locator("text=嘉麻市").count() == 0  # never another municipality's plan in its place
    csv = tmp_path / "okawa_plan.csv"
    csv.write_bytes(sheet.to_csv(pd.DataFrame({
        "区分": ["目標人口", "KPI"], "基本目標番号": ["0", "1"], "指標": ["目標人口", "創業支援件数"], "単位": ["人", "件"],
        "方向": ["増やす", "増やす"], "集計": ["その年の値", "期間の累計"], "基準値": ["32,000", "0"],
        "基準時点": ["2025-01-01", "FY2024"], "目標値": ["30,000", "25"], "目標時点": ["令和12年10月1日", "FY2025-FY2029"],
        "人口の基準": ["住民基本台帳", ""], "自動補完": ["住基人口", ""]})))
    page.get_by_label("計画名").fill("大川市総合戦略（第3期）")
    page.get_by_label("計画期間（開始年度）").fill("令和7年度")
    page.get_by_label("計画期間（終了年度）").fill("FY2029")
    page.locator(".st-key-kpi_pf_file_new input[type=file]").set_input_files(str(csv))
    page.wait_for_selector("text=okawa_plan.csv")
    page.get_by_role("button", name="計画を保存").click()
    wait_ready(page, "text=計画「大川市総合戦略（第3期）」（指標 2 件）を保存しました")
    page.wait_for_function("location.search.includes('plan=u40212_1')")
    wait_ready(page, "[data-testid=stMetric]")
    assert page.locator("[data-testid=stCaptionContainer]", has_text="このアプリで作成した計画").count() == 1
    kpis = page.locator("[data-testid=stMetric]", has_text="KPI 設定数").inner_text()
    assert kpis.split()[-1] == "1"
    # a fresh deep link (new session) restores the plan from the user store
    page.goto(server + "/kpi_tracker?area=40212")
    wait_ready(page, "[data-testid=stMetric]")
    assert page.locator("text=まだ登録されていません").count() == 0
    page.wait_for_selector("h3:has-text('推進会議資料: 大川市総合戦略（第3期）（2025年度時点）')")
