"""The one export path (ui.download.present / xlsx_bytes / csv_bytes) and the column catalogue (queries.columns):
what an analyst's file holds, cell by cell, for real page tables of 久留米市 and a hand-made frame."""
from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pandas as pd
import pytest

from queries import columns as cat
from ui.download import citation, csv_bytes, period_span, present, xlsx_bytes

RATES = pd.DataFrame({"area_code": ["01209", "01209"], "period": ["FY2012", "CY2013"], "period_kind": ["FY", "CY"],
                      "nationality": ["total", "japanese"], "births": [52.0, 48.0], "birth_rate": [5.123456, 4.5],
                      "share": [0.16271276, 0.5], "age_group": ["5-9", "90+"], "order": [1, 2],
                      "ref_date": [date(2013, 3, 31), date(2014, 1, 1)], "source_id": ["juki_dynamics"] * 2})


def test_headers_in_the_ui_language_with_units_and_words_for_codes():
    shown, kinds = present(RATES, "ja", names={"01209": "夕張市"})
    assert list(shown.columns) == ["地域コード", "地域", "期間", "期間区分", "国籍", "出生数（人）", "出生率（人口千人あたり）",
                                   "割合（%）", "年齢", "基準日", "出典ID"]  # 'order' (a helper) left out
    row = shown.iloc[0].tolist()
    assert row[:5] == ["01209", "夕張市", "2012年度", "年度", "総数"]
    assert shown["出生率（人口千人あたり）"].tolist() == [5.12, 4.5]  # rounded as displayed (2 decimals)
    assert shown["割合（%）"].tolist() == [16.3, 50.0]  # a fraction written in %
    assert shown["出生数（人）"].dtype == "Int64"  # a count is a whole number, never '52.0'
    assert shown["年齢"].tolist() == ["5〜9歳", "90歳以上"]  # not '5-9', which Excel reads as 9 May
    assert kinds[:3] == ["code", "text", "period"] and kinds[6] == "d2"
    en, _ = present(RATES, "en", names={"01209": "Yubari"})
    assert list(en.columns[:7]) == ["Area code", "Area", "Period", "Period kind", "Nationality", "Births (persons)",
                                    "Birth rate (per 1,000)"]
    assert en["Age group"].tolist() == ["5–9", "90+"] and en.iloc[0]["Period kind"] == "Fiscal year"


def test_machine_headers_keep_codes_and_exact_values():
    shown, _ = present(RATES, "ja", names={"01209": "夕張市"}, machine=True)
    assert list(shown.columns[:3]) == ["area_code", "area_name", "period"]
    assert shown["birth_rate"].tolist() == [5.123456, 4.5] and shown["nationality"].tolist() == ["total", "japanese"]


def test_area_code_and_name_in_every_table():
    trend = pd.DataFrame({"ref_date": [date(2025, 1, 1)], "nationality": ["total"], "persons": [300199]})
    shown, _ = present(trend, "ja", area=("40203", "久留米市"))
    assert shown.iloc[0].tolist()[:2] == ["40203", "久留米市"]
    tfr = pd.DataFrame({"area_code": ["40203"], "name_ja": ["久留米市"], "name_en": ["Kurume-shi"], "tfr": [1.347]})
    assert present(tfr, "en")[0].iloc[0].tolist() == ["40203", "Kurume-shi", 1.35]


def test_xlsx_cells_are_typed_and_formatted():
    shown, kinds = present(RATES, "ja", names={"01209": "夕張市"})
    data = xlsx_bytes(shown, [("引用の仕方", "出典：…")], sheet="データ", meta_sheet="出典・条件", kinds=kinds)
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book["データ"]
    assert ws["A2"].value == "01209" and ws["A2"].data_type == "s" and ws["A2"].number_format == "@"
    assert (ws["F2"].value, ws["F2"].number_format) == (52, "#,##0")
    assert (ws["G2"].value, ws["G2"].number_format) == (5.12, "0.00")
    assert (ws["H2"].value, ws["H2"].number_format) == (16.3, "0.0")
    assert ws["J2"].is_date and ws["J2"].number_format == "yyyy-mm-dd"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:K3"
    assert ws.column_dimensions["G"].width >= 20  # sized to its (double-width) header
    assert book["出典・条件"]["A2"].value == "引用の仕方"


def test_csv_quotes_codes_and_keeps_numbers_bare():
    shown, _ = present(RATES, "ja", names={"01209": "夕張市"})
    lines = csv_bytes(shown).decode("utf-8-sig").split("\r\n")
    assert lines[1].startswith('"01209","夕張市","2012年度","年度","総数",52,5.12,16.3,')
    assert next(csv.reader([lines[0]]))[5] == "出生数（人）"


def test_citation_line_and_file_period():
    sources = pd.DataFrame({"publisher": ["総務省 自治行政局 住民制度課", "総務省 自治行政局 住民制度課"],
                            "title": ["住民基本台帳に基づく人口、人口動態及び世帯数"] * 2})
    assert citation(sources, "ja") == "出典：総務省「住民基本台帳に基づく人口、人口動態及び世帯数」を加工して作成"
    assert citation(None, "ja") == ""
    summed = pd.concat([sources, pd.DataFrame({"publisher": ["本アプリで集計（総務省 住民基本台帳の市区町村値の合計）",
                                                             "久留米市（出生数: 厚生労働省 人口動態統計）"],
                                               "title": ["住民基本台帳に基づく人口（合計）", "久留米市人口ビジョン"]})])
    assert citation(summed, "ja") == ("出典：総務省「住民基本台帳に基づく人口、人口動態及び世帯数」、久留米市「久留米市人口ビジョン」"
                                      "を加工して作成")
    assert period_span(RATES, "ja") == "2012年度〜2013年"
    assert period_span(pd.DataFrame({"ref_date": [date(2013, 3, 31), date(2025, 1, 1)]}), "ja") == "2013-03-31〜2025-01-01"
    assert period_span(pd.DataFrame({"x": [1]}), "ja") == ""


@pytest.mark.parametrize("name", sorted(cat.COLUMNS))
def test_every_catalogue_entry_is_well_formed(name):
    col = cat.column(name)
    assert col.ja and col.en and (col.kind in ("code", "text", "age", "period", "date", "int", "year", "d1", "d2",
                                                "share", "pct1", "pct2", "drop") or col.enum in cat.ENUMS)


def test_every_column_of_the_kurume_page_tables_is_in_the_catalogue(bundled_db, monkeypatch):
    """The tables the overview and 自然動態 pages offer for 久留米市: no column falls back to its database name."""
    monkeypatch.setenv("POPDASH_DB", str(bundled_db))
    import queries
    from queries import dynamics as dyn

    frames = [queries.population_trend("40203"), queries.age3_trend("40203"), queries.projections_total("40203"),
              queries.published_vs_official("40203"), queries.vital_series("40203"), dyn.rates(("40203",)),
              dyn.tfr("40203")]
    missing = {c for f in frames for c in f.columns if c not in cat.COLUMNS}
    assert missing == set()
    age, _ = present(queries.age3_trend("40203"), "ja", area=("40203", "久留米市"))
    share = age["割合（%）"]
    assert 10 < share.iloc[0] < 20 and (share.round(1) == share).all()  # 0–14 share in %, as the chart shows it
