"""How numbers, percentages, dates and periods are written, in Japanese or English — pure functions taking the
language, used by charts, queries and pages alike (ui.i18n wraps them with the session's language).

Conventions: thousands separators; negatives as the publications print them, '△1,825' in Japanese and '−1,825'
(a true minus sign) in English; '+' only when asked (`signed`). A value that rounds to zero at the shown precision
is written '0' (or '0.0') with no sign: rounding noise is not change.
"""
from __future__ import annotations

import math

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def minus(lang: str) -> str:
    """The negative sign of `lang`: '△' (ja) or '−' (en)."""
    return "△" if lang == "ja" else "−"


def missing(value) -> bool:
    """True for None, NaN and pandas' NA."""
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))
    except (TypeError, ValueError):  # pandas' NA compares as NA, which has no truth value
        return type(value).__name__ == "NAType"


def number(value, lang: str, decimals: int = 0, signed: bool = False, unit: str = "", none: str = "—") -> str:
    """`value` with thousands separators and `decimals` places, the sign of `lang`, then `unit`; `none` if missing.

    number(-1825, 'ja') -> '△1,825'; number(-1825, 'en') -> '−1,825'; number(846, 'ja', signed=True) -> '+846';
    number(-0.4, 'ja') -> '0'; number(12.34, 'en', 1, unit='%') -> '12.3%'.
    """
    if missing(value):
        return none
    v = round(float(value), decimals)
    if v == 0:
        v = 0.0  # no '−0'
    body = f"{abs(v):,.{decimals}f}"
    sign = minus(lang) if v < 0 else ("+" if signed and v > 0 else "")
    return f"{sign}{body}{unit}"


def percent(value, lang: str, decimals: int = 1, signed: bool = False, none: str = "—") -> str:
    """A percentage given in percent (12.3 -> '12.3%'), signs as number()."""
    return number(value, lang, decimals, signed, unit="%", none=none)


def date(iso, lang: str) -> str:
    """A reference date as '2025年1月1日' (ja) or '1 Jan 2025' (en)."""
    d = str(iso)[:10]
    y, m, day = int(d[:4]), int(d[5:7]), int(d[8:10])
    return f"{y}年{m}月{day}日" if lang == "ja" else f"{day} {MONTHS_EN[m - 1]} {y}"


#: Era names and first days (the Japanese calendar of official documents since 1989).
ERAS = (("令和", "2019-05-01"), ("平成", "1989-01-08"))


def wareki(iso) -> str:
    """A date in the Japanese era calendar: '2026-12-06' -> '令和8年12月6日' (first year written 元年)."""
    d = str(iso)[:10]
    for era, first in ERAS:
        if d >= first:
            y = int(d[:4]) - int(first[:4]) + 1
            return f"{era}{'元' if y == 1 else y}年{int(d[5:7])}月{int(d[8:10])}日"
    return date(d, "ja")


def dated(iso, lang: str) -> str:
    """A document date: '令和8年12月6日（2026年12月6日）' in Japanese, '6 Dec 2026' in English."""
    return f"{wareki(iso)}（{date(iso, 'ja')}）" if lang == "ja" else date(iso, "en")


def period(label: str, lang: str) -> str:
    """'FY2024' -> '2024年度' (ja) / 'FY2024' (en); 'CY2021' -> '2021年' / 'CY2021'; spans keep both ends."""
    if lang == "en":
        return label
    return "〜".join(f"{p[2:]}年度" if p.startswith("FY") else f"{p[2:]}年" for p in label.split("-"))


def metric_delta(value, decimals: int = 0, unit: str = "") -> str | None:
    """A change for st.metric's `delta`: '0' (no sign, no arrow, grey) when it rounds to zero at the shown
    precision, else '+1,234' / '-1,234' with `unit` (an ASCII minus: Streamlit reads the arrow from it);
    None when missing. metric_delta(-0.3) -> '0'; metric_delta(-1825) -> '-1,825'; metric_delta(0.46, 1, 'pt') -> '+0.5pt'.
    """
    if missing(value):
        return None
    v = round(float(value), decimals)
    if v == 0:
        return "0"
    return f"{'+' if v > 0 else '-'}{abs(v):,.{decimals}f}{unit}"


def axis_label_expr(fmt: str) -> str:
    """A Vega labelExpr writing axis values with d3 format `fmt` (e.g. '+,d') but 0 — and anything that rounds to
    0 — as a plain '0', so a near-flat axis never reads '+0 −0'."""
    return f"abs(datum.value) < 0.5 ? '0' : format(datum.value, '{fmt}')"
