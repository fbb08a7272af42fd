"""Import of official files uploaded by a user into the user store (store.user; never the official database).

    parsed = importer_read.parse(name, data, TIDY_COLUMNS)    # encoding, file type, layout (importer_read)
    prepared = prepare(parsed, known_codes, Options(...))     # mapping to project tables + validation
    import_id = append(prepared, source)                      # one transaction in the user database

Modules by job: targets (the project tables, vocabularies, schema layout), prepared (Options, the Prepared result,
refusals), cells (times, ages, units, numbers; 和暦 through loaders.parse), areas (AreaIndex), records (e-Stat
layouts), tidy (tidy files), juki_workbook (住民基本台帳 workbooks), rows (bounds and the final column layout shared
by all three), userstore (writes to the user store). This package's names below are the public API.

Mapping (e-Stat layouts): every dimension (分類事項) is given a role from its name, else from its categories:
area (codes checked against the official `areas`; names matched when no code column is given; printed aggregates
such as 市部/郡部/○○郡 are skipped and listed), time (dates, years, 年度 and 暦年, 和暦 such as 令和元年/R1/H30 with
era bounds checked: 平成32年 or 令和元年4月1日 are refused), sex, nationality, age group and measure (表章項目:
人口 → population.persons, 出生児数 → vital_events.births, 転入者数 → migration_totals.in_total …). Units
(unit column, 【千人】 in a label, 単位： line) scale the figures (千人 × 1,000); a measure printed in two units is
refused. Cells: commas, △/▲/- negatives, and '-', '…', 'x', '***' as missing or suppressed (stored as NULL).
Counts must be whole, not negative (net figures excepted) and at most MAX_COUNT.

The user database is never the official one: the app's database stays read-only and is rebuilt from official
files; user rows carry source_id 'user_<import id>' and the import's own source description. An import is one
transaction: any error rolls it back and earlier imports are untouched. A key already imported is refused
(delete the earlier import first). Every refusal is a LoaderError naming file, row and column in ja and en.
"""
from __future__ import annotations

import logging

import pandas as pd

from loaders.errors import LoaderError
from loaders.importer.areas import AreaIndex
from loaders.importer.cells import parse_age, parse_time, split_unit
from loaders.importer.juki_workbook import read_juki
from loaders.importer.prepared import Options, Prepared, default_source, fail, suggest_options
from loaders.importer.records import map_records
from loaders.importer.targets import (MAX_COUNT, MEASURES, TARGETS, TIDY_COLUMNS, UNITS, Target, table_columns)
from loaders.importer.tidy import read_tidy
from loaders.importer.userstore import IMPORT_LIST_COLUMNS, append, delete_import, list_imports
from loaders.importer_read import Parsed, parse

__all__ = ["AreaIndex", "IMPORT_LIST_COLUMNS", "MAX_COUNT", "MEASURES", "Options", "Prepared", "TARGETS",
           "TIDY_COLUMNS", "Target", "UNITS", "append", "default_source", "delete_import", "list_imports",
           "parse_age", "parse_time", "prepare", "read_and_prepare", "split_unit", "suggest_options",
           "table_columns", "unexpected"]
log = logging.getLogger(__name__)


def prepare(parsed: Parsed, known: pd.DataFrame, options: Options | None = None) -> Prepared:
    """Map a parsed upload to project tables and validate every value.

    known: DataFrame of known codes (columns code, name_ja, kind, pref_code, current) — the official areas and
    area groups. Returns a Prepared (rows per table, mapping, skipped aggregates, notes). Raises LoaderError
    naming file, row and column for the first problem.
    """
    opt = options or suggest_options(parsed)
    areas = AreaIndex(known)
    if parsed.layout == "juki_workbook":
        out = read_juki(parsed, areas)
    elif parsed.layout == "tidy":
        out = read_tidy(parsed, areas, opt)
    else:
        out = map_records(parsed, areas, opt)
    for table, frame in out.tables.items():
        if frame.empty:
            continue
        keys = list(TARGETS[table].keys)
        dup = frame.duplicated(keys + ["orig_source_id"], keep=False)
        if dup.any():
            a, b = frame.index[dup][:2]
            raise fail(parsed, f"キーが重複しています（{frame.at[a, '_row']}行目と{frame.at[b, '_row']}行目）。",
                       f"duplicated key (rows {frame.at[a, '_row']} and {frame.at[b, '_row']}).", row=int(frame.at[b, "_row"]))
    if out.rows == 0:
        raise fail(parsed, "取り込める行がありません（すべて集計行か対象外の項目です）。", "no rows to import (all rows are aggregates or other measures).")
    out.sha256 = parsed.sha256
    return out


def read_and_prepare(name: str, data: bytes, known: pd.DataFrame, options: Options | None = None) -> tuple[Parsed, Prepared]:
    """parse() then prepare(): the whole check of an upload without writing anything."""
    parsed = parse(name, data, TIDY_COLUMNS)
    return parsed, prepare(parsed, known, options)


def unexpected(file: str, exc: BaseException) -> LoaderError:
    """The LoaderError to show for a failure no check foresaw (a bug, or memory exhausted): the exception is logged
    with its traceback (logger 'loaders.importer'); the user sees a generic message in ja/en naming its type only."""
    log.error("import of %r failed unexpectedly", file, exc_info=exc)
    kind = type(exc).__name__
    return LoaderError(file, f"予期しないエラーのため取り込めませんでした（{kind}）。プログラムの不具合の可能性があります。"
                       "管理者に連絡してください（詳細はサーバーのログにあります）。",
                       f"the file could not be imported because of an unexpected error ({kind}); this may be a bug: "
                       "tell the administrator (details are in the server log).")
