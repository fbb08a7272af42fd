"""The choices a user confirms on the mapping step (Options, with defaults read from the file), the result of a
check (Prepared: validated rows per table, the mapping, skipped rows and notes) and the refusal every step raises
(fail: a LoaderError naming file, sheet, row and column).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from loaders.errors import LoaderError
from loaders.importer.targets import BASIS
from loaders.importer_read import Parsed


@dataclass(frozen=True)
class Options:
    """Choices the user confirms on the mapping step.

    basis: population basis for population rows ('estimate' 人口推計, 'census' 国勢調査, 'juki' 住民基本台帳,
    'city_register' the city's own count, 'other'; see BASIS);
    ref_day: 'MM-DD' used when a population's time is a bare year (10-01 for 人口推計/国勢調査, 01-01 for 住基).
    """

    basis: str = "other"
    ref_day: str = "10-01"


@dataclass
class Prepared:
    """Validated rows per project table, ready to append, plus what the user should see before confirming."""

    file: str
    layout: str
    encoding: str | None
    tables: dict[str, pd.DataFrame]  # schema columns + orig_source_id + _row/_col (dropped on insert)
    mapping: pd.DataFrame  # dimension, role, categories (as printed -> as stored; '@by_code'/'@by_name' for areas)
    skipped: pd.DataFrame  # what, rows, reason ('aggregate' printed subtotal, 'other_measure' not importable)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (ja, en)
    sha256: str = ""
    options_used: set = field(default_factory=set)  # which Options fields shaped the result ('basis', 'ref_day')

    @property
    def rows(self) -> int:
        return sum(len(f) for f in self.tables.values())


def fail(parsed_or_file, ja: str, en: str, row=None, column=None) -> LoaderError:
    """The LoaderError of a refusal in `parsed` (or a file name), with row and column where known."""
    file = parsed_or_file if isinstance(parsed_or_file, str) else parsed_or_file.file
    sheet = None if isinstance(parsed_or_file, str) else parsed_or_file.sheet
    return LoaderError(file, ja, en, row=row, column=column, sheet=sheet)


def option_basis(parsed: Parsed, opt: Options) -> str:
    """The population basis chosen on the mapping step, checked against BASIS."""
    if opt.basis not in BASIS.values():
        allowed = ", ".join(dict.fromkeys(BASIS.values()))
        raise fail(parsed, f"人口の基礎「{opt.basis}」が不明です（{allowed}）。", f"unknown population basis {opt.basis!r} "
                   f"(expected {allowed}).", column="basis")
    return opt.basis


def suggest_options(parsed: Parsed) -> Options:
    """Defaults for the mapping step from the file's title/preamble (人口推計/国勢調査 -> 10-01, 住基 -> 01-01)."""
    text = " ".join(parsed.meta.values()) + " " + parsed.file
    if "国勢調査" in text:
        return Options("census", "10-01")
    if "住民基本台帳" in text:
        return Options("juki", "01-01")
    if "人口推計" in text or "00200524" in text:
        return Options("estimate", "10-01")
    return Options()


def default_source(parsed: Parsed) -> dict[str, str]:
    """Source fields pre-filled from the preamble (統計名, 表題, 表番号) for the user to complete."""
    m = parsed.meta
    return {"publisher": m.get("政府統計名", m.get("STAT_NAME", "")),
            "title": m.get("統計名", m.get("STATISTICS_NAME", m.get("見出し", ""))),
            "table_id": m.get("表番号", m.get("統計表ID", m.get("TABLE_INF", m.get("表題", "")))),
            "url": "", "retrieved": date.today().isoformat(), "licence": "", "note": ""}
