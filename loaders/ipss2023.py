"""IPSS 『日本の地域別将来推計人口（令和5（2023）年推計）』: total and three age groups by municipality, 2020–2050.

Read as published in the JSON conversion of 結果表1 and 2-1…2-3 (see the folder's PROVENANCE.md): top-level
`years` (2020, 2025 … 2050; 2020 = census base), `metrics` (population, under15, workingAge, elderly) and
`records`, one per area in IPSS table order: `code` (5 digits, no check digit), `kind` (IPSS「市などの別」:
a prefecture, 1 designated-city total, 0 ward (designated-city wards and Tokyo's special wards), 2 city,
3 town/village, 9 the 浜通り地域 aggregate), `prefecture`, `municipality`, `values` (7 years × 4 counts).

Output: rows of the `projections` table (source 'ipss_2023', scenario 'baseline', nationality and sex 'total',
age_group 'total' / '0-14' / '15-64' / '65+'; persons) and one `sources` row. Location in error messages: the
record's position in `records` (1-based, as "row") and the field ("column", e.g. '2035:workingAge').

浜通り地域: IPSS projected 13 Fukushima municipalities (HAMADORI) as one area and publishes none of them alone.
The aggregate is stored under its IPSS code 07999, which is an `area_groups` group (HAMADORI_GROUP, with the 13
members), not an area: a member's page shows the aggregate under its own name.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from loaders.areas import MUNICIPAL_KINDS
from loaders.errors import LoaderError
from loaders.files import read_text

FOLDER = "ipss_projection_2023_municipal"
FILE = "ipss_r5_2023_municipal_total_age3_2020_2050.json"
SOURCE_VALUE = "ipss_2023"  # projections.source (IPSS 2018 is 'ipss_2018')
SOURCE = dict(source_id="ipss_r5_municipal", publisher="国立社会保障・人口問題研究所",
              title="日本の地域別将来推計人口（令和5（2023）年推計）",
              table_id="結果表1（総人口）・2-1〜2-3（0～14歳・15～64歳・65歳以上）市区町村別 2020–2050",
              url="https://www.ipss.go.jp/pp-shicyoson/j/shicyoson23/2gaiyo_hyo/gaiyo.asp", retrieved="2026-10-05",
              licence="IPSS（出典明記で利用可）",
              note="2020年は国勢調査（基準人口、年齢不詳按分済み）、2025–2050年は推計（各年10月1日）。男女・5歳階級なし。"
                   "福島県浜通り13市町村は「浜通り地域」（07999）として一括推計。2023年時点の市区町村コード。"
                   "公表 2023-12-22。第三者による JSON 変換（kkoch5t2/data-platform@19d956a、結果表の sha256 を記録）から取得")
YEARS = (2020, 2025, 2030, 2035, 2040, 2045, 2050)
METRICS = ("population", "under15", "workingAge", "elderly")
AGE_GROUPS = ("total", "0-14", "15-64", "65+")  # the projections.age_group of each metric, in METRICS order
KINDS = {"a": "prefecture", "1": "designated_city", "0": "ward", "2": "city", "3": "town_village", "9": "aggregate"}
#: The 浜通り地域 aggregate (IPSS code 07999) and the 13 municipalities it covers (JIS codes).
HAMADORI_GROUP = "07999"
HAMADORI_NAME = ("浜通り地域", "Hamadori area")  # as IPSS names it (the converter normalised the label)
HAMADORI = {"07204": "いわき市", "07209": "相馬市", "07212": "南相馬市", "07541": "広野町", "07542": "楢葉町",
            "07543": "富岡町", "07544": "川内村", "07545": "大熊町", "07546": "双葉町", "07547": "浪江町",
            "07548": "葛尾村", "07561": "新地町", "07564": "飯舘村"}


def _error(path: Path, ja: str, en: str, row: int | None = None, column: str | None = None) -> LoaderError:
    return LoaderError(str(path), ja, en, row=row, column=column)


def _header(path: Path, doc) -> list:
    if not isinstance(doc, dict) or not isinstance(doc.get("records"), list):
        raise _error(path, "公表形式（years・metrics・records を持つ JSON）と異なります。",
                     "not the published layout (a JSON object with years, metrics and records).")
    if tuple(doc.get("years") or ()) != YEARS:
        raise _error(path, f"年が {list(YEARS)} ではありません: {doc.get('years')}",
                     f"years are not {list(YEARS)}: {doc.get('years')}", column="years")
    if tuple(doc.get("metrics") or ()) != METRICS:
        raise _error(path, f"指標の並びが {list(METRICS)} ではありません: {doc.get('metrics')}",
                     f"metrics are not {list(METRICS)}: {doc.get('metrics')}", column="metrics")
    return doc["records"]


def _values(path: Path, row: int, rec: dict) -> list[list[int]]:
    values = rec.get("values")
    if not isinstance(values, list) or len(values) != len(YEARS):
        n = len(values) if isinstance(values, list) else 0
        raise _error(path, f"年の行が {len(YEARS)} 行ではなく {n} 行です（年が欠けています）。",
                     f"{n} year rows instead of {len(YEARS)} (years missing).", row=row, column="values")
    for year, cells in zip(YEARS, values):
        if not isinstance(cells, list) or len(cells) != len(METRICS):
            raise _error(path, f"{year}年の値が {len(METRICS)} 個ではありません。", f"{year} does not have {len(METRICS)} values.",
                         row=row, column=f"{year}")
        for metric, v in zip(METRICS, cells):
            if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                raise _error(path, f"人数ではない値「{v}」があります。", f"value {v!r} is not a count.",
                             row=row, column=f"{year}:{metric}")
        if cells[0] != sum(cells[1:]):
            raise _error(path, f"{year}年の総人口 {cells[0]:,} が 0～14歳・15～64歳・65歳以上の合計 {sum(cells[1:]):,} と一致しません。",
                         f"{year} total {cells[0]:,} differs from the sum of the three age groups {sum(cells[1:]):,}.",
                         row=row, column=f"{year}:population")
    return values


def _check_sums(path: Path, recs: list[tuple[int, dict]]) -> None:
    """Each prefecture = Σ of its municipal records (kinds 0, 2, 3, 9); each designated city = Σ of its wards."""
    by_code = {r["code"]: (row, r) for row, r in recs}
    parts: dict[str, list[str]] = {}
    cities = sorted(c for c, (_, r) in by_code.items() if r["kind"] == "1")
    for code, (_, r) in by_code.items():
        if r["kind"] in ("0", "2", "3", "9"):
            parts.setdefault(code[:2] + "000", []).append(code)
        if r["kind"] == "0":
            parent = max((c for c in cities if c[:3] == code[:3] and c < code), default=None)
            if parent:
                parts.setdefault(parent, []).append(code)
    for code, (row, r) in by_code.items():
        if r["kind"] not in ("a", "1"):
            continue
        members = parts.get(code, [])
        if not members:
            raise _error(path, "構成する市区町村の行がありません。", "no member rows for this total.", row=row, column="code")
        for y, year in enumerate(YEARS):
            for k, metric in enumerate(METRICS):
                total = sum(by_code[m][1]["values"][y][k] for m in members)
                if total != r["values"][y][k]:
                    raise _error(path, f"合計 {r['values'][y][k]:,} が構成地域の和 {total:,} と一致しません。",
                                 f"total {r['values'][y][k]:,} differs from the sum of its parts {total:,}.",
                                 row=row, column=f"{year}:{metric}")


def read_projection(path: Path, areas: pd.DataFrame | None = None) -> pd.DataFrame:
    """Projections rows (area_code, source, scenario, year, nationality, sex, age_group, persons, source_id) of
    every record: 1,951 areas × 7 years × 4 age groups as published (persons).

    `areas`: the `areas` table (area_code, kind, current); when given, every code except 07999 must be in it,
    and the current Fukushima municipalities missing from the file must be exactly the 13 of HAMADORI.
    Raises LoaderError (record position as row, field as column) for a malformed file, a bad or repeated code,
    an unknown kind, a missing year, a non-count value, a total that is not the sum of its three age groups,
    or a prefecture / designated city that is not the sum of its parts.
    """
    text = read_text(path)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _error(path, f"JSON として読めません（{exc.msg}、{exc.lineno}行 {exc.colno}文字目）。",
                     f"cannot parse as JSON ({exc.msg}, line {exc.lineno} column {exc.colno}).", row=exc.lineno) from None
    records = _header(path, doc)
    known = None if areas is None else set(areas["area_code"])
    rows, seen, recs = [], set(), []
    for row, rec in enumerate(records, start=1):
        if not isinstance(rec, dict):
            raise _error(path, "レコードがオブジェクトではありません。", "the record is not an object.", row=row)
        code, kind = str(rec.get("code", "")), str(rec.get("kind", ""))
        if not re.fullmatch(r"\d{5}", code) or not 1 <= int(code[:2]) <= 47:
            raise _error(path, f"不明な地域コード「{code}」です。", f"unknown area code {code!r}.", row=row, column="code")
        if code in seen:
            raise _error(path, f"地域コード「{code}」が重複しています。", f"area code {code} appears twice.", row=row, column="code")
        if kind not in KINDS or (kind == "a") != code.endswith("000") or (kind == "9") != (code == HAMADORI_GROUP):
            raise _error(path, f"市などの別「{kind}」がコード {code} と合いません。", f"kind {kind!r} does not fit code {code}.",
                         row=row, column="kind")
        if known is not None and code != HAMADORI_GROUP and code not in known:
            raise _error(path, f"地域コード「{code}」（{rec.get('municipality') or rec.get('prefecture')}）が地域表にありません。",
                         f"area code {code} ({rec.get('municipality') or rec.get('prefecture')}) is not in the areas table.",
                         row=row, column="code")
        if code in HAMADORI:
            raise _error(path, f"浜通り地域の市町村 {code} が単独で載っています（一括推計のはず）。",
                         f"浜通り member {code} appears on its own (IPSS projected it only within the aggregate).",
                         row=row, column="code")
        seen.add(code)
        values = _values(path, row, rec)
        recs.append((row, {"code": code, "kind": kind, "values": values}))
        for year, cells in zip(YEARS, values):
            rows.extend((code, year, age, persons) for age, persons in zip(AGE_GROUPS, cells))
    if HAMADORI_GROUP not in seen:
        raise _error(path, "浜通り地域（07999）の行がありません。", "the 浜通り地域 (07999) record is missing.")
    _check_sums(path, recs)
    if areas is not None:
        now = areas[areas["current"].astype(bool) & areas["kind"].isin(MUNICIPAL_KINDS)]
        fukushima = {c for c in now["area_code"] if c.startswith("07")}
        missing = fukushima - seen
        if missing != set(HAMADORI):
            raise _error(path, f"福島県で推計のない市町村 {sorted(missing)} が浜通り地域の13市町村と異なります。",
                         f"Fukushima municipalities without a projection {sorted(missing)} differ from the 13 of 浜通り地域.",
                         column="code")
    out = pd.DataFrame(rows, columns=["area_code", "year", "age_group", "persons"])
    out["source"], out["scenario"], out["nationality"], out["sex"] = SOURCE_VALUE, "baseline", "total", "total"
    out["source_id"] = SOURCE["source_id"]
    return out


def hamadori_group() -> pd.DataFrame:
    """`area_groups` rows of 浜通り地域: group_code 07999 with each of the 13 member municipalities."""
    ja, en = HAMADORI_NAME
    return pd.DataFrame([dict(group_code=HAMADORI_GROUP, group_name_ja=ja, group_name_en=en, area_code=c,
                              source_id=SOURCE["source_id"]) for c in HAMADORI])


def load_folder(folder: Path, areas: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(projections rows, sources rows, area_groups rows) of the IPSS 2023 folder; empty frames when the file
    is not there (the app then falls back to IPSS 2018 and says so)."""
    if not (folder / FILE).exists():
        return pd.DataFrame(), pd.DataFrame(), pd.DataFrame()
    return read_projection(folder / FILE, areas), pd.DataFrame([SOURCE]), hamadori_group()
