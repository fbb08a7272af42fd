"""Parsing of cells as the official publications print them.

Official tables write negatives as `△`/`▲`, thousands with commas (ASCII or full-width), and mark
missing or suppressed cells with `-`, `…`, `x`, `X`, `***`. Japanese-era years (令和元年, R1, H30,
平成31年) appear in headers. These helpers turn such cells into numbers or None and never guess.

Bounds (issue 15): a number must be finite and below :data:`MAX_ABS_NUMBER` in magnitude; an era year must exist
(平成 ended in its 31st year, so 平成38年度 is refused with its equivalent 令和8年度 = FY2026 in the message, never
read silently as 2026). Such refusals are :class:`CellError` (a ValueError carrying Japanese and English text).
"""
from __future__ import annotations

import math
import re
import unicodedata
from datetime import date

#: Cell texts that mean "no figure" (missing, not applicable or suppressed for confidentiality).
MISSING_MARKS = frozenset({"", "-", "－", "―", "‐", "—", "…", "...", "x", "X", "***", "*", "nan", "NaN", "None"})

#: Numbers of this magnitude or more are refused (10^15 = 1,000兆). Far above any figure the project reads (the
#: national population is 1.26·10^8 persons; the national budget ~1.1·10^14 yen) and below 2^53 ≈ 9.0·10^15, so
#: every whole number accepted is stored exactly in a float / DuckDB DOUBLE.
MAX_ABS_NUMBER = 1e15

_NEG_MARKS = ("△", "▲", "-", "－", "−")
_ERAS = {"明治": 1867, "大正": 1911, "昭和": 1925, "平成": 1988, "令和": 2018,
         "M": 1867, "T": 1911, "S": 1925, "H": 1988, "R": 2018}
_ERA_NAMES = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}
#: First and last day of each era (令和 has no end yet). 明治 counts from 1868-01-01, as its first year was
#: renamed retroactively (the proclamation of 1868-10-23 applied to the whole year).
_ERA_SPAN = {"明治": (date(1868, 1, 1), date(1912, 7, 29)), "大正": (date(1912, 7, 30), date(1926, 12, 24)),
             "昭和": (date(1926, 12, 25), date(1989, 1, 7)), "平成": (date(1989, 1, 8), date(2019, 4, 30)),
             "令和": (date(2019, 5, 1), None)}
_ERA_RE = r"(明治|大正|昭和|平成|令和|[MTSHR])\.?\s*(元|\d{1,2})"


class CellError(ValueError):
    """A cell that has the form of a number, year or date but cannot be right (too large, an era year that
    does not exist). ``ja`` / ``en``: what is wrong, for the person who typed it (callers put file, row and
    column around it, e.g. in a LoaderError)."""

    def __init__(self, ja: str, en: str):
        super().__init__(en)
        self.ja, self.en = ja, en


def parse_number(cell) -> float | None:
    """Parse one published cell into a float, or None when the cell is a missing/suppressed mark.

    Accepts ints/floats, and strings such as '1,825', '△1,825', '▲ 74', '１２３', '-0.5', '3.2e-05' (exponent
    notation, as pandas writes small rates into a CSV).
    Raises CellError for a non-finite number or one of magnitude ≥ MAX_ABS_NUMBER (e.g. 400 typed digits, which
    a float reads as inf), ValueError for text that is neither a number nor a known missing mark.
    """
    if cell is None:
        return None
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        if isinstance(cell, float) and math.isnan(cell):
            return None
        try:
            return _bounded(float(cell), typed=not isinstance(cell, float))
        except OverflowError:  # an int beyond the float range
            return _bounded(math.inf, typed=True)
    text = unicodedata.normalize("NFKC", str(cell)).strip()
    if text in MISSING_MARKS:
        return None
    sign = 1.0
    for mark in _NEG_MARKS:
        if text.startswith(unicodedata.normalize("NFKC", mark)):
            sign, text = -1.0, text[len(unicodedata.normalize("NFKC", mark)):].strip()
            break
    text = text.replace(",", "").replace(" ", "")
    if not re.fullmatch(r"\d+(\.\d+)?([eE][+-]?\d+)?", text):
        raise ValueError(f"not a number: {cell!r}")
    return _bounded(sign * float(text), typed=True)


def _bounded(value: float, typed: bool = False) -> float:
    """``value`` when finite and below MAX_ABS_NUMBER, else CellError; ``typed``: it came from digits (text or an
    int), so an infinity means "too many digits" rather than a non-finite float."""
    if math.isfinite(value) and abs(value) < MAX_ABS_NUMBER:
        return value
    if math.isfinite(value) or typed:
        raise CellError("数値が大きすぎます（絶対値は 10^15 未満にしてください）。",
                        "the number is too large (its magnitude must be below 10^15).")
    raise CellError("有限の数値ではありません（絶対値は 10^15 未満にしてください）。",
                    "the number is not finite (its magnitude must be below 10^15).")


def excerpt(cell, n: int = 20) -> str:
    """A cell as text for a message quoting it: at most ``n`` characters, cut ones ending in '…'."""
    text = str(cell)
    return text if len(text) <= n else text[: n - 2] + "…"


def parse_count(cell) -> int | None:
    """Parse a count of persons/households: like parse_number but must be a whole number."""
    value = parse_number(cell)
    if value is None:
        return None
    if value != int(value):
        raise ValueError(f"not a whole number: {cell!r}")
    return int(value)


def _era_label(era: str, n: int) -> str:
    return f"{era}{'元' if n == 1 else n}年"


def _era_of(day: date) -> tuple[str, int]:
    """(era, year of the era) of a day."""
    for era, (first, last) in _ERA_SPAN.items():
        if first <= day and (last is None or day <= last):
            return era, day.year - _ERAS[era]
    raise CellError(f"{day.isoformat()} は明治より前です。", f"{day.isoformat()} is before 明治 (Meiji).")


def _era_year(era: str, n: int, fiscal: bool) -> int:
    """Western year of year ``n`` of ``era`` (kanji name); CellError when that year of the era does not exist."""
    first, last = _ERA_SPAN[era]
    year = _ERAS[era] + n
    suffix = "年度" if fiscal else "年"
    if n < 1:
        raise CellError(f"{era}0年はありません（{era}元年＝{first.year}年）。",
                        f"there is no year 0 of {era}: {era}元年 (its first year) is {first.year}.")
    if last is not None and year > last.year:
        top = last.year - _ERAS[era]
        # a fiscal year (April–March) is named after the era of its April; a calendar year after its end
        other, k = _era_of(date(year, 4, 1) if fiscal else date(year, 12, 31))
        same = f"{other}{'元' if k == 1 else k}{suffix}"
        western_ja, western_en = (f"{year}年度", f"FY{year}") if fiscal else (f"{year}年", str(year))
        raise CellError(
            f"{era}は{top}年（{last.year}年）までです。{era}{n}{suffix}は{same}（{western_ja}）のことですか？",
            f"{era} ended in its year {top} ({last.isoformat()}): {era}{n}{suffix} would be {same} = {western_en}. "
            f"Did you mean that?")
    return year


def wareki_to_year(text: str) -> int:
    """Convert a Japanese-era year ('令和元年', '令和4年', 'R1', 'H30', '平成31年', '令和元年度') to a Western year.

    Also accepts a plain Western year ('2022', '2022年'). Raises CellError for an era year that does not
    exist (year 0, or past the era's end: 明治45, 大正15, 昭和64, 平成31 are the last ones; the message names
    the equivalent, e.g. 平成38年度 = 令和8年度 = FY2026), ValueError for anything else.
    """
    raw = unicodedata.normalize("NFKC", str(text)).strip()
    t = raw.replace("年", "").replace("度", "").strip()
    if re.fullmatch(r"\d{4}", t):
        return int(t)
    m = re.fullmatch(_ERA_RE, t)
    if not m:
        raise ValueError(f"not a Japanese-era year: {text!r}")
    era = _ERA_NAMES.get(m.group(1), m.group(1))
    n = 1 if m.group(2) == "元" else int(m.group(2))
    return _era_year(era, n, fiscal=raw.endswith("年度"))


def wareki_to_date(text: str) -> date:
    """A Japanese-era date ('令和7年10月1日', '令和元年5月1日', 'R7.10.1') -> ``datetime.date``.

    Raises CellError for a day that is not in the era (平成31年5月1日 is 令和元年5月1日; 令和元年4月30日 is
    平成31年4月30日) or not in the calendar (2月30日), ValueError for text of another form.
    """
    t = unicodedata.normalize("NFKC", str(text)).strip().replace(" ", "")
    m = re.fullmatch(_ERA_RE + r"(?:年|[./])(\d{1,2})(?:月|[./])(\d{1,2})日?", t)
    if not m:
        raise ValueError(f"not a Japanese-era date: {text!r}")
    era = _ERA_NAMES.get(m.group(1), m.group(1))
    n = 1 if m.group(2) == "元" else int(m.group(2))
    year, month, dd = _era_year(era, n, fiscal=False), int(m.group(3)), int(m.group(4))
    label = f"{_era_label(era, n)}{month}月{dd}日"
    try:
        day = date(year, month, dd)
    except ValueError:
        raise CellError(f"{label}は暦にありません（{month}月{dd}日はありません）。",
                        f"{label}: there is no day {month}/{dd}.") from None
    first, last = _ERA_SPAN[era]
    if day < first or (last is not None and day > last):
        other, k = _era_of(day)
        same = f"{_era_label(other, k)}{month}月{dd}日"
        edge_ja = f"{first.year}年{first.month}月{first.day}日から" if day < first else \
            f"{last.year}年{last.month}月{last.day}日まで"
        edge_en = f"began on {first.isoformat()}" if day < first else f"ended on {last.isoformat()}"
        raise CellError(f"{era}は{edge_ja}です。{label}は{same}（{day.isoformat()}）のことですか？",
                        f"{era} {edge_en}: {label} would be {same} = {day.isoformat()}. Did you mean that?")
    return day
