"""Period labels of KPI values and targets, and the time arithmetic the grading rules need.

Labels (as stored in kpi_defs / kpi_values):
  'FY2024'                   年度 (1 April 2024 – 31 March 2025)
  'CY2025'                   暦年 (1 January – 31 December 2025)
  'FY2020-FY2024'            a span of fiscal (or calendar) years, both ends included
  '2025-01-01'               a reference date (a stock: population on that day)
  '2015-10-01/2020-10-01'    an ISO interval between two reference dates (e.g. census to census)
A period is placed in time by its last day (`end`); a fiscal year `window` contains every period ending in it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

_YEAR = re.compile(r"(FY|CY)(\d{4})")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Period:
    """A parsed period: its label, first day and last day (both included); `point` for reference dates."""

    label: str
    start: date
    end: date

    @property
    def point(self) -> bool:
        return self.start == self.end

    @property
    def years(self) -> float:
        """Length in years (a reference date has length 0)."""
        return 0.0 if self.point else ((self.end - self.start).days + 1) / 365.25


def _year(kind: str, year: int) -> tuple[date, date]:
    if kind == "FY":
        return date(year, 4, 1), date(year + 1, 3, 31)
    return date(year, 1, 1), date(year, 12, 31)


@lru_cache(maxsize=4096)
def parse(label: str) -> Period:
    """Parse a period label (see module docstring). Raises ValueError for anything else."""
    text = str(label).strip()
    m = _YEAR.fullmatch(text)
    if m:
        return Period(text, *_year(m.group(1), int(m.group(2))))
    if "/" in text:
        a, b = text.split("/", 1)
        if _DATE.fullmatch(a) and _DATE.fullmatch(b):
            start, end = date.fromisoformat(a), date.fromisoformat(b)
            if end > start:
                return Period(text, start, end)
        raise ValueError(f"bad interval {label!r}")
    if _DATE.fullmatch(text):
        d = date.fromisoformat(text)
        return Period(text, d, d)
    parts = text.split("-")
    if len(parts) == 2 and all(_YEAR.fullmatch(p) for p in parts):
        (k1, y1), (k2, y2) = (_YEAR.fullmatch(p).groups() for p in parts)
        if k1 == k2 and int(y2) > int(y1):
            return Period(text, _year(k1, int(y1))[0], _year(k2, int(y2))[1])
    raise ValueError(f"unknown period label {label!r}")


def is_valid(label) -> bool:
    """True when `label` parses."""
    try:
        parse(str(label))
        return True
    except ValueError:
        return False


def fiscal_year(d: date) -> int:
    """The fiscal year (年度) containing day `d`: April–March, named by the April year."""
    return d.year if d.month >= 4 else d.year - 1


def fy(year: int) -> str:
    """'FY{year}'."""
    return f"FY{year}"


def fiscal_years(first: str, last: str) -> list[str]:
    """Fiscal-year labels from the year containing the end of `first` to that containing the end of `last`."""
    a, b = fiscal_year(parse(first).end), fiscal_year(parse(last).end)
    return [fy(y) for y in range(a, b + 1)]


def in_window(label: str, window: str) -> bool:
    """True when the period `label` ends inside period `window` (e.g. '2025-01-01' is in 'FY2024')."""
    p, w = parse(label), parse(window)
    return w.start <= p.end <= w.end


def years_between(a: date, b: date) -> float:
    """Signed years from a to b."""
    return (b - a).days / 365.25


def years_in(span: str, kind: str) -> list[str]:
    """The whole years of `kind` ('FY' or 'CY') that make up `span`, allowing a quarter's slack at both ends so
    that a census interval (1 October to 1 October) maps to the five calendar years after its start.

    '2015-10-01/2020-10-01', 'CY' -> CY2016 … CY2020; 'FY2020-FY2024', 'CY' -> CY2020 … CY2024.
    """
    p = parse(span)
    slack = timedelta(days=92)
    out = []
    for y in range(p.start.year - 1, p.end.year + 2):
        s, e = _year(kind, y)
        if p.start + slack < e <= p.end + slack:
            out.append(f"{kind}{y}")
    return out


_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def text(label: str, lang: str) -> str:
    """A period for people: 'FY2024' -> '2024年度' / 'FY2024'; '2025-01-01' -> '2025年1月1日' / '1 Jan 2025';
    spans and intervals keep both ends ('2015年10月1日〜2020年10月1日')."""
    s = str(label)
    if "/" in s:
        a, b = s.split("/", 1)
        return text(a, lang) + ("〜" if lang == "ja" else "–") + text(b, lang)
    if _DATE.fullmatch(s):
        d = date.fromisoformat(s)
        return f"{d.year}年{d.month}月{d.day}日" if lang == "ja" else f"{d.day} {_MONTHS[d.month - 1]} {d.year}"
    if lang == "en":
        return s.replace("-", "–")
    return "〜".join(f"{p[2:]}年度" if p.startswith("FY") else f"{p[2:]}年" for p in s.split("-"))
