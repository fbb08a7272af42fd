"""Grading rules: the 嘉麻市 report's grades reproduced, and every direction and rule on its edge cases."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from kpi import periods, tracker
from kpi.model import KPI, Obs
from kpi.rules import RULES, achievement, expected_at, kama_ratio, path_points, trajectory

SEED = Path(__file__).parents[1] / "data" / "bundled" / "seed"

# 嘉麻市まち・ひと・しごと創生 第2期総合戦略 総括報告書, 事業一覧 (R2–R6): the 総合評価 column as printed, KPI by KPI,
# and the 基本目標達成状況等一覧表: KPI 設定数 / ○ / △ / × per basic goal, the total, and the printed shares.
REPORT_GRADES = {
    "kama2_k01": "○", "kama2_k02": "○", "kama2_k03": "○", "kama2_k04": "○",  # 創業 19/15, 改装 52/40, 特産品 19/15, スマート農業 23/2
    "kama2_k05": "△", "kama2_k06": "○", "kama2_k07": "△", "kama2_k08": "△",  # 分譲地 13/50, 住まい 208/190, 観光拠点 7,507/21,870, 入込 24/163
    "kama2_k09": "×", "kama2_k10": "○", "kama2_k11": "△", "kama2_k12": "○",  # 婚活 —, 通学 580/250, 学力 (文言), 提示装置 100%
    "kama2_k13": "○", "kama2_k14": "○", "kama2_k15": "△", "kama2_k16": "○",  # バス 133,074/150,000, 組織 3/1, 防災 34.26/100, 連携 21/21
}
REPORT_COUNTS = {1: (4, 4, 0, 0), 2: (4, 1, 3, 0), 3: (4, 2, 1, 1), 4: (4, 3, 1, 0)}
REPORT_TOTAL = (16, 10, 5, 1)
REPORT_SHARES = {1: (100, 0, 0), 2: (25, 75, 0), 3: (50, 25, 25), 4: (75, 25, 0), None: (63, 31, 6)}
# 実績/目標 as the report's own columns imply (実績値(目標値比較) ÷ 目標値)
REPORT_RATIOS = {"kama2_k01": 19 / 15, "kama2_k02": 52 / 40, "kama2_k05": 13 / 50, "kama2_k06": 208 / 190,
                 "kama2_k07": 7507 / 21870, "kama2_k08": 24 / 163, "kama2_k13": 133074 / 150000, "kama2_k15": 34.26 / 100}


def seed_frames():
    defs = pd.read_csv(SEED / "kpi_defs.csv", dtype={"goal_no": "Int64"})
    values = pd.read_csv(SEED / "kpi_values.csv")
    return defs, values


def graded_kama2(rule="kama_ratio", as_of="FY2024"):
    defs, values = seed_frames()
    merged = tracker.merge_values(values, pd.DataFrame(), pd.DataFrame())
    return tracker.table(defs[defs["plan_id"] == "kama2"], merged, rule, as_of)


# ---------------------------------------------------------------- the 嘉麻市 report, exactly

def test_kama_report_grades_kpi_by_kpi():
    g = graded_kama2()
    kpis = g[g["level"] == "kpi"].set_index("kpi_id")
    assert len(kpis) == 16
    assert kpis["grade"].to_dict() == REPORT_GRADES
    # the grade recorded in the seed (the report's column) agrees with both the rule and the literal above
    assert kpis["recorded"].to_dict() == REPORT_GRADES
    for kid, ratio in REPORT_RATIOS.items():
        assert kpis.loc[kid, "ratio"] == pytest.approx(ratio), kid


def test_kama_report_counts_per_goal_and_total():
    s = tracker.summary(graded_kama2())
    per_goal = {int(r.goal_no): (r.n, r.good, r.short, r.other) for r in s.iloc[:-1].itertuples()}
    assert per_goal == REPORT_COUNTS
    total = s.iloc[-1]
    assert (total.n, total.good, total.short, total.other, total.ungraded) == (*REPORT_TOTAL, 0)
    shares = {int(r.goal_no): (r.good_pct, r.short_pct, r.other_pct) for r in s.iloc[:-1].itertuples()}
    assert shares | {None: (total.good_pct, total.short_pct, total.other_pct)} == REPORT_SHARES


def test_kama_report_grades_through_the_database(bundled_db, monkeypatch):
    monkeypatch.setenv("POPDASH_DB", str(bundled_db))
    monkeypatch.setenv("POPDASH_USER_DB", str(bundled_db.parent / "no_user_values.duckdb"))
    from queries import kpi as kq

    g = kq.graded("kama2", "kama_ratio", "FY2024")
    assert g[g["level"] == "kpi"].set_index("kpi_id")["grade"].to_dict() == REPORT_GRADES
    assert (kq.summary(g)["good"], kq.summary(g)["short"], kq.summary(g)["other"]) == (10, 5, 1)


def test_boundary_of_the_80_percent_rule():
    # 市バス: 133,074 of 150,000 = 88.7 % is ○; the rule turns at exactly 80 %.
    k = KPI("bus", target_value=150000, target_period="FY2024")
    assert kama_ratio(k, [Obs("FY2024", 120000)], "FY2024").grade == "○"
    assert kama_ratio(k, [Obs("FY2024", 119999)], "FY2024").grade == "△"


def test_the_trajectory_rule_reads_the_same_plan_differently():
    """At the end of the plan the path is the target, so the trajectory rule is close to the ratio rule, but not
    equal: 市バス (88.7 % of the target) covered only 71 % of the path from its baseline 93,453."""
    g = graded_kama2("trajectory").set_index("kpi_id")
    assert g.loc["kama2_k13", "grade"] == "△"
    assert g.loc["kama2_k13", "ratio"] == pytest.approx((133074 - 93453) / (150000 - 93453))
    assert g.loc["kama2_k01", "reason"] == "reached"


# ---------------------------------------------------------------- directions

def test_achievement_by_direction():
    assert achievement("higher", 19, 15) == pytest.approx(19 / 15)
    assert achievement("lower", 80, 50) == pytest.approx(50 / 80)
    assert achievement("lower", 0, 50) == math.inf  # nothing left: better than any target
    assert achievement("lower", 2, 0) == 0.0  # target zero, still some: not met, no partial credit
    # 純移動数: ▲913 targeted, ▲1,833 happened -> the decline is twice the target: 50 %
    assert achievement("reduce_decline", -1833, -913) == pytest.approx(913 / 1833)
    assert achievement("reduce_decline", 12, -913) == math.inf  # a net gain beats any allowed decline
    assert achievement("higher", -1833, -913) == pytest.approx(913 / 1833)  # negative target read the same way
    assert achievement("higher", 0, 0) == math.inf and achievement("higher", -1, 0) == 0.0


def test_lower_is_better_on_both_rules():
    k = KPI("waiting_list", direction="lower", baseline_value=100, baseline_period="FY2023", target_value=50,
            target_period="FY2029")
    obs = [Obs("FY2025", 80)]
    g = kama_ratio(k, obs, "FY2025")
    assert (g.grade, round(g.ratio, 3)) == ("△", 0.625)
    t = trajectory(k, obs, "FY2025")  # the path expects about 83.3 at the end of FY2025; 80 is ahead
    assert t.grade == "○" and t.expected == pytest.approx(100 - 50 * 731 / 2192, rel=1e-3) and t.ratio > 1
    assert trajectory(k, [Obs("FY2025", 95)], "FY2025").grade == "△"
    assert kama_ratio(k, [Obs("FY2029", 0)], "FY2029").grade == "○"


def test_reduce_the_decline_on_the_real_net_migration_target():
    defs, values = seed_frames()
    row = defs.set_index("kpi_id").loc["kama2_g2_net_migration"]
    k = KPI.from_row({**row.to_dict(), "kpi_id": "kama2_g2_net_migration"})
    assert k.direction == "reduce_decline" and k.target_value == -913
    # the R2⇒R7 actual is not yet published: × under the report's rule; a made-up ▲1,200 would be 76 % (△)
    assert kama_ratio(k, [Obs("2020-10-01/2025-10-01", None)], "FY2025").reason == "no_actual"
    assert kama_ratio(k, [Obs("2020-10-01/2025-10-01", -1200)], "FY2025").grade == "△"
    assert kama_ratio(k, [Obs("2020-10-01/2025-10-01", -1100)], "FY2025").grade == "○"


# ---------------------------------------------------------------- edge cases

def forty_in_five():
    return KPI("startups", aggregation="sum", baseline_value=5, baseline_period="FY2023", target_value=40,
               target_period="FY2025-FY2029")


def test_cumulative_target_reached_early():
    k = forty_in_five()
    obs = [Obs("FY2025", 25), Obs("FY2026", 20)]
    g = kama_ratio(k, obs, "FY2026")
    assert (g.grade, g.actual, g.actual_period) == ("○", 45, "FY2025-FY2026")
    t = trajectory(k, obs, "FY2026")
    assert (t.grade, t.reason) == ("○", "reached")


def test_cumulative_first_year_real_figures():
    """嘉麻市 new strategy, R7: 創業者数 8 of '5年間に40件' is exactly on the even path (8 per year) but 20 % of the
    five-year target — the reason the trajectory rule is the default in the middle of a plan."""
    k = forty_in_five()
    obs = [Obs("FY2025", 8)]
    assert trajectory(k, obs, "FY2025").grade == "○" and trajectory(k, obs, "FY2025").ratio == pytest.approx(1.0)
    assert kama_ratio(k, obs, "FY2025").grade == "△" and kama_ratio(k, obs, "FY2025").ratio == pytest.approx(0.2)


def test_cumulative_missing_year_is_named_and_counts_as_nothing():
    k = forty_in_five()
    obs = [Obs("FY2025", 8), Obs("FY2027", 8)]
    g = kama_ratio(k, obs, "FY2027")
    assert g.missing == ("FY2026",) and g.actual == 16 and g.grade == "△"
    t = trajectory(k, obs, "FY2027")
    assert t.missing == ("FY2026",) and t.expected == pytest.approx(24) and t.ratio == pytest.approx(16 / 24)
    assert kama_ratio(k, [], "FY2027").grade == "×" and kama_ratio(k, [], "FY2027").missing == ("FY2025", "FY2026", "FY2027")


def test_missing_evaluation_year_latest_kpi():
    k = KPI("bus", baseline_value=130108, baseline_period="FY2023", target_value=150000, target_period="FY2029")
    obs = [Obs("FY2025", 140000)]
    assert kama_ratio(k, obs, "FY2026").reason == "no_actual"  # the report's rule needs that year's actual
    t = trajectory(k, obs, "FY2026")  # the trajectory rule reads the last actual and says it is old
    assert t.stale and t.actual_period == "FY2025" and t.grade in ("○", "△")


def test_zero_baseline_path():
    # スマート農業導入件数 of the new strategy as a level: 0 (R5) -> 20 (R11)
    k = KPI("smart", baseline_value=0, baseline_period="FY2023", target_value=20, target_period="FY2029")
    t = trajectory(k, [Obs("FY2025", 4)], "FY2025")
    assert t.expected == pytest.approx(20 * 731 / 2192, rel=1e-3)
    assert t.ratio == pytest.approx(4 / t.expected) and t.grade == "△"
    assert kama_ratio(KPI("z", target_value=0, target_period="FY2025"), [Obs("FY2025", 0)], "FY2025").grade == "○"


def test_hold_the_level_and_managed_decline():
    hold = KPI("joint", baseline_value=21, baseline_period="FY2023", target_value=21, target_period="FY2029")
    assert trajectory(hold, [Obs("FY2025", 21)], "FY2025").reason == "reached"
    assert (trajectory(hold, [Obs("FY2025", 20)], "FY2025").grade,
            trajectory(hold, [Obs("FY2025", 20)], "FY2025").reason) == ("△", "maintain")
    # 久留米市 目標人口: 300,199 (2025-01-01) -> 295,000 (FY2030 end); the path allows the decline
    pop = KPI("pop", baseline_value=300199, baseline_period="2025-01-01", target_value=295000,
              target_period="2031-03-31")
    e = expected_at(path_points(pop, []), periods.parse("2028-01-01").end)
    assert 295000 < e < 300199
    assert trajectory(pop, [Obs("2028-01-01", e + 1)], "FY2027").grade == "○"
    assert trajectory(pop, [Obs("2028-01-01", e - 1)], "FY2027").grade == "△"
    # the value on the baseline date says nothing of progress: not graded (was ○ 100 %), under either rule —
    # and never 実績/目標 (was 300,199 / 295,000 = 102 %)
    for rule in (trajectory, kama_ratio):
        g = rule(pop, [Obs("2025-01-01", 300199)], "FY2024")
        assert (g.grade, g.reason, g.ratio) == (None, "at_baseline", None)


def test_interim_targets_shape_the_path_and_the_ratio():
    """嘉麻市 目標人口 (第2期): 38,743 (2015) -> 35,013 (2020, interim) -> 32,115 (2025, interim) -> 17,033 (2065).
    The 2020 actual 35,473 is compared with the 2020 target, not with 2065's."""
    defs, values = seed_frames()
    row = defs.set_index("kpi_id").loc["kama2_population"].to_dict()
    k = KPI.from_row({**row, "kpi_id": "kama2_population"})
    obs = [Obs.from_row(r) for r in values[values["kpi_id"] == "kama2_population"].to_dict("records")]
    g = kama_ratio(k, obs, "FY2020")
    assert (g.actual, g.target, g.grade) == (35473, 35013, "○")
    pts = path_points(k, obs)
    assert [v for _, v in pts] == [38743, 35013, 32115, 17033]


def test_text_values():
    k = KPI("test_scores", value_kind="text", target_period="FY2024")
    judged = [Obs("FY2024", text="小学校:平均△2.0 中学校:平均△5.0", judgement="△")]
    assert (kama_ratio(k, judged, "FY2024").grade, kama_ratio(k, judged, "FY2024").reason) == ("△", "judged")
    unjudged = [Obs("FY2024", text="小学校:平均△2.0 中学校:平均△5.0")]
    assert (kama_ratio(k, unjudged, "FY2024").grade, kama_ratio(k, unjudged, "FY2024").reason) == (None, "needs_judgement")
    assert trajectory(k, unjudged, "FY2025").reason == "needs_judgement"  # the latest text, a year old
    assert kama_ratio(k, [Obs("FY2024", text=None)], "FY2024").grade == "×"
    # a number KPI whose cell is printed as '—' has no actual: × (婚活 R6)
    n = KPI("couples", target_value=5, target_period="FY2024")
    g = kama_ratio(n, [Obs("FY2023", 3), Obs("FY2024", None, text="—")], "FY2024")
    assert (g.grade, g.reason, g.actual_text) == ("×", "no_actual", "—")


def test_done_not_done():
    k = KPI("survey", value_kind="done", target_value=1, target_period="FY2029")
    not_yet = [Obs("FY2025", 0, text="未実施")]
    assert kama_ratio(k, not_yet, "FY2025").grade == "×"  # 事業未実施 is × in the report's legend
    assert (trajectory(k, not_yet, "FY2025").grade, trajectory(k, not_yet, "FY2025").reason) == ("△", "not_yet_due")
    assert trajectory(k, [Obs("FY2029", 0)], "FY2029").grade == "×"
    assert trajectory(k, [Obs("FY2027", 1, text="実施")], "FY2027").grade == "○"


def test_future_total_not_started_and_unknown_rule():
    k = KPI("births", baseline_value=808, baseline_period="FY2019-FY2023", target_value=825,
            target_period="FY2026-FY2030")
    assert (trajectory(k, [], "FY2025").grade, trajectory(k, [], "FY2025").reason) == (None, "not_started")
    assert set(RULES) == {"kama_ratio", "trajectory"}  # population_path is not a plan's choice: see rule_for
    with pytest.raises(ValueError):
        from kpi.rules import grade
        grade("median", k, [], "FY2025")


def test_periods():
    assert periods.years_in("2015-10-01/2020-10-01", "CY") == [f"CY{y}" for y in range(2016, 2021)]
    assert periods.years_in("FY2020-FY2024", "CY") == [f"CY{y}" for y in range(2020, 2025)]
    assert periods.in_window("2025-01-01", "FY2024") and not periods.in_window("2025-10-01", "FY2024")
    assert periods.text("FY2020-FY2024", "ja") == "2020年度〜2024年度"
    assert periods.text("2015-10-01/2020-10-01", "ja") == "2015年10月1日〜2020年10月1日"
    with pytest.raises(ValueError):
        periods.parse("FY2024-CY2025")


# ---------------------------------------------------------------- grades a council can defend (issue 16)

def kama_population():
    defs, values = seed_frames()
    row = defs.set_index("kpi_id").loc["kama2_population"].to_dict()
    obs = [Obs.from_row(r) for r in values[values["kpi_id"] == "kama2_population"].to_dict("records")]
    return KPI.from_row({**row, "kpi_id": "kama2_population"}), obs


def test_population_target_is_never_actual_over_target():
    """嘉麻市 目標人口: 17,033 in 2065 against 34,143 on the register now was graded ○ 200 % (34,143 / 17,033). The
    register figure counts another basis than the census targets: it is a reference, never graded. The 2020 census
    (35,473) is read against the path: it allowed a fall of 38,743 − 35,013 = 3,730, the city lost 3,270."""
    k, obs = kama_population()
    assert (k.level, k.basis) == ("population_target", "census")
    juki = Obs("2025-01-01", 34143, origin="linked", source_id="juki_totals_2013_2025", basis="juki")
    merged = tracker.merge_values(pd.concat([seed_frames()[1]]), pd.DataFrame(), pd.DataFrame(
        [{"kpi_id": "kama2_population", "period": juki.period, "value": juki.value, "source_id": juki.source_id,
          "link": juki.period, "basis": "juki"}]))
    defs = seed_frames()[0]
    for rule in ("kama_ratio", "trajectory"):
        g = tracker.table(defs[defs["kpi_id"] == "kama2_population"], merged, rule, "FY2024", "FY2020").iloc[0]
        assert (g["grade"], g["reason"], g["actual"], g["actual_period"]) == ("○", "pop_decline", 35473, "2020-10-01")
        assert g["ratio"] == pytest.approx(3730 / 3270) and g["expected"] == pytest.approx(35013)
        assert g["stale"] and g["progress"] == pytest.approx(3730 / 3270)
        assert (g["reference_value"], g["reference_period"], g["reference_basis"]) == (34143, "2025-01-01", "juki")
    # the rule itself: a fall faster than the path is △, a rise is ○ with no ratio to divide
    from kpi.rules import population_path
    fast = [o for o in obs if o.period != "2020-10-01"] + [Obs("2020-10-01", 34500, target=35013)]
    g = population_path(k, fast, "FY2020")
    assert (g.grade, g.ratio) == ("△", pytest.approx(3730 / (38743 - 34500)))
    up = [o for o in obs if o.period != "2020-10-01"] + [Obs("2020-10-01", 39000, target=35013)]
    assert (population_path(k, up, "FY2020").grade, population_path(k, up, "FY2020").reason) == ("○", "pop_no_decline")


def test_no_grade_before_the_plan_period():
    """久留米 第3期 (FY2026–FY2030) read at FY2024 was ○ 順調 100 %: before the plan starts nothing is graded."""
    defs, values = seed_frames()
    mine = defs[defs["plan_id"] == "kurume3"]
    linked = pd.DataFrame([{"kpi_id": "kurume3_target_population", "period": "2025-01-01", "value": 300199.0,
                            "source_id": "juki_totals_2013_2025", "link": "2025-01-01", "basis": "juki"}])
    merged = tracker.merge_values(values[values["kpi_id"].isin(mine["kpi_id"])], pd.DataFrame(), linked)
    for rule in ("kama_ratio", "trajectory"):
        g = tracker.table(mine, merged, rule, "FY2024", "FY2026").iloc[0]
        assert (g["grade"], g["reason"], g["progress"]) == (None, "before_plan", None)
        assert (g["latest_value"], g["latest_period"]) == (300199, "2025-01-01")  # still shown, not graded
    assert tracker.before_plan("FY2026", "FY2025") and not tracker.before_plan("FY2026", "FY2026")
    assert not tracker.before_plan(None, "FY2024")


def test_progress_is_the_rules_measure_uncapped():
    """スマート農業導入件数: 23 of 2 = 1,150 %; the 達成度 column said 150 (capped) beside a reason of 1150 %."""
    g = graded_kama2().set_index("kpi_id")
    assert g.loc["kama2_k04", "ratio"] == pytest.approx(11.5) and g.loc["kama2_k04", "progress"] == pytest.approx(11.5)


def test_an_actual_after_the_evaluation_years_extends_them():
    """就業者人口 on 1 October 2025 (the census after a FY2020–FY2024 plan) was entered but no evaluation year
    reached it. The list now runs to FY2025; at FY2024 the KPI says there is a later actual; at FY2025 it is
    graded on it, and KPIs whose targets were due in FY2024 keep their FY2024 reading."""
    defs, values = seed_frames()
    values = values[values["kpi_id"].str.startswith("kama2_")]
    plan = pd.read_csv(SEED / "kpi_plans.csv").set_index("plan_id").loc["kama2"].to_dict()
    user = pd.DataFrame([{"kpi_id": "kama2_g1_employed", "period": "2025-10-01", "value": 12500.0, "value_text": None,
                          "note": None, "judgement": None, "saved_at": pd.Timestamp("2026-03-01")}])
    merged = tracker.merge_values(values, user, pd.DataFrame())
    assert tracker.plan_periods(plan, merged) == ["FY2020", "FY2021", "FY2022", "FY2023", "FY2024", "FY2025"]
    assert tracker.plan_periods(plan, tracker.merge_values(values, pd.DataFrame(), pd.DataFrame()))[-1] == "FY2024"
    mine = defs[defs["plan_id"] == "kama2"]
    at24 = tracker.table(mine, merged, "kama_ratio", "FY2024", "FY2020").set_index("kpi_id")
    assert at24.loc["kama2_g1_employed", "later"] == ("2025-10-01",)
    from queries.kpi import display

    shown = display(at24.reset_index(), "kama_ratio", "ja", "FY2024").set_index("kpi_id")
    assert shown.loc["kama2_g1_employed", "reason"] == (
        "実績なし。2025年10月1日の実績は評価年度の後のため判定に含めない（評価年度を2025年度にすると判定します）")
    at25 = tracker.table(mine, merged, "kama_ratio", "FY2025", "FY2020").set_index("kpi_id")
    assert at25.loc["kama2_g1_employed", ["grade", "actual"]].tolist() == ["○", 12500]
    assert at25.loc["kama2_g1_employed", "ratio"] == pytest.approx(12500 / 11913)
    kpis = at25[at25["level"] == "kpi"]
    assert kpis["grade"].to_dict() == REPORT_GRADES and set(kpis["graded_at"]) == {"FY2024"}
    shown = display(at25.reset_index(), "kama_ratio", "ja", "FY2025").set_index("kpi_id")
    assert shown.loc["kama2_k13", "reason"] == "実績/目標 89%。目標年度（2024年度）の実績で判定"
