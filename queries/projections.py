"""Cached projection inputs and scenario runs for the projection page.

Inputs are estimated once per (database, area, base year) from the register (estimates.projection_inputs);
a scenario run is cached by its parameters (the kernel is pure, so equal parameters give equal results).
"""
from __future__ import annotations

from dataclasses import asdict

import numpy as np
import pandas as pd
import streamlit as st

import projection as pj
from indicators.compute import size_band
from indicators.definitions import SIZE_BANDS
from queries import query
from store import official


@st.cache_data(show_spinner=False, max_entries=4)
def _plan(key: tuple) -> dict:
    dates = [pd.Timestamp(d).date() for d in query("projection_base_dates")["ref_date"]]
    return estimation_plan(dates)


def estimation_plan(dates) -> dict:
    """Base year and estimation windows that follow the data.

    Input: the 1 January dates with full national age tables (any order). Output: {'base_year': the latest
    year on the 5-year grid (2020, 2025, …) among them, 'windows': the (up to) three latest 5-year pairs of
    available years ending by the latest date, 'cwr_year': the latest year, 'latest': the latest year}.
    Raises ValueError when no base on the grid exists.
    """
    years = sorted({d.year for d in dates})
    grid = [y for y in years if y % 5 == 0]
    if not grid:
        raise ValueError("no 1 January age table on the 5-year grid (2015, 2020, 2025, …)")
    have = set(years)
    windows = tuple((b - 5, b) for b in sorted(have, reverse=True) if b - 5 in have)[:3]
    return {"base_year": grid[-1], "windows": tuple(sorted(windows)), "cwr_year": years[-1], "latest": years[-1]}


def base_plan() -> dict:
    """:func:`estimation_plan` of the open database (cached per database)."""
    return _plan(official.cache_key())


def base_year() -> int:
    """Projection base year of the open database: the latest 1 January on the 5-year grid with age × sex data."""
    return int(base_plan()["base_year"])


@st.cache_data(show_spinner=False, max_entries=256)
def _inputs(key: tuple, area: str, base_year: int) -> pj.ModelInputs:
    from estimates.projection_inputs import build_inputs

    plan = _plan(key)
    inp = build_inputs(official.connection(), base_year=base_year, areas=[area], windows=plan["windows"],
                       cwr_year=plan["cwr_year"])
    return _with_schedules(inp, key)


def _with_schedules(inp: pj.ModelInputs, key: tuple) -> pj.ModelInputs:
    """Add the ASFR-path and migration-schedule inputs: national fertility shape (MHLW 2018), births' survival
    to 0–4 from the register, and the area's residual net-migrant counts as shape and level."""
    from dataclasses import replace

    counts = pj.cohort_to_period(_japanese_counts(inp))
    return replace(inp, asfr_shape=pj.fertility_shape(2018), birth_survival=_birth_survival(key),
                   migration_shape=pj.migration_shape(counts), migration_level=counts.sum(axis=(-1, -2)),
                   notes={**inp.notes, "asfr": "TFR × 厚生労働省 人口動態統計 2018 breakdown of the TFR by mother's "
                                                 "age (national shape)",
                          "migration_schedule": "level × shape of the area's residual net migrant counts, even "
                                                "convention"})


def _japanese_counts(inp: pj.ModelInputs) -> np.ndarray:
    """Residual net migrant counts of Japanese per 5 years by age at the start: rate × cohort at the base."""
    return np.asarray(inp.migration_rates, dtype=float) * np.asarray(inp.japanese, dtype=float)


@st.cache_data(show_spinner=False, max_entries=4)
def _birth_survival(key: tuple) -> float:
    row = query("projection_birth_survival").iloc[0]
    return float(row["ratio"]) if pd.notna(row["ratio"]) else 1.0


def inputs(area: str, base_year: int | None = None) -> pj.ModelInputs | None:
    """Projection inputs of one area (see estimates.projection_inputs.build_inputs) for ``base_year`` (None = the
    data's base, :func:`base_year`), or None when the register has no age table for it on the dates needed."""
    base_year = base_year if base_year is not None else base_year_or_none()
    if base_year is None:
        return None
    try:
        return _inputs(official.cache_key(), area, base_year).area(0)
    except ValueError:
        return None


def base_year_or_none() -> int | None:
    """:func:`base_year`, or None when the database has no usable age tables."""
    try:
        return base_year()
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
    base = pj.run(inp, sc.baseline())
    summary = pj.summary_frame(res, base)
    errors = _errors(key)
    size = int(size_band(summary["total"].iloc[:1]).iloc[0])
    fan = pj.empirical_band(summary["total"].to_numpy(), res.years, base_year, size, errors)
    columns = {c: summary[c].to_numpy() for c in summary.columns}  # one constructor, not nine column inserts
    for q, level in enumerate(errors.levels.astype(int)):
        columns[f"band{level}_low"], columns[f"band{level}_high"] = fan.low[:, q], fan.high[:, q]
    columns["band_low"], columns["band_high"] = columns["band80_low"], columns["band80_high"]
    columns["births"] = np.concatenate([[np.nan], res.births.sum(axis=-1)])
    summary = pd.DataFrame(columns, index=summary.index)
    pyramid = pj.long_frame(res.total, res.years)
    return {"summary": summary, "pyramid": pyramid,
            "share_factor": None if res.share is None else float(np.asarray(res.share.factor)),
            "share_reached": None if res.share is None else bool(np.asarray(res.share.reached))}


def run(area: str, base_year: int, scenario: pj.Scenario, params: pd.DataFrame | None = None) -> dict:
    """Scenario vs baseline for one area: {'summary': per-year DataFrame (projection.summary_frame with
    baseline_total, diff_total; band50_low/high and band80_low/high = empirical prediction intervals from the
    back-test errors of the area's size class (band_low/high = the 80 % one); births = Japanese births of the
    5 years up to that year (children 0–4 for the CWR method)), 'pyramid': persons by year/sex/age, share facts}.
    `params`: an uploaded parameter table (loaders.parameters) overriding the estimated inputs."""
    return _run(official.cache_key(), area, base_year, tuple(sorted(asdict(scenario).items())), params)


@st.cache_data(show_spinner=False, max_entries=4)
def _backtest(key: tuple) -> pd.DataFrame:
    from queries.projection_backtest import backtest as run_backtest

    return run_backtest(official.connection())


def backtest() -> pd.DataFrame:
    """Back-test of every area (queries.projection_backtest.backtest), cached per database."""
    return _backtest(official.cache_key())


@st.cache_data(show_spinner=False, max_entries=4)
def _errors(key: tuple) -> pj.EmpiricalErrors:
    from queries.projection_backtest import municipal

    m = municipal(_backtest(key))
    return pj.empirical_errors({5: m["pe_app_2020"].to_numpy(), 7: m["pe_app_2022"].to_numpy()},
                               m["size_class"].to_numpy(), len(SIZE_BANDS))


def accuracy_table() -> pd.DataFrame:
    """National back-test table: one row per size class and a last row for all municipalities (size_class -1):
    n and median / mean / 80th / 90th percentile APE and mean PE (percent) of this app (2020, 2022) and IPSS
    2018 (2020); columns prefixed app5_, app7_, ipss5_."""
    from queries.projection_backtest import municipal

    m = municipal(backtest())
    parts = []
    for col, prefix in (("pe_app_2020", "app5_"), ("pe_app_2022", "app7_"), ("pe_ipss_2020", "ipss5_")):
        t = pj.error_summary(m[col].to_numpy(), m["size_class"].to_numpy(), len(SIZE_BANDS))
        parts.append(t.set_index("size_class").add_prefix(prefix))
    return pd.concat(parts, axis=1).reset_index()


def area_accuracy(area: str) -> dict | None:
    """The area's own back-test row (dict of queries.projection_backtest.backtest columns), None if absent."""
    bt = backtest()
    row = bt[bt["area_code"] == area]
    return None if row.empty else row.iloc[0].to_dict()


def fan_info(summary: pd.DataFrame) -> dict:
    """For the fan-chart caption: {'size_class': index of SIZE_BANDS of the base total, 'w50', 'w80': half-widths
    in percent of the 50 % / 80 % intervals 5 years after the base}."""
    row = summary.iloc[1]
    return {"size_class": int(size_band(summary["total"].iloc[:1]).iloc[0]),
            "w50": 100 * (row["band50_high"] / row["total"] - 1), "w80": 100 * (row["band80_high"] / row["total"] - 1)}


#: The city's 改善 scenario read literally (IPSS convention): TFR +0.1 by 2060, +0.5 points on the 5-year net
#: migration rate of the cohorts aged 10–29 at the start of each step.
CITY_IMPROVED = pj.Scenario(steps=8, tfr_delta=0.1, tfr_year=2060, migration_points=0.5, migration_ages=(10, 30))


def improvement_comparison(area: str, base_year: int, years=(2030, 2035, 2060)) -> pd.DataFrame:
    """City's published improvement (improved − baseline, total) beside this app's :data:`CITY_IMPROVED` −
    baseline for ``years``: columns year, city, ours (persons); empty when the city publishes no improved
    scenario. Computed once per database, area and base year (every slider move asks again)."""
    return _improvement(official.cache_key(), area, int(base_year), tuple(years))


@st.cache_data(show_spinner=False, max_entries=256)
def _improvement(key: tuple, area: str, base_year: int, years: tuple) -> pd.DataFrame:
    city = _city_improvement(key, area)
    if city.empty:
        return pd.DataFrame(columns=["year", "city", "ours"])
    ours = run(area, base_year, CITY_IMPROVED)["summary"].set_index("year")["diff_total"]
    out = city[city["year"].isin(years) & city["year"].isin(ours.index)].rename(columns={"city_diff": "city"})
    return out.assign(ours=out["year"].map(ours)).reset_index(drop=True)


def city_improvement(area: str) -> pd.DataFrame:
    """The city's published 改善 − 将来推計 difference of the total population: year, city_diff (persons);
    empty when the area publishes no improved scenario. Cached per database and area (the pivot took ~20 ms, and
    the scenario panel asks on every slider move)."""
    return _city_improvement(official.cache_key(), area)


@st.cache_data(show_spinner=False, max_entries=2048)
def _city_improvement(key: tuple, area: str) -> pd.DataFrame:
    pub = published(area)
    pub = pub[(pub["age_group"] == "total") & (pub["nationality"] == "total")]
    pub = pub[pub["source"].isin(pub.loc[pub["scenario"] == "improved", "source"])]
    if pub.empty:  # most areas: no improved scenario, no pivot needed
        return pd.DataFrame(columns=["year", "city_diff"])
    wide = pub.pivot_table(index="year", columns="scenario", values="persons")
    if not {"baseline", "improved"} <= set(wide.columns):
        return pd.DataFrame(columns=["year", "city_diff"])
    return (wide["improved"] - wide["baseline"]).rename("city_diff").reset_index()


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
    head, tail = _fixed_parts(area, official.cache_key(), vintage)
    years, n = summary["year"].to_numpy(dtype=int), len(summary)
    return pd.DataFrame({
        "year": np.concatenate([head["year"], years, years, tail["year"]]),
        "persons": np.concatenate([head["persons"], summary["baseline_total"].to_numpy(dtype=float),
                                   summary["total"].to_numpy(dtype=float), tail["persons"]]),
        "series": np.concatenate([head["series"], np.repeat(np.array(["app_baseline", "app_scenario"], dtype=object), n),
                                  tail["series"]]),
        "source_id": np.concatenate([head["source_id"], np.full(2 * n, "juki_age", dtype=object), tail["source_id"]])})


@st.cache_resource(show_spinner=False, max_entries=256)
def _fixed_parts(area: str, db_key: tuple, vintage: str) -> tuple[dict, dict]:
    """:func:`_fixed_lines` as column arrays (shared by all sessions, read only): the slider's fragment builds
    the comparison frame from them with one DataFrame constructor instead of a concat and a cast (~5 ms)."""
    def columns(frame: pd.DataFrame) -> dict:
        return {"year": frame["year"].to_numpy(dtype=int), "persons": frame["persons"].to_numpy(dtype=float),
                "series": frame["series"].to_numpy(dtype=object), "source_id": frame["source_id"].to_numpy(dtype=object)}

    actual, published_lines = _fixed_lines(area, db_key, vintage)
    return columns(actual), columns(published_lines)


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
