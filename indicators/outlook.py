"""地域の未来予測 (outlook): the age groups that drive service demand, their shares, dependency ratios, index to
the base year, and the 人口戦略会議 criterion on women aged 20–39 — pure pandas on tidy projection frames.

Inputs are long frames with columns source, year, sex ('male'/'female'), age_group ('0-4' … '85-89', '90+'),
persons, as made by projection.long_frame (this app) or the IPSS 2018 rows of the `projections` table.
Five-year age groups decide what can be shown: school age is 5–14 (小・中学校 are ages 6–14; the 5-year
groups cannot split off the 5-year-olds) and 保育 is 0–4 (nursery age runs to 5).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.definitions import VANISHING_THRESHOLD, YOUNG_WOMEN_AGES

#: (key, lowest age, highest age + 1) of the groups shown; overlapping on purpose (75+ contains 85+).
GROUPS: tuple[tuple[str, float, float], ...] = (
    ("0-4", 0, 5), ("5-14", 5, 15), ("15-64", 15, 65), ("65-74", 65, 75), ("75+", 75, np.inf), ("85+", 85, np.inf))
#: Groups of the dependency ratios.
_RATIO_GROUPS = (("0-14", 0, 15), ("15-64", 15, 65), ("65+", 65, np.inf))
RATIOS = ("young", "old", "total")  # 年少人口指数, 老年人口指数, 従属人口指数


def lower_age(age_group: pd.Series) -> pd.Series:
    """Lowest age of groups like '20-24' or '90+' (integers)."""
    return age_group.str.replace("+", "", regex=False).str.split("-").str[0].astype(int)


def _sums(long: pd.DataFrame, groups) -> pd.DataFrame:
    lo = lower_age(long["age_group"])
    parts = [long[(lo >= a) & (lo < b)].groupby(["source", "year"])["persons"].sum().rename(k) for k, a, b in groups]
    return pd.concat(parts, axis=1).fillna(0.0)


def demand_table(long: pd.DataFrame, base_year: int) -> pd.DataFrame:
    """Persons, share of the total (%) and index (base_year = 100) of every GROUPS group, per source and year.

    Returns source, year, group, persons, share, index. Index is NaN for a source without base_year.
    """
    long = long[long["age_group"] != "total"]
    g = _sums(long, GROUPS)
    total = long.groupby(["source", "year"])["persons"].sum()
    base = g.xs(base_year, level="year") if base_year in g.index.get_level_values("year") else None
    rows = g.stack().rename("persons").reset_index().rename(columns={"level_2": "group"})
    rows["share"] = 100.0 * rows["persons"] / total.reindex(pd.MultiIndex.from_frame(rows[["source", "year"]])).to_numpy()
    if base is not None:
        ref = base.stack().rename("base").reset_index().rename(columns={"level_1": "group"})
        rows = rows.merge(ref, on=["source", "group"], how="left")
        rows["index"] = (100.0 * rows["persons"] / rows["base"]).where(rows["base"] > 0)
        rows = rows.drop(columns="base")
    else:
        rows["index"] = np.nan
    rows["group"] = pd.Categorical(rows["group"], [k for k, _, _ in GROUPS])
    return rows.sort_values(["source", "year", "group"]).reset_index(drop=True).astype({"group": str})


def dependency_ratios(long: pd.DataFrame) -> pd.DataFrame:
    """年少人口指数 (0–14 per 100 aged 15–64), 老年人口指数 (65+ per 100 aged 15–64) and 従属人口指数 (both) per
    source and year. Returns source, year, ratio ('young'/'old'/'total'), value."""
    g = _sums(long[long["age_group"] != "total"], _RATIO_GROUPS)
    work = g["15-64"].where(g["15-64"] > 0)
    wide = pd.DataFrame({"young": 100 * g["0-14"] / work, "old": 100 * g["65+"] / work,
                         "total": 100 * (g["0-14"] + g["65+"]) / work})
    return wide.stack().rename("value").reset_index().rename(columns={"level_2": "ratio"})


def young_women(long: pd.DataFrame) -> pd.DataFrame:
    """Women aged 20–39 per source and year, with the change (%) since the source's first year.

    Returns source, year, persons, change (percent vs the first year of that source)."""
    w = long[(long["sex"] == "female") & long["age_group"].isin(YOUNG_WOMEN_AGES)]
    s = w.groupby(["source", "year"])["persons"].sum().reset_index()
    first = s.sort_values("year").groupby("source")["persons"].transform("first")
    return s.assign(change=(100.0 * (s["persons"] / first - 1.0)).where(first > 0))


def criterion(women: pd.DataFrame, source: str, start: int, end: int,
              threshold: float = VANISHING_THRESHOLD) -> dict | None:
    """The 人口戦略会議 (2024) test on one source: change of women aged 20–39 from `start` to `end` (percent) and
    whether it is a fall of 50% or more. Returns dict(source, start, end, persons_start, persons_end, change,
    vanishing) or None when either year is missing."""
    s = women[women["source"] == source].set_index("year")["persons"]
    if start not in s.index or end not in s.index or not s[start] > 0:
        return None
    change = 100.0 * (s[end] / s[start] - 1.0)
    return dict(source=source, start=start, end=end, persons_start=float(s[start]), persons_end=float(s[end]),
                change=change, vanishing=bool(change <= threshold))


def round_persons(value: float) -> int:
    """Persons rounded for prose: to 100 from 10,000, to 10 from 1,000, else to 1 (a village's 85+ stay exact)."""
    v = float(value)
    step = 100 if abs(v) >= 10_000 else (10 if abs(v) >= 1_000 else 1)
    return int(round(v / step) * step)


def summary_facts(table: pd.DataFrame, ratios: pd.DataFrame, source: str, base_year: int, year: int) -> dict:
    """The numbers the generated summary quotes, for one source and year vs base_year.

    Returns dict with total_base, total (persons), and per group key ('0-4', '5-14', '15-64', '65-74', '75+',
    '85+'): persons, base, ratio (persons ÷ base) and share (%); plus old_base / old (老年人口指数) and
    support_base / support (persons aged 15–64 per person aged 65+). Empty dict when the year is missing."""
    t = table[(table["source"] == source)]
    now, then = t[t["year"] == year].set_index("group"), t[t["year"] == base_year].set_index("group")
    if now.empty or then.empty:
        return {}
    r = ratios[(ratios["source"] == source) & (ratios["ratio"] == "old")].set_index("year")["value"]
    out = {"groups": {}}
    for g in now.index:
        base = float(then.at[g, "persons"])
        out["groups"][g] = dict(persons=float(now.at[g, "persons"]), base=base, share=float(now.at[g, "share"]),
                                ratio=float(now.at[g, "persons"]) / base if base > 0 else np.nan)
    parts = ["0-4", "5-14", "15-64", "65-74", "75+"]  # a partition of all ages
    out["total"], out["total_base"] = float(now.loc[parts, "persons"].sum()), float(then.loc[parts, "persons"].sum())
    out["old"], out["old_base"] = float(r.get(year, np.nan)), float(r.get(base_year, np.nan))
    out["support"], out["support_base"] = 100.0 / out["old"], 100.0 / out["old_base"]
    return out
