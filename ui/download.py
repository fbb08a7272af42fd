"""Downloads that open correctly in Japanese Excel and cannot run formulas.

A text cell "looks like a formula" (is_formula_like) when, after NFKC normalisation (full-width ＝＋－＠ become
= + - @, the ideographic space U+3000 a space) and after stripping leading whitespace, BOMs (U+FEFF) and
zero-width characters, it starts with = + - @ — or when it starts with a tab, CR or LF. The same rule covers every
text cell, every header cell and index names, in every download (explorer, SQL console, KPI sheet, page tables).

CSV: UTF-8 with BOM, CRLF, such cells prefixed with an apostrophe. xlsx: the data sheet plus a second sheet with
the filters and the sources (publisher, table, retrieval date); such cells (header cells too) are written as
strings with Excel's quote prefix, so they show unchanged but never evaluate. Parquet: typed columns, filters and
sources in the file's key-value metadata (no formulas there). Numbers stay numbers in every format (a negative
number stays a number; only text is ever prefixed).
"""
from __future__ import annotations

import io
import json
import re
import unicodedata
from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from ui.i18n import t

_FORMULA_CHARS = "=+-@"
_CONTROL_START = ("\t", "\r", "\n")
#: Stripped before looking at a cell's first character (besides str.isspace(), which covers U+3000 and NBSP):
#: BOM and zero-width characters, which Excel ignores in front of a formula.
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"
#: Names Windows refuses as file names, whatever the extension.
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit minus the header row


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
    """CSV in UTF-8 with BOM (Japanese Excel detects the encoding), formulas neutralised, CRLF line ends."""
    return neutralise(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def safe_filename(*parts: str, ext: str = "csv") -> str:
    """A file name safe on Windows: parts joined by '_', reserved characters, control characters and reserved
    device names (CON, NUL, COM1 …) avoided, at most 120 characters before the extension."""
    name = "_".join(str(p) for p in parts if p)
    name = re.sub(r'[\\/:*?"<>|\s\x00-\x1f]+', "_", name).strip("._ ")
    name = name[:120].rstrip("._ ") or "data"
    if name.split(".")[0].upper() in _RESERVED:
        name = f"_{name}"
    return f"{name}.{ext}"


def _meta_frame(meta: Sequence[tuple[str, str]], sources: pd.DataFrame | None,
                columns: tuple[str, str] = ("item", "value")) -> tuple[pd.DataFrame, pd.DataFrame]:
    info = pd.DataFrame(list(meta), columns=list(columns))
    src = sources if sources is not None else pd.DataFrame()
    return info, src.reset_index(drop=src.index.name is None)


def _naive_times(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with time-zone-aware timestamp columns as their wall-clock time in that zone (Excel has no zones)."""
    aware = [j for j in range(frame.shape[1]) if isinstance(frame.iloc[:, j].dtype, pd.DatetimeTZDtype)]
    if not aware:
        return frame
    out = frame.copy()
    for j in aware:
        out.isetitem(j, out.iloc[:, j].dt.tz_localize(None))
    return out


def xlsx_bytes(frame: pd.DataFrame, meta: Sequence[tuple[str, str]] = (), sources: pd.DataFrame | None = None,
               sheet: str = "data", meta_sheet: str = "conditions", meta_columns: tuple[str, str] = ("item", "value")) -> bytes:
    """An xlsx workbook: `frame` on the first sheet, then a second sheet listing `meta` (label, value) pairs (the
    filters, row count, database) and the `sources` table (publisher, title, table, url, retrieved, licence).

    Formula-like text cells and header cells (is_formula_like) are written as text with Excel's quote prefix
    (shown as typed, never evaluated); numbers are written as numbers, dates as dates (a time zone dropped). `meta_sheet` and `meta_columns` name the second
    sheet and its two columns (in the user's language). Raises ValueError above Excel's row limit.
    """
    if len(frame) > XLSX_MAX_ROWS:
        raise ValueError(f"{len(frame):,} rows exceed the xlsx limit of {XLSX_MAX_ROWS:,}")
    info, src = _meta_frame(meta, sources, meta_columns)
    buf = io.BytesIO()
    # strings_to_formulas/urls off: a cell text is always stored as a string, never parsed into a formula or link.
    options = {"strings_to_formulas": False, "strings_to_urls": False, "constant_memory": False}
    with pd.ExcelWriter(buf, engine="xlsxwriter", engine_kwargs={"options": options}) as xw:
        book = xw.book
        quoted = book.add_format({"quote_prefix": True})
        header = book.add_format({"quote_prefix": True, "bold": True})
        for name, df, start in ((sheet, frame, 0), (meta_sheet, info, 0), (meta_sheet, src, len(info) + 2)):
            if df.empty and start:
                continue
            df = _naive_times(df)
            df.to_excel(xw, sheet_name=name, index=False, startrow=start)
            ws = xw.sheets[name]
            for j, col in enumerate(df.columns):
                if is_formula_like(col):
                    ws.write_string(start, j, col, header)
                if _is_text(df.iloc[:, j]):
                    for i, v in enumerate(df.iloc[:, j].tolist()):
                        if is_formula_like(v):
                            ws.write_string(start + i + 1, j, v, quoted)
                if not start:
                    ws.set_column(j, j, min(40, max(10, len(str(col)) + 2)))
    return buf.getvalue()


def parquet_bytes(frame: pd.DataFrame, meta: Sequence[tuple[str, str]] = (), sources: pd.DataFrame | None = None) -> bytes:
    """Parquet (pyarrow, zstd) with `meta` and `sources` as JSON in the schema metadata keys 'popdash.conditions'
    and 'popdash.sources'. Values are not altered (parquet has no formulas)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    info, src = _meta_frame(meta, sources)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    extra = {b"popdash.conditions": json.dumps(dict(zip(info["item"], info["value"])), ensure_ascii=False).encode(),
             b"popdash.sources": src.astype(str).to_json(orient="records", force_ascii=False).encode()}
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), **extra})
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd")
    return buf.getvalue()


def download_csv(frame: pd.DataFrame, *name_parts: str, key: str) -> None:
    """A download button for `frame` as CSV (see csv_bytes)."""
    st.download_button(t("download_csv"), csv_bytes(frame), file_name=safe_filename(*name_parts),
                       mime="text/csv", key=key, icon=":material/download:")


def download_all(load: Callable[[], pd.DataFrame], name_parts: Sequence[str], meta: Sequence[tuple[str, str]],
                 sources: pd.DataFrame | None, rows: int, key: str) -> None:
    """Three download buttons (CSV, xlsx with a conditions/sources sheet, parquet) side by side.

    `load` returns the full frame; it is called only when a button is clicked (deferred generation), so a large
    table is not built on every rerun. `rows` (counted beforehand) disables xlsx above Excel's limit.
    """
    c1, c2, c3 = st.columns(3)
    with c1:
        st.download_button(t("download_csv"), lambda: csv_bytes(load()), file_name=safe_filename(*name_parts),
                           mime="text/csv", key=f"{key}_csv", icon=":material/download:", on_click="ignore",
                           width="stretch")
    with c2:
        too_big = rows > XLSX_MAX_ROWS
        st.download_button(t("download_xlsx"), lambda: xlsx_bytes(load(), meta, sources, meta_sheet=t("download_meta_sheet"),
                                                                  meta_columns=(t("download_meta_item"), t("download_meta_value"))),
                           file_name=safe_filename(*name_parts, ext="xlsx"), key=f"{key}_xlsx", on_click="ignore",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           icon=":material/table_view:", disabled=too_big, width="stretch",
                           help=t("download_xlsx_too_big", n=f"{XLSX_MAX_ROWS:,}") if too_big else t("download_xlsx_help"))
    with c3:
        st.download_button(t("download_parquet"), lambda: parquet_bytes(load(), meta, sources),
                           file_name=safe_filename(*name_parts, ext="parquet"), key=f"{key}_parquet",
                           mime="application/vnd.apache.parquet", icon=":material/database:", on_click="ignore",
                           width="stretch", help=t("download_parquet_help"))
