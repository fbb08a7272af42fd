"""在留外国人統計 (出入国在留管理庁): the press-release tables 「令和X年Y月末現在における在留外国人数について」.

The workbooks are read as published (presentation layout: titles, charts, merged header cells, footnotes).
Each table is located by its title row 【第N表】 (sheet names vary: '第５表 ', '第１図、第１表'), its header by
the label cell (都道府県 / 国籍・地域 / 在留資格) and its first data row by the 総数 label below it. Tables read:

* 第1表 国籍・地域別 在留外国人数の推移 (全国, year ends and the current month end)
* 第2表 国籍・地域別 在留資格別 在留外国人数 (全国, nationality × status, current month end)
* 第3表 在留資格別 在留外国人数の推移 (全国; its detailed statuses are summed into the 第6表 groups, below)
* 第4表 都道府県別 在留外国人数の推移 (prefecture totals, year ends and the current month end)
* 第5表 都道府県別 国籍・地域別 在留外国人数 (韓国 and 朝鮮 stay separate, as printed)
* 第6表 都道府県別 在留資格別 在留外国人数

Output: rows of `foreign_residents` (COLUMNS). area_code 'PP000' for prefectures and '00000' for 全国; ref_date the
month end (2025-06-30) or year end (2024-12-31); nationality_country and residence_status as printed ('total' for
総数, i.e. where a dimension is not split). Residence statuses are the 11 groups of 第6表 (STATUSES): the ten
中長期在留者 groups (その他 = every other status) and 特別永住者; the subtotal 中長期在留者 is not stored (it is
total − 特別永住者). The row 未定・不詳 (residence not yet fixed) is not an area: it is checked (prefectures + 未定・不詳
= 総数) and left out, so 全国 is more than the sum of the 47 prefectures by that row.

Checks (each failure is a LoaderError naming file, sheet, row and column): every row sums to its 総数 (and
中長期在留者 to its groups), 総数 rows equal the column sums, and a figure printed in two tables of one workbook
is the same in both. Where two workbooks print the same figure (year ends in both trend tables) the newer
publication is kept. Cells '-' (and other missing marks) are stored as NULL, never guessed.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl.utils import get_column_letter

from loaders.errors import LoaderError
from loaders.files import read_workbook as read_sheets
from loaders.parse import parse_count, wareki_to_year
from loaders.sources import SOURCE_COLUMNS

COLUMNS = ["area_code", "ref_date", "nationality_country", "residence_status", "persons", "source_id"]
#: Key columns of foreign_residents (build.KEYS).
KEYS = ["area_code", "ref_date", "nationality_country", "residence_status", "source_id"]
TOTAL = "total"
PREFECTURES = ("北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県",
               "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県",
               "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県",
               "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
               "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県")
PREF_CODE = {name: f"{i:02d}000" for i, name in enumerate(PREFECTURES, start=1)}
UNKNOWN_PREF = "未定・不詳"
#: Residence-status groups of 第2表/第6表 (中長期在留者 ten groups, then 特別永住者).
MID_LONG = "中長期在留者"
SPECIAL_PERMANENT = "特別永住者"
OTHER = "その他"
STATUSES = ("永住者", "技術・人文知識・国際業務", "技能実習", "留学", "特定技能", "家族滞在", "定住者", "日本人の配偶者等",
            "特定活動", OTHER, SPECIAL_PERMANENT)
_FOOTNOTE = re.compile(r"^[（(]?注|^※")
_TITLE_COLUMNS = 4
_PUBLISHER = "出入国在留管理庁"
_LICENCE = "政府標準利用規約（第2.0版）（CC BY 4.0 互換）"
_URL = "https://www.moj.go.jp/isa/policies/statistics/toukei_ichiran_touroku.html"


def _text(v) -> str:
    """A cell as NFKC text without any whitespace (labels wrap with newlines: '技術・\\n人文知識・\\n国際業務')."""
    return "" if v is None else re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(v)))


def _col(j: int) -> str:
    return get_column_letter(j + 1)


@dataclass
class Block:
    """One printed table located in a workbook: rows are 0-based indices into `rows` (1-based in errors)."""

    number: int
    sheet: str
    rows: list[tuple]
    title_row: int
    title: str
    header_rows: range  # the header block (merged cells leave the lower cells empty)
    label_cols: list[int]  # columns holding row labels (第3表 indents its levels across three columns)
    first_data: int

    def label(self, j: int) -> str:
        """Label of column j: the lowest non-empty header cell (a vertically merged cell keeps its text on top)."""
        for i in reversed(self.header_rows):
            t = _text(self.rows[i][j]) if j < len(self.rows[i]) else ""
            if t:
                return t
        return ""


def _open(path: Path) -> dict[str, list[tuple]]:
    out = {}
    for title, rows in read_sheets(path):
        width = max((len(r) for r in rows), default=0)
        out[title] = [r + (None,) * (width - len(r)) for r in rows]
    return out


def _find(sheets: dict[str, list[tuple]], number: int, label: str, file: str) -> Block:
    """Locate 【第N表】 by its title row, then its header (the `label` cell) and first data row (総数)."""
    mark = f"【第{number}表】"
    hit = None
    for sheet, rows in sheets.items():
        for i, r in enumerate(rows):
            # Titles sit in the first columns; charts' data far to the right is not looked at.
            title = next((_text(v) for v in r[:_TITLE_COLUMNS] if isinstance(v, str) and _text(v).startswith(mark)), None)
            if title:
                hit = (sheet, rows, i, title)
                break
        if hit:
            break
    if hit is None:
        guess = next((s for s in sheets if f"第{number}表" in _text(s)), None)
        raise LoaderError(file, f"表題行「{mark}」が見つかりません。", f"title row {mark!r} not found.",
                          row=1, column="A", sheet=guess or "、".join(sheets))
    sheet, rows, ti, title = hit
    hdr = next(((i, j) for i in range(ti + 1, min(ti + 5, len(rows))) for j, v in enumerate(rows[i]) if _text(v) == label),
               None)
    if hdr is None:
        raise LoaderError(file, f"{mark}の表題の下に見出し「{label}」がありません。",
                          f"no header cell {label!r} below the title of {mark}.", row=ti + 2, column="B", sheet=sheet)
    hi, lj = hdr
    first = next((i for i in range(hi + 1, min(hi + 4, len(rows)))
                  if "総数" in {_text(rows[i][j]) for j in range(lj, min(lj + 3, len(rows[i])))}), None)
    if first is None:
        raise LoaderError(file, f"見出し「{label}」の列に「総数」の行がありません（見出しがずれている可能性があります）。",
                          f"no 総数 row under the header {label!r} in its column (the header may be shifted).",
                          row=hi + 2, column=_col(lj), sheet=sheet)
    # Label columns: the header label's column plus the empty (merged) header columns to its right (第3表: B:D).
    label_cols = [lj]
    block = Block(number, sheet, rows, ti, title, range(hi, first), label_cols, first)
    while block.label(label_cols[-1] + 1) == "" and label_cols[-1] + 1 < len(rows[hi]) - 1 \
            and _text(rows[first][label_cols[-1] + 1]) == "":
        label_cols.append(label_cols[-1] + 1)
    return block


def _data_rows(b: Block) -> list[tuple[int, str, int]]:
    """(row index, label, level) of the data rows: from 総数 down to the first blank or footnote row."""
    out = []
    for i in range(b.first_data, len(b.rows)):
        cells = [_text(b.rows[i][j]) for j in b.label_cols]
        level = next((k for k, c in enumerate(cells) if c), None)
        if level is None or _FOOTNOTE.search(cells[level]):
            break
        out.append((i, cells[level], level))
    return out


def _value(b: Block, i: int, j: int, file: str) -> int | None:
    cell = b.rows[i][j]
    try:
        value = parse_count(cell)
    except ValueError:
        raise LoaderError(file, f"数値ではない値「{cell}」があります。", f"value {cell!r} is not a number.",
                          row=i + 1, column=_col(j), sheet=b.sheet) from None
    if value is not None and value < 0:
        raise LoaderError(file, f"人数が負の値（{value:,}）です。", f"count is negative ({value:,}).",
                          row=i + 1, column=_col(j), sheet=b.sheet)
    return value


def _month_end(year: int, month: int) -> str:
    return f"{year}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def header_date(label: str) -> str | None:
    """Reference date of a period header: '令和６年６月末（2024年6月末）' -> '2024-06-30', '令和元年末（2019年末）' ->
    '2019-12-31'. None for other headers (構成比, 対前年末増減率)."""
    t = _text(label)
    m = re.search(r"\((\d{4})年(?:(\d{1,2})月)?末\)", t) or re.search(r"^(\d{4})年(?:(\d{1,2})月)?末$", t)
    if m:
        return _month_end(int(m.group(1)), int(m.group(2) or 12))
    m = re.match(r"((?:令和|平成)(?:元|\d{1,2}))年(?:(\d{1,2})月)?末", t)
    if m:
        return _month_end(wareki_to_year(m.group(1)), int(m.group(2) or 12))
    return None


def _title_date(b: Block, file: str) -> str:
    m = re.search(r"[(（]((?:令和|平成)(?:元|\d{1,2}))年(\d{1,2})月末[)）]", b.title)
    if not m:
        raise LoaderError(file, f"表題「{b.title}」から基準日（〇年〇月末）を読み取れません。",
                          f"cannot read the reference date (month end) from the title {b.title!r}.",
                          row=b.title_row + 1, column="A", sheet=b.sheet)
    return _month_end(wareki_to_year(m.group(1)), int(m.group(2)))


def _value_columns(b: Block, file: str, dates: bool) -> list[tuple[int, str]]:
    """(column, label) of the value columns right of the row labels; for trend tables only period columns."""
    out = []
    for j in range(b.label_cols[-1] + 1, len(b.rows[b.header_rows[0]])):
        label = b.label(j)
        if not label:
            continue
        if dates:
            d = header_date(label)
            if d is None:
                if label.startswith(("構成比", "対前年")):
                    continue
                raise LoaderError(file, f"見出し「{label}」から時点（〇年末・〇年〇月末）を読み取れません。",
                                  f"cannot read a period (year end / month end) from the header {label!r}.",
                                  row=b.header_rows[0] + 1, column=_col(j), sheet=b.sheet)
            label = d
        out.append((j, label))
    if not out:
        raise LoaderError(file, "数値の列の見出しがありません。", "no value column headers.",
                          row=b.header_rows[0] + 1, column=_col(b.label_cols[-1] + 1), sheet=b.sheet)
    return out


def _cells(b: Block, file: str, dates: bool = False) -> pd.DataFrame:
    """Long frame of a table: row_label, level, col_label, persons, where (sheet!cell for messages)."""
    cols = _value_columns(b, file, dates)
    recs = []
    for i, label, level in _data_rows(b):
        for j, col in cols:
            recs.append((label, level, col, _value(b, i, j, file), i + 1, _col(j)))
    if not recs:
        raise LoaderError(file, "見出しの下にデータ行がありません。", "no data rows below the header.",
                          row=b.first_data + 1, column=_col(b.label_cols[0]), sheet=b.sheet)
    return pd.DataFrame(recs, columns=["row_label", "level", "col_label", "persons", "row", "column"])


def _pref_code(b: Block, cells: pd.DataFrame, file: str) -> pd.DataFrame:
    """Map prefecture row labels to codes ('総数' -> '00000'); require all 47; drop 未定・不詳 after checking it."""
    known = {**PREF_CODE, "総数": "00000", UNKNOWN_PREF: None}
    bad = cells[~cells["row_label"].isin(known)]
    if not bad.empty:
        r = bad.iloc[0]
        raise LoaderError(file, f"都道府県名「{r['row_label']}」が不明です。", f"unknown prefecture {r['row_label']!r}.",
                          row=int(r["row"]), column=_col(b.label_cols[0]), sheet=b.sheet)
    missing = [p for p in PREFECTURES if p not in set(cells["row_label"])]
    if missing:
        raise LoaderError(file, f"{missing[0]} の行がありません。", f"the row of {missing[0]} is missing.",
                          row=b.first_data + 1, column=_col(b.label_cols[0]), sheet=b.sheet)
    dup = cells.drop_duplicates(["row_label", "row"]).duplicated("row_label")
    if dup.any():
        r = cells.drop_duplicates(["row_label", "row"])[dup].iloc[0]
        raise LoaderError(file, f"「{r['row_label']}」の行が重複しています。", f"duplicate row {r['row_label']!r}.",
                          row=int(r["row"]), column=_col(b.label_cols[0]), sheet=b.sheet)
    # 総数 = 47 prefectures + 未定・不詳, column by column.
    for col, g in cells.groupby("col_label", sort=False):
        total = g[g["row_label"] == "総数"].iloc[0]
        parts = g[g["row_label"] != "総数"]["persons"]
        if parts.notna().all() and pd.notna(total["persons"]) and int(parts.sum()) != int(total["persons"]):
            raise LoaderError(file, f"総数 {int(total['persons']):,} が都道府県と未定・不詳の合計 {int(parts.sum()):,} と一致しません。",
                              f"総数 {int(total['persons']):,} differs from the sum of prefectures and 未定・不詳 "
                              f"{int(parts.sum()):,}.", row=int(total["row"]), column=total["column"], sheet=b.sheet)
    cells = cells.assign(area_code=cells["row_label"].map(known))
    return cells[cells["area_code"].notna()]


def _check_row_sums(b: Block, cells: pd.DataFrame, file: str, parts_of: dict[str, list[str]]) -> None:
    """For each row: parts_of[whole] sum to whole (cells without a figure make the check skip that row)."""
    for (row_label, row), g in cells.groupby(["row_label", "row"], sort=False):
        v = dict(zip(g["col_label"], g["persons"]))
        where = dict(zip(g["col_label"], g["column"]))
        for whole, parts in parts_of.items():
            if whole not in v:
                raise LoaderError(file, f"見出し「{whole}」の列がありません。", f"no column headed {whole!r}.",
                                  row=b.header_rows[0] + 1, sheet=b.sheet)
            missing = [p for p in parts if p not in v]
            if missing:
                raise LoaderError(file, f"見出し「{missing[0]}」の列がありません。", f"no column headed {missing[0]!r}.",
                                  row=b.header_rows[0] + 1, sheet=b.sheet)
            values = [v[p] for p in parts]
            if v[whole] is None or pd.isna(v[whole]) or any(x is None or pd.isna(x) for x in values):
                continue
            if int(sum(values)) != int(v[whole]):
                raise LoaderError(file, f"「{row_label}」の{whole} {int(v[whole]):,} が内訳の合計 {int(sum(values)):,} と一致しません。",
                                  f"{whole} of {row_label!r} ({int(v[whole]):,}) differs from the sum of its parts "
                                  f"({int(sum(values)):,}).", row=int(row), column=where[whole], sheet=b.sheet)


def _status_label(label: str) -> str:
    return TOTAL if label == "総数" else label


# ---------------------------------------------------------------- the six tables

def _table5(sheets, file) -> tuple[str, pd.DataFrame]:
    b = _find(sheets, 5, "都道府県", file)
    date = _title_date(b, file)
    cells = _cells(b, file)
    countries = [c for c in dict.fromkeys(cells["col_label"]) if c != "総数"]
    _check_row_sums(b, cells, file, {"総数": countries})  # rows first: a wrong cell is named by its own row
    cells = _pref_code(b, cells, file)
    out = cells.assign(ref_date=date, nationality_country=cells["col_label"].map(_status_label), residence_status=TOTAL)
    return date, out


def _table6(sheets, file) -> tuple[str, pd.DataFrame]:
    b = _find(sheets, 6, "都道府県", file)
    date = _title_date(b, file)
    cells = _cells(b, file)
    mid = [s for s in STATUSES if s != SPECIAL_PERMANENT]
    _check_row_sums(b, cells, file, {MID_LONG: mid, "総数": [MID_LONG, SPECIAL_PERMANENT]})
    cells = _pref_code(b, cells, file)
    cells = cells[cells["col_label"] != MID_LONG]
    _only_known_statuses(b, cells, file)
    out = cells.assign(ref_date=date, nationality_country=TOTAL, residence_status=cells["col_label"].map(_status_label))
    return date, out


def _only_known_statuses(b: Block, cells: pd.DataFrame, file: str) -> None:
    unknown = cells[~cells["col_label"].isin([*STATUSES, "総数"])]
    if not unknown.empty:
        r = unknown.iloc[0]
        raise LoaderError(file, f"在留資格の見出し「{r['col_label']}」が不明です。", f"unknown residence-status header {r['col_label']!r}.",
                          row=b.header_rows[-1] + 1, column=r["column"], sheet=b.sheet)


def _table2(sheets, file) -> pd.DataFrame:
    """全国 nationality × status (both split)."""
    b = _find(sheets, 2, "国籍・地域", file)
    date = _title_date(b, file)
    cells = _cells(b, file)
    mid = [s for s in STATUSES if s != SPECIAL_PERMANENT]
    _check_row_sums(b, cells, file, {MID_LONG: mid, "総数": [MID_LONG, SPECIAL_PERMANENT]})
    cells = cells[cells["col_label"] != MID_LONG]
    _only_known_statuses(b, cells, file)
    _check_column_sums(b, cells, file)
    return cells.assign(area_code="00000", ref_date=date, nationality_country=cells["row_label"].map(_status_label),
                        residence_status=cells["col_label"].map(_status_label))


def _check_column_sums(b: Block, cells: pd.DataFrame, file: str) -> None:
    """The 総数 row equals the sum of the other rows, column by column."""
    for col, g in cells.groupby("col_label", sort=False):
        total = g[g["row_label"] == "総数"]
        if total.empty:
            raise LoaderError(file, "「総数」の行がありません。", "no 総数 row.", row=b.first_data + 1,
                              column=_col(b.label_cols[0]), sheet=b.sheet)
        t, parts = total.iloc[0], g[g["row_label"] != "総数"]["persons"]
        if parts.notna().all() and pd.notna(t["persons"]) and int(parts.sum()) != int(t["persons"]):
            raise LoaderError(file, f"総数 {int(t['persons']):,} が内訳の合計 {int(parts.sum()):,} と一致しません。",
                              f"総数 {int(t['persons']):,} differs from the sum of the rows {int(parts.sum()):,}.",
                              row=int(t["row"]), column=t["column"], sheet=b.sheet)


def _table1(sheets, file) -> pd.DataFrame:
    """全国 by nationality, year ends and the current month end."""
    b = _find(sheets, 1, "国籍・地域", file)
    cells = _cells(b, file, dates=True)
    _check_column_sums(b, cells, file)
    return cells.assign(area_code="00000", ref_date=cells["col_label"],
                        nationality_country=cells["row_label"].map(_status_label), residence_status=TOTAL)


def _table3(sheets, file) -> pd.DataFrame:
    """全国 by residence status over time, summed into the 第6表 groups (detailed statuses -> その他)."""
    b = _find(sheets, 3, "在留資格", file)
    cells = _cells(b, file, dates=True)
    top = cells[cells["level"] == 0]
    groups = cells[cells["level"] == 1]
    needed = {"総数", MID_LONG, SPECIAL_PERMANENT}
    if not needed <= set(top["row_label"]):
        missing = sorted(needed - set(top["row_label"]))[0]
        raise LoaderError(file, f"「{missing}」の行がありません。", f"the row {missing!r} is missing.",
                          row=b.first_data + 1, column=_col(b.label_cols[0]), sheet=b.sheet)
    grouped = groups.assign(status=groups["row_label"].where(groups["row_label"].isin(STATUSES), OTHER))
    # A status is under 中長期在留者 when printed below it: rows of level 1 follow the 中長期在留者 row.
    mid_row = int(top.loc[top["row_label"] == MID_LONG, "row"].iloc[0])
    sp_row = int(top.loc[top["row_label"] == SPECIAL_PERMANENT, "row"].iloc[0])
    grouped = grouped[(grouped["row"] > mid_row) & (grouped["row"] < sp_row)]
    sums = grouped.groupby(["col_label", "status"], sort=False)["persons"].agg(
        lambda s: None if s.isna().any() else int(s.sum())).reset_index()
    for date, g in sums.groupby("col_label", sort=False):
        mid = top[(top["row_label"] == MID_LONG) & (top["col_label"] == date)].iloc[0]
        parts = g["persons"]
        if parts.notna().all() and pd.notna(mid["persons"]) and int(parts.sum()) != int(mid["persons"]):
            raise LoaderError(file, f"中長期在留者 {int(mid['persons']):,} が在留資格の合計 {int(parts.sum()):,} と一致しません。",
                              f"中長期在留者 {int(mid['persons']):,} differs from the sum of the statuses {int(parts.sum()):,}.",
                              row=int(mid["row"]), column=mid["column"], sheet=b.sheet)
    keep = top[top["row_label"].isin(["総数", SPECIAL_PERMANENT])]
    out = pd.concat([keep.assign(status=keep["row_label"].map(_status_label))[["col_label", "status", "persons"]], sums],
                    ignore_index=True)
    return out.assign(area_code="00000", ref_date=out["col_label"], nationality_country=TOTAL,
                      residence_status=out["status"], row=b.first_data + 1, column=_col(b.label_cols[0]))


def _table4(sheets, file) -> pd.DataFrame:
    b = _find(sheets, 4, "都道府県", file)
    cells = _pref_code(b, _cells(b, file, dates=True), file)
    return cells.assign(ref_date=cells["col_label"], nationality_country=TOTAL, residence_status=TOTAL)


# ---------------------------------------------------------------- workbook and folder

def source_id_for(ref_date: str) -> str:
    """'2025-06-30' -> 'moj_zairyu_2025_06' (one source per press release)."""
    return f"moj_zairyu_{ref_date[:4]}_{ref_date[5:7]}"


def read_workbook(path: Path) -> tuple[pd.DataFrame, dict]:
    """Read one press-release workbook (第1表–第6表).

    Returns (rows with COLUMNS, a `sources` row as dict). Its reference date is the month end in the title of
    第5表 (e.g. 令和７年６月末 -> 2025-06-30). Raises LoaderError (file, sheet, row, column) for a missing title or
    header, an unknown label, a cell that is not a count, a sum that does not add up, or a figure printed
    differently in two tables.
    """
    file = str(path)
    sheets = _open(path)
    date, t5 = _table5(sheets, file)
    date6, t6 = _table6(sheets, file)
    if date6 != date:
        raise LoaderError(file, f"第5表（{date}）と第6表（{date6}）の基準日が異なります。",
                          f"第5表 ({date}) and 第6表 ({date6}) have different reference dates.", row=1, column="A")
    parts = {"第5表": t5, "第6表": t6, "第2表": _table2(sheets, file), "第4表": _table4(sheets, file),
             "第1表": _table1(sheets, file), "第3表": _table3(sheets, file)}
    allrows = pd.concat([f.assign(table=name) for name, f in parts.items()], ignore_index=True)
    key = ["area_code", "ref_date", "nationality_country", "residence_status"]
    for _, g in allrows[allrows.duplicated(key, keep=False)].groupby(key, sort=False):
        vals = set(g["persons"].dropna().astype(int))
        if len(vals) > 1:
            a, b = g.iloc[0], g[g["persons"] != g["persons"].iloc[0]].iloc[0]
            raise LoaderError(file, f"{a['table']}（{int(a['persons']):,}）と{b['table']}（{int(b['persons']):,}）で同じ項目の値が異なります"
                                    f"（{a['area_code']} {a['ref_date']} {a['nationality_country']} {a['residence_status']}）。",
                              f"{a['table']} ({int(a['persons']):,}) and {b['table']} ({int(b['persons']):,}) print the same figure "
                              f"differently ({a['area_code']} {a['ref_date']} {a['nationality_country']} {a['residence_status']}).",
                              row=int(b["row"]), column=b["column"], sheet=_sheet_of(sheets, b["table"]))
    out = allrows.drop_duplicates(key, keep="first").assign(source_id=source_id_for(date))
    out["persons"] = out["persons"].astype("Int64")
    out["ref_date"] = pd.to_datetime(out["ref_date"]).dt.date
    y, m = int(date[:4]), int(date[5:7])
    era = f"令和{y - 2018}年{m}月末"
    source = dict(source_id=source_id_for(date), publisher=_PUBLISHER,
                  title=f"在留外国人統計（{era}現在における在留外国人数について・公表資料）",
                  table_id="第1表〜第6表（第5表 都道府県別 国籍・地域別、第6表 都道府県別 在留資格別）", url=_URL,
                  retrieved="2026-02-05", licence=_LICENCE,
                  note=f"在留外国人＝中長期在留者＋特別永住者（短期滞在等を含まない）。{date} 現在（年末の列は各年12月31日）。"
                       "未定・不詳は都道府県に割り当てない（全国には含む）。公開 GitHub リポジトリ nfurutani/imin の原本 "
                       f"{Path(file).name}")
    return out[COLUMNS].reset_index(drop=True), source


def _sheet_of(sheets: dict, table: str) -> str:
    n = re.search(r"\d", table).group(0)
    return next((s for s in sheets if f"第{n}表" in _text(s)), "")


PATTERN = "*.xlsx"


def load_folder(folder: Path) -> dict[str, pd.DataFrame]:
    """Read every press-release workbook in `folder` (e.g. data/raw/foreign_residents).

    Returns {'foreign_residents': COLUMNS rows, one per (area, date, nationality, status) — where two releases
    print the same figure the newer one is kept —, 'sources': one row per release}. A missing folder gives empty
    frames; a malformed workbook raises LoaderError.
    """
    frames, sources = [], []
    if folder.is_dir():
        for path in sorted(folder.glob(PATTERN)):
            if path.name.startswith("~$"):  # Excel's lock file next to an open workbook
                continue
            rows, src = read_workbook(path)
            frames.append(rows)
            sources.append(src)
    if not frames:
        return {"foreign_residents": pd.DataFrame(columns=COLUMNS), "sources": pd.DataFrame(columns=SOURCE_COLUMNS)}
    rows = pd.concat(frames, ignore_index=True).sort_values("source_id", kind="stable")
    rows = rows.drop_duplicates(["area_code", "ref_date", "nationality_country", "residence_status"], keep="last")
    src = pd.DataFrame(sources, columns=SOURCE_COLUMNS).drop_duplicates("source_id", keep="last")
    return {"foreign_residents": rows.sort_values(["area_code", "ref_date"]).reset_index(drop=True), "sources": src}
