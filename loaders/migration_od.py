"""住民基本台帳人口移動報告 (総務省統計局): prefecture origin–destination flows, read as published.

Two tables of the report are read:

* 2025年 年報 表2「移動前の住所地、男女別都道府県間移動者数－都道府県、3大都市圏、21大都市」
  (`estat_idou_2025_table2_prefecture_od.xlsx`, e-Stat workbook, sheet `a002`): gross movers by origin ×
  destination × sex × nationality -> rows of `migration_flows`.
* 2021年 年報 転入超過数 by 5-year age × sex × nationality, 都道府県・3大都市圏・21大都市 × partner
  (`estat_idou_2021_net_migration_od_age5_sex_nationality.csv`) -> rows of the proposed `migration_net_flows`.

Area codes. e-Stat writes 5-digit codes (sometimes as numbers, so leading zeros vanish: 1000 = 北海道).
Prefectures 01000…47000 are our 'PP000' codes unchanged, 00000 is 全国. The metro areas 48000 東京圏,
49000 名古屋圏, 50000 大阪圏 become the area groups G_TOKYO / G_NAGOYA / G_OSAKA (same member prefectures
as `loaders.areas.GROUPS`). The 21 major cities are the JIS codes of the 20 designated cities (01100 札幌市 …
43100 熊本市) plus 13100 東京都特別区部, which is a group-like code (the 23 special wards; not a row of
`areas`): `area_groups()` gives its member rows so the database knows the code. 00100 21大都市計 and
80000 移動前の住所地不詳 are not areas and are left out (see `read_od_partner_flows`).

Meaning of city and metro rows. The figures of a city or metro area count moves across *its own* boundary,
so where a pair is nested the figure is the flow between the non-overlapping parts: 福岡市 -> 福岡県 (22,299
in 2025) is 福岡市 to the other municipalities of 福岡県, not an inter-prefecture flow. Only the prefecture ×
prefecture cells form the inter-prefecture matrix (`read_od_workbook`).
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter

from loaders.errors import LoaderError
from loaders.files import check_row_widths, csv_rows, read_text, read_workbook
from loaders.parse import MISSING_MARKS, parse_count
from loaders.sources import SOURCE_COLUMNS

FLOW_COLUMNS = ["origin_code", "dest_code", "period", "period_kind", "nationality", "sex", "age_group", "movers",
                "source_id"]
NET_COLUMNS = ["area_code", "partner_code", "period", "period_kind", "nationality", "sex", "age_group",
               "net_movers", "source_id"]
AREA_GROUP_COLUMNS = ["group_code", "group_name_ja", "group_name_en", "area_code", "source_id"]

#: Key columns of migration_net_flows (for build.KEYS).
NET_FLOWS_KEYS = ["area_code", "partner_code", "period", "nationality", "sex", "age_group", "source_id"]

NATIONALITY = {"60000": "total", "61000": "japanese", "62000": "foreign"}
SEX = {"総数": "total", "男": "male", "女": "female"}
PREFECTURES = [f"{i:02d}000" for i in range(1, 48)]
METRO = {"48000": "G_TOKYO", "49000": "G_NAGOYA", "50000": "G_OSAKA"}
#: The 21 major cities of the report: e-Stat code (= JIS code) -> name.
MAJOR_CITIES = {
    "01100": "札幌市", "04100": "仙台市", "11100": "さいたま市", "12100": "千葉市", "13100": "東京都特別区部",
    "14100": "横浜市", "14130": "川崎市", "14150": "相模原市", "15100": "新潟市", "22100": "静岡市",
    "22130": "浜松市", "23100": "名古屋市", "26100": "京都市", "27100": "大阪市", "27140": "堺市",
    "28100": "神戸市", "33100": "岡山市", "34100": "広島市", "40100": "北九州市", "40130": "福岡市",
    "43100": "熊本市",
}
TOKUBU = "13100"
#: Published codes that are not areas: 21大都市計 and 移動前の住所地不詳 (movers whose origin is unknown).
NOT_AREAS = {"00100": "21大都市計", "80000": "移動前の住所地不詳"}
KNOWN_CODES = {"00000", *PREFECTURES, *METRO, *MAJOR_CITIES, *NOT_AREAS}

_LICENCE = "政府標準利用規約（第2.0版）（CC BY 4.0 互換）"
_PUBLISHER = "総務省統計局"
_REPORT = "住民基本台帳人口移動報告"

SOURCES: list[dict] = [
    dict(source_id="idou_2025_table2", publisher=_PUBLISHER,
         title=f"{_REPORT} 2025年（令和7年）結果 年報 表2 移動前の住所地、男女別都道府県間移動者数"
               "－都道府県、3大都市圏、21大都市",
         table_id="e-Stat statInfId 000040407039（表番号2）",
         url="https://www.e-stat.go.jp/stat-search/file-download?statInfId=000040407039&fileKind=0",
         retrieved="2026-06-22", licence=_LICENCE,
         note="暦年（1–12月）の移動者数（人）。e-Stat 公表 2026-02-03。公開 GitHub リポジトリに保存された原本"
              "（k16kgw/Class_Josai_AppliedProgrammingI@228a312）から取得。"
              "21大都市・3大都市圏の値は各市・圏の境界を越える移動（県内移動を含む）"),
    dict(source_id="idou_2021_net_age", publisher=_PUBLISHER,
         title=f"{_REPORT} 2021年（令和3年）結果 年報 年齢（5歳階級）、男女別転入超過数"
               "－全国、都道府県、3大都市圏、21大都市（移動前・移動後の住所地別）",
         table_id="e-Stat statInfId 000032163826",
         url="https://www.e-stat.go.jp/stat-search/files?stat_infid=000032163826",
         retrieved="2022-10-12", licence=_LICENCE,
         note="転入超過数（人、負は転出超過）、暦年。総数と各年齢階級の和は146行で1–3人異なる（年齢不詳と推定、"
              "公表値のまま）。公開 GitHub リポジトリの原本（ayakow1/CAPP30239_FA22@61d4faa）から取得"),
]

_ID_LABELS = {"表章項目": "item", "国籍コード": "nat_code", "国籍": "nat_name", "時間軸(年次)コード": "time_code",
              "時間軸(年次)": "time", "移動前の住所地コード": "origin_code", "移動前の住所地": "origin_name"}
_AGE_RE = re.compile(r"(\d+)歳[~～〜](\d+)歳|(\d+)歳以上|総数")


def _text(v) -> str:
    return "" if v is None else unicodedata.normalize("NFKC", str(v)).strip()


def estat_code(value) -> str:
    """An e-Stat area code as a 5-digit string ('1000', 1000, '01000' -> '01000'; '0' -> '00000').

    Raises ValueError when the value is not a whole number of at most 5 digits.
    """
    t = _text(value)
    if isinstance(value, float) and value.is_integer():
        t = str(int(value))
    if not re.fullmatch(r"\d{1,5}", t):
        raise ValueError(f"not an area code: {value!r}")
    return t.zfill(5)


def our_code(code: str) -> str | None:
    """Our area (or area-group) code for a 5-digit e-Stat code, None for codes that are not areas."""
    if code in NOT_AREAS:
        return None
    return METRO.get(code, code)


def area_groups() -> pd.DataFrame:
    """Rows for `area_groups` defining 13100 東京都特別区部 (the 23 special wards 13101–13123).

    The report publishes 東京都特別区部 as one of its 21 major cities; `areas` has no row for it, so the code is
    kept as a group code. Columns: AREA_GROUP_COLUMNS.
    """
    return pd.DataFrame([dict(group_code=TOKUBU, group_name_ja="東京都特別区部", group_name_en="Tokyo special wards (23 ku)",
                              area_code=f"131{i:02d}", source_id="idou_2025_table2") for i in range(1, 24)],
                        columns=AREA_GROUP_COLUMNS)


def sources() -> pd.DataFrame:
    """Rows of the `sources` table for this module's source ids."""
    return pd.DataFrame(SOURCES, columns=SOURCE_COLUMNS)


# ---------------------------------------------------------------- 2025 表2 workbook (gross flows)

def _open_sheet(path: Path) -> tuple[str, list[tuple]]:
    return read_workbook(path)[0]


def _od_layout(rows: list[tuple], file: str, sheet: str) -> tuple[int, int, dict[str, int], list[tuple[int, str, str]]]:
    """Find the header rows by their content.

    Returns (index of the column-header row, index of the destination row, id column indices by field, data
    columns as (index, destination name, sex)). The column-header row is the one holding 国籍コード and 移動前の住所地コード; above it, the
    sex row is the nearest row whose cells are 総数/男/女, and the destination row the nearest one above that
    holding 全国. Blank (merged) destination cells take the name to their left.
    """
    hdr = next((i for i, r in enumerate(rows[:40])
                if {"国籍コード", "移動前の住所地コード"} <= {_text(v) for v in r}), None)
    if hdr is None:
        raise LoaderError(file, "見出し行（「国籍コード」「移動前の住所地コード」の行）が先頭40行にありません。",
                          "column-header row (with 国籍コード and 移動前の住所地コード) not found in the first 40 rows.",
                          row=1, column="A", sheet=sheet)
    ids = {}
    for j, v in enumerate(rows[hdr]):
        field = _ID_LABELS.get(_text(v))
        if field and field not in ids:
            ids[field] = j
    for need in ("nat_code", "time", "origin_code"):
        if need not in ids:
            label = next(k for k, f in _ID_LABELS.items() if f == need)
            raise LoaderError(file, f"見出し「{label}」の列がありません。", f"no column headed {label!r}.",
                              row=hdr + 1, sheet=sheet)
    first = max(ids.values()) + 1
    sex_i = next((i for i in range(hdr - 1, -1, -1)
                  if sum(_text(v) in SEX for v in rows[i][first:]) >= 3), None)
    if sex_i is None:
        raise LoaderError(file, "男女の見出し行（総数・男・女）が見出し行の上にありません。",
                          "the sex header row (総数/男/女) is missing above the column-header row.",
                          row=hdr + 1, column=get_column_letter(first + 1), sheet=sheet)
    dest_i = next((i for i in range(sex_i - 1, -1, -1) if "全国" in {_text(v) for v in rows[i][first:]}), None)
    if dest_i is None:
        raise LoaderError(file, "移動後の住所地（全国、北海道 …）の見出し行が男女の見出し行の上にありません。",
                          "the destination header row (全国, 北海道 …) is missing above the sex row.",
                          row=sex_i + 1, column=get_column_letter(first + 1), sheet=sheet)
    columns, dest = [], ""
    width = max(len(rows[hdr]), len(rows[sex_i]), len(rows[dest_i]))
    for j in range(first, width):
        d = _text(rows[dest_i][j]) if j < len(rows[dest_i]) else ""
        s = _text(rows[sex_i][j]) if j < len(rows[sex_i]) else ""
        dest = d or dest
        if not s and not d:
            continue
        if s not in SEX:
            raise LoaderError(file, f"男女の見出し「{s}」が不明です（総数・男・女のいずれか）。",
                              f"unknown sex header {s!r} (expected 総数/男/女).", row=sex_i + 1,
                              column=get_column_letter(j + 1), sheet=sheet)
        if any(d_ == dest and s_ == SEX[s] for _, d_, s_ in columns):
            raise LoaderError(file, f"移動後の住所地「{dest}」・{s} の列が重複しています。",
                              f"duplicate column for destination {dest!r}, {s}.", row=sex_i + 1,
                              column=get_column_letter(j + 1), sheet=sheet)
        columns.append((j, dest, SEX[s]))
    return hdr, dest_i, ids, columns


def _read_od_cells(path: Path) -> pd.DataFrame:
    """Every published cell of the 表2 workbook as long rows with e-Stat codes (validated).

    Columns: origin (5-digit e-Stat code), dest, year, nationality, sex, movers (Int64, NA for '-').
    Raises LoaderError (file, sheet, row, column) for missing headers, unknown codes or nationality,
    non-numeric or negative cells, duplicated rows, and any origin row whose 全国 column is not the sum
    of its 47 prefecture cells (or whose 総数 is not 男 + 女), and when the 総数 row is not the sum of the
    47 prefecture rows.
    """
    file = str(path)
    sheet, rows = _open_sheet(path)
    hdr, dest_i, ids, columns = _od_layout(rows, file, sheet)
    records, names, years, seen = [], {}, set(), {}
    for i in range(hdr + 1, len(rows)):
        row = rows[i]
        if not row or all(v is None or _text(v) == "" for v in row):
            continue
        first = _text(row[0])
        if first.startswith(("注", "※", "(注", "資料", "出典")):
            continue

        def cell(field, row=row):
            j = ids[field]
            return row[j] if j < len(row) else None

        nat = _text(cell("nat_code"))
        if nat not in NATIONALITY:
            raise LoaderError(file, f"不明な国籍コード「{nat}」です（60000/61000/62000）。",
                              f"unknown nationality code {nat!r} (expected 60000/61000/62000).",
                              row=i + 1, column=get_column_letter(ids["nat_code"] + 1), sheet=sheet)
        try:
            origin = estat_code(cell("origin_code"))
        except ValueError:
            origin = _text(cell("origin_code"))
        if origin not in KNOWN_CODES:
            raise LoaderError(file, f"不明な移動前の住所地コード「{origin}」です。",
                              f"unknown origin code {origin!r}.", row=i + 1,
                              column=get_column_letter(ids["origin_code"] + 1), sheet=sheet)
        if (nat, origin) in seen:
            raise LoaderError(file, f"国籍コード {nat}・住所地コード {origin} の行が重複しています（{seen[(nat, origin)]}行目と）。",
                              f"duplicate row for nationality {nat}, origin {origin} (also row {seen[(nat, origin)]}).",
                              row=i + 1, column=get_column_letter(ids["origin_code"] + 1), sheet=sheet)
        seen[(nat, origin)] = i + 1
        m = re.search(r"(\d{4})年", _text(cell("time")))
        if not m:
            raise LoaderError(file, f"時間軸「{_text(cell('time'))}」から年を読めません。",
                              f"cannot read the year from {_text(cell('time'))!r}.", row=i + 1,
                              column=get_column_letter(ids["time"] + 1), sheet=sheet)
        years.add(int(m.group(1)))
        if "origin_name" in ids:
            names.setdefault(_text(cell("origin_name")), origin)
        for j, dest, sex in columns:
            v = row[j] if j < len(row) else None
            try:
                n = parse_count(v)
            except ValueError:
                raise LoaderError(file, f"数値ではない値「{v}」があります。", f"value {v!r} is not a number.",
                                  row=i + 1, column=f"{get_column_letter(j + 1)} ({dest}/{sex})", sheet=sheet) from None
            if n is not None and n < 0:
                raise LoaderError(file, f"移動者数が負の値（{n:,}）です。", f"count of movers is negative ({n:,}).",
                                  row=i + 1, column=f"{get_column_letter(j + 1)} ({dest}/{sex})", sheet=sheet)
            records.append((i + 1, j, origin, dest, NATIONALITY[nat], sex, n))
    if not records:
        raise LoaderError(file, "見出し行の下にデータ行がありません。", "no data rows below the header.",
                          row=hdr + 2, sheet=sheet)
    if len(years) != 1:
        raise LoaderError(file, f"複数の年が混在しています: {sorted(years)}", f"more than one year: {sorted(years)}",
                          sheet=sheet, column=get_column_letter(ids["time"] + 1))
    names["全国"] = "00000"  # the destination 全国 is the origin row 総数 (00000)
    frame = pd.DataFrame.from_records(records, columns=["_row", "_col", "origin", "dest_name", "nationality", "sex",
                                                        "movers"])
    frame["movers"] = frame["movers"].astype("Int64")
    for nat, rows_ in frame.groupby("nationality")["origin"]:
        missing = [c for c in ["00000", *PREFECTURES] if c not in set(rows_)]
        if missing:
            raise LoaderError(file, f"{nat} の移動前の住所地 {missing[0]} の行がありません（ファイルが途中で切れている可能性があります）。",
                              f"no row for origin {missing[0]} ({nat}); the file may be cut short.",
                              row=int(frame["_row"].max()) + 1, column=get_column_letter(ids["origin_code"] + 1),
                              sheet=sheet)
    dest_codes = {d: names.get(d) for d in frame["dest_name"].unique()}
    unknown = [d for d, c in dest_codes.items() if c is None]
    if unknown:
        j = frame.loc[frame["dest_name"] == unknown[0], "_col"].iat[0]
        raise LoaderError(file, f"移動後の住所地「{unknown[0]}」が移動前の住所地の一覧にありません。",
                          f"destination {unknown[0]!r} is not among the origin areas.", row=dest_i + 1,
                          column=get_column_letter(j + 1), sheet=sheet)
    frame["dest"] = frame["dest_name"].map(dest_codes)
    frame["year"] = years.pop()
    missing_dest = [c for c in PREFECTURES if c not in set(frame["dest"])]
    if missing_dest:
        raise LoaderError(file, f"移動後の住所地に都道府県 {missing_dest[0]} の列がありません。",
                          f"no destination column for prefecture {missing_dest[0]}.", row=dest_i + 1, sheet=sheet)
    _check_od_totals(frame, file, sheet)
    return frame


def _check_od_totals(frame: pd.DataFrame, file: str, sheet: str) -> None:
    """The published totals must add up: a half-written or edited file fails here, naming the cell."""
    keys = ["origin", "nationality", "sex"]
    pref = frame[frame["dest"].isin(PREFECTURES)].groupby(keys)["movers"].sum(min_count=0)
    total = frame[frame["dest"] == "00000"].set_index(keys)
    diff = total["movers"] - pref.reindex(total.index).fillna(0)
    bad = diff.fillna(0) != 0
    if bad.any():
        k = bad[bad].index[0]
        r = total.loc[k]
        raise LoaderError(file, f"全国の値 {int(r['movers']):,} が47都道府県の値の合計 {int(pref.get(k, 0)):,} と一致しません"
                                "（ファイルが途中までしか保存されていないか、値が書き換えられています）。",
                          f"the 全国 value {int(r['movers']):,} is not the sum of the 47 prefecture cells "
                          f"({int(pref.get(k, 0)):,}); the file may be half-written or edited.",
                          row=int(r["_row"]), column=f"{get_column_letter(int(r['_col']) + 1)} (全国/{k[2]})", sheet=sheet)
    by_sex = {sx: frame[frame["sex"] == sx].set_index(["_row", "dest"]) for sx in ("total", "male", "female")}
    diff = (by_sex["total"]["movers"] - by_sex["male"]["movers"].reindex(by_sex["total"].index)
            - by_sex["female"]["movers"].reindex(by_sex["total"].index))
    bad = diff.fillna(0) != 0
    if bad.any():
        k = bad[bad].index[0]
        raise LoaderError(file, "総数が男と女の合計と一致しません。", "総数 (total) is not 男 + 女 (male + female).",
                          row=int(k[0]), column=f"{get_column_letter(int(by_sex['total'].loc[k, '_col']) + 1)} ({k[1]}/総数)",
                          sheet=sheet)
    cells = frame[frame["origin"].isin(PREFECTURES)].groupby(["nationality", "dest", "sex"])["movers"].sum(min_count=0)
    nation = frame[frame["origin"] == "00000"].set_index(["nationality", "dest", "sex"])
    diff = (nation["movers"] - cells.reindex(nation.index).fillna(0)).fillna(0)
    if (diff != 0).any():
        k = diff[diff != 0].index[0]
        r = nation.loc[k]
        raise LoaderError(file, "総数の行が47都道府県の行の合計と一致しません。",
                          "the 総数 row is not the sum of the 47 prefecture rows.", row=int(r["_row"]),
                          column=get_column_letter(int(r["_col"]) + 1), sheet=sheet)


def _to_flows(cells: pd.DataFrame) -> pd.DataFrame:
    year = int(cells["year"].iat[0])
    out = pd.DataFrame({"origin_code": cells["origin"].map(our_code), "dest_code": cells["dest"].map(our_code),
                        "period": f"CY{year}", "period_kind": "CY", "nationality": cells["nationality"],
                        "sex": cells["sex"], "age_group": "total", "movers": cells["movers"],
                        "source_id": f"idou_{year}_table2"})
    return out.reset_index(drop=True)


def _prefecture_mask(cells: pd.DataFrame) -> pd.Series:
    return cells["origin"].isin(PREFECTURES) & cells["dest"].isin(PREFECTURES) & (cells["origin"] != cells["dest"])


def _partner_mask(cells: pd.DataFrame) -> pd.Series:
    areas = {"00000", *PREFECTURES, *METRO, *MAJOR_CITIES}
    special = {*METRO, *MAJOR_CITIES}
    return (cells["origin"].isin(areas) & cells["dest"].isin(areas) & (cells["origin"] != cells["dest"])
            & (cells["origin"].isin(special) | cells["dest"].isin(special)) & cells["movers"].notna())


def read_od_workbook(path: Path) -> pd.DataFrame:
    """The prefecture × prefecture flows of a 住民基本台帳人口移動報告 表2 workbook, as published.

    Input: the e-Stat .xlsx (e.g. estat_idou_2025_table2_prefecture_od.xlsx). Output: FLOW_COLUMNS rows for
    origin and destination both prefectures ('PP000'), origin ≠ destination, period 'CY<year>' (calendar year,
    read from the 時間軸 column), nationality total/japanese/foreign, sex total/male/female, age_group 'total',
    movers in persons (Int64; NA where an off-diagonal cell is '-' = not applicable), source_id
    'idou_<year>_table2'. 47 × 46 pairs × 3 nationalities × 3 sexes = 19,458 rows.
    Raises LoaderError for a malformed file (see `_read_od_cells`).
    """
    cells = _read_od_cells(path)
    return _to_flows(cells[_prefecture_mask(cells)])


def read_od_partner_flows(path: Path) -> pd.DataFrame:
    """The flows of the same workbook that involve a metro area or one of the 21 major cities.

    Rows (FLOW_COLUMNS) where origin or destination is G_TOKYO/G_NAGOYA/G_OSAKA or a major city (JIS code;
    13100 = 東京都特別区部) and the other side is 全国 '00000', a prefecture, a metro area or a major city.
    '-' cells (not applicable, e.g. 横浜市 -> 東京圏) are left out. Figures count moves across the city's or
    area's own boundary, so they include moves within the prefecture (福岡市 -> 福岡県 = to the rest of
    福岡県) and must not be added to the prefecture matrix. 21大都市計 and 移動前の住所地不詳 are left out.
    """
    cells = _read_od_cells(path)
    return _to_flows(cells[_partner_mask(cells)])


# ---------------------------------------------------------------- 2021 net flows by age (CSV)

def _age_group(label: str) -> str | None:
    t = _text(label)
    m = _AGE_RE.fullmatch(t)
    if not m:
        return None
    if t == "総数":
        return "total"
    return f"{m.group(1)}-{m.group(2)}" if m.group(1) else f"{m.group(3)}+"


def _counts(text: pd.DataFrame, row_numbers: list[int], column_names: list[str], file: str,
            signed: bool = False) -> np.ndarray:
    """Parse a block of published cells ('1,234', '-56', '△56', '-' = NA) into floats (NaN = missing).

    Raises LoaderError naming the row/column of the first cell that is not a whole number (or is negative
    when `signed` is False).
    """
    flat = pd.Series(text.to_numpy().ravel(), dtype="string").fillna("")
    values = pd.to_numeric(flat.str.replace(",", "", regex=False), errors="coerce").to_numpy(dtype=float)
    missing = np.zeros(len(flat), dtype=bool)
    slow = np.isnan(values)  # only cells that are not plain numbers go through the published-notation path
    if slow.any():
        t = flat[slow].str.normalize("NFKC").str.strip()
        missing[slow] = t.isin(MISSING_MARKS).to_numpy()
        cleaned = t.str.replace(r"[,，]", "", regex=True).str.replace(r"^[△▲]\s*", "-", regex=True)
        values[slow] = pd.to_numeric(cleaned.mask(t.isin(MISSING_MARKS)), errors="coerce").to_numpy(dtype=float)
    values, missing = values.reshape(text.shape), missing.reshape(text.shape)
    bad = (np.isnan(values) & ~missing) | (~np.isnan(values) & (values != np.round(values)))
    if bad.any():
        r, c = np.argwhere(bad)[0]
        v = text.iat[r, c]
        raise LoaderError(file, f"数値ではない値「{v}」があります。", f"value {v!r} is not a whole number.",
                          row=row_numbers[r], column=column_names[c])
    if not signed and (values < 0).any():
        r, c = np.argwhere(values < 0)[0]
        raise LoaderError(file, f"人数が負の値（{values[r, c]:,.0f}）です。", f"count is negative ({values[r, c]:,.0f}).",
                          row=row_numbers[r], column=column_names[c])
    return values


def read_net_od_csv(path: Path, year: int | None = None) -> pd.DataFrame:
    """The published net migration (転入超過数) by 5-year age × sex × nationality, focal area × partner.

    Input: the e-Stat CSV (UTF-8 with BOM or CP932; 2 header rows: age labels in three sex blocks 総数/男/女,
    then the id labels 全国・都道府県コード … 移動前・移動後の住所地). The year is not in the file: it is taken
    from `year` or from the file name ('…idou_2021_…'). Output: NET_COLUMNS rows, area_code = focal area and
    partner_code = partner ('PP000', '00000' 全国 as partner, G_TOKYO/G_NAGOYA/G_OSAKA, major-city JIS codes,
    13100), period 'CY<year>', nationality, sex, age_group ('total' = the published 総数, '0-4' … '85-89', '90+'),
    net_movers in persons (signed: in from partner − out to partner), source_id 'idou_<year>_net_age'.
    21大都市計 and the focal area's own pair (0 by definition) are left out.
    Raises LoaderError for missing headers, unknown codes, non-numbers, or a 総数 block that is not 男 + 女.
    Note: the published 総数 age column differs from the sum of the age groups by 1–3 persons in some rows
    (presumably movers of unknown age); 'total' keeps the published figure.
    """
    file = str(path)
    if year is None:
        m = re.search(r"idou_(\d{4})", path.name)
        if not m:
            raise LoaderError(file, "ファイル名から年を読み取れません（…idou_YYYY… の形にしてください）。",
                              "cannot read the year from the file name (expected …idou_YYYY…).")
        year = int(m.group(1))
    text = read_text(path)
    rows = csv_rows(file, text)
    age_i = next((i for i, r in enumerate(rows[:20]) if sum(_age_group(c) is not None for c in r) >= 20), None)
    id_i = next((i for i, r in enumerate(rows[:20]) if "国籍コード" in {_text(c) for c in r}), None)
    if age_i is None:
        raise LoaderError(file, "年齢階級の見出し行（総数、0歳～4歳 …）がありません。",
                          "the age header row (総数, 0歳～4歳 …) is missing.", row=1, column="A")
    if id_i is None:
        raise LoaderError(file, "見出し「国籍コード」の行がありません。", "the header row with 国籍コード is missing.",
                          row=age_i + 2, column="A")
    check_row_widths(file, rows, max(age_i, id_i), text)
    labels = [_text(c) for c in rows[id_i]]
    need = {"area": "全国・都道府県コード", "nat": "国籍コード", "partner": "移動前・移動後の住所地コード"}
    idx = {}
    for key, label in need.items():
        if label not in labels:
            raise LoaderError(file, f"見出し「{label}」の列がありません。", f"no column headed {label!r}.", row=id_i + 1)
        idx[key] = labels.index(label)
    ages = [(j, _age_group(c)) for j, c in enumerate(rows[age_i]) if _age_group(c) is not None]
    blocks = [ages[k:k + 20] for k in range(0, len(ages), 20)]
    expected = ["total"] + [f"{a}-{a + 4}" for a in range(0, 90, 5)] + ["90+"]
    if len(ages) != 60 or any([a for _, a in b] != expected for b in blocks):
        raise LoaderError(file, "年齢階級の見出しが「総数、0歳～4歳 … 90歳以上」×3（総数・男・女）の並びではありません。",
                          "age headers are not (総数, 0歳～4歳 … 90歳以上) × 3 sex blocks (総数/男/女).",
                          row=age_i + 1, column=get_column_letter(ages[0][0] + 1) if ages else "A")
    sexes = ["total", "male", "female"]  # e-Stat order of the three unlabelled blocks; checked: 総数 = 男 + 女 below
    keep, meta = [], []
    for i in range(max(age_i, id_i) + 1, len(rows)):
        r = rows[i]
        if not r or all(not c.strip() for c in r):
            continue
        codes = {}
        for key in ("area", "partner"):
            try:
                codes[key] = estat_code(r[idx[key]])
            except (ValueError, IndexError):
                codes[key] = _text(r[idx[key]]) if idx[key] < len(r) else ""
            if codes[key] not in KNOWN_CODES or codes[key] == "80000":
                raise LoaderError(file, f"不明な地域コード「{codes[key]}」です。", f"unknown area code {codes[key]!r}.",
                                  row=i + 1, column=labels[idx[key]])
        nat = _text(r[idx["nat"]]) if idx["nat"] < len(r) else ""
        if nat not in NATIONALITY:
            raise LoaderError(file, f"不明な国籍コード「{nat}」です。", f"unknown nationality code {nat!r}.",
                              row=i + 1, column=labels[idx["nat"]])
        keep.append(i)
        meta.append((i + 1, codes["area"], codes["partner"], NATIONALITY[nat]))
    if not keep:
        raise LoaderError(file, "見出し行の下にデータ行がありません。", "no data rows below the header.", row=id_i + 2)
    cols = [j for j, _ in ages]
    text = pd.DataFrame([[rows[i][j] if j < len(rows[i]) else "" for j in cols] for i in keep], dtype="string")
    values = _counts(text, [m[0] for m in meta], [f"{get_column_letter(j + 1)} ({rows[age_i][j]})" for j in cols], file,
                     signed=True)
    total, male, female = values[:, 0:20], values[:, 20:40], values[:, 40:60]
    bad = ~(np.isnan(total) | np.isnan(male) | np.isnan(female)) & (total != male + female)
    if bad.any():
        r_, k = np.argwhere(bad)[0]
        j = ages[k][0]
        raise LoaderError(file, f"総数 {total[r_, k]:,.0f} が男 {male[r_, k]:,.0f} と女 {female[r_, k]:,.0f} の合計と一致しません。",
                          f"total {total[r_, k]:,.0f} is not male {male[r_, k]:,.0f} + female {female[r_, k]:,.0f}.",
                          row=meta[r_][0], column=f"{get_column_letter(j + 1)} ({rows[age_i][j]})")
    info = pd.DataFrame(meta, columns=["_row", "area_code", "partner_code", "nationality"])
    dup = info.duplicated(["area_code", "partner_code", "nationality"])
    if dup.any():
        r_ = info[dup].iloc[0]
        raise LoaderError(file, f"地域 {r_['area_code']}・相手 {r_['partner_code']}・国籍 {r_['nationality']} の行が重複しています。",
                          f"duplicate row for area {r_['area_code']}, partner {r_['partner_code']}, {r_['nationality']}.",
                          row=int(r_["_row"]), column=labels[idx["partner"]])
    drop = (info["area_code"].isin(list(NOT_AREAS)) | info["partner_code"].isin(list(NOT_AREAS))
            | (info["area_code"] == info["partner_code"])).to_numpy()
    info["area_code"] = info["area_code"].map(our_code)
    info["partner_code"] = info["partner_code"].map(our_code)
    wide = pd.DataFrame(values, columns=pd.MultiIndex.from_tuples(
        [(sexes[n // 20], age) for n, (_, age) in enumerate(ages)], names=["sex", "age_group"]))
    wide.index = pd.MultiIndex.from_frame(info[["area_code", "partner_code", "nationality"]])
    out = wide[~drop].stack(["sex", "age_group"], future_stack=True).rename("net_movers").reset_index()
    out["net_movers"] = out["net_movers"].round().astype("Int64")
    out["period"], out["period_kind"], out["source_id"] = f"CY{year}", "CY", f"idou_{year}_net_age"
    return out[NET_COLUMNS]


def read_net_od_2021(path: Path) -> pd.DataFrame:
    """`read_net_od_csv` for the 2021 table (period 'CY2021', source_id 'idou_2021_net_age')."""
    return read_net_od_csv(path, year=2021)


# ---------------------------------------------------------------- folder

OD_PATTERN = "estat_idou_*_table2_prefecture_od.xlsx"
NET_PATTERN = "estat_idou_*_net_migration_od_age5_sex_nationality.csv*"


def load_folder(folder: Path) -> dict[str, pd.DataFrame]:
    """Read the 人口移動報告 files of `folder` (e.g. data/raw/migration_prefecture_od).

    Returns {'migration_flows': prefecture matrix rows + metro/major-city partner rows (FLOW_COLUMNS),
    'migration_net_flows': NET_COLUMNS rows, 'sources': rows for the source ids used, 'area_groups': the
    13100 東京都特別区部 group rows when any flow uses that code}. Missing files (or folder) give empty
    frames; a present but malformed file raises LoaderError. Merge 'area_groups' with the other groups
    (concatenate), do not replace them.
    """
    flows, nets = [], []
    if folder.is_dir():
        for p in sorted(folder.glob(OD_PATTERN)):
            cells = _read_od_cells(p)
            flows.append(_to_flows(cells[_prefecture_mask(cells) | _partner_mask(cells)]))
        for p in sorted(folder.glob(NET_PATTERN)):
            nets.append(read_net_od_csv(p))
    mf = pd.concat(flows, ignore_index=True) if flows else pd.DataFrame(columns=FLOW_COLUMNS)
    nf = pd.concat(nets, ignore_index=True) if nets else pd.DataFrame(columns=NET_COLUMNS)
    used = set(mf["source_id"]) | set(nf["source_id"])
    src = sources()
    for sid in sorted(used - set(src["source_id"])):  # another year's table: cite it generically
        year = re.search(r"\d{4}", sid).group(0)
        kind = "表2 都道府県間移動者数" if sid.endswith("table2") else "年齢（5歳階級）、男女別転入超過数"
        src = pd.concat([src, pd.DataFrame([dict(source_id=sid, publisher=_PUBLISHER, title=f"{_REPORT} {year}年 年報 {kind}",
                                                 table_id="", url="https://www.stat.go.jp/data/idou/", retrieved="",
                                                 licence=_LICENCE, note="暦年")])], ignore_index=True)
    src = src[src["source_id"].isin(used)].reset_index(drop=True)
    uses_tokubu = (TOKUBU in set(mf["origin_code"]) | set(mf["dest_code"]) | set(nf["area_code"])
                   | set(nf["partner_code"]))
    groups = area_groups() if uses_tokubu else pd.DataFrame(columns=AREA_GROUP_COLUMNS)
    if uses_tokubu and "idou_2025_table2" not in used:
        groups["source_id"] = sorted(used)[0]
    return {"migration_flows": mf, "migration_net_flows": nf, "sources": src, "area_groups": groups}
