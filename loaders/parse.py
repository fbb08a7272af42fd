"""Parsing of cells as the official publications print them.

Official tables write negatives as `△`/`▲`, thousands with commas (ASCII or full-width), and mark
missing or suppressed cells with `-`, `…`, `x`, `X`, `***`. Japanese-era years (令和元年, R1, H30,
平成31年) appear in headers. These helpers turn such cells into numbers or None and never guess.
"""
from __future__ import annotations

import math
import re
import unicodedata

#: Cell texts that mean "no figure" (missing, not applicable or suppressed for confidentiality).
MISSING_MARKS = frozenset({"", "-", "－", "―", "‐", "—", "…", "...", "x", "X", "***", "*", "nan", "NaN", "None"})

_NEG_MARKS = ("△", "▲", "-", "－", "−")
_ERAS = {"明治": 1867, "大正": 1911, "昭和": 1925, "平成": 1988, "令和": 2018,
         "M": 1867, "T": 1911, "S": 1925, "H": 1988, "R": 2018}


def parse_number(cell) -> float | None:
    """Parse one published cell into a float, or None when the cell is a missing/suppressed mark.

    Accepts ints/floats, and strings such as '1,825', '△1,825', '▲ 74', '１２３', '-0.5'.
    Raises ValueError for text that is neither a number nor a known missing mark.
    """
    if cell is None:
        return None
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return None if isinstance(cell, float) and math.isnan(cell) else float(cell)
    text = unicodedata.normalize("NFKC", str(cell)).strip()
    if text in MISSING_MARKS:
        return None
    sign = 1.0
    for mark in _NEG_MARKS:
        if text.startswith(unicodedata.normalize("NFKC", mark)):
            sign, text = -1.0, text[len(unicodedata.normalize("NFKC", mark)):].strip()
            break
    text = text.replace(",", "").replace(" ", "")
    if not re.fullmatch(r"\d+(\.\d+)?", text):
        raise ValueError(f"not a number: {cell!r}")
    return sign * float(text)


def parse_count(cell) -> int | None:
    """Parse a count of persons/households: like parse_number but must be a whole number."""
    value = parse_number(cell)
    if value is None:
        return None
    if value != int(value):
        raise ValueError(f"not a whole number: {cell!r}")
    return int(value)


def wareki_to_year(text: str) -> int:
    """Convert a Japanese-era year ('令和元年', '令和4年', 'R1', 'H30', '平成31年') to a Western year.

    Also accepts a plain Western year ('2022', '2022年'). Raises ValueError otherwise.
    """
    t = unicodedata.normalize("NFKC", str(text)).strip().replace("年", "").replace("度", "")
    if re.fullmatch(r"\d{4}", t):
        return int(t)
    m = re.fullmatch(r"(明治|大正|昭和|平成|令和|[MTSHR])\.?\s*(元|\d{1,2})", t)
    if not m:
        raise ValueError(f"not a Japanese-era year: {text!r}")
    n = 1 if m.group(2) == "元" else int(m.group(2))
    return _ERAS[m.group(1)] + n
