"""Data adapter of the projection engine: register populations → arrays → :class:`projection.ModelInputs`.

Every function takes an open DuckDB connection (read-only; the app's `store.official.connection()` or, in tests
and tools, `store.official.open_readonly(path)`) and runs the SQL of queries/sql/projection_*.sql on its own cursor
with DuckDB parameters. No Streamlit caching here: the page wraps these calls (the results are plain arrays).

Data rules
* Source: table `population`, basis 'juki' (住民基本台帳, 1 January). Age-sex tables exist for all residents and
  for foreign residents, so **Japanese = all − foreign**. Only reference dates from 2015-01-01 have the age
  detail up to 100+ needed for the open group 90+ (2013/2014 stop at '80+'), so the estimation windows are
  the 5-year pairs inside 2015–2022 on 1 January: 2015→2020, 2016→2021, 2017→2022 (default).
* Survival: national ('00000') Japanese cohort change ratios averaged over the windows (closed-population
  approximation; see projection.estimate). Net migration: residual rates of each area, per window and mean.
  Child-woman ratio and 0–4 sex ratio: from the latest window end (2022) unless told otherwise.
* Foreign residents: Hamilton–Perry ratios pooled over the same windows, national foreign ratios for cells
  with fewer than `min_foreign_base` persons in the pooled base; and, for the alternative 'counts' method,
  residual net migrant counts (persons per 5 years) against the national Japanese survival ratios.
* Base TFR: the latest value of table `fertility` where published for the area, else the rough
  ``7·CWR`` approximation (projection.estimate.approx_tfr_from_cwr); `ModelInputs.notes["tfr_base"]` says which.
* An area missing on a date (e.g. merged municipalities) has that window left out of its migration estimate.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from projection import (AGES, ModelInputs, approx_tfr_from_cwr, child_woman_ratio, pooled_ccr, residual_counts,
                        residual_migration, sex_ratio_0_4, survival_from_ccr)
from store import sqlfiles

NATION = "00000"
FIRST_FULL_AGE_DATE = dt.date(2015, 1, 1)
DEFAULT_WINDOWS: tuple[tuple[int, int], ...] = ((2015, 2020), (2016, 2021), (2017, 2022))


class NationalAgeTablesMissing(ValueError):
    """The database has no national ('00000') age tables on the dates the estimation needs (e.g. a database
    built from a partial folder of official files): the national survival ratios cannot be estimated."""


@dataclass(frozen=True)
class AgeSexPanel:
    """Populations on several dates: japanese / foreign persons ``[D, A, 2, 19]`` (dates × areas × sex × age),
    present ``[D, A]`` (the area has rows on that date), with the labels ``dates`` and ``area_codes``."""

    dates: tuple[dt.date, ...]
    area_codes: tuple[str, ...]
    japanese: np.ndarray
    foreign: np.ndarray
    present: np.ndarray

    def at(self, date: dt.date) -> int:
        """Index of ``date`` on the first axis."""
        return self.dates.index(date)



def load_age_sex(con, dates, areas=None) -> AgeSexPanel:
    """Japanese and foreign persons by area, date, sex and the 19 projection age groups.

    Inputs: connection; ``dates`` iterable of ``datetime.date`` (≥ 2015-01-01); ``areas`` list of area codes
        or None (every area with data). Output: :class:`AgeSexPanel` (areas sorted by code).
    """
    dates = tuple(sorted(set(dates)))
    early = [d for d in dates if d < FIRST_FULL_AGE_DATE]
    if early:
        raise ValueError(f"dates before {FIRST_FULL_AGE_DATE} lack ages 90+ (oldest group '80+'): {early}")
    df = sqlfiles.run("projection_population", con, dates=list(dates), areas=None if areas is None else list(areas))
    codes = tuple(sorted(df["area_code"].unique())) if areas is None else tuple(areas)
    shape = (len(dates), len(codes), 2, len(AGES))
    allp = np.zeros(shape)
    fore = np.zeros(shape)
    present = np.zeros(shape[:2], dtype=bool)
    if not df.empty:
        di = pd.Index(dates).get_indexer(pd.to_datetime(df["ref_date"]).dt.date)
        ai = pd.Index(codes).get_indexer(df["area_code"])
        si = (df["sex"] == "female").to_numpy().astype(int)
        gi = df["age_index"].to_numpy().astype(int)
        ok = ai >= 0
        allp[di[ok], ai[ok], si[ok], gi[ok]] = df["all_persons"].to_numpy(dtype=float)[ok]
        fore[di[ok], ai[ok], si[ok], gi[ok]] = df["foreign_persons"].to_numpy(dtype=float)[ok]
        present[di[ok], ai[ok]] = True
    # a negative difference can only come from inconsistent cells of the two tables; count it as 0
    return AgeSexPanel(dates=dates, area_codes=codes, japanese=np.maximum(allp - fore, 0.0), foreign=fore,
                       present=present)


def load_tfr(con, areas=None) -> pd.DataFrame:
    """Latest published TFR per area: columns area_code, tfr (births per woman), year, source_id."""
    return sqlfiles.run("projection_tfr", con, areas=None if areas is None else list(areas))


def _jan1(year: int) -> dt.date:
    return dt.date(year, 1, 1)


def build_inputs(con, *, base_year: int = 2020, windows=DEFAULT_WINDOWS, areas=None, cwr_year: int | None = None,
                 min_foreign_base: float = 5.0) -> ModelInputs:
    """Estimate every projection input from the register (see module doc), for one call over all areas.

    Inputs: connection; ``base_year`` (base population on 1 January of it); ``windows`` pairs of years
        (t, t+5); ``areas`` list of codes or None (every area with age data on the base date, including
        '00000' and prefectures); ``cwr_year`` year of the child-woman ratio (default latest window end);
        ``min_foreign_base`` persons below which foreign cohort change ratios fall back to national ones.
    Output: :class:`projection.ModelInputs` with area_codes, base Japanese/foreign persons ``[A, 2, 19]``,
        national survival ``[2, 19]``, migration estimate ``[A, 2, 19]`` (+ per window), CWR, 0–4 sex ratio,
        base TFR ``[A]`` and foreign Hamilton–Perry inputs.
    """
    windows = tuple((int(a), int(b)) for a, b in windows)
    if any(b - a != 5 for a, b in windows):
        raise ValueError("estimation windows must be 5 years long")
    cwr_year = max(b for _, b in windows) if cwr_year is None else cwr_year
    years = {base_year, cwr_year} | {y for w in windows for y in w}
    dates = [_jan1(y) for y in sorted(years)]
    want = None if areas is None else sorted(set(areas) | {NATION})
    panel = load_age_sex(con, dates, want)
    if NATION not in panel.area_codes:
        raise NationalAgeTablesMissing("no national ('00000') age tables in the database")
    nat = panel.area_codes.index(NATION)

    t1 = [panel.at(_jan1(a)) for a, _ in windows]
    t2 = [panel.at(_jan1(b)) for _, b in windows]
    jp1, jp2 = panel.japanese[t1], panel.japanese[t2]
    fo1, fo2 = panel.foreign[t1], panel.foreign[t2]
    both = panel.present[t1] & panel.present[t2]
    if not both[:, nat].all():
        raise NationalAgeTablesMissing("national ('00000') age tables are missing for some window dates")
    survival = survival_from_ccr(jp1[:, nat], jp2[:, nat])
    nat_fccr = pooled_ccr(fo1[:, nat], fo2[:, nat])

    b = panel.at(_jan1(base_year))
    c = panel.at(_jan1(cwr_year))
    keep = panel.present[b] & panel.present[c]
    if areas is not None:
        missing = [a for a in areas if not keep[panel.area_codes.index(a)]]
        if missing:
            raise ValueError(f"no age table on {base_year}-01-01 or {cwr_year}-01-01 for {missing}")
        keep = np.isin(np.asarray(panel.area_codes), list(areas))
    idx = np.flatnonzero(keep)
    codes = tuple(panel.area_codes[i] for i in idx)

    p1 = np.where(both[:, idx, None, None], jp1[:, idx], 0.0)  # a window missing an end: empty → left out
    p2 = jp2[:, idx]
    mig = residual_migration(p1, p2, survival)
    latest_jp = panel.japanese[c, idx]
    cwr = child_woman_ratio(latest_jp)
    tfr = approx_tfr_from_cwr(cwr)
    published = load_tfr(con, list(codes) if areas is not None else None)
    pub = published.set_index("area_code")
    source = np.array(["approx_cwr"] * len(codes), dtype=object)
    for i, code in enumerate(codes):
        if code in pub.index:
            tfr[i] = float(pub.at[code, "tfr"])
            source[i] = f"published {int(pub.at[code, 'year'])} ({pub.at[code, 'source_id']})"

    fb = both[:, idx, None, None]
    fccr = pooled_ccr(np.where(fb, fo1[:, idx], 0.0), np.where(fb, fo2[:, idx], 0.0), fallback=nat_fccr,
                      min_base=min_foreign_base)
    latest_fo = panel.foreign[c, idx]
    fcounts = residual_counts(fo1[:, idx], fo2[:, idx], survival, present=both[:, idx])
    notes = {
        "base": f"住民基本台帳 {base_year}-01-01; Japanese = all residents − foreign residents",
        "windows": ", ".join(f"{a}→{b}" for a, b in windows),
        "survival": "national Japanese cohort change ratios, mean over windows, capped at 1 "
                    "(closed-population approximation)",
        "migration": "residual 5-year net migration rates, mean over windows",
        "cwr": f"child-woman ratio and 0–4 sex ratio of Japanese on {cwr_year}-01-01",
        "tfr_base": dict(zip(codes, source)),
        "foreign": f"Hamilton–Perry ratios pooled over windows; national ratios where base < {min_foreign_base}; "
                   "net counts: residual persons per 5 years, mean over windows, national Japanese survival",
    }
    return ModelInputs(base_year=base_year, japanese=panel.japanese[b, idx], survival=survival, migration=mig,
                       cwr=cwr, sex_ratio_0_4=sex_ratio_0_4(latest_jp), tfr_base=tfr,
                       foreign=panel.foreign[b, idx], foreign_ccr=fccr, foreign_cwr=child_woman_ratio(latest_fo),
                       foreign_sex_ratio_0_4=sex_ratio_0_4(latest_fo), foreign_net_counts=fcounts,
                       area_codes=codes, notes=notes)
