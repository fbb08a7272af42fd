"""Plausibility bounds of uploaded projection parameter tables (projection.tables.check_parameter_table).

Issue 15, defect 6: survival 5.0 gave ~1.5·10^11 persons in 2060, a 300-digit CWR gave inf, year 20250 was
accepted, a duplicate cell silently took the last value and a male CWR row raised an uncaught ValueError.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import projection as pj
from loaders.errors import LoaderError
from projection.tables import BOUNDS, LAST_YEAR, check_parameter_table


def table(*rows) -> pd.DataFrame:
    """Rows (parameter, sex, age_group, value, year) as read_parameter_csv returns them."""
    return pd.DataFrame([{"parameter": p, "sex": s, "age_group": a, "value": v, "area_code": "", "year": y}
                         for p, s, a, v, y in rows]).astype({"year": "Int64"})


GOOD = ("survival", "male", "20-24", 0.999, None)


def refusal(*rows, base_year=2020) -> LoaderError:
    with pytest.raises(LoaderError) as err:
        check_parameter_table(table(*rows), "params.csv", base_year)
    return err.value


@pytest.mark.parametrize("bad, column, ja, en", [
    (("survival", "male", "20-24", 5.0, None), "value", ("survival", "0〜1.2"), ("survival", "0 to 1.2")),
    (("survival", "female", "0-4", -0.1, None), "value", ("0〜1.2",), ("0 to 1.2",)),
    (("cwr", "", "", 1e300, None), "value", ("cwr", "0〜2"), ("0 to 2",)),
    (("cwr", "", "", float("inf"), None), "value", ("有限",), ("finite",)),
    (("cwr", "", "", float("nan"), None), "value", ("有限",), ("finite",)),
    (("migration", "male", "15-19", -1.5, None), "value", ("-1〜20",), ("-1 to 20",)),
    (("migration", "male", "15-19", 25.0, None), "value", ("-1〜20",), ("-1 to 20",)),
    (("sex_ratio_0_4", "", "", 105.0, None), "value", ("女1人あたり男", "105"), ("boys per girl", "per 100")),
    (("foreign_net_counts", "male", "20-24", 2e7, None), "value", ("人",), ("persons",)),
    (("cwr", "", "", 0.2, 20250), "year", ("20250", "2025〜2070", "5年"), ("20250", "2025 to 2070")),
    (("cwr", "", "", 0.2, 2027), "year", ("2027", "5年ごと"), ("5-year grid",)),
    (("cwr", "", "", 0.2, 2020), "year", ("2020", "2025〜2070"), ("2025 to 2070",)),
    (("cwr", "", "", 0.2, 2075), "year", ("2075",), ("2075",)),
    (("tfr_base", "", "", 1.5, 2030), "year", ("survival・migration・cwr",), ("only",)),
    (("cwr", "male", "", 0.2, None), "sex", ("女性1人あたり", "男性"), ("per woman", "male")),
    (("cwr", "female", "", 0.2, None), "sex", ("空欄か total",), ("empty or 'total'",)),
    (("foreign_cwr", "male", "", 0.2, None), "sex", ("女性1人あたり",), ("per woman",)),
    (("sex_ratio_0_4", "", "0-4", 1.05, None), "age_group", ("空欄か total",), ("empty or 'total'",)),
    (("survival", "total", "20-24", 0.9, None), "sex", ("male か female",), ("male or female",)),
    (("survival", "male", "20-25", 0.9, None), "age_group", ("20-25",), ("20-25",)),
    (("births", "", "", 1.0, None), "parameter", ("births",), ("births",)),
])
def test_implausible_cells_are_refused_with_file_row_and_column(bad, column, ja, en):
    err = refusal(GOOD, GOOD[:3] + (0.998, 2025), bad)
    assert (err.file, err.row, err.column) == ("params.csv", 4, column)  # header = row 1, `bad` is the 3rd data row
    assert all(w in err.message("ja") for w in ja + ("params.csv", "4行目")), err.message("ja")
    assert all(w in err.message("en") for w in en + ("params.csv", "row 4")), err.message("en")


def test_a_duplicate_cell_is_refused_naming_both_rows():
    err = refusal(("cwr", "", "", 0.2, 2025), GOOD, ("cwr", "total", "total", 0.9, 2025))
    assert (err.row, err.column) == (4, "value")
    assert "2行目" in err.message("ja") and "4行目" in err.message("ja")
    assert "rows 2 and 4" in err.message("en")
    # the same cell in different years, or undated beside dated, is not a duplicate
    check_parameter_table(table(("cwr", "", "", 0.2, 2025), ("cwr", "", "", 0.21, 2030), ("cwr", "", "", 0.19, None)),
                          "p.csv", 2020)


def test_row_numbers_can_be_given():
    with pytest.raises(LoaderError) as err:
        check_parameter_table(table(GOOD, ("cwr", "", "", 9.0, None)), "p.csv", 2020, rows=[7, 12])
    assert err.value.row == 12


def test_bounds_are_inclusive_and_the_grid_follows_the_base_year():
    edge = [(p, "male" if p in pj.tables.AGE_PARAMS else "", "0-4" if p in pj.tables.AGE_PARAMS else "", v, None)
            for p, (lo, hi) in BOUNDS.items() for v in (lo, hi)]
    # each parameter twice (lo, hi) would be a duplicate cell: split into two tables
    check_parameter_table(table(*edge[0::2]), "p.csv", 2020)
    check_parameter_table(table(*edge[1::2]), "p.csv", 2020)
    check_parameter_table(table(("cwr", "", "", 0.2, 2030), ("cwr", "", "", 0.2, LAST_YEAR)), "p.csv", 2020)
    check_parameter_table(table(("cwr", "", "", 0.2, 2027)), "p.csv", 2022)  # base 2022: steps end 2027, 2032 …
    with pytest.raises(LoaderError):
        check_parameter_table(table(("cwr", "", "", 0.2, 2025)), "p.csv", 2022)


@pytest.fixture(scope="module")
def national_inputs(national_db):
    from estimates.projection_inputs import build_inputs
    from store.official import open_readonly

    con = open_readonly(national_db)
    try:
        return build_inputs(con, base_year=2020)
    finally:
        con.close()


def test_no_real_area_exceeds_the_bounds(national_inputs):
    """Every area's estimated parameters (what its download writes) lie inside BOUNDS, so any downloaded table
    uploads back. Extremes measured on the national database (base 2020, windows 2015→2020 … 2017→2022):
    migration −0.944 (青ヶ島村 girls 10–14) … 9.38 (音威子府村 girls 10–14, a boarding high school);
    0–4 sex ratio 0.52 (西目屋村) … 3.0 (青ヶ島村), foreign 0 … 7.0; foreign CCR up to 52.8 (須崎市)."""
    inp = national_inputs
    assert len(inp.area_codes) > 1900
    fields = {"survival": inp.survival, "migration": inp.migration.mean, "cwr": inp.cwr,
              "sex_ratio_0_4": inp.sex_ratio_0_4, "tfr_base": inp.tfr_base, "foreign_ccr": inp.foreign_ccr,
              "foreign_net_counts": inp.foreign_net_counts, "foreign_cwr": inp.foreign_cwr,
              "foreign_sex_ratio_0_4": inp.foreign_sex_ratio_0_4}
    assert set(fields) == set(BOUNDS)
    for name, v in fields.items():
        v = np.asarray(v, dtype=float)
        lo, hi = BOUNDS[name]
        assert np.isfinite(v).all(), name
        assert lo <= v.min() and v.max() <= hi, (name, v.min(), v.max())
    mig = np.asarray(inp.migration.mean)
    assert mig.max() > 9 and mig.min() < -0.9  # the real extremes the migration bound must keep


@pytest.mark.parametrize("code", ["00000", "01470", "13402", "02343", "11343", "39206", "01108", "40203"])
def test_extreme_areas_round_trip_through_the_upload(national_inputs, code):
    """The downloaded table of the areas with the extreme values (and 01108, whose table has a rate pandas writes
    as 5.6e-05) uploads back unchanged."""
    from loaders.parameters import read_parameter_csv
    from ui.download import csv_bytes

    down = pj.parameter_table(national_inputs, code)
    back = read_parameter_csv("p.csv", csv_bytes(down), base_year=2020)
    assert back["value"].tolist() == down["value"].tolist()
