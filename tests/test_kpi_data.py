"""KPI seed tables against the printed figures, and KPIs linked to the population series of the database."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kpi import periods
from kpi.link import span_total

SEED = Path(__file__).parents[1] / "data" / "bundled" / "seed"


def load(name: str) -> pd.DataFrame:
    return pd.read_csv(SEED / name, dtype={"municipality_code": str, "goal_no": "Int64"}, keep_default_na=False,
                       na_values=[""])


def values_of(kpi_id: str) -> dict[str, float]:
    v = load("kpi_values.csv")
    v = v[v["kpi_id"] == kpi_id]
    return dict(zip(v["period"], v["value"]))


# 第2期 事業一覧: yearly cells R2..R6 and the printed 実績値(目標値比較) of the cumulative KPIs
PRINTED_SUMS = {"kama2_k01": ([2, 5, 1, 5, 6], 19), "kama2_k02": ([7, 9, 11, 13, 12], 52),
                "kama2_k03": ([1, 1, 4, 6, 7], 19), "kama2_k04": ([6, 11, 4, 0, 2], 23),
                "kama2_k06": ([44, 46, 39, 42, 37], 208)}
R7 = {"kama3_k01": 8, "kama3_k02": 7, "kama3_k03": 5, "kama3_k04": 4, "kama3_k05": 29, "kama3_k06": 20,
      "kama3_k07": 0, "kama3_k08": 19.9, "kama3_k09": 0, "kama3_k10": 550, "kama3_k12": 100.0, "kama3_k13": 100084,
      "kama3_k14": 3, "kama3_k15": 34.96, "kama3_k16": 21}


def test_files_and_keys():
    for name in ("kpi_plans.csv", "kpi_defs.csv", "kpi_values.csv"):
        raw = (SEED / name).read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw and raw.endswith(b"\n")
    plans, defs, vals = load("kpi_plans.csv"), load("kpi_defs.csv"), load("kpi_values.csv")
    assert plans["plan_id"].is_unique and defs["kpi_id"].is_unique
    assert not vals.duplicated(["kpi_id", "period"]).any()
    assert set(defs["plan_id"]) <= set(plans["plan_id"]) and set(vals["kpi_id"]) <= set(defs["kpi_id"])
    sources = set(load("sources.csv")["source_id"])
    assert set(plans["source_id"]) | set(defs["source_id"]) | set(vals["source_id"].dropna()) <= sources
    for col in ("baseline_period", "target_period"):
        assert all(periods.is_valid(p) for p in defs[col].dropna())
    assert all(periods.is_valid(p) for p in vals["period"])


def test_plan_sizes():
    defs = load("kpi_defs.csv")
    kpis = defs[defs["level"] == "kpi"].groupby("plan_id").size().to_dict()
    assert kpis == {"kama2": 16, "kama3": 16, "kurume_metro": 5}
    numeric = defs[defs["level"] == "goal_target"].groupby("plan_id")["kpi"].apply(list).to_dict()
    assert numeric == {"kama2": ["就業者人口", "純移動数（5年間の合計）", "合計特殊出生率",
                                 "「住みやすい」「まあ住みやすい」と回答した人の割合"],
                       "kama3": ["純移動数（5年間の合計）", "出生数（5年間の合計）"]}
    per_goal = defs[(defs["plan_id"] == "kama2") & (defs["level"] == "kpi")].groupby("goal_no").size().tolist()
    assert per_goal == [4, 4, 4, 4]


def test_cumulative_cells_add_up_to_the_printed_total():
    for kid, (cells, printed) in PRINTED_SUMS.items():
        v = values_of(kid)
        assert [v[f"FY{y}"] for y in range(2020, 2025)] == cells, kid
        assert sum(cells) == printed, kid


def test_levels_compared_as_printed():
    # 実績値(目標値比較) of level KPIs is the R6 cell (分譲地 13, 観光拠点 7,507, 入込 24万, 通学 580, バス 133,074 …)
    for kid, printed in {"kama2_k05": 13, "kama2_k07": 7507, "kama2_k08": 24, "kama2_k10": 580,
                         "kama2_k12": 100.0, "kama2_k13": 133074, "kama2_k14": 3, "kama2_k15": 34.26,
                         "kama2_k16": 21}.items():
        assert values_of(kid)["FY2024"] == printed, kid
    assert pd.isna(values_of("kama2_k09")["FY2024"])  # 婚活 R6 '—'


def test_new_strategy_r7_and_numeric_targets():
    for kid, r7 in R7.items():
        assert values_of(kid)["FY2025"] == pytest.approx(r7), kid
    v = load("kpi_values.csv").set_index(["kpi_id", "period"])
    # 推計値よりも5年間で社会減を675人抑制 / 出生数を51人向上: target − projection
    assert v.loc[("kama3_net_migration", "FY2026-FY2030"), "target"] - v.loc[("kama3_net_migration", "FY2026-FY2030"), "projection"] == 675
    assert v.loc[("kama3_births", "FY2026-FY2030"), "target"] - v.loc[("kama3_births", "FY2026-FY2030"), "projection"] == 51
    # 第2期: 社会減を630人抑制 (▲1,543 -> ▲913), 合計特殊出生率 0.09 向上 (1.56 -> 1.65)
    assert v.loc[("kama2_g2_net_migration", "2020-10-01/2025-10-01"), "target"] - \
        v.loc[("kama2_g2_net_migration", "2020-10-01/2025-10-01"), "projection"] == 630
    assert round(v.loc[("kama2_g3_tfr", "CY2025"), "target"] - v.loc[("kama2_g3_tfr", "CY2025"), "projection"], 2) == 0.09
    # 目標人口: 2065年 17,033 (社人研 10,044), 令和7年 32,115, 令和2年 実績 35,473
    assert v.loc[("kama2_population", "2065-10-01"), ["target", "projection"]].tolist() == [17033, 10044]
    assert v.loc[("kama2_population", "2025-10-01"), "target"] == 32115
    assert v.loc[("kama2_population", "2020-10-01"), "value"] == 35473


def test_kurume_metro_kpis():
    d = load("kpi_defs.csv")
    m = d[d["plan_id"] == "kurume_metro"].set_index("kpi")
    assert m.loc["圏域の総生産額", ["baseline_value", "target_value"]].tolist() == [14063, 14300]
    assert m.loc["圏域の労働者数", ["baseline_value", "baseline_period", "target_value", "target_period"]].tolist() == [
        123665, "2021-03-31", 131600, "2026-03-31"]
    assert m.loc["久留米シティプラザ入館者数", "target_value"] == 612800
    assert m.loc["アザレアネット参加医療機関数", ["baseline_value", "target_value"]].tolist() == [272, 295]
    assert m.loc["久留米市美術館の入館者数", ["baseline_value", "target_value"]].tolist() == [85885, 86000]


# ---------------------------------------------------------------- linked series

def test_span_total_prefers_a_complete_series():
    yearly = pd.DataFrame({"period": ["CY2020", "CY2021", "FY2020", "FY2021", "FY2022", "FY2023", "FY2024"],
                           "period_kind": ["CY", "CY", "FY", "FY", "FY", "FY", "FY"],
                           "value": [1.0, 2.0, 475, -654, 1268, 570, 970],
                           "source_id": ["juki_dynamics"] * 2 + ["kurume_vision_2025"] * 5})
    assert span_total("FY2020-FY2024", yearly) == {"value": 2629.0, "source_id": "kurume_vision_2025",
                                                   "years": [f"FY{y}" for y in range(2020, 2025)]}
    part = span_total("FY2021-FY2025", yearly)
    assert part["value"] is None and part["years"] == ["FY2021", "FY2022", "FY2023", "FY2024"]


def test_kurume_links_in_the_bundled_database(bundled_db, monkeypatch, tmp_path):
    monkeypatch.setenv("POPDASH_DB", str(bundled_db))
    monkeypatch.setenv("POPDASH_USER_DB", str(tmp_path / "user.duckdb"))
    from queries import kpi as kq

    m = kq.merged("kurume3")
    row = m[(m["kpi_id"] == "kurume3_target_population") & (m["period"] == "2025-01-01")].iloc[0]
    assert (row["value"], row["origin"], row["source_id"]) == (300199, "linked", "juki_totals_2013_2025")
    # the city's own register series: 転入−転出 FY2020–FY2024 = 475 − 654 + 1,268 + 570 + 970
    series = kq.linked("40203")
    net = series[series["series"] == "net_migration"]
    assert span_total("FY2020-FY2024", net)["value"] == 2629
    births = series[series["series"] == "births"]
    assert span_total("FY2020-FY2024", births)["value"] == 2412 + 2373 + 2299 + 2188 + 1999
    # 嘉麻市 is not in the demo extract: nothing to link, the plan still grades
    assert kq.linked("40227").empty
    g = kq.graded("kama2", "kama_ratio", "FY2024")
    row = g.set_index("kpi_id").loc["kama2_population"]  # read on the 2020 census, nothing linked
    assert (row["origin"], row["actual_period"], row["reference_value"]) == ("published", "2020-10-01", None)


def test_kama_links_in_the_national_database(national_db, monkeypatch, tmp_path):
    monkeypatch.setenv("POPDASH_DB", str(national_db))
    monkeypatch.setenv("POPDASH_USER_DB", str(tmp_path / "user.duckdb"))
    from queries import kpi as kq

    m = kq.merged("kama2").set_index(["kpi_id", "period"])
    # after the 2020 census actual (35,473 on 1 Oct 2020) the register fills in, source named
    assert m.loc[("kama2_population", "2025-01-01"), ["value", "origin", "source_id"]].tolist() == [
        34143, "linked", "juki_totals_2013_2025"]
    assert ("kama2_population", "2020-01-01") not in m.index  # before the last published actual: not mixed in
    # 純移動数 R2⇒R7 (CY2021–CY2025): only CY2021 is in the register tables — marked as awaited, no value
    awaited = m.loc[("kama2_g2_net_migration", "2020-10-01/2025-10-01")]
    assert pd.isna(awaited["value"]) and awaited["link_partial"] == "partial:CY2021"
    series = kq.linked("40227")
    net = series[series["series"] == "net_migration"]
    assert span_total("2015-10-01/2020-10-01", net)["value"] == -388 - 170 - 374 - 249 - 286  # CY2016–CY2020


def test_kama_target_population_graded_by_its_own_rule(national_db, monkeypatch, tmp_path):
    """嘉麻市 目標人口 on the national database: the register's 34,143 (1 Jan 2025) against 17,033 in 2065 was shown
    as 「○ 概ね目標達成 200 %」. It is now read on the census against the path (the report itself did not grade it):
    the 2020 census 35,473 fell 3,270 from 38,743 where the path allowed 3,730 — 114 %, and the register figure
    is named as a reference of another basis."""
    monkeypatch.setenv("POPDASH_DB", str(national_db))
    monkeypatch.setenv("POPDASH_USER_DB", str(tmp_path / "user.duckdb"))
    from queries import kpi as kq

    for rule in ("kama_ratio", "trajectory"):
        g = kq.graded("kama2", rule, "FY2024")
        row = g.set_index("kpi_id").loc["kama2_population"]
        assert (row["grade"], row["reason"], row["actual"]) == ("○", "pop_decline", 35473) and pd.isna(row["recorded"])
        assert (row["reference_value"], row["reference_period"]) == (34143, "2025-01-01")
        shown = kq.display(g, rule, "ja", "FY2024").set_index("kpi_id").loc["kama2_population"]
        assert shown["progress"] == 114 and "200%" not in shown["reason"]
        assert shown["reason"] == ("減少 3,270人（経路上の許容減少 3,730人、許容÷実際 114%）。評価年度の実績がなく2020年10月1日の値。"
                                   "住民基本台帳の値 34,143人（2025年1月1日）は基準が異なるため参考（判定に使わない）。"
                                   "推計値 35,013人 を 460人 上回る")
