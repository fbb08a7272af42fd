"""Every indicator for every area, on any open connection (no Streamlit): the database build stores the result in
`indicator_values`; queries.indicators reads that table (or calls compute_all for an older database) and caches it.

`fetch(con)` runs the queries/sql/indicators_*.sql files and this app's projection of every area (one vectorised
call: estimates.projection_inputs.build_inputs + projection.run); `compute_all(con)` turns that into the indicator
table (indicators.compute). Units: persons, percent, per 1,000 residents per year.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

import indicators as ind
import projection as pj
from estimates.projection_inputs import NationalAgeTablesMissing, build_inputs
from indicators import definitions as d
from projection.controls import FOREIGN_SHARE_DEFAULT
from store import sqlfiles

#: This app's projection as the projection page shows it with its sliders untouched (pages/projection.py): the
#: trend baseline, foreign residents by the area's own cohort change ratios (Hamilton–Perry; no share target).
APP_SCENARIO = pj.Scenario(steps=(d.APP_TO - d.APP_BASE) // 5 + 2, foreign_method="ccr",
                           foreign_share=FOREIGN_SHARE_DEFAULT / 100 if FOREIGN_SHARE_DEFAULT > 0 else None)


def _jan1(years) -> list:
    return [dt.date(y, 1, 1) for y in years]


def _dates(con, name: str, dates: set) -> pd.DataFrame:
    dates = sorted(dates)
    return sqlfiles.run(name, con, dates=dates, first=dates[0], last=dates[-1])


def fetch(con) -> ind.IndicatorData:
    """All inputs of indicators.compute for every area of the database behind `con` (read-only connection).

    The projection is this app's (APP_SCENARIO) for every area with register age tables, in one call."""
    totals = _dates(con, "indicators_totals", {d.POP_FROM, d.POP_TO})
    flows = sqlfiles.run("indicators_flows", con, years=list(d.FLOW_YEARS))
    ages = _dates(con, "indicators_ages", {d.AGE_DATE, *_jan1(d.FLOW_YEARS)})
    youth = sqlfiles.run("indicators_youth", con, years=list(d.FLOW_YEARS))
    ipss = sqlfiles.run("indicators_ipss", con, years=[d.IPSS_FROM, d.IPSS_TO], women=list(d.YOUNG_WOMEN_AGES))
    ipss2023 = sqlfiles.run("indicators_ipss2023", con, years=[d.IPSS23_FROM, d.IPSS23_TO])
    try:
        inputs = build_inputs(con, base_year=d.APP_BASE)
    except NationalAgeTablesMissing:  # no projection: its indicators are unavailable (NaN), the others stand
        app = pd.DataFrame(columns=["area_code", "total_base", "total_to", "young_women_base", "young_women_to"])
    else:
        result = pj.run(inputs, APP_SCENARIO)
        app = ind.projection_facts(inputs.area_codes, result.years, result.total)
    for f in (totals, ages):
        f["ref_date"] = pd.to_datetime(f["ref_date"])
    return ind.IndicatorData(totals=totals, flows=flows, ages=ages, youth=youth, ipss=ipss, app=app, ipss2023=ipss2023)


def compute_all(con) -> pd.DataFrame:
    """Every indicator of every area (indicators.compute of fetch(con)); index area_code."""
    return ind.compute(fetch(con))


def stored(con) -> pd.DataFrame | None:
    """The indicator table the database build stored (loaders.build), or None for a database built before it."""
    if sqlfiles.run("table_exists", con, table="indicator_values").empty:
        return None
    return sqlfiles.run("indicator_values", con).set_index("area_code")
