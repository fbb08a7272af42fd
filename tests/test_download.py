"""Downloads cannot carry formulas: one rule (cells.is_formula_like) for every text cell, header cell and
index name of every CSV and xlsx (explorer, SQL console, KPI sheet); numbers stay numbers; the KPI sheet still
round-trips the neutralised text."""
from __future__ import annotations

import io
from datetime import datetime, timezone
from decimal import Decimal

import openpyxl
import pandas as pd
import pytest

from queries import sandbox
from tests.test_kpi_sheet import csv_of, exported_csv, kama3, read_and_validate  # noqa: F401 - kama3 is a fixture
from cells import csv_bytes, is_formula_like, neutralise, restore
from ui.download import parquet_bytes, xlsx_bytes

# (id, cell text) that a spreadsheet could evaluate
FORMULAS = [
    ("equals", "=SUM(A1:A9)"), ("plus", "+81 3"), ("minus", "-2+3"), ("at", "@SUM(A1)"),
    ("fullwidth_equals", "＝HYPERLINK(\"http://x\")"), ("fullwidth_plus", "＋1"), ("fullwidth_minus", "－1+1"),
    ("fullwidth_at", "＠x"), ("small_equals", "﹦1"), ("space", " =1+1"), ("spaces", "   +1"),
    ("ideographic_space", "\u3000=1"), ("nbsp", "\u00a0=1"), ("bom", "\ufeff=1"), ("zero_width", "\u200b=1"),
    ("mixed_lead", " \u3000\ufeff ＝1"), ("tab", "\t=1"), ("tab_text", "\tx"), ("cr", "\r=1"), ("lf", "\n=1"),
    ("negative_text", "-5"),
]
PLAIN = ["久留米市", "a=b", "1+1", "x@y.jp", "'quoted", "", "40203", "＃1", "△5"]


@pytest.mark.parametrize("text", [f[1] for f in FORMULAS], ids=[f[0] for f in FORMULAS])
def test_formula_like_text_is_neutralised_in_csv_and_xlsx(text):
    assert is_formula_like(text)
    frame = pd.DataFrame({"name": [text, "ok"], "n": [-1825, 2]})
    body = csv_bytes(frame).decode("utf-8-sig")
    back = pd.read_csv(io.StringIO(body), dtype=str, keep_default_na=False)
    assert back["name"].tolist() == ["'" + text.replace("\r\n", "\n"), "ok"]
    assert back["n"].tolist() == ["-1825", "2"]  # the negative number is written as a number
    ws = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame)))["data"]
    # openpyxl shows a stored CR as Excel's escape _x000D_ (Excel itself shows the CR)
    assert ws["A2"].value == text.replace("\r", "_x000D_") and ws["A2"].data_type == "s" and ws["A2"].quotePrefix
    assert ws["B2"].value == -1825 and ws["B2"].data_type == "n"
    assert restore("'" + text) == text


@pytest.mark.parametrize("text", PLAIN)
def test_plain_text_is_left_alone(text):
    assert not is_formula_like(text)
    assert neutralise(pd.DataFrame({"a": [text]}))["a"].iat[0] == text


def test_header_cells_and_index_names_are_neutralised():
    frame = pd.DataFrame({"=HYPERLINK(\"http://x\",\"y\")": ["a"], "＋1": ["b"], "name": ["＠c"]},
                         index=pd.Index(["=row"], name="@idx"))
    out = neutralise(frame)
    assert list(out.columns) == ["'=HYPERLINK(\"http://x\",\"y\")", "'＋1", "name"]
    assert out.index.name == "'@idx" and out.index.tolist() == ["'=row"]
    assert out["name"].tolist() == ["'＠c"]
    header = csv_bytes(frame).decode("utf-8-sig").split("\r\n")[0]
    assert header == '"\'=HYPERLINK(""http://x"",""y"")","\'＋1","name"'  # text quoted (codes keep their zeros)
    ws = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame)))["data"]
    assert ws["A1"].value == "=HYPERLINK(\"http://x\",\"y\")" and ws["A1"].quotePrefix and ws["A1"].data_type == "s"
    assert ws["B1"].quotePrefix and not ws["C1"].quotePrefix
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)


def test_meta_and_sources_cells_are_neutralised_too():
    sources = pd.DataFrame([{"source_id": "s", "title": "＝cmd", "url": "https://x"}])
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(pd.DataFrame({"a": [1]}), [("SQL", " =1")], sources)))
    cells = {c.value: c for row in wb["conditions"].iter_rows() for c in row if c.value is not None}
    assert cells[" =1"].quotePrefix and cells["＝cmd"].quotePrefix and not cells["https://x"].quotePrefix


def test_numbers_stay_numbers():
    frame = pd.DataFrame({"count": pd.array([-5, None, 3], dtype="Int64"), "rate": [-0.5, 1.25, None],
                          "dec": [Decimal("-1.5"), Decimal("2"), None], "text": ["-5", "=1", None]})
    out = neutralise(frame)
    assert out["count"].dtype == "Int64" and out["count"].tolist()[::2] == [-5, 3]
    assert out["rate"].tolist()[:2] == [-0.5, 1.25] and out["text"].tolist()[:2] == ["'-5", "'=1"]
    body = csv_bytes(frame).decode("utf-8-sig").split("\r\n")
    assert body[1] == "-5,-0.5,-1.5,\"'-5\""  # text quoted, numbers (Decimal too) bare
    ws = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame)))["data"]
    assert [ws.cell(2, j).value for j in range(1, 4)] == [-5, -0.5, -1.5]


def test_sql_console_result_downloads(bundled_db):
    """A column alias is a header cell: `AS "=HYPERLINK(…)"` reached the CSV header unneutralised."""
    r = sandbox.run("SELECT 1 AS \"=HYPERLINK(\"\"http://x\"\")\", '＝1+1' AS a, -5 AS n, "
                    "TIMESTAMPTZ '2024-01-01 09:00:00+09' AS ts", bundled_db)
    header, row = csv_bytes(r.frame).decode("utf-8-sig").split("\r\n")[:2]
    assert header == '"\'=HYPERLINK(""http://x"")","a","n","ts"'
    assert row.startswith("1,\"'＝1+1\",-5,")
    ws = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(r.frame)))["data"]
    assert ws["A1"].quotePrefix and ws["B2"].quotePrefix and ws["C2"].value == -5
    assert ws["D2"].value == datetime(2024, 1, 1, 0, 0)  # time zone dropped for Excel (UTC wall clock)


def test_every_duckdb_type_downloads(bundled_db):
    frame = sandbox.run("SELECT * FROM test_all_types()", bundled_db).frame
    assert csv_bytes(frame).startswith(b"\xef\xbb\xbf")
    ws = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame)))["data"]
    j = list(frame.columns).index("int") + 1
    assert ws.max_column == frame.shape[1] and [ws.cell(i, j).value for i in (2, 3)] == [-2147483648, 2147483647]
    assert parquet_bytes(frame)[:4] == b"PAR1"


def test_tz_aware_timestamps_to_xlsx():
    frame = pd.DataFrame({"t": [datetime(2024, 1, 1, 3, tzinfo=timezone.utc)]})
    assert openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame)))["data"]["A2"].value == datetime(2024, 1, 1, 3)


NOTES = ["=x", "-5", "＝x", " =x", "\u3000＋1", "@a", "'plain", "久留米"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_kpi_sheet_round_trips_neutralised_text(kama3, fmt):  # noqa: F811 - the fixture
    """The KPI sheet's importer undoes the apostrophe that neutralise adds, for every form it adds it to."""
    from loaders import kpi as sheet

    frame = exported_csv(kama3)
    fill = frame.index[frame["期間"] == "FY2026"][:len(NOTES)]
    frame.loc[fill, "実績値"] = "1"
    frame.loc[fill, "備考"] = NOTES
    data = csv_of(frame) if fmt == "csv" else sheet.to_xlsx({sheet.SHEET_NAME["ja"]: frame})
    rows = read_and_validate(kama3, f"kpi.{fmt}", data)
    notes = dict(zip(rows["kpi_id"], rows["note"]))
    want = {k: n.strip() for k, n in zip(frame.loc[fill, "KPI ID"], NOTES)}
    assert notes == want
