"""Data adapter of the back-test: register populations → :func:`projection.backtest.hindcast` → errors per area.

Plain functions on an open read-only DuckDB connection (no Streamlit; queries.projections caches them).

What is back-tested (all municipalities, one vectorised call):
* **This app's method, base 2015.** Japanese residents by sex and 17 age groups ('0-4' … '75-79', '80+':
  the register's age tables before 2015 stop at 80+). Estimation windows that end by the base:
  2005-03-31 → 2010-03-31 and 2010-03-31 → 2015-01-01 (the register moved its reference date from 31 March
  to 1 January in 2014, so the second window is 4.75 years; it is used as one 5-year step). An area absent
  on a date (municipal mergers of 2005–2010) has that window left out. Survival = national cohort change
  ratios of the same windows; child-woman ratio of 2015-01-01. Projected 2020-01-01 (one step) and
  2022-01-01 (constant growth between the projected 2020 and 2025). A window in which the area's total
  changes by more than −20 % / +25 % is a boundary change (an absorbing municipality keeps its code) and is
  left out. Actual = Japanese residents
  (all − foreign) on those dates.
* **IPSS 平成30年推計 (2018).** Its 2020 total (all nationalities, census basis, 1 October) against the register
  on 2020-01-01: compared as growth, ``actual_2015 · IPSS_2020 / IPSS_2015`` (register total 2015-01-01 ×
  IPSS's 2015→2020 ratio), which removes the census-vs-register level difference. Fukushima's municipalities
  are absent (IPSS projected the prefecture as one area).
Size classes: 人口規模 bands of :data:`indicators.definitions.SIZE_BANDS` by the Japanese population of the base.
Designated cities are back-tested as well as their wards; the national table counts municipalities only
(kind city / town / village / special_ward / designated_city), so no resident is counted twice.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from indicators.compute import size_band
from projection.backtest import hindcast, interpolate_geometric, percentage_error
from store import sqlfiles

NATION = "00000"
OPEN_INDEX = 16
WINDOWS = ((dt.date(2005, 3, 31), dt.date(2010, 3, 31)), (dt.date(2010, 3, 31), dt.date(2015, 1, 1)))
BASE = dt.date(2015, 1, 1)
ACTUALS = (dt.date(2020, 1, 1), dt.date(2022, 1, 1))
MUNICIPAL_KINDS = ("city", "town", "village", "special_ward", "designated_city")
#: A window whose total changes outside this ratio is a boundary change (a code that absorbed its neighbours
#: in the mergers of 2005–2010 keeps its code with several times the population) and is left out.
BOUNDARY_CHANGE = (0.8, 1.25)



def _panel(con, dates) -> tuple[tuple[str, ...], np.ndarray, np.ndarray, np.ndarray]:
    """(area codes, Japanese persons [D, A, 2, 17], all persons [D, A], present [D, A]) on ``dates``."""
    df = sqlfiles.run("projection_backtest_population", con, dates=list(dates), open_index=OPEN_INDEX)
    codes = tuple(sorted(df["area_code"].unique()))
    di = pd.Index(list(dates)).get_indexer(pd.to_datetime(df["ref_date"]).dt.date)
    ai = pd.Index(codes).get_indexer(df["area_code"])
    si = (df["sex"] == "female").to_numpy().astype(int)
    gi = df["age_index"].to_numpy().astype(int)
    jp_rows = df["japanese_persons"].to_numpy(dtype=float)
    all_rows = df["all_persons"].to_numpy(dtype=float)
    jp = np.where(np.isnan(jp_rows), all_rows - df["foreign_persons"].to_numpy(dtype=float), jp_rows)
    every = np.where(np.isnan(all_rows), jp_rows, all_rows)
    shape = (len(dates), len(codes), 2, OPEN_INDEX + 1)
    japanese = np.zeros(shape)
    total = np.zeros(shape)
    japanese[di, ai, si, gi] = np.maximum(np.nan_to_num(jp), 0.0)
    total[di, ai, si, gi] = np.nan_to_num(every)
    present = np.zeros(shape[:2], dtype=bool)
    present[di, ai] = True
    return codes, japanese, total.sum(axis=(-1, -2)), present


def backtest(con) -> pd.DataFrame:
    """Back-test of every area (see module doc), one row per area with age data on the base date.

    Columns: area_code, kind, size_class (index of SIZE_BANDS by Japanese persons 2015), base_2015 (Japanese),
    actual_2020, app_2020, pe_app_2020, actual_2022, app_2022, pe_app_2022 (Japanese persons; PE in percent),
    total_2015, total_2020 (all residents), ipss_2015, ipss_2020 (IPSS persons), ipss_implied_2020,
    pe_ipss_2020 (percent). NaN where a figure does not exist.
    """
    dates = sorted({d for w in WINDOWS for d in w} | {BASE, *ACTUALS})
    codes, jp, total, present = _panel(con, dates)
    at = {d: i for i, d in enumerate(dates)}
    if NATION not in codes:
        raise ValueError("the database has no national ('00000') age tables for the back-test")
    nat = codes.index(NATION)
    k1 = [at[a] for a, _ in WINDOWS]
    k2 = [at[b] for _, b in WINDOWS]
    both = present[k1] & present[k2]
    with np.errstate(divide="ignore", invalid="ignore"):
        change = total[k2] / total[k1]
    both &= (change >= BOUNDARY_CHANGE[0]) & (change <= BOUNDARY_CHANGE[1])  # a merger, not demography
    b = at[BASE]
    keep = np.flatnonzero(present[b])
    pop = hindcast(jp[k1][:, keep], jp[k2][:, keep], both[:, keep], jp[b, keep],
                   nation=int(np.flatnonzero(keep == nat)[0]), steps=2)
    proj = pop.sum(axis=(-1, -2))                                   # [A, 3]: 2015, 2020, 2025
    app_2020 = proj[:, 1]
    app_2022 = interpolate_geometric(proj[:, 1], proj[:, 2], 2 / 5)
    sel = [codes[i] for i in keep]

    def actual(d):
        i = at[d]
        return np.where(present[i, keep], jp[i, keep].sum(axis=(-1, -2)), np.nan)

    out = pd.DataFrame({"area_code": sel, "base_2015": jp[b, keep].sum(axis=(-1, -2)),
                        "actual_2020": actual(ACTUALS[0]), "app_2020": app_2020,
                        "actual_2022": actual(ACTUALS[1]), "app_2022": app_2022,
                        "total_2015": total[b, keep],
                        "total_2020": np.where(present[at[ACTUALS[0]], keep], total[at[ACTUALS[0]], keep], np.nan)})
    out["pe_app_2020"] = percentage_error(out["app_2020"], out["actual_2020"])
    out["pe_app_2022"] = percentage_error(out["app_2022"], out["actual_2022"])
    ipss = sqlfiles.run("projection_backtest_ipss", con, years=[2015, 2020]).pivot_table(
        index="area_code", columns="year", values="persons")
    out["ipss_2015"] = out["area_code"].map(ipss.get(2015, pd.Series(dtype=float)))
    out["ipss_2020"] = out["area_code"].map(ipss.get(2020, pd.Series(dtype=float)))
    out["ipss_implied_2020"] = out["total_2015"] * out["ipss_2020"] / out["ipss_2015"]
    out["pe_ipss_2020"] = percentage_error(out["ipss_implied_2020"], out["total_2020"])
    kinds = sqlfiles.run("areas", con).set_index("area_code")["kind"]
    out["kind"] = out["area_code"].map(kinds)
    out["size_class"] = size_band(out["base_2015"]).astype("float").fillna(-1).astype(int)
    return out


def municipal(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of :func:`backtest` that are municipalities (no nation, prefectures or designated-city wards)."""
    return frame[frame["kind"].isin(MUNICIPAL_KINDS)]
