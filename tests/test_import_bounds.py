"""The import cannot be bombed and stores no silent garbage (issue 15).

Every file of the bad-input corpus (tests/bad_input/) is refused with a LoaderError naming file, row and column in
Japanese and English; compression and spreadsheet bombs are refused with bounded memory (tracemalloc peak, Python
allocations) under the real limits of settings.LIMITS; the limits themselves are checked with small patched values.
The import page shows every failure as a message, never a traceback.
"""
from __future__ import annotations

import dataclasses
import gzip
import logging
import tracemalloc
from types import SimpleNamespace

import pytest

from loaders import importer, importer_read
from loaders.errors import LoaderError
from settings import LIMITS
from tests.bad_input import corpus

MEMORY_BOUND = 100 * 2**20  # extra Python memory a refused bomb may cost



def refused(name: str, data: bytes, known) -> LoaderError:
    with pytest.raises(LoaderError) as info:
        importer.read_and_prepare(name, data, known)
    return info.value


def peak_of(fn) -> int:
    """Peak of Python allocations (bytes) while fn() runs."""
    tracemalloc.start()
    try:
        fn()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def limits(monkeypatch, **changes) -> None:
    """Patch the limits the reader sees."""
    monkeypatch.setattr(importer_read, "LIMITS", dataclasses.replace(LIMITS, **changes))


# ---------------------------------------------------------------- the corpus: refused, naming where

CORPUS = [
    # (id, file name, bytes, row, column (prefix) or None, words in ja, words in en)
    ("gzip_bomb", "bomb.csv.gz", corpus.gzip_bomb, None, None, "展開", "decompress"),
    ("xlsx_dimension_bomb", "dim.xlsx", corpus.xlsx_dimension_bomb, 1048576, "XFD", "使用範囲「A1:XFD1048576」",
     "used range A1:XFD1048576"),
    # 666,667 empty rows of 3 columns pass 2 million cells less than 1 % filled, before the far cell is reached
    ("xlsx_far_corner_cell", "corner.xlsx", corpus.xlsx_far_corner, 666_667, "C", "ほとんどが空", "almost all of it empty"),
    ("xlsx_wide_rows", "wide.xlsx", corpus.xlsx_wide_rows, 123, "XFD", "使用範囲", "used range"),
    ("xlsx_far_corner_cell_dense", "corner2.xlsx", corpus.xlsx_far_corner_dense, 1001, "XFD", "使用範囲「A1:XFD1001」",
     "used range A1:XFD1001"),
    ("xlsx_member_bomb", "member.xlsx", corpus.xlsx_member_bomb, None, None, "xl/worksheets/sheet1.xml", "decompress"),
    ("xlsx_member_lying_size", "liar.xlsx", lambda: corpus.xlsx_member_bomb(declared=4096), None, None, "Excel",
     "Excel"),
    ("xlsx_entity_expansion", "laughs.xlsx", corpus.xlsx_entity_bomb, None, None, "DOCTYPE", "DOCTYPE"),
    ("xlsx_long_cell", "long.xlsx", corpus.xlsx_long_cell, 2, "D", "40,000 文字", "40,000 characters"),
    ("csv_long_cell", "long.csv", lambda: corpus.csv_long_cell(40_000), 2, "E", "40,000 文字", "40,000 characters"),
    ("csv_cell_over_csv_field_limit", "longer.csv", lambda: corpus.csv_long_cell(140_000), 2, "E", "長すぎます",
     "too long"),
    ("truncated_last_field", "cut.csv", corpus.truncated_last_field, 3, "D", "改行で終わっていません", "line break"),
    ("fiscal_year_in_stock_table", "fy.csv", corpus.fy_in_stock_table, 2, "B (ref_date)", "年度「2021年度」",
     "fiscal year"),
    ("free_text_basis", "basis.csv", corpus.free_text_basis, 3, "C (basis)", "「だいたい」", "basis"),
    ("formula_full_width_equals", "fw.csv", lambda: corpus.formula("＝"), 2, "E", "数式", "formula"),
    ("formula_after_ideographic_space", "sp.csv", lambda: corpus.formula("\u3000="), 2, "E", "数式", "formula"),
    ("formula_after_bom", "bom.csv", lambda: corpus.formula("\ufeff="), 2, "E", "数式", "formula"),
    ("formula_after_zero_width_space", "zw.csv", lambda: corpus.formula("\u200b＠"), 2, "E", "数式", "formula"),
    ("formula_full_width_plus", "plus.csv", lambda: corpus.formula("＋"), 2, "E", "数式", "formula"),
    ("cp932_garbage", "garbage.csv", corpus.cp932_garbage, 2, None, "文字コード", "encoding"),
]


@pytest.mark.parametrize("case", CORPUS, ids=[c[0] for c in CORPUS])
def test_corpus_refused_with_file_row_and_column(case, known):
    _, name, make, row_no, column, ja, en = case
    exc = refused(name, make(), known)
    assert exc.file == name
    assert exc.row == row_no, exc.message("ja")
    if column is not None:
        assert exc.column and exc.column.startswith(column), exc.message("ja")
    assert ja in exc.message("ja"), exc.message("ja")
    assert en in exc.message("en"), exc.message("en")
    if row_no is not None:
        assert f"{row_no}行目" in exc.message("ja") and f"row {row_no}" in exc.message("en")


BOMBS = ["gzip_bomb", "xlsx_dimension_bomb", "xlsx_far_corner_cell", "xlsx_far_corner_cell_dense", "xlsx_wide_rows",
         "xlsx_member_bomb",
         "xlsx_member_lying_size", "xlsx_entity_expansion", "csv_cell_over_csv_field_limit"]


@pytest.mark.parametrize("case", [c for c in CORPUS if c[0] in BOMBS], ids=BOMBS)
def test_bombs_refused_with_bounded_memory(case, known):
    _, name, make, *_ = case
    data = make()
    assert len(data) < 2 * 2**20  # a small upload …

    def run():
        with pytest.raises(LoaderError):
            importer.read_and_prepare(name, data, known)

    assert peak_of(run) < MEMORY_BOUND  # … refused before it grows


def test_corpus_covers_every_class():
    ids = {c[0] for c in CORPUS}
    assert {"gzip_bomb", "xlsx_dimension_bomb", "xlsx_member_bomb", "csv_long_cell", "truncated_last_field",
            "fiscal_year_in_stock_table", "free_text_basis", "formula_full_width_equals", "cp932_garbage"} <= ids


# ---------------------------------------------------------------- the limits, one by one

def test_gzip_cap_refuses_as_soon_as_exceeded_and_keeps_files_under_it(monkeypatch, known):
    limits(monkeypatch, decompressed_bytes=4 * 2**20)
    body = b"".join(f"{40000 + i % 1000},2022-01-01,total,{i}\n".encode() for i in range(200_000))  # ~5 MB, ratio ~5
    exc = refused("big.csv.gz", gzip.compress(corpus.TIDY_HEAD.encode() + body), known)
    assert "4 MB" in exc.message("ja") and "4 MB" in exc.message("en")
    # two gzip members (concatenated files) under the cap are read whole
    two = gzip.compress((corpus.TIDY_HEAD + "40203,2022-01-01,total,5\n").encode()) + gzip.compress(
        b"40212,2022-01-01,total,7\n")
    parsed, prep = importer.read_and_prepare("two.csv.gz", two, known)
    assert parsed.kind == "csv" and prep.tables["population"]["persons"].tolist() == [5, 7]


def test_gzip_truncated_and_trailing_garbage(known):
    data = gzip.compress(corpus.TIDY_HEAD.encode() + b"40203,2022-01-01,total,5\n")
    assert "途中で切れて" in refused("cut.csv.gz", data[:-6], known).message("ja")
    assert "壊れて" in refused("junk.csv.gz", data + b"junk", known).message("ja")
    _, prep = importer.read_and_prepare("padded.csv.gz", data + b"\x00" * 16, known)  # zero padding is allowed
    assert prep.rows == 1


def test_zip_member_cap_is_checked_from_the_directory_before_reading(monkeypatch, known):
    limits(monkeypatch, decompressed_bytes=2**20)
    data = corpus.xlsx_member_bomb(size=3 * 2**20)
    exc = refused("m.xlsx", data, known)
    assert "xl/worksheets/sheet1.xml" in exc.message("en") and "1 MB" in exc.message("en")


def test_csv_rows_and_cells_limits_checked_while_reading(monkeypatch, known):
    body = corpus.TIDY_HEAD + "".join(f"40203,2022-01-{d:02d},total,{d}\n" for d in range(1, 29))
    limits(monkeypatch, upload_rows=10)
    exc = refused("rows.csv", body.encode(), known)
    assert exc.row == 11 and "10" in exc.message("en")
    limits(monkeypatch, upload_rows=1000, upload_cells=50)
    exc = refused("cells.csv", body.encode(), known)
    assert exc.row == 13 and "50" in exc.message("en")  # 4 cells a line: the 13th line passes 50


def test_xls_cells_limit_checked_before_reading(monkeypatch, known, raw_dir):
    data = (raw_dir / "national_fertility_mortality_projections" / "ipss_h29_national_projection_source_xls"
            / "1-9a.xls").read_bytes()
    limits(monkeypatch, upload_cells=100)
    exc = refused("1-9a.xls", data, known)
    assert "使用範囲" in exc.message("ja") and "100" in exc.message("en")


def test_cell_just_under_the_limit_is_read(known):
    parsed, prep = importer.read_and_prepare("ok.csv", corpus.csv_long_cell(LIMITS.cell_chars), known)
    assert len(prep.tables["population"]["orig_source_id"].iat[0]) == LIMITS.cell_chars


# ---------------------------------------------------------------- silent garbage

def test_last_line_without_line_break_is_kept_when_its_last_cell_is_quoted(known):
    data = (corpus.TIDY_HEAD + '40203,2022-01-01,total,"59,000"').encode()
    assert importer.read_and_prepare("q.csv", data, known)[1].tables["population"]["persons"].tolist() == [59_000]


def test_bare_year_in_stock_table_is_dated_and_said(known):
    _, prep = importer.read_and_prepare("y.csv", (corpus.TIDY_HEAD + "40203,2021,total,5\n").encode(), known)
    assert str(prep.tables["population"]["ref_date"].iat[0]) == "2021-10-01"
    assert "ref_day" in prep.options_used


def test_fiscal_year_refused_for_a_year_table(known):
    exc = refused("tfr.csv", "area_code,year,tfr\n40203,2021年度,1.5\n".encode(), known)
    assert (exc.row, exc.column) == (2, "B (year)") and "年度" in exc.message("ja")


@pytest.mark.parametrize("text, stored", [("juki", "juki"), ("census", "census"), ("住民基本台帳", "juki"),
                                          ("国勢調査", "census"), ("city_register", "city_register")])
def test_basis_values_of_the_official_tables(known, text, stored):
    data = f"area_code,ref_date,basis,nationality,persons\n40203,2022-01-01,{text},total,5\n".encode()
    assert importer.read_and_prepare("b.csv", data, known)[1].tables["population"]["basis"].tolist() == [stored]


def test_basis_option_checked(known):
    parsed = importer_read.parse("p.csv", (corpus.TIDY_HEAD + "40203,2022-01-01,total,5\n").encode(),
                                 importer.TIDY_COLUMNS)
    with pytest.raises(LoaderError) as info:
        importer.prepare(parsed, known, importer.Options(basis="guess"))
    assert "guess" in info.value.message("en") and info.value.column == "basis"


@pytest.mark.parametrize("header, line, column, words", [
    ("area_code,source,scenario,year,persons", "40203,anything goes,baseline,2030,5", "B (source)", "source"),
    ("area_code,period,period_kind,nationality,births", "40203,CY2021,ZZ,total,5", "C (period_kind)", "ZZ"),
    ("area_code,period,period_kind,nationality,births", "40203,CY2021,FY,total,5", "C (period_kind)", "CY2021"),
    ("area_code,ref_date,age_group,persons", "40203,2022-01-01,999+,5", "C (age_group)", "999+"),
    ("area_code,ref_date,sex,persons", "40203,2022-01-01,both,5", "C (sex)", "both"),
])
def test_enumerated_fields_refused_with_row_and_column(known, header, line, column, words):
    exc = refused("e.csv", f"{header}\n{line}\n".encode(), known)
    assert (exc.row, exc.column) == (2, column) and words in exc.message("en"), exc.message("en")


def test_projection_sources_of_the_official_tables(known):
    data = b"area_code,source,scenario,year,persons\n40203,ipss_2018,baseline,2030,5\n40203,user,mine,2030,6\n"
    _, prep = importer.read_and_prepare("p.csv", data, known)
    assert prep.tables["projections"]["source"].tolist() == ["ipss_2018", "user"]


def test_negative_numbers_and_phone_like_text_are_not_formulas(known):
    data = (corpus.TIDY_HEAD.rstrip("\n") + ",source_id\n40203,2022-01-01,total,5,-5\n40212,2022-01-01,total,6,"
            "+81 3 1234\n").encode()
    _, prep = importer.read_and_prepare("n.csv", data, known)
    assert prep.tables["population"]["orig_source_id"].tolist() == ["-5", "+81 3 1234"]


# ---------------------------------------------------------------- the page: a message, never a traceback

def _upload(monkeypatch, name: str, data: bytes):
    import streamlit as st

    fake = SimpleNamespace(name=name, getvalue=lambda: data)
    monkeypatch.setattr(st, "file_uploader", lambda *a, **k: fake)


def _import_page(bundled_db, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import REPO

    monkeypatch.setenv("POPDASH_DB", str(bundled_db))
    monkeypatch.setenv("POPDASH_USER_DB", str(tmp_path / "user" / "imports.duckdb"))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params["area"] = "40203"
    at.switch_page("pages/import_data.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_page_shows_a_bad_file_as_a_message(bundled_db, tmp_path, monkeypatch):
    _upload(monkeypatch, "long.csv", corpus.csv_long_cell(140_000))
    at = _import_page(bundled_db, tmp_path, monkeypatch)
    text = at.error[0].value
    assert "long.csv、2行目、列「E」" in text and "長すぎます" in text and "Traceback" not in text


def test_page_shows_an_unexpected_error_by_type_and_logs_it(bundled_db, tmp_path, monkeypatch, caplog):
    _upload(monkeypatch, "ok.csv", (corpus.TIDY_HEAD + "40203,2022-01-01,total,5\n").encode())

    def boom(*a, **k):
        raise KeyError("internal detail")

    monkeypatch.setattr(importer_read, "parse", boom)
    with caplog.at_level(logging.ERROR, logger="loaders.importer"):
        at = _import_page(bundled_db, tmp_path, monkeypatch)
    text = at.error[0].value
    assert "KeyError" in text and "ok.csv" in text and "internal detail" not in text
    assert any("ok.csv" in r.getMessage() and r.exc_info for r in caplog.records)
