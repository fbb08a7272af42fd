"""Downloads as an analyst gets them (one server over the national database, headless Chromium): every format
from 概要, 自然動態, 社会動態, 外国人住民, 将来推計, the explorer and the SQL console, opened with csv, openpyxl and
pyarrow — Japanese headers with units, 夕張市's code 01209 kept as text, number formats, frozen header and
autofilter, the Japanese 出典・条件 sheet with its citation line, and row counts equal to the screen. Then
Streamlit's own texts in Japanese (ui/chrome_ja.py) and the metadata page a chart caption links to."""
from __future__ import annotations

import csv
import io
import re

import openpyxl
import pyarrow.parquet as pq

from tests.e2e.conftest import wait_ready

YUBARI = "01209"
CITE = "出典：総務省「住民基本台帳に基づく人口、人口動態及び世帯数」を加工して作成"


def fetch(page, key: str) -> tuple[str, bytes]:
    """Click the download button keyed `key`; (suggested file name, bytes)."""
    button = page.locator(f".st-key-{key} button:visible").first
    button.wait_for()
    with page.expect_download(timeout=60_000) as info:
        button.click()
    return info.value.suggested_filename, open(info.value.path(), "rb").read()


def read_csv(data: bytes) -> tuple[list[str], list[list[str]], str]:
    assert data.startswith(b"\xef\xbb\xbf"), "CSV without BOM"
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], rows[1:], text


def read_xlsx(data: bytes):
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["データ", "出典・条件"]
    ws = book["データ"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
    header = [c.value for c in ws[1]]
    meta = {r[0]: r[1] for r in book["出典・条件"].iter_rows(values_only=True) if r and r[0]}
    return ws, header, meta


def column(ws, header: list[str], name: str) -> list:
    j = header.index(name) + 1
    return [ws.cell(i, j) for i in range(2, ws.max_row + 1)]


def check_area_code(ws, header: list[str], csv_text: str) -> None:
    """The area code is the first column, a text cell '01209' in xlsx and a quoted "01209" in the CSV."""
    assert header[:2] == ["地域コード", "地域"]
    cells = column(ws, header, "地域コード")
    assert {c.value for c in cells} == {YUBARI} and all(c.data_type == "s" for c in cells)
    assert f'"{YUBARI}","夕張市"' in csv_text


def page_downloads(page, base: str, path: str, key: str, ready: str = "[data-testid=stVegaLiteChart]"):
    page.goto(f"{base}{path}{'&' if '?' in path else '?'}area={YUBARI}")
    wait_ready(page, ready)
    name_csv, data_csv = fetch(page, f"{key}_csv")
    name_xlsx, data_xlsx = fetch(page, f"{key}_xlsx")
    header, rows, text = read_csv(data_csv)
    ws, xheader, meta = read_xlsx(data_xlsx)
    assert header == xheader and len(rows) == ws.max_row - 1 > 0, "CSV and xlsx differ"
    assert name_csv.startswith("夕張市_") and name_xlsx.endswith(".xlsx") and name_csv[:-4] == name_xlsx[:-5]
    check_area_code(ws, xheader, text)
    assert meta["引用の仕方"].startswith("出典：") and "データベース作成日時" in meta and meta["行数"] == str(len(rows))
    return header, rows, ws, xheader, meta, name_csv


def test_page_downloads_are_excel_ready(page, national_server):
    # 概要: population by nationality — words for codes, counts as #,##0, the 総務省 citation line
    header, rows, ws, xh, meta, name = page_downloads(page, national_server, "/", "dl_pop")
    assert header[:6] == ["地域コード", "地域", "基準日", "国籍", "人口（人）", "出典ID"]  # then the lineage columns
    assert {r[3] for r in rows} <= {"総数", "日本人", "外国人"} and "日本人" in {r[3] for r in rows}
    assert {c.number_format for c in column(ws, xh, "人口（人）")} == {"#,##0"}
    assert meta["引用の仕方"] == CITE and re.search(r"夕張市_人口の推移.*_\d{4}-\d\d-\d\d〜\d{4}-\d\d-\d\d\.csv", name)

    # 自然動態: rates per 1,000 rounded as displayed (0.00), FY/CY as 年度/暦年
    header, rows, ws, xh, meta, _ = page_downloads(page, national_server, "/natural_change", "dl_rates")
    rates = column(ws, xh, "出生率（人口千人あたり）")
    assert {c.number_format for c in rates} == {"0.00"}
    assert all(round(c.value, 2) == c.value for c in rates if c.value is not None)
    assert {r[header.index("期間区分")] for r in rows} <= {"年度", "暦年"} and any(r[2].endswith("年度") for r in rows)

    # 社会動態: in/out with units
    header, rows, *_ = page_downloads(page, national_server, "/social_change", "dl_mig")
    assert {"転入者数（人）", "転出者数（人）", "転入超過数（人）"} <= set(header)

    # 外国人住民: the foreign share in % with one decimal
    header, rows, ws, xh, *_ = page_downloads(page, national_server, "/foreign_residents", "dl_fr_pop")
    share = column(ws, xh, "外国人の割合（%）")
    assert {c.number_format for c in share} == {"0.0"} and all(0 < c.value < 20 for c in share if c.value is not None)

    # 将来推計: shares in % (not fractions), the scenario's assumptions as labelled columns
    header, rows, ws, xh, *_ = page_downloads(page, national_server, "/projection", "dl_projection",
                                              "input[type=range]")
    aged = [c.value for c in column(ws, xh, "65歳以上の割合（%）")]
    assert all(30 < v < 80 for v in aged), aged  # 夕張市: about half the population is 65+
    assert "前提・目標の合計特殊出生率" in header


def test_explorer_downloads_every_format(page, national_server):
    # every current municipality of 北海道 in one click, calendar years 2013–2021, totals only
    page.goto(f"{national_server}/data_explorer?area={YUBARI}&tbl=vital_events&xs=pref&xp=01&f_nationality=total"
              "&p0=CY2013&p1=CY2021")
    wait_ready(page, "[data-testid=stMain] [data-testid=stDataFrame]")
    n = int(page.locator("[data-testid=stMetricValue]").first.inner_text().replace(",", ""))
    assert 179 * 9 - 20 <= n <= 179 * 9  # 179 municipalities × 9 years (a few merged or missing)
    name, data = fetch(page, "dl_x_csv")
    header, rows, text = read_csv(data)
    assert len(rows) == n and header[:2] == ["地域コード", "地域"] and "出生数（人）" in header
    assert f'"{YUBARI}","夕張市","2013年","暦年"' in text and name.startswith("01100_札幌市_ほか")
    _, data = fetch(page, "dl_x_xlsx")
    ws, xh, meta = read_xlsx(data)
    assert ws.max_row - 1 == n and meta["地域の選び方"] == "都道府県の全市区町村" and meta["都道府県"] == "北海道"
    codes = column(ws, xh, "地域コード")
    assert YUBARI in {c.value for c in codes} and all(c.data_type == "s" for c in codes)
    assert {c.number_format for c in column(ws, xh, "出生数（人）")} == {"#,##0"}
    _, data = fetch(page, "dl_x_parquet")
    table = pq.read_table(io.BytesIO(data))
    assert table.num_rows == n and str(table.schema.field("地域コード").type) in ("string", "large_string")
    assert YUBARI in table.column("地域コード").to_pylist()
    assert b"popdash.sources" in table.schema.metadata


def test_sql_console_downloads(page, national_server):
    page.goto(f"{national_server}/sql_console")
    wait_ready(page, "textarea")
    page.locator("textarea").fill(f"SELECT area_code, period, births FROM vital_events WHERE area_code = '{YUBARI}' "
                                  "AND nationality = 'total' ORDER BY period")
    page.get_by_role("button", name="実行").click()
    wait_ready(page, "text=/\\d+ 行（/")
    n = int(re.search(r"(\d+) 行（", page.locator("text=/\\d+ 行（/").first.inner_text())[1])
    _, data = fetch(page, "dl_sql_csv")
    header, rows, text = read_csv(data)
    assert header == ["地域コード", "地域", "期間", "出生数（人）"] and len(rows) == n > 0
    _, data = fetch(page, "dl_sql_xlsx")
    ws, xh, meta = read_xlsx(data)
    assert ws.max_row - 1 == n and "SELECT" in meta["SQL"] and "データベース作成日時" in meta
    check_area_code(ws, xh, text)
    _, data = fetch(page, "dl_sql_parquet")
    assert pq.read_table(io.BytesIO(data)).num_rows == n


def after(page, selector: str, pseudo: str = "::after") -> str:
    return page.evaluate("([s, p]) => getComputedStyle(document.querySelector(s), p).content", [selector, pseudo])


def test_streamlit_chrome_in_japanese_and_metadata_linked(page, national_server):
    page.goto(f"{national_server}/import_data?area={YUBARI}")
    wait_ready(page, "[data-testid=stFileUploaderDropzone]")
    # the stylesheet (ui.chrome_ja) is an element of the same run; wait until the browser has applied it
    page.wait_for_function("""() => { const p = document.querySelector('[data-testid=stFileUploaderDropzone] button p');
        return p && getComputedStyle(p, '::after').content !== 'none'; }""", timeout=15_000)
    assert after(page, "[data-testid=stFileUploaderDropzone] button p") == '"ファイルを選ぶ"'
    assert page.evaluate("getComputedStyle(document.querySelector('[data-testid=stFileUploaderDropzone] button p')).fontSize") == "0px"
    assert after(page, "[data-testid=stFileUploaderDropzoneInstructions] span", "::before") == '"1ファイルあたりの上限 "'
    page.goto(f"{national_server}/?area={YUBARI}")
    wait_ready(page, "[data-testid=stVegaLiteChart]")
    link = page.locator("[data-testid=stCaptionContainer] a[href*='metadata?src=']").first
    href = link.get_attribute("href")
    assert "juki" in href
    page.goto(f"{national_server}/{href.lstrip('/')}")
    wait_ready(page, "h1")
    assert page.locator("h1").first.inner_text() == "データの定義・出典・引用"
    page.wait_for_selector(f"text={CITE}")
    page.goto(f"{national_server}/metadata?table=vital_events")
    wait_ready(page, "[data-testid=stDataFrame]")
    page.wait_for_selector("text=出生・死亡（vital_events）")
    page.goto(f"{national_server}/import_data?area={YUBARI}&lang=en")  # English: Streamlit's own texts untouched
    wait_ready(page, "[data-testid=stFileUploaderDropzone]")
    assert after(page, "[data-testid=stFileUploaderDropzone] button p") in ("none", "normal")
