"""formats: one way to write numbers, percentages, dates and periods in either language."""
from __future__ import annotations

import math

import pytest

import formats


@pytest.mark.parametrize("value, lang, kw, out", [
    (-1825, "ja", {}, "△1,825"), (-1825, "en", {}, "−1,825"), (970, "ja", {"signed": True}, "+970"),
    (970, "en", {}, "970"), (-0.4, "ja", {}, "0"), (-0.4, "en", {"signed": True}, "0"), (0.49, "ja", {"signed": True}, "0"),
    (-0.04, "en", {"decimals": 1}, "0.0"), (-12.34, "ja", {"decimals": 1}, "△12.3"), (1234567.891, "en", {"decimals": 2}, "1,234,567.89"),
    (None, "ja", {}, "—"), (math.nan, "en", {"none": "n/a"}, "n/a"), (5, "ja", {"unit": "組"}, "5組"),
])
def test_number(value, lang, kw, out):
    assert formats.number(value, lang, **kw) == out


def test_percent_date_period():
    assert formats.percent(-3.25, "ja", signed=True) == "△3.2%" or formats.percent(-3.25, "ja", signed=True) == "△3.3%"
    assert formats.percent(10.8, "en", signed=True) == "+10.8%" and formats.percent(-0.01, "ja", signed=True) == "0.0%"
    assert formats.date("2025-01-01", "ja") == "2025年1月1日" and formats.date("2025-10-01", "en") == "1 Oct 2025"
    assert formats.period("FY2024", "ja") == "2024年度" and formats.period("CY2013-CY2021", "ja") == "2013年〜2021年"
    assert formats.period("FY2024", "en") == "FY2024" and formats.minus("ja") == "△" and formats.minus("en") == "−"


def test_missing_values_of_every_kind():
    """pandas' NA (a nullable integer column's empty cell, e.g. a flow not published by age) is missing too."""
    import pandas as pd

    na = pd.Series([1, None], dtype="Int64").iat[1]
    assert all(formats.missing(v) for v in (None, math.nan, pd.NA, na, pd.NaT))
    assert not any(formats.missing(v) for v in (0, 0.0, "", "x", -1825))
    assert formats.number(na, "ja", none="データなし") == "データなし"
