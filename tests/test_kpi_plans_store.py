"""Plans created in the app (store.user user_kpi_plans / user_kpi_defs) on both back ends, the plan sheet format
(loaders.kpi), and queries.kpi merging them with the official plans."""
from __future__ import annotations

import threading

import pandas as pd
import pytest

from loaders import kpi as sheet
from loaders.errors import LoaderError
from store.user import UserStore

META = {"plan_id": None, "plan": "大川市総合戦略", "municipality_code": "40212", "municipality_ja": "大川市",
        "municipality_en": "Okawa", "plan_start": "FY2025", "plan_end": "FY2029", "default_rule": "trajectory"}


def defs(*names) -> pd.DataFrame:
    return pd.DataFrame([{"kpi_id": None, "level": "kpi", "kpi": n, "direction": "higher", "value_kind": "number",
                          "aggregation": "latest", "target_value": 10.0, "target_period": "FY2029"} for n in names])


@pytest.fixture(params=["duckdb", "postgresql"])
def any_store(request, tmp_path, monkeypatch) -> UserStore:
    url = str(tmp_path / "u" / "user.duckdb") if request.param == "duckdb" else request.getfixturevalue("postgres_url")
    monkeypatch.setenv("POPDASH_USER_DB", url)
    return UserStore()


def test_create_edit_and_delete_a_plan(any_store):
    assert any_store.kpi_plans().empty and any_store.kpi_defs().empty
    pid = any_store.save_plan(META, defs("A", "B"), by="山田")
    assert pid == "u40212_1"
    d = any_store.kpi_defs(pid)
    assert d[["kpi_id", "kpi", "sort_order", "saved_by"]].values.tolist() == [
        ["u40212_1_01", "A", 1, "山田"], ["u40212_1_02", "B", 2, "山田"]]
    # edit: B kept (by its id), A removed, C added with the next free number; saved_by/saved_at per row
    edited = pd.concat([d[d["kpi"] == "B"].drop(columns=["saved_at", "saved_by"]), defs("C")], ignore_index=True)
    assert any_store.save_plan({**META, "plan_id": pid, "plan": "改訂"}, edited, by="佐藤") == pid
    d = any_store.kpi_defs(pid)
    assert d[["kpi_id", "kpi", "saved_by"]].values.tolist() == [["u40212_1_02", "B", "佐藤"], ["u40212_1_03", "C", "佐藤"]]
    assert any_store.kpi_plans()[["plan_id", "plan", "saved_by"]].values.tolist() == [[pid, "改訂", "佐藤"]]
    assert any_store.save_plan(META, defs("X"), by="田中") == "u40212_2"  # a second plan of the same city
    any_store.save_kpi(pd.DataFrame([{"kpi_id": "u40212_1_03", "period": "FY2025", "value": 4.0}]))
    assert any_store.delete_plan(pid) and not any_store.delete_plan(pid)
    assert any_store.kpi_plans()["plan_id"].tolist() == ["u40212_2"] and set(any_store.kpi_defs()["plan_id"]) == {"u40212_2"}
    # the deleted plan's id is not reused: its actual (u40212_1_03) must not join the next plan
    assert any_store.save_plan(META, defs("Y")) == "u40212_3"


def test_a_failed_plan_write_keeps_what_was_saved(any_store):
    pid = any_store.save_plan(META, defs("A"))
    bad = pd.concat([defs("B"), pd.DataFrame([{"kpi_id": None, "level": "kpi", "kpi": None, "direction": "higher",
                                               "value_kind": "number", "aggregation": "latest"}])], ignore_index=True)
    with pytest.raises(Exception):
        any_store.save_plan({**META, "plan_id": pid}, bad)  # kpi NOT NULL: the whole plan write rolls back
    assert any_store.kpi_defs(pid)["kpi"].tolist() == ["A"]


def test_two_officials_creating_plans_at_once_both_keep_theirs(any_store):
    any_store.save_plan(META, defs("seed"))  # the store exists before the race
    ids, errors = [], []

    def create(name):
        try:
            ids.append(UserStore(any_store.url).save_plan({**META, "plan": name}, defs(name), by=name))
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=create, args=(f"p{i}",)) for i in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors and sorted(ids) == [f"u40212_{i}" for i in range(2, 6)]
    assert len(any_store.kpi_plans()) == 5 and len(any_store.kpi_defs()) == 5


def test_plan_sheet_round_trip_and_errors():
    from tests.test_kpi_rules import seed_frames

    official, _ = seed_frames()
    kama3 = official[official["plan_id"] == "kama3"]
    for lang in ("ja", "en"):
        frame = sheet.plan_sheet_frame(kama3, lang)
        data = sheet.to_xlsx({sheet.SHEET_NAME[lang]: pd.DataFrame({"x": [1]}), sheet.PLAN_SHEET_NAME[lang]: frame})
        raw, labels, name = sheet.read_plan_sheet("kama3.xlsx", data)
        assert name == sheet.PLAN_SHEET_NAME[lang] and len(raw) == 18
        rows = sheet.validate_plan_rows(raw, "kama3.xlsx", labels, name)
        cols = ["level", "goal_no", "kpi", "direction", "value_kind", "aggregation", "baseline_value", "baseline_period",
                "target_value", "target_period", "basis", "linked_series"]
        want = kama3[cols].astype(object).where(kama3[cols].notna(), None).values.tolist()
        got = rows[cols].astype(object).where(rows[cols].notna(), None).values.tolist()
        assert got == want
    csv = sheet.to_csv(pd.DataFrame({"指標": ["人口", "件数"], "区分": ["目標人口", "KPI"], "目標値": ["3万", "5"],
                                     "目標時点": ["令和12年10月1日", "FY2029"]}))
    raw, labels, _ = sheet.read_plan_sheet("plan.csv", csv)
    with pytest.raises(LoaderError) as exc:
        sheet.validate_plan_rows(raw, "plan.csv", labels)
    assert exc.value.message("ja").startswith("plan.csv、2行目、列「C: 目標値」") and "3万" in exc.value.message("ja")
    for col, cell, where in (("区分", "目標", "B: 区分"), ("目標時点", "いつか", "D: 目標時点")):
        bad = pd.DataFrame({"指標": ["人口"], "区分": ["目標人口"], "目標値": ["30000"], "目標時点": ["2030-10-01"]})
        bad[col] = [cell]
        raw, labels, _ = sheet.read_plan_sheet("plan.csv", sheet.to_csv(bad))
        with pytest.raises(LoaderError) as exc:
            sheet.validate_plan_rows(raw, "plan.csv", labels)
        assert f"2行目、列「{where}」" in exc.value.message("ja") and cell in exc.value.message("ja")
    raw, labels, _ = sheet.read_plan_sheet("plan.csv", sheet.to_csv(pd.DataFrame(
        {"指標": ["人口"], "区分": ["目標人口"], "目標値": ["30,000"], "目標時点": ["令和12年10月1日"]})))
    ok = sheet.validate_plan_rows(raw, "plan.csv", labels)
    assert ok[["level", "target_value", "target_period", "direction"]].values.tolist() == [
        ["population_target", 30000.0, "2030-10-01", "higher"]]
    with pytest.raises(LoaderError):
        sheet.read_plan_sheet("plan.csv", sheet.to_csv(pd.DataFrame({"名称": ["x"]})))  # no 指標 column
    with pytest.raises(LoaderError) as exc:
        sheet.validate_plan_meta({**META, "plan_start": "FY2030", "plan_end": "FY2025"}, "form")
    assert "終了が開始より前" in exc.value.message("ja")
    assert sheet.validate_plan_meta({**META, "plan_start": "令和7年度"}, "form")["plan_start"] == "FY2025"


def test_queries_merge_user_plans_and_never_fall_back_to_another_city(bundled_db, monkeypatch, tmp_path):
    monkeypatch.setenv("POPDASH_DB", str(bundled_db))
    monkeypatch.setenv("POPDASH_USER_DB", str(tmp_path / "user.duckdb"))
    from queries import kpi as kq

    assert kq.default_plan("40212") is None  # was kama2 (the first plan) for any city without one
    assert kq.default_plan("40203") == "kurume3"
    pid = kq.save_plan(META, defs("A"), by="山田")
    assert kq.default_plan("40212") == pid and kq.is_user_plan(pid) and not kq.is_user_plan("kama2")
    p = kq.plans()
    assert p["plan_id"].tolist()[-1] == pid and p.set_index("plan_id").loc[pid, "origin"] == "user"
    d = kq.definitions(pid)
    assert list(d.columns) == list(kq.definitions("kama2").columns)
    g = kq.graded(pid, "trajectory", "FY2025")
    assert g["kpi_id"].tolist() == ["u40212_1_01"] and g["reason"].tolist() == ["no_actual"]
    with pytest.raises(ValueError):
        kq.save_plan({**META, "plan_id": "kama2"}, defs("A"))  # an official plan is never replaced
