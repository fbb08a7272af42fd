"""Vectorised computation of every indicator for every area (pure pandas/numpy; no database, no Streamlit).

`compute(data)` takes the tidy inputs fetched by estimates/indicators.py (one frame per source table, all areas
at once) and returns one row per area with a column per indicator (definitions in indicators.definitions).
Ranking, peer groups and the 人口戦略会議 class are here too, so the tests check the same code the page uses.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from indicators.definitions import (AGE_DATE, APP_BASE, APP_TO, FLOW_YEARS, IPSS23_FROM, IPSS23_TO, IPSS_CODE_CHANGES,
                                    IPSS_FROM, IPSS_TO, KEYS, POP_FROM, POP_TO, SIZE_BANDS, VANISHING_THRESHOLD, YOUNG_WOMEN_AGES)

#: Kinds compared with each other: municipalities (市区町村; a designated city as a whole), wards of designated
#: cities, prefectures.
LEVELS = {"city": "municipality", "town": "municipality", "village": "municipality", "special_ward": "municipality",
          "designated_city": "municipality", "ward": "ward", "prefecture": "prefecture", "nation": "nation"}


@dataclass(frozen=True)
class IndicatorData:
    """Inputs of :func:`compute` (persons unless said otherwise).

    totals: area_code, ref_date (date), nationality ('total'/'foreign'), persons — 1 January populations on
        POP_FROM and POP_TO.
    flows: area_code, year, births, deaths, in_total, out_total, net, pop_mean (register_rates) — calendar years
        FLOW_YEARS, all residents.
    ages: area_code, ref_date, nationality ('total'/'foreign'), known (persons of known age), aged_65p,
        aged_15_29 — on AGE_DATE and on 1 January of each of FLOW_YEARS.
    youth: area_code, year, net_movers — net migration of Japanese aged 15–29, both sexes, FLOW_YEARS.
    ipss: area_code, year, total, young_women — IPSS 2018 persons in IPSS_FROM and IPSS_TO (codes as published).
    app: area_code, total_base, total_to, young_women_base, young_women_to — this app's projection in
        APP_BASE and APP_TO (see :func:`projection_facts`).
    ipss2023: area_code, year, total — IPSS 2023 persons in IPSS23_FROM and IPSS23_TO (codes as published; empty
        when the database has no IPSS 2023).
    """

    totals: pd.DataFrame
    flows: pd.DataFrame
    ages: pd.DataFrame
    youth: pd.DataFrame
    ipss: pd.DataFrame
    app: pd.DataFrame
    ipss2023: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["area_code", "year", "total"]))


def _pct_change(new: pd.Series, old: pd.Series) -> pd.Series:
    out = 100.0 * (new / old - 1.0)
    return out.where(old > 0)


def _per_1000(num: pd.Series, den: pd.Series) -> pd.Series:
    return (1000.0 * num / den).where(den > 0)


def _on(frame: pd.DataFrame, date, nationality: str, column: str = "persons") -> pd.Series:
    rows = frame[(frame["ref_date"] == pd.Timestamp(date)) & (frame["nationality"] == nationality)]
    return rows.set_index("area_code")[column]


def flow_rates(flows: pd.DataFrame) -> pd.DataFrame:
    """Natural change and net migration per 1,000 residents per year over the years in `flows`.

    Each year's net (転入 − 転出) and denominator (pop_mean) are register_rates' (loaders/derived.sql: the mean of the
    populations on 1 January of the year and of the next, the end population alone where the start is missing),
    so this is the per-year net_rate of the maps and the dynamics pages summed over years: Σ events ÷ Σ pop_mean ×
    1,000, over the years with both events and a population.
    Returns area_code (index), natural_rate, net_migration_rate, years (count used).
    """
    f = flows.set_index(["area_code", "year"])
    f = f.assign(natural=f["births"] - f["deaths"])
    f = f[np.isfinite(f["pop_mean"].astype(float)) & f["natural"].notna()]
    s = f.groupby(level="area_code")[["natural", "net", "pop_mean"]].sum()
    return pd.DataFrame({"natural_rate": _per_1000(s["natural"], s["pop_mean"]),
                         "net_migration_rate": _per_1000(s["net"], s["pop_mean"]),
                         "years": f.groupby(level="area_code").size()})


def youth_rate(ages: pd.DataFrame, youth: pd.DataFrame) -> pd.DataFrame:
    """Net migration of Japanese aged 15–29 per 1,000 Japanese aged 15–29 per year.

    Japanese persons = all residents − foreign residents (the register's two age tables). Denominator: Σ over the
    years of the 1 January population aged 15–29 at the start of each year. Returns area_code (index),
    youth_net_rate, youth_net_mean (persons per year).
    """
    a = ages.assign(year=pd.to_datetime(ages["ref_date"]).dt.year)
    wide = a.pivot_table(index=["area_code", "year"], columns="nationality", values="aged_15_29", aggfunc="sum")
    wide = wide.reindex(columns=["total", "foreign"])  # a database may lack the age tables of these years
    japanese = wide["total"] - wide["foreign"].fillna(0.0)
    y = youth.set_index(["area_code", "year"])["net_movers"]
    den = japanese.reindex(y.index)
    ok = den.notna() & y.notna()
    num = y[ok].groupby(level="area_code").sum()
    den = den[ok].groupby(level="area_code").sum()
    n = ok[ok].groupby(level="area_code").size()
    return pd.DataFrame({"youth_net_rate": _per_1000(num, den), "youth_net_mean": num / n})


def projection_facts(area_codes, years, total: np.ndarray, base_year: int = APP_BASE, to_year: int = APP_TO,
                     ) -> pd.DataFrame:
    """Totals and women aged 20–39 in base_year and to_year from a projection of many areas.

    total: persons ``[A, T+1, 2, 19]`` (projection.Projection.total; sexes male, female; projection.AGES).
    Returns area_code, total_base, total_to, young_women_base, young_women_to.
    """
    from projection import AGES, FEMALE

    years = list(years)
    b, e = years.index(base_year), years.index(to_year)
    ages = [AGES.index(a) for a in YOUNG_WOMEN_AGES]
    tot = np.asarray(total).sum(axis=(-1, -2))
    women = np.asarray(total)[..., FEMALE, :][..., ages].sum(axis=-1)
    return pd.DataFrame({"area_code": list(area_codes), "total_base": tot[:, b], "total_to": tot[:, e],
                         "young_women_base": women[:, b], "young_women_to": women[:, e]})


def compute(data: IndicatorData) -> pd.DataFrame:
    """Every indicator (columns KEYS) plus population (persons on POP_TO, else POP_FROM), for every area present
    in any input. Index: area_code. Values are NaN where an input is missing (e.g. no IPSS figure)."""
    t = data.totals
    p0, p1 = _on(t, POP_FROM, "total"), _on(t, POP_TO, "total")
    foreign = _on(t, POP_TO, "foreign")
    a = data.ages
    known, old = _on(a, AGE_DATE, "total", "known"), _on(a, AGE_DATE, "total", "aged_65p")
    flows = flow_rates(data.flows)
    youth = youth_rate(a[pd.to_datetime(a["ref_date"]).dt.year.isin(FLOW_YEARS)], data.youth)
    ipss = data.ipss.assign(area_code=data.ipss["area_code"].replace(IPSS_CODE_CHANGES))
    i0 = ipss[ipss["year"] == IPSS_FROM].set_index("area_code")
    i1 = ipss[ipss["year"] == IPSS_TO].set_index("area_code")
    app = data.app.set_index("area_code")
    j0, j1 = (data.ipss2023[data.ipss2023["year"] == y].set_index("area_code")["total"] for y in (IPSS23_FROM, IPSS23_TO))
    out = pd.DataFrame({
        "pop_change": _pct_change(p1, p0.reindex(p1.index)),
        "aging_rate": (100.0 * old / known).where(known > 0),
        "natural_rate": flows["natural_rate"],
        "net_migration_rate": flows["net_migration_rate"],
        "foreign_share": (100.0 * foreign / p1.reindex(foreign.index)).where(p1.reindex(foreign.index) > 0),
        "youth_net_rate": youth["youth_net_rate"],
        "ipss_change_2050": _pct_change(j1, j0.reindex(j1.index)),
        "ipss_change_2045": _pct_change(i1["total"], i0["total"].reindex(i1.index)),
        "app_change_2050": _pct_change(app["total_to"], app["total_base"]),
        "young_women_ipss_2045": _pct_change(i1["young_women"], i0["young_women"].reindex(i1.index)),
        "young_women_app_2050": _pct_change(app["young_women_to"], app["young_women_base"]),
    })
    out["population"] = p1.reindex(out.index).fillna(p0.reindex(out.index))
    out["youth_net_mean"] = youth["youth_net_mean"].reindex(out.index)
    out.index.name = "area_code"
    return out[[*KEYS, "population", "youth_net_mean"]].astype(float)


# ---------------------------------------------------------------- ranks, peers, classes

def rank(values: pd.Series, ascending: bool = False) -> pd.Series:
    """Rank 1 = largest value (ascending=False). Ties share the lowest rank of their block (method 'min':
    values 5, 3, 3, 1 → ranks 1, 2, 2, 4); missing values get no rank (<NA>). Returns nullable Int64."""
    return values.rank(method="min", ascending=ascending, na_option="keep").astype("Int64")


def size_band(population: pd.Series, bands=SIZE_BANDS) -> pd.Series:
    """Index of the 人口規模 band (0 = under 5,000 … 7 = 500,000 and more) of each population; <NA> if missing."""
    idx = np.searchsorted(np.asarray(bands[1:], dtype=float), population.to_numpy(float), side="right")
    return pd.Series(idx, index=population.index, dtype="Int64").mask(population.isna())


def band_range(band: int, bands=SIZE_BANDS) -> tuple[int, int | None]:
    """(lower bound, upper bound or None) in persons of a size band."""
    return bands[band], (bands[band + 1] if band + 1 < len(bands) else None)


def vanishing(change_pct: pd.Series | float, threshold: float = VANISHING_THRESHOLD):
    """人口戦略会議 (2024) criterion on a 30-year change of women aged 20–39 (percent): True where the change is
    `threshold` (−50%) or lower, i.e. a fall of 50% or more; NaN stays NaN (no projection)."""
    if isinstance(change_pct, pd.Series):
        return (change_pct <= threshold).astype("boolean").mask(change_pct.isna())
    return None if change_pct is None or np.isnan(change_pct) else bool(change_pct <= threshold)


def peer_codes(areas: pd.DataFrame, code: str, how: str, group_members: list[str] | None = None) -> list[str]:
    """Area codes compared with `code` (itself included), all of the same level (LEVELS of its kind).

    areas: area_code, kind, pref_code, parent_code, size_band (current areas). how: 'pref' (same prefecture;
    for a ward: the wards of the same city), 'size' (same 人口規模 band nationwide), 'group' (`group_members`,
    e.g. a 連携中枢都市圏; prefecture members stand for all their areas of this level) or 'all'.
    """
    a = areas.set_index("area_code")
    level = LEVELS.get(a.at[code, "kind"])
    same = a[a["kind"].map(LEVELS) == level]
    if level == "nation":
        return [code]
    if how == "pref" and level == "municipality":
        same = same[same["pref_code"] == a.at[code, "pref_code"]]
    elif how == "pref" and level == "ward":
        same = same[same["parent_code"] == a.at[code, "parent_code"]]
    elif how == "size":
        same = same[same["size_band"] == a.at[code, "size_band"]]
    elif how == "group":
        members = set(group_members or [])
        prefs = {m[:2] for m in members if m.endswith("000") and m != "00000"}
        same = same[same.index.isin(members) | (same["pref_code"].isin(prefs) if prefs else False)]
    codes = same.index.tolist()
    return codes if code in codes else [code, *codes]


def window(ranked: pd.DataFrame, code: str, head: int = 10, around: int = 6, tail: int = 10, limit: int = 40) -> pd.DataFrame:
    """Rows of a ranked peer table to draw: all of them up to `limit`, else the top `head`, the `around` rows on
    each side of `code`, and the bottom `tail` (rows keep their ranks, so the gaps show in the labels).
    ranked: sorted by rank with an area_code column."""
    if len(ranked) <= limit:
        return ranked
    pos = np.flatnonzero(ranked["area_code"].to_numpy() == code)
    keep = set(range(head)) | set(range(len(ranked) - tail, len(ranked)))
    if len(pos):
        i = int(pos[0])
        keep |= set(range(max(0, i - around), min(len(ranked), i + around + 1)))
    return ranked.iloc[sorted(keep)]
