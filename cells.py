"""What a spreadsheet cell may hold: the one rule for text a spreadsheet could run as a formula, and CSV bytes that
obey it. Pure (no Streamlit): the downloads (ui.download) and the KPI sheet (loaders.kpi) both use it.

A text cell "looks like a formula" (is_formula_like) when, after NFKC normalisation (full-width ＝＋－＠ become
= + - @, the ideographic space U+3000 a space) and after stripping leading whitespace, BOMs (U+FEFF) and zero-width
characters, it starts with = + - @ — or when it starts with a tab, CR or LF. The rule covers every text cell, every
header cell and index names. Such cells are prefixed with an apostrophe; numbers stay numbers.
"""
from __future__ import annotations

import csv
import unicodedata

import pandas as pd

_FORMULA_CHARS = "=+-@"
_CONTROL_START = ("\t", "\r", "\n")
#: Stripped before looking at a cell's first character (besides str.isspace(), which covers U+3000 and NBSP):
#: BOM and zero-width characters, which Excel ignores in front of a formula.
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"

def _is_text(series: pd.Series) -> bool:
    return series.dtype == object or pd.api.types.is_string_dtype(series) or isinstance(series.dtype, pd.CategoricalDtype)


def is_formula_like(value) -> bool:
    """True if `value` is text a spreadsheet could run as a formula (see the module docstring); False for
    anything that is not a str (numbers, dates, None)."""
    if not isinstance(value, str) or not value:
        return False
    if value.startswith(_CONTROL_START):
        return True
    head = value.lstrip().lstrip(_INVISIBLE).lstrip()[:4]  # NFKC of the first characters only: cheap on long text
    head = unicodedata.normalize("NFKC", head).lstrip()
    return bool(head) and head[0] in _FORMULA_CHARS


def _neutral(value):
    return "'" + value if is_formula_like(value) else value


def restore(value: str) -> str:
    """Undo neutralise() on one cell read back from a downloaded file: "'=x" -> "=x", "'＋81" -> "＋81"; any other
    text (including an apostrophe the user typed before ordinary text) unchanged."""
    return value[1:] if value.startswith("'") and is_formula_like(value[1:]) else value


def _labels(index: pd.Index) -> pd.Index:
    """`index` (column labels or row index) with formula-like labels and names neutralised; unchanged if none."""
    values = [v for t in index for v in (t if isinstance(t, tuple) else (t,))]
    if not any(is_formula_like(v) for v in [*values, *index.names]):
        return index
    if isinstance(index, pd.MultiIndex):
        return pd.MultiIndex.from_tuples([tuple(_neutral(v) for v in t) for t in index],
                                         names=[_neutral(n) for n in index.names])
    return pd.Index([_neutral(v) for v in index], name=_neutral(index.name), dtype=object)


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` in which every formula-like text cell, column label and index label/name is prefixed
    with an apostrophe (is_formula_like), so spreadsheets show it as text.

    Only str values change: numeric columns stay numbers (a negative count stays a number), as do dates.
    """
    out = frame.copy()
    for j in range(out.shape[1]):
        col = out.iloc[:, j]
        if _is_text(col) and any(is_formula_like(v) for v in col.tolist()):
            out.isetitem(j, col.astype(object).map(_neutral))
    out.columns = _labels(out.columns)
    if not pd.api.types.is_numeric_dtype(out.index) or any(n is not None for n in out.index.names):
        out.index = _labels(out.index)
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with BOM (Japanese Excel detects the encoding), formulas neutralised, CRLF line ends, every
    text cell and header quoted (so '01209' is written "01209"); numbers unquoted."""
    return neutralise(frame).to_csv(index=False, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC).encode("utf-8-sig")


