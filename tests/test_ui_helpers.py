"""Downloads, i18n table and query functions the overview relies on."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.conftest import REPO
from cells import csv_bytes, neutralise
from ui.download import safe_filename
from i18n import STRINGS


def test_formulas_neutralised_numbers_kept():
    df = pd.DataFrame({"name": ["=SUM(A1:A9)", "+81", "-cmd", "@x", "久留米市"], "persons": [1, -1825, 3, 4, 5]})
    out = neutralise(df)
    assert out["name"].tolist() == ["'=SUM(A1:A9)", "'+81", "'-cmd", "'@x", "久留米市"]
    assert out["persons"].tolist() == [1, -1825, 3, 4, 5]
    raw = csv_bytes(df)
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Japanese Excel opens UTF-8
    assert "-1825" in raw.decode("utf-8-sig") and "'=SUM" in raw.decode("utf-8-sig")


def test_safe_filename():
    assert safe_filename("40203", "久留米市", "a/b:c*?") == "40203_久留米市_a_b_c.csv"


def test_every_string_has_both_languages():
    for key, langs in STRINGS.items():
        assert set(langs) == {"ja", "en"}, key
        assert all(v.strip() for v in langs.values()), key


def test_every_key_used_in_code_exists():
    used = set()
    for path in [REPO / "app.py", *REPO.glob("pages/*.py"), *REPO.glob("ui/*.py"), *REPO.glob("charts/**/*.py"),
                 *REPO.glob("queries/**/*.py")]:
        used |= set(re.findall(r"""\b(?:t|tr)\(\s*["']([a-z0-9_]+)["']""", path.read_text(encoding="utf-8")))
    assert used, "no t() calls found"
    prefixes = {k for k in used if k.endswith("_")}  # t("kind_" + kind): the family must exist
    assert all(any(s.startswith(p) for s in STRINGS) for p in prefixes)
    assert sorted(used - prefixes - set(STRINGS)) == []


@pytest.fixture()
def bundled_queries(bundled_db, monkeypatch):
    monkeypatch.setenv("POPDASH_DB", str(bundled_db))
    import queries
    return queries


def test_headline_kurume(bundled_queries):
    h = bundled_queries.headline("40203")
    assert h["population"]["total"] == 300_199 and h["population"]["japanese"] == 294_031
    assert h["population"]["foreign"] == 6_168
    assert h["natural"]["period"] == "FY2024" and h["natural"]["value"] == -1825
    assert h["natural"]["prev_period"] == "FY2023" and h["natural"]["prev_value"] == -1505
    assert h["social"]["value"] == 970
    # 2022-01-01 age table: 65+ 84,045 of 303,052 persons of known age → 27.7 %
    assert round(h["aging"]["share"], 1) == 27.7


def test_published_vs_official_shows_the_fy2005_difference(bundled_queries):
    d = bundled_queries.published_vs_official("40203").set_index(["period", "measure"])
    row = d.loc[("FY2005", "out_total")]
    assert (row["published"], row["official"], row["difference"]) == (12_971, 13_002, -31)
    assert row["official_nationality"] == "japanese"
    fy2012 = d.loc[("FY2012", "births")]  # both 2,937; official FY2012 covers all residents
    assert (fy2012["published"], fy2012["official"], fy2012["official_nationality"]) == (2_937, 2_937, "total")


def test_fiscal_and_calendar_periods_stay_apart(bundled_queries):
    v = bundled_queries.vital_series("40203")
    assert set(v["period_kind"]) == {"FY", "CY"}
    assert (v["period"].str[:2] == v["period_kind"]).all()
    cy = v[(v["period_kind"] == "CY") & (v["nationality"] == "total")]
    assert cy.set_index("period").loc["CY2021", ["births", "deaths"]].tolist() == [2_371, 3_396]
