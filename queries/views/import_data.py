"""What the import page (データの取り込み) shows: how a file was read, the mapping of its columns, the notes, the
rows skipped, the check summary, the per-table previews, the source form's defaults and the import history — texts in
the language asked for, frames with display column names (column_config dicts of plain labels).
"""
from __future__ import annotations

import pandas as pd

import formats
from i18n import tr
from loaders import importer

BASES = ["estimate", "census", "juki", "other"]
REF_DAYS = ["10-01", "01-01", "03-31"]
DEFAULT_LICENCE = "政府標準利用規約（第2.0版）"


def count(value, lang: str) -> str:
    """A count with thousands separators in `lang` (as ui.i18n.fmt_int)."""
    return formats.number(value, lang, signed=False, none=tr("unavailable", lang))


def detected(parsed, lang: str) -> str:
    """The layout, encoding, header row and sheet the file was read with."""
    return tr("imp_detected", lang, layout=tr(f"imp_layout_{parsed.layout}", lang),
              enc=parsed.encoding or tr("imp_enc_none", lang), row=parsed.header_row,
              sheet=tr("imp_sheet", lang, sheet=parsed.sheet) if parsed.sheet else "")


def mapping(prepared, lang: str) -> tuple[pd.DataFrame, dict]:
    """The column mapping with translated roles and category words, and its column labels."""
    frame = prepared.mapping.assign(role=prepared.mapping["role"].map(lambda r: tr(f"imp_role_{r}", lang)),
                                    categories=prepared.mapping["categories"].replace(
                                        {"@by_code": tr("imp_by_code", lang), "@by_name": tr("imp_by_name", lang)}))
    return frame, {"dimension": tr("imp_col_dimension", lang), "role": tr("imp_col_role", lang),
                   "categories": tr("imp_col_categories", lang)}


def notes(prepared, lang: str) -> list[str]:
    """The preparation's notes in `lang`."""
    return [ja if lang == "ja" else en for ja, en in prepared.notes]


def skipped_label(prepared, lang: str) -> str:
    """The skipped rows' expander label, with their count."""
    return tr("imp_skipped", lang) + f"（{len(prepared.skipped)}）"


def skipped(prepared, lang: str) -> tuple[pd.DataFrame, dict]:
    """The skipped rows with translated reasons, and their column labels."""
    frame = prepared.skipped.assign(reason=prepared.skipped["reason"].map(lambda r: tr(f"imp_skip_{r}", lang)))
    return frame, {"what": tr("imp_col_what", lang), "rows": tr("imp_col_rows", lang),
                   "reason": tr("imp_col_reason", lang)}


def checked(prepared, lang: str) -> str:
    """The check summary: rows per table and in all."""
    summary = ", ".join(f"{tr(f'tbl_{k}', lang)} {count(len(v), lang)}" for k, v in prepared.tables.items())
    return tr("imp_checked", lang, tables=summary, n=count(prepared.rows, lang))


def tab_labels(prepared, lang: str) -> list[str]:
    """One preview tab per table prepared."""
    return [tr(f"tbl_{k}", lang) for k in prepared.tables]


def preview(table: str, rows: pd.DataFrame, lang: str) -> dict:
    """A table's preview: dict(caption, frame (the first 100 rows; orig_source_id only if filled), measures
    ({column: label}))."""
    shown = rows.drop(columns=["_row", "_col"]).head(100)
    shown = shown.drop(columns=["orig_source_id"]) if shown["orig_source_id"].isna().all() else shown
    return dict(caption=tr("imp_preview_rows", lang, table=table, n=count(len(rows), lang)), frame=shown,
                measures={m: tr(f"xc_{m}", lang) for m in importer.TARGETS[table].measures})


def source_defaults(parsed, file_name: str) -> dict:
    """The source form's starting values: the file's own source, its name as title, the standard licence."""
    src = importer.default_source(parsed)
    return src | {"title": src["title"] or file_name, "licence": src["licence"] or DEFAULT_LICENCE}


def history_labels(history: pd.DataFrame, lang: str) -> dict:
    """The import history's column labels."""
    return {c: tr(f"imp_h_{c}", lang) for c in history.columns}


def victim_label(history: pd.DataFrame):
    """Format function for the import to delete: '#3 a.csv'."""
    return lambda i: f"#{i} {history.loc[history['import_id'] == i, 'file_name'].iat[0]}"
