"""Net migration of Japanese aged 15–29 by municipality (住民基本台帳人口移動報告 年報, 総務省統計局).

Reads the e-Stat database downloads `pop_moveYYYY.csv` as published (CP932, three header lines 表章項目 /
性別 / 年齢, numbers quoted with thousands commas, negatives with '-'): 転入超過数 of 日本人移動者 by sex
(総数/男/女) × age (15～19歳, 20～24歳, 25～29歳) for every 市 (designated cities as a whole), 東京都特別区部,
and — for towns and villages — only their 郡 (北海道: 振興局, 東京都島しょ: 支庁) totals, plus 全国/都道府県
市部・郡部 totals. Each file covers one calendar year (Jan–Dec): the year is the 時間軸 column where present
(2020–) and otherwise the file name; 2017 was checked against the 2017 prefecture table of the same report.

Rows carry names only. They are matched to JIS codes with the prefecture taken from the preceding
'<都道府県>市部/郡部' row, on the names in force at the end of the file's year (`area_names` of the
住民基本台帳 files, reference date 1 January of the next year). A 郡 (or 支庁) with a single town or village
is that municipality (e.g. 三井郡 = 大刀洗町, 三潴郡 = 大木町) and is mapped to it; a 郡 with several members,
a 振興局 and the 市部/郡部 rows are aggregates. Every row that is not mapped is returned in a report frame
(status 'aggregate' or 'not_found') so the build can print it; nothing is dropped silently.
東京都特別区部 is kept as the group-like code 13100 (defined by `loaders.migration_od.area_groups`).
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

from loaders.errors import LoaderError
from loaders.files import check_row_widths, csv_rows, read_text
from loaders.parse import parse_count
from loaders.sources import SOURCE_COLUMNS

SOURCE_ID = "youth_net_migration"
YOUTH_COLUMNS = ["area_code", "period", "period_kind", "year", "nationality", "sex", "age_group", "net_movers",
                 "source_id"]
REPORT_COLUMNS = ["file", "row", "year", "pref_name", "name", "status", "detail", "members"]

YOUTH_KEYS = ["area_code", "period", "nationality", "sex", "age_group", "source_id"]

SOURCES: list[dict] = [
    dict(source_id=SOURCE_ID, publisher="総務省統計局",
         title="住民基本台帳人口移動報告 年報 市区町村別 日本人移動者の転入超過数（15～19歳・20～24歳・25～29歳、男女別）",
         table_id="e-Stat データベース 政府統計コード 00200523（年次、2017–2021年）",
         url="https://www.e-stat.go.jp/stat-search/database?toukei=00200523",
         retrieved="", licence="政府標準利用規約（第2.0版）（CC BY 4.0 互換）",
         note="暦年。町村は郡（北海道は振興局、東京都島しょは支庁）単位でのみ公表: 1町村だけの郡はその町村の値、"
              "複数町村の郡は集計値のため地域に割り当てない。東京都特別区部は 13100（区別の値なし）。指定都市は市全体。"
              "15-29 は3階級の和。公開 GitHub リポジトリの原本 CSV（AngelineJCQ/project-japan-young-pop-movement@e346eb2）から取得"),
]

NATIONALITY = {"日本人移動者": "japanese", "移動者": "total", "外国人移動者": "foreign"}
SEX = {"総数": "total", "男": "male", "女": "female"}
TOKUBU = "13100"
#: 東京都 島しょ: the report's 支庁 totals and their towns/villages (unchanged since 1955).
TOKYO_SHICHO = {"大島支庁": ["13361", "13362", "13363", "13364"], "三宅支庁": ["13381", "13382"],
                "八丈支庁": ["13401", "13402"], "小笠原支庁": ["13421"]}
_AGE_RE = re.compile(r"(\d+)[~～〜](\d+)歳")
_PREF_RE = re.compile(r"(.+?[都道府県])(市部|郡部)")


def normalise_name(name) -> str:
    """Name key for matching: NFKC (full/half width), no spaces, small ヶ/ヵ as ケ/カ."""
    t = unicodedata.normalize("NFKC", "" if name is None else str(name))
    t = re.sub(r"[\s\u3000]", "", t)
    return t.replace("ヶ", "ケ").replace("ヵ", "カ")


def sources() -> pd.DataFrame:
    """Rows of the `sources` table for this module."""
    return pd.DataFrame(SOURCES, columns=SOURCE_COLUMNS)


# ---------------------------------------------------------------- reading the published CSV

def _header(rows: list[list[str]], file: str) -> dict:
    """Locate the three header lines by content and return the column layout."""
    def cells(r):
        return [unicodedata.normalize("NFKC", c).strip() for c in r]

    age_i = next((i for i, r in enumerate(rows[:15]) if sum(bool(_AGE_RE.fullmatch(c)) for c in cells(r)) >= 3), None)
    if age_i is None:
        raise LoaderError(file, "年齢の見出し行（15～19歳 …）がありません。", "the age header row (15～19歳 …) is missing.",
                          row=1, column="A")
    age_row = cells(rows[age_i])
    sex_i = next((i for i in range(age_i - 1, -1, -1) if sum(c in SEX for c in cells(rows[i])) >= 3), None)
    if sex_i is None:
        raise LoaderError(file, "性別の見出し行（総数・男・女）が年齢の見出しの上にありません。",
                          "the sex header row (総数/男/女) is missing above the age header.", row=age_i + 1, column="A")
    item_i = next((i for i in range(sex_i - 1, -1, -1) if any("転入超過数" in c for c in cells(rows[i]))), None)
    if item_i is None:
        raise LoaderError(file, "表章項目「転入超過数」の見出し行がありません（転入者数などの別の表ではありませんか）。",
                          "the header row naming 転入超過数 (net migration) is missing; is this another table?",
                          row=sex_i + 1, column="A")
    sex_row, item_row = cells(rows[sex_i]), cells(rows[item_i])
    values = []
    for j, c in enumerate(age_row):
        m = _AGE_RE.fullmatch(c)
        if not m:
            continue
        sex = sex_row[j] if j < len(sex_row) else ""
        item = item_row[j] if j < len(item_row) else ""
        if sex not in SEX:
            raise LoaderError(file, f"性別の見出し「{sex}」が不明です。", f"unknown sex header {sex!r}.", row=sex_i + 1,
                              column=_letter(j))
        if "転入超過数" not in item:
            raise LoaderError(file, f"列の表章項目「{item}」が転入超過数ではありません。",
                              f"column item {item!r} is not 転入超過数 (net migration).", row=item_i + 1, column=_letter(j))
        values.append((j, SEX[sex], f"{m.group(1)}-{m.group(2)}"))
    layout = {"data": age_i + 1, "values": values, "labels": [c.strip() for c in rows[age_i]]}
    for key, test in (("nat", lambda c: c == "国籍"), ("time", lambda c: c.startswith("時間軸")),
                      ("area", lambda c: c.startswith("全国・都道府県・市区町村") or c == "地域")):
        layout[key] = next((j for j, c in enumerate(age_row) if test(c)), None)
    if layout["area"] is None:
        raise LoaderError(file, "地域名の列（「全国・都道府県・市区町村…」または「地域」）がありません。",
                          "no area-name column (全国・都道府県・市区町村… or 地域).", row=age_i + 1, column="A")
    if layout["nat"] is None:
        raise LoaderError(file, "「国籍」の列がありません。", "no 国籍 (nationality) column.", row=age_i + 1, column="A")
    return layout


def _letter(j: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(j + 1)


def read_youth_table(path: Path, year: int | None = None) -> pd.DataFrame:
    """The published rows of one pop_moveYYYY.csv, not yet matched to codes.

    Returns columns _row (1-based line), year, nationality, name (as printed), sex, age_group ('15-19' …),
    net_movers (Int64, signed). The year comes from the 時間軸 column, else `year`, else the file name.
    Raises LoaderError (file, row, column) for missing headers, unknown nationality, a non-number, a 総数 that is
    not 男 + 女, or a year in the file that differs from the file name's.
    """
    file = str(path)
    text = read_text(path)
    rows = csv_rows(file, text)
    lay = _header(rows, file)
    check_row_widths(file, rows, lay["data"] - 1, text)
    name_year = re.search(r"(\d{4})", path.stem)
    records, years = [], set()
    for i in range(lay["data"], len(rows)):
        r = rows[i]
        if not r or all(not c.strip() for c in r):
            continue
        name = r[lay["area"]].strip() if lay["area"] < len(r) else ""
        if not name:
            raise LoaderError(file, "地域名が空です。", "the area name is empty.", row=i + 1, column=_letter(lay["area"]))
        nat = unicodedata.normalize("NFKC", r[lay["nat"]]).strip() if lay["nat"] < len(r) else ""
        if nat not in NATIONALITY:
            raise LoaderError(file, f"不明な国籍「{nat}」です。", f"unknown nationality {nat!r}.", row=i + 1,
                              column=_letter(lay["nat"]))
        if lay["time"] is not None:
            m = re.search(r"(\d{4})年", r[lay["time"]] if lay["time"] < len(r) else "")
            if not m:
                raise LoaderError(file, "時間軸から年を読めません。", "cannot read the year from the time column.",
                                  row=i + 1, column=_letter(lay["time"]))
            years.add(int(m.group(1)))
        vals = {}
        for j, sex, age in lay["values"]:
            v = r[j] if j < len(r) else None
            try:
                vals[(sex, age)] = parse_count(v)
            except ValueError:
                raise LoaderError(file, f"数値ではない値「{v}」があります。", f"value {v!r} is not a number.",
                                  row=i + 1, column=f"{_letter(j)} ({lay['labels'][j]})") from None
        for (sex, age), v in vals.items():
            if sex == "total" and None not in (v, vals.get(("male", age)), vals.get(("female", age))) \
                    and v != vals[("male", age)] + vals[("female", age)]:
                j = next(j for j, s, a in lay["values"] if (s, a) == (sex, age))
                raise LoaderError(file, f"総数 {v:,} が男と女の合計 {vals[('male', age)] + vals[('female', age)]:,} と一致しません。",
                                  f"total {v:,} is not male + female ({vals[('male', age)] + vals[('female', age)]:,}).",
                                  row=i + 1, column=f"{_letter(j)} ({lay['labels'][j]})")
            records.append((i + 1, NATIONALITY[nat], name, sex, age, v))
    if not records:
        raise LoaderError(file, "見出し行の下にデータ行がありません。", "no data rows below the header.", row=lay["data"] + 1)
    if len(years) > 1:
        raise LoaderError(file, f"複数の年が混在しています: {sorted(years)}", f"more than one year: {sorted(years)}",
                          column=_letter(lay["time"]))
    found = years.pop() if years else year if year is not None else int(name_year.group(1)) if name_year else None
    if found is None:
        raise LoaderError(file, "年が分かりません（時間軸の列もファイル名の年もありません）。",
                          "cannot tell the year (no time column and no year in the file name).")
    if name_year and int(name_year.group(1)) != found:
        raise LoaderError(file, f"ファイル名の年 {name_year.group(1)} と表の年 {found} が違います。",
                          f"the file name says {name_year.group(1)} but the table says {found}.",
                          column=_letter(lay["time"]) if lay["time"] is not None else None)
    out = pd.DataFrame.from_records(records, columns=["_row", "nationality", "name", "sex", "age_group", "net_movers"])
    out["net_movers"] = out["net_movers"].astype("Int64")
    out["year"] = found
    return out


# ---------------------------------------------------------------- names -> codes

class NameIndex:
    """Names in force at one date (from the 住民基本台帳 area names) keyed by (prefecture, normalised name)."""

    def __init__(self, area_names: pd.DataFrame, areas: pd.DataFrame, year: int):
        dates = sorted(area_names["ref_date"].unique())
        cutoff = f"{year + 1}-01-01"
        self.ref_date = max((d for d in dates if d <= cutoff), default=dates[0])
        snap = area_names[area_names["ref_date"] == self.ref_date]
        self.known = set(areas["area_code"])
        self.exact: dict[tuple[str, str], set[str]] = {}
        self.short: dict[tuple[str, str], set[str]] = {}
        self.districts: dict[tuple[str, str], str] = {}
        self.towns: dict[str, list[tuple[str, str]]] = {}  # pref -> [(normalised full name, code)]
        for code, pref, muni in zip(snap["area_code"], snap["pref_name"], snap["muni_name"]):
            n = normalise_name(muni)
            if not n or code.endswith("000"):
                continue
            if n.endswith("郡") or n == "島しょ":
                self.districts[(pref, n)] = code
                continue
            self.exact.setdefault((pref, n), set()).add(code)
            m = re.match(r".+?郡(.+[町村])$", n)
            if m:  # towns are printed with their 郡 ('三井郡大刀洗町'); allow the bare name too
                self.short.setdefault((pref, m.group(1)), set()).add(code)
                self.towns.setdefault(pref, []).append((n, code))
            elif code[2] in "34567":
                self.towns.setdefault(pref, []).append((n, code))
        self.latest: dict[tuple[str, str], set[str]] = {}
        live = areas[areas["kind"].isin(["city", "designated_city", "special_ward", "town", "village", "ward"])]
        for code, pref, name in zip(live["area_code"], live["pref_name"], live["name_ja"]):
            self.latest.setdefault((pref, normalise_name(name)), set()).add(code)

    def district_members(self, pref: str, name: str) -> list[str]:
        return sorted({c for n, c in self.towns.get(pref, []) if n.startswith(name) and len(n) > len(name)})

    def match(self, pref: str | None, name: str) -> tuple[str | None, str, str, list[str]]:
        """(code or None, status, detail, members) for one printed name in prefecture `pref`."""
        n = normalise_name(name)
        if n in ("全国市部", "全国郡部"):
            return None, "aggregate", "全国の市部・郡部の計", []
        m = _PREF_RE.fullmatch(n)
        if m:
            return None, "aggregate", f"{m.group(1)}の{m.group(2)}の計", []
        if pref is None:
            return None, "not_found", "都道府県が分からない位置の行", []
        if n in ("東京都特別区部", "特別区部") and pref == "東京都":
            return TOKUBU, "matched", "東京都特別区部（23区の計）", []
        for table in (self.exact, self.short):
            codes = table.get((pref, n))
            if codes and len(codes) == 1:
                return next(iter(codes)), "matched", "", []
            if codes:
                return None, "not_found", f"同名の団体が複数: {','.join(sorted(codes))}", sorted(codes)
        if n.endswith("郡"):
            members = self.district_members(pref, n)
            code = self.districts.get((pref, n), "")
            if len(members) == 1:
                return members[0], "matched", f"{name}（1町村のみの郡）", members
            if members:
                return None, "aggregate", f"郡の計（{len(members)}町村）{code}", members
            return None, "not_found", f"郡の構成町村が {self.ref_date} の名称にありません", []
        if pref == "東京都" and n in TOKYO_SHICHO:
            members = TOKYO_SHICHO[n]
            if len(members) == 1:
                return members[0], "matched", f"{name}（1村のみの支庁）", members
            return None, "aggregate", f"支庁の計（{len(members)}町村）", members
        if pref == "北海道" and n.endswith("振興局"):
            return None, "aggregate", "振興局の町村部の計", []
        codes = self.latest.get((pref, n))
        if codes and len(codes) == 1:
            return next(iter(codes)), "matched", "最新の名称で照合", []
        return None, "not_found", f"{self.ref_date} の市区町村名にも最新の名称にもありません", []


def read_youth_csv(path: Path, areas: pd.DataFrame, area_names: pd.DataFrame,
                   year: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One pop_moveYYYY.csv as rows of `youth_net_migration` plus a report of the names not mapped.

    Inputs: the CSV as published; `areas` (loaders.areas.build_areas) and `area_names` (juki.load_folder(...)
    .area_names: area_code, pref_name, muni_name, ref_date). Output 1: YOUTH_COLUMNS — area_code (JIS 5-digit,
    or 13100), period 'CY<year>', period_kind 'CY', year, nationality ('japanese'), sex (total/male/female),
    age_group ('15-19', '20-24', '25-29', and '15-29' = their sum), net_movers (persons, signed: 転入超過数),
    source_id 'youth_net_migration'. Output 2: REPORT_COLUMNS, one line per printed name that is not a
    municipality row: status 'aggregate' (市部/郡部, 郡 of several towns/villages, 振興局, 支庁) or 'not_found'.
    Raises LoaderError for a malformed file, or if two printed names map to one code.
    """
    table = read_youth_table(path, year)
    yr = int(table["year"].iat[0])
    index = NameIndex(area_names, areas, yr)
    names = table.drop_duplicates("_row")[["_row", "name"]]
    pref, mapping, report = None, {}, []
    for row, name in zip(names["_row"], names["name"]):
        m = _PREF_RE.fullmatch(normalise_name(name))
        if m:
            pref = m.group(1)
        code, status, detail, members = index.match(pref, name)
        if code is not None and code != TOKUBU and code not in index.known:
            code, status, detail = None, "not_found", f"コード {code} が areas にありません"
        if code is None:
            report.append(dict(file=path.name, row=row, year=yr, pref_name=pref or "", name=name, status=status,
                               detail=detail, members=",".join(members)))
            continue
        if code in mapping.values():
            other = next(r for r, c in mapping.items() if c == code)
            raise LoaderError(str(path), f"「{name}」と {other}行目の地域が同じコード {code} になります。",
                              f"{name!r} and row {other} both map to code {code}.", row=row)
        mapping[row] = code
    rows = table[table["_row"].isin(mapping)].copy()
    rows["area_code"] = rows["_row"].map(mapping)
    keys = ["area_code", "year", "nationality", "sex"]
    summed = rows.groupby(keys, as_index=False)["net_movers"].sum(min_count=3).assign(age_group="15-29")
    rows = pd.concat([rows[keys + ["age_group", "net_movers"]], summed], ignore_index=True)
    rows["net_movers"] = rows["net_movers"].astype("Int64")
    rows["period"], rows["period_kind"], rows["source_id"] = f"CY{yr}", "CY", SOURCE_ID
    rows = rows.sort_values(["area_code", "sex", "age_group"], kind="stable").reset_index(drop=True)
    return rows[YOUTH_COLUMNS], pd.DataFrame(report, columns=REPORT_COLUMNS)


def load_folder(folder: Path, areas: pd.DataFrame, area_names: pd.DataFrame) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Read every pop_moveYYYY.csv (the originals, not utf8_copies/) of `folder`.

    Returns ({'youth_net_migration': rows, 'sources': this module's source row (empty without files)}, report of
    the names not mapped, all years). A missing folder or no files gives empty frames; a malformed file raises
    LoaderError. Rows use code 13100 (東京都特別区部): the build needs `loaders.migration_od.area_groups()`.
    """
    files = sorted(folder.glob("pop_move*.csv")) if folder.is_dir() else []
    parts, reports = [], []
    for p in files:
        rows, report = read_youth_csv(p, areas, area_names)
        parts.append(rows)
        reports.append(report)
    rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=YOUTH_COLUMNS)
    if not rows.empty and rows.duplicated(YOUTH_KEYS).any():
        dup = rows[rows.duplicated(YOUTH_KEYS)].iloc[0]
        raise LoaderError(str(folder), f"同じ年の表が2つあります（{dup['period']}）。", f"two files for {dup['period']}.")
    report = pd.concat(reports, ignore_index=True) if reports else pd.DataFrame(columns=REPORT_COLUMNS)
    src = sources() if parts else pd.DataFrame(columns=SOURCE_COLUMNS)
    return {"youth_net_migration": rows, "sources": src}, report
