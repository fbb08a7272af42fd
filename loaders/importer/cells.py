"""Cells of an upload as printed → project values: times (dates, years, 年度, 暦年 spans; 和暦 through
loaders.parse, the one owner of the era tables), age groups, units in labels, and published numbers (commas, △/▲/-
negatives, missing marks), each refusal naming its cell.
"""
from __future__ import annotations

import re
from datetime import date

import pandas as pd

from loaders.importer.prepared import Options, fail
from loaders.importer.targets import MAX_AGE
from loaders.importer_read import Parsed, norm
from loaders.parse import CellError, parse_number, wareki_to_date, wareki_to_year


class WrongKind(ValueError):
    """A time of the wrong kind for its table: args (table kind 'stock' | 'year', time kind 'fy' | 'cy')."""


def wrong_kind_text(label: str, table_kind: str, time_kind: str) -> tuple[str, str]:
    what_ja, what_en = ("年度", "fiscal year") if time_kind == "fy" else ("期間", "period")
    if table_kind == "stock":
        return (f"人口・世帯数は基準日の数です。{what_ja}「{label}」は基準日になりません。基準日（例: 2021-10-01、令和3年10月1日現在）"
                "か年を書いてください。",
                f"population and households are counts at a reference date; the {what_en} {label!r} is a span, not a "
                "date: give the date (e.g. 2021-10-01) or a year.")
    return (f"この表は暦年の値です。年度「{label}」は使えません（例: 2021、令和3年）。",
            f"this table is by calendar year; the fiscal year {label!r} cannot be used (e.g. 2021).")


def era_text(label: str, exc: CellError) -> tuple[str, str]:
    """The refusal of a 和暦 time that does not exist (loaders.parse's reason, with the equivalent it names)."""
    return (f"和暦「{label}」は存在しない日付・年です。{exc.ja}", f"Japanese-era date {label!r} does not exist: {exc.en}")


def parse_year(text: str) -> int:
    """A year as printed: '2019', '2019年', '令和元年', 'R1', 'H30', '平成31年', '令和3年度' -> int (loaders.parse.
    wareki_to_year: '平成32年' and '令和0年' raise CellError naming the equivalent)."""
    return wareki_to_year(norm(text))


def parse_time(label: str) -> tuple[str, object]:
    """A time category as printed -> ('date', 'YYYY-MM-DD') | ('year', Y) | ('fy', Y) | ('cy', Y).

    Forms: '2024年10月1日現在', '令和4年1月1日', '2022-01-01', '2021年', 'R3', '2021年度', '令和3年度',
    '2021年1月～12月', '2021年4月～2022年3月'. Raises CellError for a 和暦 date or year that does not exist
    (令和元年4月1日, 平成32年), ValueError otherwise (message 'span:…' for a span that is neither FY nor CY)."""
    t = norm(label).replace("現在", "").replace("　", "").strip()
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:T00:00:00)?", t)
    if m:
        y, mth, d = map(int, m.groups())
        return "date", date(y, mth, d).isoformat()
    m = re.fullmatch(r"(.+?)年(\d{1,2})月(\d{1,2})日", t)
    if m:
        if re.fullmatch(r"\d{4}", m.group(1).strip()):
            return "date", date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
        return "date", wareki_to_date(t).isoformat()
    m = re.fullmatch(r"(.+?)年(\d{1,2})月\s*[～~〜\-ー－]\s*(?:(.+?)年)?(\d{1,2})月", t)
    if m:
        y1 = parse_year(m.group(1))
        y2 = parse_year(m.group(3)) if m.group(3) else y1
        m1, m2 = int(m.group(2)), int(m.group(4))
        if (m1, m2) == (1, 12) and y1 == y2:
            return "cy", y1
        if (m1, m2) == (4, 3) and y2 == y1 + 1:
            return "fy", y1
        raise ValueError(f"span:{label}")
    if re.fullmatch(r"(.+?)年度", t):
        return "fy", parse_year(t)  # a fiscal year: the refusal names the equivalent 年度
    return "year", parse_year(t)


def parse_age(label: str) -> str:
    """An age category as printed -> project age group: '総数' -> 'total', '0～4歳' -> '0-4', '90歳以上' -> '90+',
    '15歳' -> '15', '年齢不詳' -> 'unknown'. Raises ValueError otherwise (also for ages over MAX_AGE, '999+')."""
    t = norm(label).replace(" ", "")
    if t.lower() in ("total", "総数", "計", "年齢計", "総計", "年齢総数"):
        return "total"
    if t in ("不詳", "年齢不詳") or t.lower() == "unknown":
        return "unknown"
    m = re.fullmatch(r"(\d{1,3})歳?[～~〜\-－ー](\d{1,3})歳?", t)
    if m and int(m.group(1)) <= int(m.group(2)) <= MAX_AGE:
        return f"{int(m.group(1))}-{int(m.group(2))}"
    m = re.fullmatch(r"(\d{1,3})(?:歳以上|\+)", t)
    if m and int(m.group(1)) <= MAX_AGE:
        return f"{int(m.group(1))}+"
    m = re.fullmatch(r"(\d{1,3})歳?", t)
    if m and int(m.group(1)) <= MAX_AGE:
        return str(int(m.group(1)))
    raise ValueError(label)


def split_unit(label: str) -> tuple[str, str | None]:
    """'人口【千人】' -> ('人口', '千人'); '人口(単位:千人)' -> ('人口', '千人'); '人口' -> ('人口', None)."""
    t = norm(label)
    m = re.search(r"[【\[](.+?)[】\]]", t) or re.search(r"\(単位[:：]?\s*(.+?)\)", t)
    if not m:
        return t, None
    return (t[:m.start()] + t[m.end():]).strip(), m.group(1).strip()


def ok(fn, x) -> bool:
    """True when fn(x) reads x (no ValueError or TypeError)."""
    try:
        fn(x)
        return True
    except (ValueError, TypeError):
        return False


def values(parsed: Parsed, recs: pd.DataFrame, col: str, where_col: str | None, column_name: str | None = None) -> pd.Series:
    """Parse published cells (commas, △/▲/-, missing marks) into floats (NaN = missing), naming the first bad cell."""
    cache = {}
    out = []
    for i, v in zip(recs.index, recs[col]):
        key = v if isinstance(v, str) else ("#", v)
        if key not in cache:
            try:
                cache[key] = parse_number(v)
            except ValueError:
                where = recs.at[i, where_col] if where_col else column_name
                raise fail(parsed, f"数値ではない値「{v}」があります。", f"value {v!r} is not a number.",
                           row=int(recs.at[i, "_row"]), column=where) from None
        out.append(cache[key])
    return pd.Series(out, index=recs.index, dtype="float64")


def stock_date(kind_value, opt: Options) -> str:
    """The reference date of a parsed time: the date itself, or a bare year on the chosen day (Options.ref_day)."""
    kind, v = kind_value
    if kind == "date":
        return v
    return f"{v}-{opt.ref_day}"


def period(kind_value) -> str | None:
    """The period of a parsed time ('FY2021', 'CY2021'), None for a date."""
    kind, v = kind_value
    if kind == "fy":
        return f"FY{v}"
    if kind in ("cy", "year"):
        return f"CY{v}"
    return None
