"""The one export path of the app: every table a page, the explorer or the SQL console offers is downloaded here.

What an analyst gets (offer()): CSV (UTF-8 with BOM, CRLF, text cells quoted) and xlsx everywhere, parquet where
asked (the explorer). Headers in the UI language with units (「出生数（人）」), codes as words (総数/日本人/外国人,
年度/暦年, 住民基本台帳), periods as on screen (2024年度), rates rounded as displayed, shares in %, area code and name
in every table — all from the one column catalogue, queries.columns. A "machine headers" box gives the database
codes and exact values instead, for scripts. xlsx: number formats (#,##0 / 0.0 / 0.00), area codes as text cells,
frozen header row, autofilter, column widths, and a second sheet 出典・条件 (table, area, period, filters, rows,
export time, database build, the sources with retrieval dates and the citation line
「出典：総務省「…」を加工して作成」). File names name the area, the table and the period.

Formulas. A text cell "looks like a formula" (is_formula_like) when, after NFKC normalisation (full-width ＝＋－＠
become = + - @, the ideographic space U+3000 a space) and after stripping leading whitespace, BOMs (U+FEFF) and
zero-width characters, it starts with = + - @ — or when it starts with a tab, CR or LF. The same rule covers every
text cell, every header cell and index names, in every download (explorer, SQL console, KPI sheet, page tables).
CSV: such cells prefixed with an apostrophe. xlsx: written as strings with Excel's quote prefix, so they show
unchanged but never evaluate. Parquet: typed columns, conditions and sources in the file's key-value metadata.
Numbers stay numbers in every format (a negative number stays a number; only text is ever prefixed).
"""
from __future__ import annotations

import io
import json
import numbers
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime

import pandas as pd
import streamlit as st

import formats
from cells import csv_bytes, is_formula_like
from queries import columns as cat
from ui.i18n import lang as current_lang
from ui.i18n import t

#: Names Windows refuses as file names, whatever the extension.
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit minus the header row


def safe_filename(*parts: str, ext: str = "csv") -> str:
    """A file name safe on Windows: parts joined by '_', reserved characters, control characters and reserved
    device names (CON, NUL, COM1 …) avoided, at most 120 characters before the extension."""
    name = "_".join(str(p) for p in parts if p)
    name = re.sub(r'[\\/:*?"<>|\s\x00-\x1f]+', "_", name).strip("._ ")
    name = name[:120].rstrip("._ ") or "data"
    if name.split(".")[0].upper() in _RESERVED:
        name = f"_{name}"
    return f"{name}.{ext}"


# ---------------------------------------------------------------- the screen's table, from database codes

#: Code columns and the name column written next to each.
_NAME_OF = {"area_code": "area_name", "origin_code": "origin_name", "dest_code": "dest_name", "partner_code": "partner_name"}
#: Pairs of language-specific name columns a query may return, folded into one name column.
_NAME_PAIRS = {"area_name": ("name_ja", "name_en"), "partner_name": ("partner_ja", "partner_en")}


def _numeric(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)


def present(frame: pd.DataFrame, lang: str, area: tuple[str, str] | None = None,
            names: dict[str, str] | None = None, machine: bool = False) -> tuple[pd.DataFrame, list[str]]:
    """The table as an analyst receives it, and the kind (queries.columns) of each of its columns.

    `frame` holds database codes and exact values. Always: helper columns (kind 'drop') left out; the name columns
    of one language kept (name_ja/name_en -> area_name); the area code and name in front when `frame` has no
    area_code and `area` = (code, name) is given; a name column after every code column `names` (code -> name)
    can fill. Unless `machine`: enumerations as words (total -> 総数), age groups and periods as on screen,
    shares ×100 (%), rates and counts rounded as displayed, headers in `lang` with units (births -> 出生数（人）).
    """
    out = frame.reset_index(drop=True)
    out = out[[c for c in out.columns if cat.column(c).kind != "drop"]]
    for name_col, (ja, en) in _NAME_PAIRS.items():
        if ja in out.columns and name_col not in out.columns:
            keep = out[ja]
            if lang == "en" and en in out.columns:
                keep = out[en].where(out[en].notna() & (out[en] != ""), out[ja])
            out = out.drop(columns=[c for c in (en,) if c in out.columns])
            out.insert(out.columns.get_loc(ja), name_col, keep)
            out = out.drop(columns=[ja])
    if "name" in out.columns and "area_name" not in out.columns:
        out = out.rename(columns={"name": "area_name"})
    if "area_code" not in out.columns and area is not None:
        out.insert(0, "area_code", area[0])
        out.insert(1, "area_name", area[1])
    for code_col, name_col in _NAME_OF.items():
        if code_col in out.columns and name_col not in out.columns and names:
            out.insert(out.columns.get_loc(code_col) + 1, name_col, out[code_col].map(names))
    if code_first := [c for c in ("area_code", "area_name") if c in out.columns]:  # the area leads every table
        out = out[[*code_first, *[c for c in out.columns if c not in code_first]]]
    kinds = [cat.column(c).kind for c in out.columns]
    if machine:
        return out, kinds
    out = out.copy()
    for j, name in enumerate(out.columns):
        col, s = cat.column(name), out.iloc[:, j]
        if col.kind == "share" and _numeric(s):
            s = (s.astype(float) * 100).round(1)
        elif col.kind in ("int", "year") and _numeric(s):
            s = s.round(0).astype("Int64")
        elif col.decimals is not None and _numeric(s):
            s = s.astype(float).round(col.decimals)
        elif col.enum or col.kind in ("age", "period"):
            s = s.map(lambda v, n=name: cat.words(n, v, lang))
        out.isetitem(j, s)
    headers, seen = [], set()
    for name in out.columns:
        h = cat.header(name, lang)
        h = f"{h} [{name}]" if h in seen else h  # two codes with one label (net, net_movers) stay apart
        seen.add(h)
        headers.append(h)
    out.columns = headers
    return out, kinds


def period_span(frame: pd.DataFrame, lang: str) -> str:
    """The period a table covers, for its file name: '2005年度〜2024年度', '1995-03-31〜2025-01-01', '2020〜2070';
    '' when it has no period, date or year column."""
    for col in ("period", "ref_date", "year"):
        if col in frame.columns:
            values = cat.chronological(list({str(v)[:10] if col == "ref_date" else str(v) for v in frame[col].dropna()}))
            if not values:
                return ""
            ends = [values[0]] if len(values) == 1 else [values[0], values[-1]]
            if col == "period":
                ends = [cat.words("period", v.split("-")[0] if i == 0 else v.split("-")[-1], lang)
                        for i, v in enumerate(ends)]
            return "〜".join(dict.fromkeys(ends))
    return ""


def _issuer(publisher, lang: str) -> str:
    """The issuing body of a publisher's name: its first word in Japanese (総務省 of 総務省 自治行政局 …), the part
    before the first comma or bracket in English (Ministry of Internal Affairs and Communications of 'Ministry …,
    Local Administration Bureau, …')."""
    if not isinstance(publisher, str) or not publisher.strip():
        return ""
    if lang == "en":
        return publisher.split(",")[0].split(" (")[0].strip()
    return publisher.split("（")[0].split()[0]


def citation(sources: pd.DataFrame | None, lang: str) -> str:
    """The citation line of `sources`: 「出典：総務省「住民基本台帳に基づく人口、人口動態及び世帯数」を加工して作成」
    (the ministry: the publisher's first word), several sources joined by '、'; the app's own sums of a cited table
    are left out when the table they sum is cited too."""
    if sources is None or sources.empty:
        return ""
    pairs = dict.fromkeys((_issuer(p, lang), str(ti)) for p, ti in zip(sources["publisher"], sources["title"]))
    if len(pairs) > 1:  # the app's own sums of a cited table ('本アプリで集計') add nothing to the citation
        pairs = {k: None for k in pairs if not k[0].startswith(("本アプリ", "Summed by this app"))} or pairs
    if lang == "ja":
        return "出典：" + "、".join(f"{p}「{ti}」" for p, ti in pairs) + "を加工して作成"
    return "Source: " + "; ".join(f"{p}, “{ti}”" for p, ti in pairs) + " (processed by the user)"


# ---------------------------------------------------------------- files

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


#: Excel number format of each column kind (queries.columns); '@' = a text cell.
NUMBER_FORMATS = {"code": "@", "text": "@", "age": "@", "period": "@", "int": "#,##0", "year": "0", "d1": "0.0",
                  "d2": "0.00", "share": "0.0", "pct1": "0.0", "pct2": "0.00", "date": "yyyy-mm-dd"}


def _width(value) -> int:
    text = "" if formats.missing(value) else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text[:60])


def _write_table(book, ws, frame: pd.DataFrame, kinds: Sequence[str] | None, start: int, fmts: dict) -> None:
    """`frame` with its header at row `start`: typed cells (text as strings, numbers, dates), the format of each
    column's kind, formula-like text with the quote prefix."""
    for j, name in enumerate(frame.columns):
        s = frame.iloc[:, j]
        kind = (kinds[j] if kinds else None) or "text"
        if kind.startswith("enum:"):
            kind = "text"
        if not kinds:  # no catalogue kinds: by dtype
            kind = ("date" if pd.api.types.is_datetime64_any_dtype(s) else
                    "int" if pd.api.types.is_integer_dtype(s) else "num" if _numeric(s) else "text")
        dated = pd.api.types.is_datetime64_any_dtype(s)
        fmt = fmts["datetime"] if dated and (s.dropna().dt.normalize() != s.dropna()).any() else fmts.get(kind)
        label = str(name)
        ws.write_string(start, j, label, fmts["header_q"] if is_formula_like(label) else fmts["header"])
        for i, v in enumerate(s.tolist(), start=start + 1):
            if formats.missing(v):
                continue
            if isinstance(v, str):
                ws.write_string(i, j, v, fmts["quoted"] if is_formula_like(v) else fmts["text"])
            elif isinstance(v, bool):
                ws.write_boolean(i, j, v)
            elif hasattr(v, "year") and hasattr(v, "month"):  # date, datetime, Timestamp
                ws.write_datetime(i, j, v, fmts["datetime"] if fmt is fmts["datetime"] else fmts["date"])
            elif isinstance(v, numbers.Number):  # int, float, numpy, Decimal
                ws.write_number(i, j, float(v), fmt if kind not in ("text", "code") else None)
            else:
                ws.write_string(i, j, str(v), fmts["text"])
        width = max([_width(label) + 2, *(_width(v) + 1 for v in s.head(300).tolist())])
        ws.set_column(j, j, min(50, max(8, width)))


def xlsx_bytes(frame: pd.DataFrame, meta: Sequence[tuple[str, str]] = (), sources: pd.DataFrame | None = None,
               sheet: str = "data", meta_sheet: str = "conditions", meta_columns: tuple[str, str] = ("item", "value"),
               kinds: Sequence[str] | None = None, source_frame: pd.DataFrame | None = None) -> bytes:
    """An xlsx workbook: `frame` on the first sheet, then a second sheet listing `meta` (label, value) pairs (the
    table, filters, row count, database, citation) and the `sources` table (as given, or `source_frame` when the
    caller has already labelled it).

    Cells are typed: text as strings (area codes stay '01209'), numbers as numbers with the format of their column
    kind (`kinds`, from present(): #,##0, 0.0, 0.00; by dtype when None), dates as dates (a time zone dropped).
    The header row is frozen and carries an autofilter; columns are sized to their content. Formula-like text
    (is_formula_like), header cells too, is written with Excel's quote prefix (shown as typed, never evaluated).
    `meta_sheet` and `meta_columns` name the second sheet and its two columns. Raises ValueError above Excel's
    row limit.
    """
    if len(frame) > XLSX_MAX_ROWS:
        raise ValueError(f"{len(frame):,} rows exceed the xlsx limit of {XLSX_MAX_ROWS:,}")
    info, src = _meta_frame(meta, source_frame if source_frame is not None else sources, meta_columns)
    buf = io.BytesIO()
    import xlsxwriter

    # strings_to_formulas/urls off: a cell text is always stored as a string, never parsed into a formula or link.
    with xlsxwriter.Workbook(buf, {"strings_to_formulas": False, "strings_to_urls": False,
                                   "strings_to_numbers": False, "in_memory": True}) as book:
        fmts = {k: book.add_format({"num_format": v}) for k, v in NUMBER_FORMATS.items()}
        fmts |= {"datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
                 "quoted": book.add_format({"quote_prefix": True, "num_format": "@"}),
                 "header": book.add_format({"bold": True, "num_format": "@", "bottom": 1, "text_wrap": True}),
                 "header_q": book.add_format({"bold": True, "quote_prefix": True, "bottom": 1})}
        ws = book.add_worksheet(sheet[:31])
        data = _naive_times(frame)
        _write_table(book, ws, data, kinds, 0, fmts)
        ws.freeze_panes(1, 0)
        if data.shape[1]:
            ws.autofilter(0, 0, max(len(data), 1), data.shape[1] - 1)
        ms = book.add_worksheet(meta_sheet[:31])
        _write_table(book, ms, info, None, 0, fmts)
        if not src.empty:
            _write_table(book, ms, _naive_times(src), None, len(info) + 2, fmts)
        ms.set_column(1, 1, 60)
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
    """A CSV download of `frame` exactly as given (csv_bytes): for the files the app reads back in (the projection
    parameter table, the KPI sheet), whose headers are an upload layout. Every other table goes through offer()."""
    st.download_button(t("download_csv"), csv_bytes(frame), file_name=safe_filename(*name_parts),
                       mime="text/csv", key=key, icon=":material/download:")


def _database_lines(lang: str) -> list[tuple[str, str]]:
    import queries

    info = queries.build_info()
    kind = t("db_kind_national") if info.get("kind") == "national" else t("db_kind_bundled")
    return [(t("x_meta_built"), f"{kind} {info.get('built_at', '')}".strip())]


def offer(data: pd.DataFrame | Callable[[], pd.DataFrame], what: str, key: str, *,
          area: pd.Series | tuple[str, str] | str | None = None, period: str | None = None,
          meta: Sequence[tuple[str, str]] = (), sources: pd.DataFrame | None = None, rows: int | None = None,
          parquet: bool = False, name: str | None = None, source_ids: Sequence[str] = ()) -> None:
    """Download buttons for one table: CSV and Excel (and Parquet when `parquet`), plus a "machine headers" box.

    data: the table with database codes (or a function returning it, called only on click: the explorer's full
    download; then give `rows` and `period`). what: the table's name in the UI language (file name, 出典・条件
    sheet). area: the view's area (a row of queries.areas(), (code, name) or a code) written in front of a table that has
    no area_code column, and named in the file name (else `name`). meta: extra (label, value) lines such as the
    filters. sources: the sources rows; by default those of the table's source_id column, else of `source_ids`
    (a computed table: the projection). Files are built on click.
    """
    from queries import explorer as ex  # names of codes; imported here: loaders.kpi imports this module

    language = current_lang()
    if isinstance(area, str):
        area = (area, ex.code_names(language).get(area, area))
    elif isinstance(area, pd.Series):
        area = (area["area_code"], area["name_en"] if language == "en" and isinstance(area.get("name_en"), str)
                and area["name_en"] else area["name_ja"])
    machine = bool(st.session_state.get(f"{key}_machine", False))
    frame = data if isinstance(data, pd.DataFrame) else None
    n = len(frame) if frame is not None else int(rows or 0)
    span = period if period is not None else (period_span(frame, language) if frame is not None else "")
    place = name or (area[1] if area else "")
    parts = (place, what, span)

    def table() -> tuple[pd.DataFrame, list[str], pd.DataFrame | None]:
        raw = data() if callable(data) else data
        src = sources
        if src is None and ("source_id" in raw.columns or source_ids):
            ids = raw["source_id"].dropna().unique() if "source_id" in raw.columns else source_ids
            src = ex.sources("official", ids, language)
        shown, kinds = present(raw, language, area, ex.code_names(language), machine)
        return shown, kinds, src

    def lines(src: pd.DataFrame | None, count: int) -> list[tuple[str, str]]:
        return [(t("x_meta_table"), what), (t("x_meta_areas"), " ".join(area) if area else (name or t("x_all"))),
                (t("x_meta_periods"), span or "—"), *meta, (t("x_meta_rows"), str(count)),
                (t("x_meta_exported"), datetime.now().isoformat(timespec="seconds")), *_database_lines(language),
                (t("download_cite"), citation(src, language) or t("download_cite_none")),
                (t("x_meta_note"), t("download_note_machine" if machine else "download_note"))]

    def xlsx() -> bytes:
        shown, kinds, src = table()
        labelled = None if src is None or machine else present(src.drop(columns=["source_id"], errors="ignore"),
                                                                   language)[0]
        return xlsx_bytes(shown, lines(src, len(shown)), src, sheet=t("download_data_sheet"),
                          meta_sheet=t("download_meta_sheet"), meta_columns=(t("download_meta_item"), t("download_meta_value")),
                          kinds=kinds, source_frame=labelled)

    def pq() -> bytes:
        shown, _, src = table()
        return parquet_bytes(shown, lines(src, len(shown)), src)

    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        st.download_button(t("download_csv"), lambda: csv_bytes(table()[0]), file_name=safe_filename(*parts),
                           mime="text/csv", key=f"{key}_csv", icon=":material/download:", on_click="ignore",
                           help=t("download_csv_help"))
        too_big = n > XLSX_MAX_ROWS
        st.download_button(t("download_xlsx"), xlsx, file_name=safe_filename(*parts, ext="xlsx"), key=f"{key}_xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           icon=":material/table_view:", disabled=too_big, on_click="ignore",
                           help=t("download_xlsx_too_big", n=f"{XLSX_MAX_ROWS:,}") if too_big else t("download_xlsx_help"))
        if parquet:
            st.download_button(t("download_parquet"), pq, file_name=safe_filename(*parts, ext="parquet"),
                               key=f"{key}_parquet", mime="application/vnd.apache.parquet", icon=":material/database:",
                               on_click="ignore", help=t("download_parquet_help"))
        st.checkbox(t("download_machine"), key=f"{key}_machine", help=t("download_machine_help"))
