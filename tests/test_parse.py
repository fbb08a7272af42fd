"""Cell parsing as the official tables print it: △/▲ negatives, thousands commas, missing marks, 和暦."""
from __future__ import annotations

from datetime import date

import pytest

from loaders.errors import LoaderError
from loaders.parse import MISSING_MARKS, CellError, parse_count, parse_number, wareki_to_date, wareki_to_year


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
    ("2022 年", 2022),       # a space before 年, as uploads print it (the importer reads its years here)
    ("令和 4 年度", 2022),
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


# ---------------------------------------------------------------- bounds (issue 15, defect 6)

@pytest.mark.parametrize("cell", ["9" * 400, "9" * 16, "1e300", float("inf"), float("-inf"), 1e15, -1e15, "△1e15",
                                  "1,000,000,000,000,000"])
def test_parse_number_refuses_non_finite_and_absurdly_large(cell):
    with pytest.raises(CellError) as err:
        parse_number(cell)
    assert "10^15" in err.value.ja and "10^15" in err.value.en


def test_parse_number_keeps_everything_below_the_bound_exact():
    assert parse_number("999,999,999,999,999") == 999_999_999_999_999  # < 2^53: exact as a float
    assert parse_number(126_146_099) == 126_146_099.0                  # 全国 population, 2020 census


@pytest.mark.parametrize("cell, expected", [
    ("3.2e-05", 3.2e-05),          # how pandas writes a small rate into a CSV (the parameter download)
    ("-5.283678587246025e-17", -5.283678587246025e-17),
    ("1E+03", 1000.0),
    ("△2.5e-3", -0.0025),
])
def test_parse_number_reads_exponent_notation(cell, expected):
    assert parse_number(cell) == expected


@pytest.mark.parametrize("text, year", [("明治45年", 1912), ("大正15年", 1926), ("昭和64年", 1989),
                                        ("平成31年度", 2019), ("令和元年", 2019), ("R99", 2117)])
def test_wareki_last_year_of_each_era_is_valid(text, year):
    assert wareki_to_year(text) == year


@pytest.mark.parametrize("text, ja_words, en_words", [
    ("平成38年度", ("平成は31年", "令和8年度", "2026年度"), ("令和8年度", "FY2026")),
    ("H38", ("平成は31年", "令和8年", "2026年"), ("令和8", "2026")),
    ("昭和65年", ("昭和は64年", "平成2年", "1990年"), ("平成2", "1990")),
    ("大正16年", ("大正は15年", "昭和2年"), ("昭和2", "1927")),
    ("明治46年", ("明治は45年", "大正2年"), ("大正2", "1913")),
    ("令和0年", ("令和0年はありません", "令和元年"), ("no year 0",)),
])
def test_wareki_year_past_the_era_end_is_refused_with_the_equivalent(text, ja_words, en_words):
    with pytest.raises(CellError) as err:
        wareki_to_year(text)
    assert all(w in err.value.ja for w in ja_words), err.value.ja
    assert all(w in err.value.en for w in en_words), err.value.en


@pytest.mark.parametrize("text, day", [
    ("令和7年10月1日", date(2025, 10, 1)),
    ("令和元年5月1日", date(2019, 5, 1)),
    ("平成31年4月30日", date(2019, 4, 30)),
    ("R7.10.1", date(2025, 10, 1)),
    ("昭和64年1月7日", date(1989, 1, 7)),
    ("令和７年１０月１日", date(2025, 10, 1)),
])
def test_wareki_to_date(text, day):
    assert wareki_to_date(text) == day


@pytest.mark.parametrize("text, words", [
    ("平成31年5月1日", ("平成は2019年4月30日まで", "令和元年5月1日")),
    ("令和元年4月30日", ("令和は2019年5月1日から", "平成31年4月30日")),
    ("昭和64年1月8日", ("平成元年1月8日",)),
    ("平成38年4月1日", ("令和8年",)),
    ("令和7年2月30日", ("2月30日",)),
])
def test_wareki_to_date_refuses_days_outside_the_era(text, words):
    with pytest.raises(CellError) as err:
        wareki_to_date(text)
    assert all(w in err.value.ja for w in words), err.value.ja
    assert err.value.en
