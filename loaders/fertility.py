"""合計特殊出生率 (total fertility rate) from 厚生労働省 人口動態統計.

Two published layouts are read:
- the national series 1947–2021 as printed in the 人口動態統計 report table (8 header lines, a 西暦 column
  that abbreviates years to two digits after the first of each block, a 和暦 column, blank separator rows);
- the prefecture table (row 0 = All Japan, rows 1–47 = prefectures in JIS order, one column per year).
Output rows: area_code, year, tfr, source_id.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd

from loaders.errors import LoaderError
from loaders.files import check_csv_text, read_text
from loaders.parse import parse_number

NATIONAL_FILE = "ayakow1_fertility_rate_all.csv"
PREFECTURE_FILE = "ayakow1_fertility_rate.csv"

SOURCES = [
    dict(source_id="mhlw_tfr_national", publisher="厚生労働省", title="人口動態統計（確定数）",
         table_id="合計特殊出生率の年次推移（全国）1947–2021", url="https://www.mhlw.go.jp/toukei/list/81-1a.html",
         retrieved="2022", licence="政府標準利用規約（第2.0版）", note="暦年"),
    dict(source_id="mhlw_tfr_prefecture", publisher="厚生労働省", title="人口動態統計（確定数）",
         table_id="都道府県別 合計特殊出生率 1960–2021", url="https://www.mhlw.go.jp/toukei/list/81-1a.html",
         retrieved="2022", licence="政府標準利用規約（第2.0版）", note="暦年"),
]


def read_national(path: Path) -> pd.DataFrame:
    """National TFR by calendar year from the report-table CSV. Two-digit years continue the last full year."""
    text = read_text(path)
    check_csv_text(str(path), text)
    rows, last = [], None
    for line_no, line in enumerate(text.splitlines(), start=1):
        cells = [c.strip() for c in line.split(",")]
        if len(cells) < 3 or not re.fullmatch(r"\d{2}|\d{4}", cells[0]):
            continue  # headers, footnotes and blank separator rows
        yy = int(cells[0])
        if yy >= 1000:
            year = yy
        elif last is None:
            raise LoaderError(str(path), "年が2桁で始まっています（西暦4桁の年が先に必要です）。",
                              "a two-digit year comes before any four-digit year.", row=line_no, column="年次")
        else:
            year = last - last % 100 + yy
            year += 100 if year <= last else 0
        try:
            tfr = parse_number(cells[2])
        except ValueError:
            raise LoaderError(str(path), f"合計特殊出生率が数値ではありません（{cells[2]}）。",
                              f"TFR is not a number ({cells[2]!r}).", row=line_no, column="合計特殊出生率") from None
        if tfr is not None and not 0 < tfr < 10:
            raise LoaderError(str(path), f"合計特殊出生率の値が範囲外です（{tfr}）。", f"TFR out of range ({tfr}).",
                              row=line_no, column="合計特殊出生率")
        rows.append(dict(area_code="00000", year=year, tfr=tfr, source_id="mhlw_tfr_national"))
        last = year
    if not rows:
        raise LoaderError(str(path), "合計特殊出生率の行がありません。", "no TFR rows found.")
    return pd.DataFrame(rows).dropna(subset=["tfr"])


def read_prefectures(path: Path) -> pd.DataFrame:
    """Prefecture TFR by calendar year; rows 1–47 are prefectures in JIS order (row 0, All Japan, is skipped
    because the national series is read from its own table)."""
    text = read_text(path)
    check_csv_text(str(path), text)
    frame = pd.read_csv(io.StringIO(text), dtype=str)
    idx_col = frame.columns[0]
    years = [c for c in frame.columns if re.fullmatch(r"\d{4}", str(c))]
    if len(years) < 2:
        raise LoaderError(str(path), "年の列が見つかりません。", "no year columns found.", row=1)
    out = []
    for i, r in frame.iterrows():
        try:
            k = int(r[idx_col])
        except (TypeError, ValueError):
            raise LoaderError(str(path), f"都道府県番号が不正です（{r[idx_col]}）。", f"bad prefecture number {r[idx_col]!r}.",
                              row=i + 2, column="A") from None
        if not 0 <= k <= 47:
            raise LoaderError(str(path), f"不明な都道府県番号 {k} です。", f"unknown prefecture number {k}.", row=i + 2, column="A")
        if k == 0:
            continue
        for y in years:
            try:
                tfr = parse_number(r[y]) if r[y] not in (None, "NA") else None
            except ValueError:
                raise LoaderError(str(path), f"数値ではない値「{r[y]}」があります。", f"value {r[y]!r} is not a number.",
                                  row=i + 2, column=y) from None
            if tfr is not None:
                out.append(dict(area_code=f"{k:02d}000", year=int(y), tfr=tfr, source_id="mhlw_tfr_prefecture"))
    return pd.DataFrame(out)


def load_folder(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(fertility rows, sources rows) from the folder; empty frames when the files are not there."""
    parts = []
    if (folder / NATIONAL_FILE).exists():
        parts.append(read_national(folder / NATIONAL_FILE))
    if (folder / PREFECTURE_FILE).exists():
        parts.append(read_prefectures(folder / PREFECTURE_FILE))
    rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["area_code", "year", "tfr", "source_id"])
    used = set(rows["source_id"])
    return rows, pd.DataFrame([s for s in SOURCES if s["source_id"] in used])
