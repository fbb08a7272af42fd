"""Cell parsing as the official tables print it: △/▲ negatives, thousands commas, missing marks, 和暦."""
from __future__ import annotations

import pytest

from loaders.errors import LoaderError
from loaders.parse import MISSING_MARKS, parse_count, parse_number, wareki_to_year


@pytest.mark.parametrize("cell, expected", [
    ("△1,825", -1825.0),       # 久留米市 自然動態 FY2024 as printed in the city's table
    ("▲ 74", -74.0),           # ▲ with a space, as in FY2011
    ("△ 1,106", -1106.0),
    ("1,234", 1234.0),
    ("１，２３４", 1234.0),     # full-width digits and comma
    ("-0.5", -0.5),
    ("−12", -12.0),            # U+2212 minus sign
    ("  300,199 ", 300199.0),
    ("0", 0.0),
    (2937, 2937.0),
    (2.5, 2.5),
])
def test_parse_number_published_forms(cell, expected):
    assert parse_number(cell) == expected


@pytest.mark.parametrize("cell", ["", "-", "－", "…", "...", "x", "X", "***", "*", None, float("nan")])
def test_parse_number_missing_marks_are_none(cell):
    assert parse_number(cell) is None


@pytest.mark.parametrize("cell", ["abc", "12a", "1.2.3", "△", "皆増", "1,2x", "--5"])
def test_parse_number_rejects_text(cell):
    with pytest.raises(ValueError):
        parse_number(cell)


def test_parse_count_whole_numbers_only():
    assert parse_count("△1,825") == -1825
    assert isinstance(parse_count("1,234"), int)
    assert parse_count("X") is None
    with pytest.raises(ValueError):
        parse_count("12.5")


def test_missing_marks_include_published_suppression_marks():
    assert {"-", "…", "x", "X", "***"} <= MISSING_MARKS
    assert "0" not in MISSING_MARKS


@pytest.mark.parametrize("text, year", [
    ("平成31年", 2019),
    ("令和元年", 2019),
    ("令和元年度", 2019),
    ("R1", 2019),
    ("R.1", 2019),
    ("H30", 2018),
    ("令和4年", 2022),
    ("令和６年", 2024),      # full-width digit
    ("平成元年", 1989),
    ("昭和64年", 1989),
    ("S50", 1975),
    ("2022", 2022),
    ("2022年", 2022),
])
def test_wareki_to_year(text, year):
    assert wareki_to_year(text) == year


@pytest.mark.parametrize("text", ["", "令和", "令和X年", "平成一年", "Q3", "R", "令和123年", "22", "garbage"])
def test_wareki_to_year_rejects_garbage(text):
    with pytest.raises(ValueError):
        wareki_to_year(text)


def test_loader_error_message_in_both_languages():
    exc = LoaderError("x.csv", "数値ではありません。", "not a number.", row=5, column="births", sheet="s1")
    assert exc.message("ja") == "x.csv、シート s1、5行目、列「births」: 数値ではありません。"
    assert exc.message("en") == "x.csv, sheet s1, row 5, column 'births': not a number."
    assert "数値" in str(exc) and "not a number" in str(exc)
    assert (exc.file, exc.row, exc.column, exc.sheet) == ("x.csv", 5, "births", "s1")
