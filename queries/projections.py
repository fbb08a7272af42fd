"""Cached projection inputs and scenario runs for the projection page.

Inputs are estimated once per (database, area, base year) from the register (queries.projection_inputs);
a scenario run is cached by its parameters (the kernel is pure, so equal parameters give equal results).
"""
from __future__ import annotations

from dataclasses import asdict

import numpy as np
import pandas as pd
import streamlit as st

import projection as pj
from queries import query
from store import official


@st.cache_data(show_spinner=False, max_entries=256)
def _inputs(key: tuple, area: str, base_year: int) -> pj.ModelInputs:
    from queries.projection_inputs import build_inputs

    return build_inputs(official.connection(), base_year=base_year, areas=[area])


def inputs(area: str, base_year: int = 2020) -> pj.ModelInputs | None:
    """Projection inputs of one area (see queries.projection_inputs.build_inputs), or None when the register
    has no age table for it on the dates needed (e.g. a municipality that did not exist yet)."""
    try:
        return _inputs(official.cache_key(), area, base_year).area(0)
    except ValueError:
        return None


def _with_table(inp: pj.ModelInputs, params: pd.DataFrame | None, steps: int) -> pj.ModelInputs:
    if params is None or params.empty:
        return inp
    table = params.assign(area_code=params["area_code"].replace("", None)) if "area_code" in params else params
    table = table[table["area_code"].isna() | (table["area_code"] == inp.area_codes[0])]
    return pj.apply_parameter_table(inp, table.assign(area_code=None), steps=steps)


@st.cache_data(show_spinner=False, max_entries=512)
def _run(key: tuple, area: str, base_year: int, scenario: tuple, params: pd.DataFrame | None = None) -> dict:
    sc = pj.Scenario(**dict(scenario))
    inp = _with_table(_inputs(key, area, base_year).area(0), params, sc.steps)
    res = pj.run(inp, sc)
    base = pj.run(inp, pj.Scenario(steps=sc.steps, foreign_share=sc.foreign_share,
                                   foreign_share_year=sc.foreign_share_year, foreign_method=sc.foreign_method))
    summary = pj.summary_frame(res, base)
    if isinstance(inp.migration, pj.MigrationEstimate):
        band = pj.migration_band(inp, sc)
        summary["band_low"], summary["band_high"] = band.low, band.high
    else:  # a user table replaced the estimated migration rates: no per-window spread to show
        summary["band_low"] = summary["band_high"] = summary["total"]
    pyramid = pj.long_frame(res.total, res.years)
    return {"summary": summary, "pyramid": pyramid,
            "share_factor": None if res.share is None else float(np.asarray(res.share.factor)),
            "share_reached": None if res.share is None else bool(np.asarray(res.share.reached))}


def run(area: str, base_year: int, scenario: pj.Scenario, params: pd.DataFrame | None = None) -> dict:
    """Scenario vs baseline for one area: {'summary': per-year DataFrame (projection.summary_frame with
    baseline_total, diff_total, band_low, band_high), 'pyramid': persons by year/sex/age, share facts}.
    `params`: an uploaded parameter table (loaders.parameters) overriding the estimated inputs."""
    return _run(official.cache_key(), area, base_year, tuple(sorted(asdict(scenario).items())), params)


def parameter_table(area: str, base_year: int = 2020) -> pd.DataFrame:
    """The estimated parameters of one area in the upload layout (projection.tables), to edit and upload."""
    return pj.parameter_table(_inputs(official.cache_key(), area, base_year).area(0))


@st.cache_data(show_spinner=False, max_entries=256)
def _solve(key: tuple, area: str, base_year: int, scenario: tuple, what: str, target: float, year: int,
           params: pd.DataFrame | None = None) -> dict:
    sc = pj.Scenario(**dict(scenario))
    inp = _with_table(_inputs(key, area, base_year).area(0), params, max(sc.steps, (year - base_year) // 5))
    fn = pj.solve_tfr if what == "tfr" else pj.solve_migration
    r = fn(inp, sc, target, year, tol=1e-3)  # shown with 2 decimals
    return {"value": float(r.value), "reachable": bool(r.reachable), "direction": str(r.direction),
            "achieved": float(r.achieved), "bounds": r.bounds}


def solve(area: str, base_year: int, scenario: pj.Scenario, what: str, target: float, year: int,
          params: pd.DataFrame | None = None) -> dict:
    """Inverse question: which TFR target ('tfr') or migration change in points ('migration') gives `target`
    persons in `year`, other settings as in `scenario`. Returns value, reachable, direction, achieved."""
    return _solve(official.cache_key(), area, base_year, tuple(sorted(asdict(scenario).items())), what, float(target),
                  int(year), params)


def published(area: str) -> pd.DataFrame:
    """Published projections of the area (IPSS 2023 and 2018, city's own): source, scenario, year, nationality,
    age_group, persons, source_id (sex total)."""
    return query("projections_published", area=area)


# ---------------------------------------------------------------- IPSS vintages

#: IPSS projections the app holds, newest (the default official baseline) first: 令和5年推計 (base 2020,
#: total and 0–14 / 15–64 / 65+) and 平成30年推計 (base 2015, by sex and 5-year age). ?ipss= in the URL.
IPSS_VINTAGES = ("2023", "2018")
IPSS_DEFAULT = "2023"
IPSS_SOURCE = {"2023": "ipss_2023", "2018": "ipss_2018"}          # projections.source
IPSS_SOURCE_ID = {"2023": "ipss_r5_municipal", "2018": "ipss_h30_municipal"}  # sources.source_id


def vintage(raw) -> str:
    """The IPSS vintage of a ?ipss= value ('2023' or '2018'); anything else gives IPSS_DEFAULT."""
    return str(raw) if str(raw) in IPSS_VINTAGES else IPSS_DEFAULT


def with_vintage(frame: pd.DataFrame, vintage: str) -> pd.DataFrame:
    """Rows of a frame with a `source` column (projections) without the IPSS vintages other than `vintage`."""
    other = [s for v, s in IPSS_SOURCE.items() if v != vintage]
    return frame[~frame["source"].isin(other)]


def ipss_unit(area: str, vintage: str = IPSS_DEFAULT) -> dict | None:
    """Where IPSS `vintage` published `area`: dict(code, is_group, name_ja, name_en). code is the area's own
    code, or for a municipality IPSS projected only inside an area group (浜通り地域 07999 in 2023) the group's
    code and name (is_group True). None when that vintage has no projection for the area (e.g. 2018: wards,
    Fukushima's municipalities; both vintages: 全国)."""
    rows = query("ipss_unit", area=area, source=IPSS_SOURCE[vintage])
    if rows.empty:
        return None
    r = rows.iloc[0]
    return dict(code=r["code"], is_group=bool(r["is_group"]), name_ja=r["name_ja"], name_en=r["name_en"])


def ipss_group_members(group: str, lang: str = "ja") -> list[str]:
    """Names (in `lang`, 'ja' or 'en') of the member areas of area group `group` (e.g. 07999 浜通り地域's 13
    municipalities), in code order; a member missing from `areas` is given by its code."""
    from queries import areas

    g = query("indicators_groups")
    codes = g.loc[g["group_code"] == group, "area_code"].tolist()
    names = areas().set_index("area_code")["name_ja" if lang == "ja" else "name_en"]
    return [names.get(c) if isinstance(names.get(c), str) else c for c in sorted(codes)]


def ipss_table(area: str, vintage: str = IPSS_DEFAULT) -> pd.DataFrame:
    """The published IPSS figures of the unit ipss_unit(area, vintage) (the area, or its area group): one row per
    year with total, 0-14, 15-64, 65+ (persons, all residents, 1 October) and source_id. Empty when none."""
    unit = ipss_unit(area, vintage)
    if unit is None:
        return pd.DataFrame(columns=["year", "total", "0-14", "15-64", "65+", "source_id"])
    pub = published(unit["code"])
    pub = pub[(pub["source"] == IPSS_SOURCE[vintage]) & (pub["nationality"] == "total")]
    lo = pd.to_numeric(pub["age_group"].str.extract(r"^(\d+)")[0])  # 2018: 5-year groups summed to three
    group = np.select([pub["age_group"] == "total", lo < 15, lo < 65], ["total", "0-14", "15-64"], "65+")
    wide = pub.assign(group=group).pivot_table(index="year", columns="group", values="persons", aggfunc="sum")
    cols = ["total", "0-14", "15-64", "65+"]
    return wide.reindex(columns=cols).reset_index().assign(source_id=IPSS_SOURCE_ID[vintage])[["year", *cols, "source_id"]]


def comparison_lines(area: str, summary: pd.DataFrame, vintage: str = IPSS_DEFAULT) -> pd.DataFrame:
    """Total population by year for every baseline the page compares: register actuals (1 January),
    this app's trend baseline and scenario, IPSS (`vintage`, '2023' or '2018'; the area's own projection only,
    not an area group's) and the city's published projections.

    Returns year, persons, series ('actual', 'app_baseline', 'app_scenario', 'ipss', 'city_baseline',
    'city_improved'), source_id. The actuals and published lines are read once per area and vintage (a slider
    move only brings a new scenario).
    """
    actual, published_lines = _fixed_lines(area, official.cache_key(), vintage)
    app = [pd.DataFrame({"year": summary["year"], "persons": summary["baseline_total"], "series": "app_baseline",
                         "source_id": "juki_age"}),
           pd.DataFrame({"year": summary["year"], "persons": summary["total"], "series": "app_scenario",
                         "source_id": "juki_age"})]
    return pd.concat([actual, *app, published_lines], ignore_index=True).astype({"year": int, "persons": float})


@st.cache_data(show_spinner=False, max_entries=256)
def _fixed_lines(area: str, db_key: tuple, vintage: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(register actuals on 1 January, the published projections' totals) in comparison_lines' columns."""
    from queries import population_trend

    act = population_trend(area)
    act = act[(act["nationality"] == "total") & (pd.to_datetime(act["ref_date"]).dt.month == 1)]
    actual = pd.DataFrame({"year": pd.to_datetime(act["ref_date"]).dt.year, "persons": act["persons"],
                           "series": "actual", "source_id": act["source_id"]})
    pub = published(area)
    pub = pub[(pub["age_group"] == "total") & (pub["nationality"] == "total")]
    names = {(IPSS_SOURCE[vintage], "baseline"): "ipss", ("kurume_vision_2025", "baseline"): "city_baseline",
             ("kurume_vision_2025", "improved"): "city_improved"}
    parts = [pd.DataFrame({"year": g["year"], "persons": g["persons"], "series": names[(source, scenario)],
                           "source_id": g["source_id"]})
             for (source, scenario), g in pub.groupby(["source", "scenario"]) if (source, scenario) in names]
    published_lines = pd.concat(parts, ignore_index=True) if parts else actual.iloc[:0]
    return actual, published_lines


def residual_migration(area: str, base_year: int = 2020) -> pd.DataFrame | None:
    """Net migration by 5-year age and sex estimated by the cohort residual method (the projection's inputs):
    rows sex, age_from, age_to (cohort aged age_from at the start, age_to five years later), rate_pct (5-year net
    migration as % of the cohort, mean over windows), low_pct / high_pct (range over windows). None when the
    register lacks the age tables."""
    inp = inputs(area, base_year)
    if inp is None or not isinstance(inp.migration, pj.MigrationEstimate):
        return None
    m = inp.migration
    rows = []
    for s, sex in enumerate(pj.SEXES):
        for a in range(len(pj.AGES) - 1):
            rows.append(dict(sex=sex, age_from=pj.AGES[a], age_to=pj.AGES[a + 1], rate_pct=100 * m.mean[s, a],
                             low_pct=100 * m.low[s, a], high_pct=100 * m.high[s, a]))
    return pd.DataFrame(rows)
