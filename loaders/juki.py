"""住民基本台帳に基づく人口、人口動態及び世帯数 (総務省): population, households, births, deaths, migration.

Reads the published municipal workbooks (`YYMMssjin.xlsx` 総計, `YYMMgsjin.xlsx` 外国人住民,
`YYMMssnen.xlsx` / `YYMMgsnen.xlsx` age tables) and the tidy CSV conversions of the other years kept in
the same folder (`juki_dynamics_*.csv.gz`, `juki_age5_sex_*.csv.gz`), plus the 2013–2025 totals table.
Where a workbook and a CSV cover the same reference date and table, the workbook wins.

Period rules (never mixed): files dated YYYY-03-31 carry fiscal-year flows (April–March, 年度) and, up to
FY2011, Japanese residents only; files dated YYYY-01-01 carry the previous calendar year's flows (暦年).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from loaders.errors import LoaderError
from loaders.files import check_counts, read_csv_checked, read_workbook
from loaders.parse import parse_count, wareki_to_year
from loaders.validate import about, check_sum

NATIONALITY = {"total": "total", "japanese": "japanese", "foreign": "foreign", "japanese_only_pre2013": "japanese"}
SEX = {"計": "total", "男": "male", "女": "female"}
AGE_COLUMNS = {
    "age_0_4": "0-4", "age_5_9": "5-9", "age_10_14": "10-14", "age_15_19": "15-19", "age_20_24": "20-24",
    "age_25_29": "25-29", "age_30_34": "30-34", "age_35_39": "35-39", "age_40_44": "40-44", "age_45_49": "45-49",
    "age_50_54": "50-54", "age_55_59": "55-59", "age_60_64": "60-64", "age_65_69": "65-69", "age_70_74": "70-74",
    "age_75_79": "75-79", "age_80plus": "80+", "age_80_84": "80-84", "age_85_89": "85-89", "age_90_94": "90-94",
    "age_95_99": "95-99", "age_100plus": "100+",
}
DYNAMICS_COUNTS = ["pop_male", "pop_female", "pop_total", "households", "in_migrants", "in_domestic", "in_abroad",
                   "births", "other_in", "total_in", "out_migrants", "out_domestic", "out_abroad", "deaths",
                   "other_out", "total_out"]
DYNAMICS_SIGNED = ["change", "natural_change", "social_change"]
DYNAMICS_REQUIRED = ["ref_date", "table", "code5", "pref_name", "muni_name", "pop_male", "pop_female", "pop_total",
                     "households", "in_migrants", "births", "other_in", "out_migrants", "deaths", "other_out"]
AGE_REQUIRED = ["ref_date", "table", "code5", "pref_name", "muni_name", "sex", "total", "age_0_4"]

# Workbook header labels (NFKC-normalised) -> field names used by the CSV conversions.
_DYN_LABELS = {
    ("人口", "男"): "pop_male", ("人口", "女"): "pop_female", ("人口", "計"): "pop_total", ("世帯数", "世帯数"): "households",
    ("住民票記載数", "転入者数(国内)"): "in_domestic", ("住民票記載数", "転入者数(国外)"): "in_abroad",
    ("住民票記載数", "転入者数(計)"): "in_migrants", ("住民票記載数", "出生者数"): "births",
    ("住民票記載数", "その他(計)"): "other_in", ("住民票記載数", "計(A)"): "total_in",
    ("住民票消除数", "転出者数(国内)"): "out_domestic", ("住民票消除数", "転出者数(国外)"): "out_abroad",
    ("住民票消除数", "転出者数(計)"): "out_migrants", ("住民票消除数", "死亡者数"): "deaths",
    ("住民票消除数", "その他(計)"): "other_out", ("住民票消除数", "計(B)"): "total_out",
    ("増減数(A)-(B)", "増減数(A)-(B)"): "change", ("自然増減数", "自然増減数"): "natural_change",
    ("社会増減数", "社会増減数"): "social_change",
}
_TABLE_FROM_TITLE = {"総計": "total", "日本人住民": "japanese", "外国人住民": "foreign"}

#: Columns that may hold 外字 (private-use characters): the 1998 dynamics file prints three municipal names with
#: them as the 総務省 workbook did (倶知安町 U+E00F, 美瑛町 U+E019, 那覇市 U+E013); never codes or counts, and the
#: areas table takes each name from the latest file.
NAME_COLUMNS = ("pref_name", "muni_name")
#: Published totals = sum of their published parts, in every row of a dynamics table (checked on the real files:
#: every row of every file holds these exactly, but one, see DYNAMICS_PUBLISHED_EXCEPTIONS).
DYNAMICS_SUMS = [
    ("pop_total", ["pop_male", "pop_female"], []),
    ("in_migrants", ["in_domestic", "in_abroad"], []),
    ("out_migrants", ["out_domestic", "out_abroad"], []),
    ("total_in", ["in_migrants", "births", "other_in"], []),
    ("total_out", ["out_migrants", "deaths", "other_out"], []),
    ("change", ["total_in"], ["total_out"]),
    ("natural_change", ["births"], ["deaths"]),
    ("social_change", ["in_migrants", "other_in"], ["out_migrants", "other_out"]),
]
#: (ref_date, area_code, total column) printed inconsistently in the original: 9603sjin.xls (FY1995) gives
#: 上北郡下田町 (02410) 計(B) 588 where 転出 504 + 死亡 87 + その他 3 = 594. Kept as published (計(B) is not loaded).
DYNAMICS_PUBLISHED_EXCEPTIONS = {("1996-03-31", "02410", "total_out")}
#: Counts for which 総計 = 日本人住民 + 外国人住民 in every (date, area) of the real files (households too).
NATIONALITY_SUM_COLUMNS = ["pop_total", "pop_male", "pop_female", "households", "births", "deaths", "in_migrants",
                           "in_domestic", "in_abroad", "out_migrants", "out_domestic", "out_abroad", "other_in",
                           "other_out"]
#: Persons of unknown age (年齢不詳) that an age table's 総数 may hold beyond its age groups. Measured on the real
#: files: total − Σ ages is 0–7 in a municipality and at most 17 in an aggregate row (全国 2000-03-31, Japanese
#: table); in the 総計 tables from 2013, after removing the foreign residents whose ages the 外国人住民 table does not
#: publish (blank or X cells), 0–6 in a municipality and at most 13 (全国 2018-01-01). A larger gap is a damaged row.
UNKNOWN_AGE_TOLERANCE = 30


@dataclass
class JukiTables:
    """Tidy frames read from one folder of 住民基本台帳 files (see `load_folder`)."""

    population: pd.DataFrame
    households: pd.DataFrame
    vital_events: pd.DataFrame
    migration_totals: pd.DataFrame
    area_names: pd.DataFrame  # area_code, pref_name, muni_name, ref_date (every name seen, for the areas table)


# ---------------------------------------------------------------- codes and periods

def normalise_codes(frame: pd.DataFrame, file: str) -> pd.DataFrame:
    """Give every row a 5-digit `area_code` ('00000' for the national 合計 row) and drop code-less subtotals.

    Raises LoaderError for a code that is not a JIS municipal code (5 digits, prefecture 01–47).
    """
    code = frame["code5"].astype("string").str.strip().fillna("")
    national = (code == "") & (frame["pref_name"].astype("string").str.strip() == "合計")
    code = code.mask(national, "00000")
    # Rows without a code other than the national total are printed subtotals (e.g. 東京都 島しょ before 2009).
    frame = frame.loc[code != ""].copy()
    code = code.loc[code != ""]
    bad = ~code.str.fullmatch(r"\d{5}") | (
        (code != "00000") & ~code.str[:2].astype("string").isin([f"{i:02d}" for i in range(1, 48)]))
    if bad.any():
        i = bad.idxmax()
        raise LoaderError(file, f"不明な団体コード「{code[i]}」です。", f"unknown municipal code {code[i]!r}.",
                          row=int(frame.at[i, "_row"]), column="code5")
    frame["area_code"] = code
    return frame


def flow_period(ref_date: str) -> tuple[str, str, int]:
    """The flow period that a file with population reference date `ref_date` reports.

    'YYYY-03-31' -> fiscal year YYYY-1 ('FY', April–March); 'YYYY-01-01' -> calendar year YYYY-1 ('CY').
    Returns (period label, period_kind, year).
    """
    year, month = int(ref_date[:4]), ref_date[5:7]
    if month == "03":
        return f"FY{year - 1}", "FY", year - 1
    if month == "01":
        return f"CY{year - 1}", "CY", year - 1
    raise ValueError(f"unexpected reference date {ref_date}")


# ---------------------------------------------------------------- workbooks as published

def _cell_text(v) -> str:
    return "" if v is None else unicodedata.normalize("NFKC", str(v)).strip()


def _title_facts(title: str, file: str) -> tuple[str, str]:
    """(reference date ISO, table) from a workbook title such as '令和4年1月1日住民基本台帳…（総計）'."""
    m = re.match(r"((?:令和|平成)(?:元|\d{1,2})年)(\d{1,2})月(\d{1,2})日", title)
    table = next((v for k, v in _TABLE_FROM_TITLE.items() if f"({k})" in title), None)
    if not m or table is None:
        raise LoaderError(file, "表題から基準日または区分（総計・日本人住民・外国人住民）を読み取れません。",
                          "cannot read the reference date or table (総計/日本人住民/外国人住民) from the title.",
                          row=1, column="A")
    return f"{wareki_to_year(m.group(1))}-{int(m.group(2)):02d}-{int(m.group(3)):02d}", table


def _workbook_rows(path: Path) -> tuple[str, list[tuple], int]:
    """Open a workbook and return (title, all rows as tuples, index of the '団体コード' header row)."""
    sheet, rows = read_workbook(path)[0]
    title = _cell_text(rows[0][0]) if rows and rows[0] else ""
    hdr = next((i for i, r in enumerate(rows[:20]) if r and _cell_text(r[0]) == "団体コード"), None)
    if hdr is None:
        raise LoaderError(str(path), "見出し「団体コード」の行が見つかりません。", "no header row starting with 団体コード.",
                          sheet=sheet, column="A")
    return title, rows, hdr


def _body(rows: list[tuple], hdr: int, fields: dict[int, str], lead: list[str], path: Path) -> pd.DataFrame:
    """Data rows below the header as a DataFrame with `lead` columns then the mapped fields."""
    records = []
    for r_i in range(hdr + 1, len(rows)):
        row = rows[r_i]
        if not row or all(v is None for v in row):
            continue
        first = _cell_text(row[0])
        if first.startswith(("注", "※", "(注")):
            continue  # footnotes under the table
        rec = {name: _cell_text(row[i]) for i, name in enumerate(lead)}
        for col, name in fields.items():
            try:
                rec[name] = parse_count(row[col]) if col < len(row) else None
            except ValueError:
                raise LoaderError(str(path), f"数値ではない値「{row[col]}」があります。", f"value {row[col]!r} is not a number.",
                                  row=r_i + 1, column=f"{openpyxl.utils.get_column_letter(col + 1)} ({name})") from None
        rec["_row"] = r_i + 1
        records.append(rec)
    return pd.DataFrame.from_records(records)


def _code5(frame: pd.DataFrame) -> pd.DataFrame:
    code6 = frame.pop("code6").where(lambda s: s != "-", "")
    frame["code5"] = code6.str[:5]
    frame["muni_name"] = frame["muni_name"].where(frame["muni_name"] != "-", "")
    return frame


def read_dynamics_workbook(path: Path) -> pd.DataFrame:
    """Read a published 人口・世帯数・人口動態（市区町村別） workbook into the CSV column layout.

    Returns columns ref_date, table, source_file, code5, pref_name, muni_name, _row and the count fields
    (pop_*, households, in_*/out_*, births, deaths, other_in/out, total_in/out, change, natural/social_change).
    """
    title, rows, hdr = _workbook_rows(path)
    ref_date, table = _title_facts(title, str(path))
    group, label = rows[hdr - 2], rows[hdr - 1]
    fields, current = {}, ""
    for i in range(3, len(label)):
        current = _cell_text(group[i]) or current
        key = (current, _cell_text(label[i]))
        if key in _DYN_LABELS:
            fields[i] = _DYN_LABELS[key]
    missing = [f for f in DYNAMICS_REQUIRED[5:] if f not in fields.values()]
    if missing:
        raise LoaderError(str(path), f"必要な列がありません: {', '.join(missing)}",
                          f"required column(s) missing: {', '.join(missing)}", row=hdr, column=missing[0])
    frame = _code5(_body(rows, hdr, fields, ["code6", "pref_name", "muni_name"], path))
    frame["ref_date"], frame["table"], frame["source_file"] = ref_date, table, path.name
    return frame


def read_age_workbook(path: Path) -> pd.DataFrame:
    """Read a published 年齢階級別人口（市区町村別） workbook into the CSV column layout (sex, total, age_*)."""
    title, rows, hdr = _workbook_rows(path)
    ref_date, table = _title_facts(title, str(path))
    label = rows[hdr - 1]
    fields = {}
    for i in range(4, len(label)):
        text = _cell_text(label[i])
        if text == "総数":
            fields[i] = "total"
            continue
        m = re.fullmatch(r"(\d+)歳[~～](\d+)歳", text) or re.fullmatch(r"(\d+)歳以上", text)
        if m:
            fields[i] = f"age_{m.group(1)}_{m.group(2)}" if m.lastindex == 2 else f"age_{m.group(1)}plus"
    if "total" not in fields.values() or "age_0_4" not in fields.values():
        raise LoaderError(str(path), "年齢階級の見出し（総数、0歳～4歳 …）が見つかりません。",
                          "age-group headers (総数, 0歳～4歳 …) not found.", row=hdr, column="E")
    frame = _code5(_body(rows, hdr, fields, ["code6", "pref_name", "muni_name", "sex"], path))
    frame["ref_date"], frame["table"], frame["source_file"] = ref_date, table, path.name
    return frame


# ---------------------------------------------------------------- tidy tables

def _validate_dynamics(frame: pd.DataFrame, file: str) -> pd.DataFrame:
    frame = normalise_codes(frame, file)
    check_counts(frame, DYNAMICS_COUNTS, file)
    check_counts(frame, DYNAMICS_SIGNED, file, allow_negative=tuple(DYNAMICS_SIGNED))
    unknown = ~frame["table"].isin(NATIONALITY.keys())
    if unknown.any():
        i = unknown.idxmax()
        raise LoaderError(file, f"不明な区分「{frame.at[i, 'table']}」です。", f"unknown table {frame.at[i, 'table']!r}.",
                          row=int(frame.at[i, "_row"]), column="table")
    keys = list(zip(frame["ref_date"], frame["area_code"]))
    for total, plus, minus in DYNAMICS_SUMS:
        skip = [(d, a, total) in DYNAMICS_PUBLISHED_EXCEPTIONS for d, a in keys]
        check_sum(frame, file, total, plus, minus, describe=("area_code", "muni_name", "ref_date"), skip=skip)
    return frame


def _age_layout(frame: pd.DataFrame) -> dict[str, list[str]]:
    """Age columns each reference date publishes (80+ as one group up to 2014, 80–84 … 100+ from 2015)."""
    ages = [c for c in AGE_COLUMNS if c in frame.columns]
    shown = frame[ages].notna().groupby(frame["ref_date"]).any()
    return {d: [c for c in ages if shown.at[d, c]] for d in shown.index}


def _validate_age(frame: pd.DataFrame, file: str) -> pd.DataFrame:
    """Codes, counts and sex of an age table, and that each row is whole (see `_check_age_rows`)."""
    frame = normalise_codes(frame, file)
    check_counts(frame, ["total", *[c for c in AGE_COLUMNS if c in frame.columns]], file)
    bad = ~frame["sex"].isin(SEX.keys())
    if bad.any():
        i = bad.idxmax()
        raise LoaderError(file, f"不明な性別「{frame.at[i, 'sex']}」です。", f"unknown sex {frame.at[i, 'sex']!r}.",
                          row=int(frame.at[i, "_row"]), column="sex")
    _check_age_rows(frame, file)
    return frame


def _check_age_rows(frame: pd.DataFrame, file: str) -> None:
    """An age table as published (checked on every real file): each area and date has a 計, a 男 and a 女 row; a
    row publishes all age groups of its date's layout or none (suppressed: blank or X); the age groups never sum
    to more than 総数; 計 = 男 + 女 in 総数 and in every age group. Raises LoaderError (file, row, column, area/date)."""
    describe = ("area_code", "muni_name", "ref_date", "sex")
    groups = frame.groupby(["ref_date", "area_code"], sort=False)["sex"]
    short = groups.transform("size") != 3
    if short.any() or frame.duplicated(["ref_date", "area_code", "sex"]).any():
        i = short.idxmax() if short.any() else frame.duplicated(["ref_date", "area_code", "sex"]).idxmax()
        rows = frame.loc[(frame["ref_date"] == frame.at[i, "ref_date"]) & (frame["area_code"] == frame.at[i, "area_code"])]
        have = "・".join(rows["sex"])
        raise LoaderError(file, f"計・男・女の3行がそろっていません（{have} のみ; {about(frame, i, describe[:3])}）。ファイルが途中で切れて"
                          "いる可能性があります。",
                          f"the 計/男/女 rows are not all there (only {have}; {about(frame, i, describe[:3])}); the file may be "
                          "truncated.", row=int(rows["_row"].max()), column="sex")
    for ref_date, cols in _age_layout(frame).items():
        rows = frame.loc[frame["ref_date"] == ref_date, cols]
        shown = rows.notna()
        partial = shown.any(axis=1) & ~shown.all(axis=1)
        if partial.any():
            i = partial.idxmax()
            col = next(c for c in cols if not shown.at[i, c])
            raise LoaderError(file, f"年齢階級の一部だけが空欄です（{len(cols)} 区分のうち {int(shown.loc[i].sum())} 区分; "
                              f"{about(frame, i, describe)}）。ファイルが途中で切れている可能性があります。",
                              f"only {int(shown.loc[i].sum())} of {len(cols)} age groups have a value "
                              f"({about(frame, i, describe)}); the file may be truncated.",
                              row=int(frame.at[i, "_row"]), column=col)
        whole = frame.loc[rows.index[shown.all(axis=1)]]
        over = whole["total"].astype("Float64") < whole[cols].astype("Float64").sum(axis=1)
        if over.any():
            i = over.idxmax()
            s_ = int(whole.loc[i, cols].sum())
            raise LoaderError(file, f"年齢階級の合計 {s_:,} が総数 {int(whole.at[i, 'total']):,} を超えています（{about(frame, i, describe)}）。",
                              f"the age groups sum to {s_:,}, more than the total {int(whole.at[i, 'total']):,} "
                              f"({about(frame, i, describe)}).", row=int(frame.at[i, "_row"]), column="total")
    cols = ["total", *[c for c in AGE_COLUMNS if c in frame.columns]]
    wide = frame.set_index(["ref_date", "area_code", "sex"])[cols].astype("Float64").unstack("sex")
    diff = (wide.xs("計", axis=1, level="sex") - wide.xs("男", axis=1, level="sex")
            - wide.xs("女", axis=1, level="sex"))[cols]
    bad = (diff.notna() & (diff != 0)).to_numpy()
    if bad.any():
        r, c = np.argwhere(bad)[0]
        ref_date, area = diff.index[r]
        col = cols[c]
        i = frame.index[(frame["ref_date"] == ref_date) & (frame["area_code"] == area) & (frame["sex"] == "計")][0]
        k, m, f_ = (int(wide.at[(ref_date, area), (col, s)]) for s in ("計", "男", "女"))
        raise LoaderError(file, f"計 {k:,} が男 {m:,} ＋女 {f_:,} と一致しません（{about(frame, i, describe[:3])}）。",
                          f"計 {k:,} is not 男 {m:,} + 女 {f_:,} ({about(frame, i, describe[:3])}).",
                          row=int(frame.at[i, "_row"]), column=col)


def check_unknown_age(age: pd.DataFrame) -> None:
    """Refuse an age-table row whose 総数 exceeds its age groups by more than UNKNOWN_AGE_TOLERANCE persons of
    unknown age. In a 総計 table the gap also holds foreign residents whose ages are not published: the gap of the
    外国人住民 row of the same date, area and sex (that table's 総数 − its published age groups) is taken off first,
    and a 総計 row without that row is not checked. 外国人住民 rows are not bounded: their gap includes whole member
    municipalities whose detail is suppressed.

    age: validated age rows of every file, with `_file`. Raises LoaderError (file, row, column 'total', area/date).
    """
    ages = [c for c in AGE_COLUMNS if c in age.columns]
    gap = age["total"].astype("Float64") - age[ages].astype("Float64").sum(axis=1)
    keys = ["ref_date", "area_code", "sex"]
    foreign = age.loc[age["table"] == "foreign", keys].assign(foreign_gap=gap[age["table"] == "foreign"])
    checked = age.loc[age["table"] != "foreign", keys + ["table"]].assign(gap=gap[age["table"] != "foreign"])
    checked = checked.reset_index().merge(foreign, on=keys, how="left").set_index("index")
    is_total = checked["table"] == "total"
    unknown = checked["gap"] - checked["foreign_gap"].where(is_total, 0)
    bad = unknown.notna() & (unknown > UNKNOWN_AGE_TOLERANCE)
    if bad.any():
        i = bad.idxmax()
        extra = (f"、外国人住民の年齢非公表 {int(checked.at[i, 'foreign_gap']):,} 人を除く" if is_total[i] else "")
        extra_en = (f", after {int(checked.at[i, 'foreign_gap']):,} foreign residents of unpublished age" if is_total[i] else "")
        where = about(age, i, ("area_code", "muni_name", "ref_date", "sex"))
        raise LoaderError(age.at[i, "_file"],
                          f"総数が年齢階級の合計より {int(unknown[i]):,} 人多く{extra}、年齢不詳として認める {UNKNOWN_AGE_TOLERANCE} 人を"
                          f"超えています（{where}）。ファイルが壊れている可能性があります。",
                          f"the total exceeds the sum of the age groups by {int(unknown[i]):,}{extra_en}, more than the "
                          f"{UNKNOWN_AGE_TOLERANCE} persons of unknown age allowed ({where}); the file may be damaged.",
                          row=int(age.at[i, "_row"]), column="total")


def check_nationality_sums(dynamics: pd.DataFrame) -> None:
    """Refuse a (date, area) where a 総計 count differs from 日本人住民 + 外国人住民 (every NATIONALITY_SUM_COLUMNS
    count published in all three tables). dynamics: validated rows of every file, with `_file`. Raises
    LoaderError naming the 総計 row's file, row and column, the area/date and the other two rows."""
    keys = ["ref_date", "area_code"]
    cols = [c for c in NATIONALITY_SUM_COLUMNS if c in dynamics.columns]
    parts = {t: dynamics[dynamics["table"] == t].drop_duplicates(keys).set_index(keys)
             for t in ("total", "japanese", "foreign")}
    if any(p.empty for p in parts.values()):
        return
    common = parts["total"].index.intersection(parts["japanese"].index).intersection(parts["foreign"].index)
    if common.empty:
        return
    t, j, f = (parts[k].loc[common] for k in ("total", "japanese", "foreign"))
    for col in cols:
        diff = t[col].astype("Float64") - j[col].astype("Float64") - f[col].astype("Float64")
        bad = diff.notna() & (diff != 0)
        if bad.any():
            key = bad.idxmax()
            name = next((str(v) for v in (t.at[key, "muni_name"], t.at[key, "pref_name"]) if pd.notna(v) and str(v)), "")
            where = f"{key[1]} {name}, {key[0]}"
            others = f"{j.at[key, '_file']} {j.at[key, '_row']}, {f.at[key, '_file']} {f.at[key, '_row']}"
            raise LoaderError(t.at[key, "_file"],
                              f"総計 {int(t.at[key, col]):,} が日本人住民 {int(j.at[key, col]):,} ＋外国人住民 {int(f.at[key, col]):,} と"
                              f"一致しません（{where}; 日本人・外国人の行: {others}）。",
                              f"total {int(t.at[key, col]):,} is not japanese {int(j.at[key, col]):,} + foreign "
                              f"{int(f.at[key, col]):,} ({where}; those rows: {others}).",
                              row=int(t.at[key, "_row"]), column=col)


def dynamics_to_tidy(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Split validated dynamics rows into population / households / vital_events / migration_totals frames."""
    f = frame.copy()
    f["nationality"] = f["table"].map(NATIONALITY)
    periods = f["ref_date"].map(flow_period)
    f["period"], f["period_kind"], f["year"] = periods.str[0], periods.str[1], periods.str[2].astype(int)
    f["source_id"] = "juki_dynamics"
    pop = f.melt(id_vars=["area_code", "ref_date", "nationality", "source_id"],
                 value_vars=["pop_total", "pop_male", "pop_female"], var_name="sex", value_name="persons")
    pop["sex"] = pop["sex"].map({"pop_total": "total", "pop_male": "male", "pop_female": "female"})
    pop["basis"], pop["age_group"] = "juki", "total"
    hh = f[["area_code", "ref_date", "nationality", "households", "source_id"]]
    keys = ["area_code", "period", "period_kind", "year", "nationality"]
    vital = f[keys + ["births", "deaths", "source_id"]]
    mig = f[keys + ["in_migrants", "in_domestic", "in_abroad", "out_migrants", "out_domestic", "out_abroad",
                    "other_in", "other_out", "source_id"]].rename(columns={"in_migrants": "in_total",
                                                                         "out_migrants": "out_total"})
    return {"population": pop, "households": hh, "vital_events": vital, "migration_totals": mig}


def age_to_tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Population rows by sex × 5-year age group from validated age-table rows (the 総数 column is not repeated)."""
    f = frame.copy()
    f["nationality"] = f["table"].map(NATIONALITY)
    f["sex"] = f["sex"].map(SEX)
    ages = [c for c in AGE_COLUMNS if c in f.columns]
    long = f.melt(id_vars=["area_code", "ref_date", "nationality", "sex"], value_vars=ages,
                  var_name="age_col", value_name="persons").dropna(subset=["persons"])
    long["age_group"] = long.pop("age_col").map(AGE_COLUMNS)
    long["basis"], long["source_id"] = "juki", "juki_age"
    return long


def read_totals_csv(path: Path) -> pd.DataFrame:
    """The 2013–2025 municipal totals table (year, 団体コード, 総人口, 日本人人口, 外国人人口) as population rows.

    Reference dates: 2013 -> 2013-03-31, later years -> YYYY-01-01. Designated cities, prefectures and the
    nation are not in this table; `aggregate_totals` adds them as sums (labelled by their own source id).
    """
    req = ["year", "団体コード", "都道府県名", "市区町村名", "総人口", "日本人人口", "外国人人口"]
    f = read_csv_checked(path, req, dtype={"団体コード": str})
    f["code5"] = f["団体コード"].str[:5]
    f["pref_name"] = f["都道府県名"]
    f = normalise_codes(f, str(path))
    check_counts(f, ["year", "総人口", "日本人人口", "外国人人口"], str(path))
    check_sum(f, str(path), "総人口", ["日本人人口", "外国人人口"], describe=("area_code", "市区町村名", "year"))
    f["ref_date"] = f["year"].map(lambda y: f"{y}-03-31" if y == 2013 else f"{y}-01-01")
    long = f.melt(id_vars=["area_code", "ref_date"], value_vars=["総人口", "日本人人口", "外国人人口"],
                  var_name="nat", value_name="persons")
    long["nationality"] = long.pop("nat").map({"総人口": "total", "日本人人口": "japanese", "外国人人口": "foreign"})
    long["sex"], long["age_group"], long["basis"], long["source_id"] = "total", "total", "juki", "juki_totals_2013_2025"
    long.attrs["names"] = f[["area_code", "pref_name", "市区町村名", "ref_date"]].rename(columns={"市区町村名": "muni_name"})
    return long


def aggregate_totals(munis: pd.DataFrame, ward_parent: dict[str, str]) -> pd.DataFrame:
    """Designated-city, prefecture and national totals summed from municipal/ward rows of the totals table.

    `ward_parent` maps a ward code to its designated city. Prefectures sum every row (wards included, since
    the table has no designated-city rows), so nothing is counted twice.
    """
    keys = ["ref_date", "nationality", "sex", "age_group", "basis"]
    wards = munis[munis["area_code"].isin(ward_parent)].assign(area_code=lambda d: d["area_code"].map(ward_parent))
    city = wards.groupby(["area_code", *keys], as_index=False)["persons"].sum()
    pref = munis.assign(area_code=munis["area_code"].str[:2] + "000").groupby(["area_code", *keys], as_index=False)["persons"].sum()
    nation = munis.assign(area_code="00000").groupby(["area_code", *keys], as_index=False)["persons"].sum()
    out = pd.concat([city, pref, nation], ignore_index=True)
    out["source_id"] = "juki_totals_2013_2025_sum"
    return out


def load_folder(folder: Path) -> JukiTables:
    """Read every 住民基本台帳 file of `folder` (see module doc) into tidy frames.

    Raises LoaderError if the folder holds none of the expected files or any file is malformed.
    """
    if not folder.is_dir():
        raise LoaderError(str(folder), "フォルダがありません。", "folder not found.")
    dyn_csv = sorted(folder.glob("juki_dynamics_*.csv*"))
    age_csv = sorted(folder.glob("juki_age5_sex_*.csv*"))
    dyn_xlsx = sorted(folder.glob("original_*/*sjin.xls*"))
    age_xlsx = sorted(folder.glob("original_*/*snen.xls*"))
    if not (dyn_csv or dyn_xlsx):
        raise LoaderError(str(folder), "住民基本台帳の人口動態ファイル（*sjin.xlsx または juki_dynamics_*.csv.gz）がありません。",
                          "no 住民基本台帳 dynamics files (*sjin.xlsx or juki_dynamics_*.csv.gz) found.")
    dyn = [_validate_dynamics(read_dynamics_workbook(p), str(p)).assign(_file=str(p)) for p in dyn_xlsx]
    covered = {(d["ref_date"].iat[0], d["table"].iat[0]) for d in dyn}
    for p in dyn_csv:
        f = _validate_dynamics(read_csv_checked(p, DYNAMICS_REQUIRED, dtype={"code": str, "code5": str},
                                                private_use_columns=NAME_COLUMNS), str(p))
        dyn.append(f[~pd.MultiIndex.from_frame(f[["ref_date", "table"]]).isin(covered)].assign(_file=str(p)))
    age = [_validate_age(read_age_workbook(p), str(p)).assign(_file=str(p)) for p in age_xlsx]
    covered_age = {(d["ref_date"].iat[0], d["table"].iat[0]) for d in age}
    for p in age_csv:
        f = _validate_age(read_csv_checked(p, AGE_REQUIRED, dtype={"code": str, "code5": str},
                                           private_use_columns=NAME_COLUMNS), str(p))
        age.append(f[~pd.MultiIndex.from_frame(f[["ref_date", "table"]]).isin(covered_age)].assign(_file=str(p)))
    dynamics = pd.concat(dyn, ignore_index=True)
    check_nationality_sums(dynamics)
    tidy = dynamics_to_tidy(dynamics)
    populations = [tidy["population"]]
    if age:
        ages = pd.concat(age, ignore_index=True)
        check_unknown_age(ages)
        populations.append(age_to_tidy(ages))
    names = [dynamics[["area_code", "pref_name", "muni_name", "ref_date"]]]
    totals_path = folder / "daicho_estat_municipal_total_japanese_foreign_2013_2025.csv"
    if totals_path.exists():
        totals = read_totals_csv(totals_path)
        names.append(totals.attrs.pop("names"))
        # Only the dates the dynamics files do not cover; the overlap is checked equal in tests.
        totals = totals[totals["ref_date"] > dynamics["ref_date"].max()]
        populations += [totals]
    area_names = pd.concat(names, ignore_index=True).drop_duplicates()
    return JukiTables(population=pd.concat(populations, ignore_index=True), households=tidy["households"],
                      vital_events=tidy["vital_events"], migration_totals=tidy["migration_totals"],
                      area_names=area_names)
