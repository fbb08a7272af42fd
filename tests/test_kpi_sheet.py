"""The KPI sheet (xlsx / CSV) and the user database: validation names row and column, saves are atomic."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kpi import tracker
from loaders import kpi as sheet
from loaders.errors import LoaderError
from store import user as user_store
from store.user import UserStore

SEED = Path(__file__).parents[1] / "data" / "bundled" / "seed"


@pytest.fixture()
def kama3():
    defs = pd.read_csv(SEED / "kpi_defs.csv")
    values = pd.read_csv(SEED / "kpi_values.csv")
    defs = defs[defs["plan_id"] == "kama3"]
    values = values[values["kpi_id"].isin(defs["kpi_id"])]
    return defs, values, tracker.merge_values(values, pd.DataFrame(), pd.DataFrame())


@pytest.fixture()
def store(tmp_path, monkeypatch):
    path = tmp_path / "user" / "user.duckdb"
    monkeypatch.setenv("POPDASH_USER_DB", str(path))
    return UserStore()


def exported_csv(kama3, lang="ja") -> pd.DataFrame:
    defs, _, merged = kama3
    return sheet.sheet_frame(defs, merged, "嘉麻市人口ビジョン・デジタル田園都市構想総合戦略", lang, fill="FY2026")


def csv_of(frame: pd.DataFrame) -> bytes:
    return sheet.to_csv(frame)


def read_and_validate(kama3, name: str, data: bytes) -> pd.DataFrame:
    defs, _, merged = kama3
    rows, labels, sheet_name = sheet.read_sheet(name, data)
    return sheet.validate_rows(rows, defs, name, labels, sheet_name, current=merged)


def test_user_db_path_from_environment(store, tmp_path):
    assert store.path == tmp_path / "user" / "user.duckdb" == user_store.default().path
    assert store.kpi_values().empty and not store.path.exists()


def test_export_is_excel_safe_and_round_trips(kama3):
    frame = exported_csv(kama3)
    data = csv_of(frame)
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    assert list(frame.columns[:3]) == ["KPI ID", "計画", "基本目標"]
    # every published actual is exported, plus one empty FY2026 row per KPI to fill in
    assert (frame["期間"] == "FY2025").sum() == 15 and (frame["期間"] == "FY2026").sum() >= 12
    # importing the file unchanged saves nothing
    assert read_and_validate(kama3, "kpi.csv", data).empty


def test_import_csv_values_as_typed(kama3):
    frame = exported_csv(kama3)
    fill = frame["期間"] == "FY2026"
    frame.loc[fill & (frame["KPI ID"] == "kama3_k01"), "実績値"] = "9件"
    frame.loc[fill & (frame["KPI ID"] == "kama3_k13"), "実績値"] = "101,500"
    frame.loc[fill & (frame["KPI ID"] == "kama3_k09"), ["実績値", "備考"]] = ["実施", "=HYPERLINK(\"x\")"]
    rows = read_and_validate(kama3, "kpi.csv", csv_of(frame)).set_index("kpi_id")
    assert rows.loc["kama3_k01", ["period", "value", "value_text"]].tolist() == ["FY2026", 9.0, "9件"]
    assert rows.loc["kama3_k13", "value"] == 101500
    assert rows.loc["kama3_k09", "value"] == 1.0
    # the note was neutralised on the way out ('=…' -> "'=…") and restored on the way in
    assert b"'=HYPERLINK" in csv_of(frame)
    assert rows.loc["kama3_k09", "note"] == '=HYPERLINK("x")'


def test_import_xlsx_with_english_headers(kama3):
    frame = exported_csv(kama3, "en")
    frame.loc[(frame["period"] == "FY2026") & (frame["KPI ID"] == "kama3_k15"), "value"] = 41.2
    data = sheet.to_xlsx({sheet.SHEET_NAME["en"]: frame, "KPIs": kama3[0]})
    rows = read_and_validate(kama3, "kpi.xlsx", data)
    assert rows[["kpi_id", "period", "value"]].values.tolist() == [["kama3_k15", "FY2026", 41.2]]


BAD_CELLS = [
    # (KPI ID, column, cell, file row is that KPI's FY2026 row, expected words ja / en)
    ("kama3_k13", "実績値", "たくさん", ("実績値「たくさん」が数値ではありません", "列「I: 実績値」"),
     ("value 'たくさん' is not a number", "column 'I: 実績値'")),
    ("kama3_k13", "期間", "2026年13月", ("期間「2026年13月」を読めません", "列「H: 期間」"), ("cannot read the period", "column 'H: 期間'")),
    ("kama3_k13", "期間", "FY2031", ("基準値と目標の期間（FY2023〜FY2029）の外", "列「H: 期間」"), ("outside", "column 'H: 期間'")),
    ("kama3_k01", "期間", "FY2030", ("FY2025-FY2029 の各年度で入力", "列「H: 期間」"), ("single years of FY2025-FY2029",)),
    ("kama3_k09", "実績値", "たぶん", ("実施 か 未実施", "列「I: 実績値」"), ("enter 実施",)),
    ("kama3_k13", "評価（○△×）", "◎", ("評価「◎」は ○・△・× のいずれか", "列「K: 評価（○△×）」"), ("must be ○, △ or ×",)),
    ("kama3_k13", "KPI ID", "kama3_k99", ("KPI ID「kama3_k99」はこの計画にありません", "列「A: KPI ID」"), ("not in this plan",)),
    # issue 15: 400 digits were read as inf; 平成38年度 silently as FY2026
    ("kama3_k13", "実績値", "9" * 400, ("実績値「999999999999999999…」", "大きすぎます", "10^15", "列「I: 実績値」"),
     ("too large", "10^15", "column 'I: 実績値'")),
    ("kama3_k13", "期間", "平成38年度", ("期間「平成38年度」", "平成は31年", "令和8年度", "2026年度", "列「H: 期間」"),
     ("令和8年度", "FY2026", "column 'H: 期間'")),
    ("kama3_k13", "期間", "平成31年5月1日", ("平成は2019年4月30日まで", "令和元年5月1日"), ("令和元年5月1日",)),
]


@pytest.mark.parametrize("kid, column, cell, ja, en", BAD_CELLS)
def test_malformed_sheet_rejected_with_row_and_column(kama3, store, kid, column, cell, ja, en):
    # something is already saved; a rejected import must leave the file byte for byte as it was
    store.save_kpi(pd.DataFrame([{"kpi_id": "kama3_k02", "period": "FY2025", "value": 12.0, "value_text": None,
                              "note": "再集計", "judgement": None}]))
    before = store.path.read_bytes()
    frame = exported_csv(kama3)
    row_index = frame.index[(frame["KPI ID"] == kid) & (frame["期間"] == "FY2026")][0]
    if column != "実績値":
        frame.loc[row_index, "実績値"] = "1"
    frame.loc[row_index, column] = cell
    excel_row = int(frame.index.get_loc(row_index)) + 2  # header is row 1
    with pytest.raises(LoaderError) as exc:
        read_and_validate(kama3, "kpi.csv", csv_of(frame))
    err = exc.value
    assert err.row == excel_row
    assert f"{excel_row}行目" in err.message("ja") and all(w in err.message("ja") for w in ja), err.message("ja")
    assert f"row {excel_row}" in err.message("en") and all(w in err.message("en") for w in en), err.message("en")
    assert store.path.read_bytes() == before
    assert store.kpi_values()["value"].tolist() == [12.0]


def test_duplicate_rows_and_missing_columns(kama3):
    frame = exported_csv(kama3)
    fill = frame.index[(frame["KPI ID"] == "kama3_k13") & (frame["期間"] == "FY2026")][0]
    frame.loc[fill, "実績値"] = "101,000"
    dup = pd.concat([frame, frame.loc[[fill]]], ignore_index=True)
    with pytest.raises(LoaderError) as exc:
        read_and_validate(kama3, "kpi.csv", csv_of(dup))
    assert exc.value.row == len(dup) + 1 and f"{frame.index.get_loc(fill) + 2} 行目にもあります" in exc.value.message("ja")
    with pytest.raises(LoaderError) as exc:
        read_and_validate(kama3, "kpi.csv", csv_of(frame.drop(columns=["実績値"])))
    assert exc.value.row == 1 and "「実績値」" in exc.value.message("ja") and "'value'" in exc.value.message("en")


def test_unreadable_files(kama3):
    with pytest.raises(LoaderError, match="xlsx"):
        read_and_validate(kama3, "kpi.xlsx", b"PK\x03\x04 not really a workbook")
    with pytest.raises(LoaderError, match="empty"):
        read_and_validate(kama3, "kpi.csv", b"  ")
    with pytest.raises(LoaderError, match="csv"):
        read_and_validate(kama3, "kpi.txt", b"a,b")


def test_xlsx_error_names_the_sheet(kama3):
    frame = exported_csv(kama3)
    frame.loc[frame.index[(frame["KPI ID"] == "kama3_k13") & (frame["期間"] == "FY2026")][0], "実績値"] = "x1"
    with pytest.raises(LoaderError) as exc:
        read_and_validate(kama3, "kpi.xlsx", sheet.to_xlsx({"実績": frame}))
    assert "シート 実績" in exc.value.message("ja") and "sheet 実績" in exc.value.message("en")


def test_save_is_an_upsert_with_history(store):
    one = pd.DataFrame([{"kpi_id": "kama3_k02", "period": "FY2025", "value": 12.0, "value_text": None, "note": None,
                         "judgement": None}])
    assert store.save_kpi(one) == 1
    assert store.save_kpi(one.assign(value=13.0)) == 1
    assert store.kpi_values()[["kpi_id", "value"]].values.tolist() == [["kama3_k02", 13.0]]
    assert store.save_kpi(pd.DataFrame(columns=sheet.VALUE_FIELDS), clear=[("kama3_k02", "FY2025")]) == 1
    assert store.kpi_values().empty
    h = store.kpi_history()
    assert h["action"].tolist() == ["set", "set", "clear"] and h["batch"].tolist() == [1, 2, 3]
    assert h["value"].tolist()[:2] == [12.0, 13.0] and pd.isna(h["value"].iloc[2])
    # each change keeps what it replaced: nothing -> 12 -> 13 -> cleared
    assert pd.isna(h["old_value"].iloc[0]) and h["old_value"].tolist()[1:] == [12.0, 13.0]
    assert h["saved_by"].notna().all() and h["saved_at"].is_monotonic_increasing


def test_a_failed_write_keeps_what_was_saved(store):
    one = pd.DataFrame([{"kpi_id": "kama3_k02", "period": "FY2025", "value": 12.0, "value_text": None, "note": None,
                         "judgement": None}])
    store.save_kpi(one)
    history = store.kpi_history()
    # the second row breaks a constraint half-way through the batch: nothing of the batch is kept
    bad = pd.concat([one.assign(value=99.0), one.assign(kpi_id=None)], ignore_index=True)
    with pytest.raises(Exception):
        store.save_kpi(bad)
    assert store.kpi_values()["value"].tolist() == [12.0]
    pd.testing.assert_frame_equal(store.kpi_history(), history)
    assert sorted(p.name for p in store.path.parent.iterdir()) == ["user.duckdb"]  # no temporary file left behind


def test_user_values_override_published_and_regrade(kama3, store):
    defs, values, _ = kama3
    store.save_kpi(pd.DataFrame([{"kpi_id": "kama3_k02", "period": "FY2025", "value": 12.0, "value_text": "12件",
                              "note": "再集計", "judgement": None}]))
    merged = tracker.merge_values(values, store.kpi_values(), pd.DataFrame())
    row = merged[(merged["kpi_id"] == "kama3_k02") & (merged["period"] == "FY2025")].iloc[0]
    assert (row["value"], row["origin"], row["note"]) == (12.0, "user", "再集計")
    g = tracker.table(defs, merged, "trajectory", "FY2025").set_index("kpi_id")
    assert (g.loc["kama3_k02", "grade"], g.loc["kama3_k02", "origin"]) == ("○", "user")  # 12 of 10 due: on track
    published_only = tracker.table(defs, tracker.merge_values(values, pd.DataFrame(), pd.DataFrame()),
                                   "trajectory", "FY2025").set_index("kpi_id")
    assert published_only.loc["kama3_k02", "grade"] == "△"  # 7 of 10 due


def test_editor_changes_validate_and_clear(kama3):
    defs, values, merged = kama3
    labels = {"period": "期間", "value": "実績値（入力）", "note": "備考", "judgement": "評価"}
    origins = {"published": "公表値", "user": "利用者入力", "linked": "自動"}
    base = sheet.editor_frame(defs, merged, values, "FY2025", {}, origins)
    assert base.loc[base["kpi_id"] == "kama3_net_migration", "period"].item() == "FY2026-FY2030"
    edited = base.copy()
    edited.loc[1, "value"] = "12"
    rows, clear = sheet.editor_changes(base, edited, defs, "入力表", labels, merged, "利用者入力")
    assert rows[["kpi_id", "period", "value"]].values.tolist() == [["kama3_k02", "FY2025", 12.0]] and clear == []
    edited.loc[3, "value"] = "four"
    with pytest.raises(LoaderError) as exc:
        sheet.editor_changes(base, edited, defs, "入力表", labels, merged, "利用者入力")
    assert exc.value.message("ja").startswith("入力表、4行目、列「実績値（入力）」")
    user = base.copy()
    user.loc[1, ["value", "origin"]] = ["12", "利用者入力"]
    cleared = user.copy()
    cleared.loc[1, "value"] = None
    rows, clear = sheet.editor_changes(user, cleared, defs, "入力表", labels, merged, "利用者入力")
    assert rows.empty and clear == [("kama3_k02", "FY2025")]


@pytest.mark.parametrize("typed, period", [
    ("令和7年10月1日", "2025-10-01"),   # a reference date as the city's tables print it
    ("令和元年5月1日", "2019-05-01"),
    ("R7.10.1", "2025-10-01"),
    ("令和元年度", "FY2019"),
    ("令和7年度", "FY2025"),
    ("平成31年度", "FY2019"),
    ("H30", "FY2018"),
    ("2025/10/1", "2025-10-01"),
])
def test_normalise_period_reads_wareki(typed, period):
    assert sheet.normalise_period(typed) == period


def test_wareki_date_typed_in_the_sheet_is_saved_as_a_date(kama3):
    frame = exported_csv(kama3)
    row = frame.index[(frame["KPI ID"] == "kama3_k13") & (frame["期間"] == "FY2026")][0]
    frame.loc[row, ["期間", "実績値"]] = ["令和7年10月1日", "101,000"]
    rows = read_and_validate(kama3, "kpi.csv", csv_of(frame))
    assert rows[["kpi_id", "period", "value"]].values.tolist() == [["kama3_k13", "2025-10-01", 101000.0]]


@pytest.mark.parametrize("typed", ["9" * 400, "1e300", "1,000,000,000,000,000"])
def test_parse_value_refuses_absurd_numbers(typed):
    with pytest.raises(ValueError, match="large"):
        sheet.parse_value({"value_kind": "number", "unit": "人"}, typed)
    assert sheet.parse_value({"value_kind": "number", "unit": "人"}, "999,999,999,999,999人")[0] == 999_999_999_999_999
