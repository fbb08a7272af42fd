"""Read side of the outlook page (地域の未来予測): this app's projection (trend baseline and the user's scenario,
via queries.projections) and IPSS for one area, as tidy frames, and the outlook tables built from them
(indicators.outlook). Persons; years are calendar years (1 January for this app, 1 October for IPSS).

IPSS vintages: the groups that need sex and 5-year ages (service-demand groups, women aged 20–39) use IPSS 2018,
the only vintage held by 5-year age; the dependency ratios (three age groups) use the chosen vintage, by default
IPSS 2023 (for a 浜通り member: the 浜通り地域 aggregate, see queries.projections.ipss_unit)."""
from __future__ import annotations

from dataclasses import asdict

import pandas as pd
import streamlit as st

import projection as pj
from indicators import outlook as ol
from indicators.definitions import IPSS_CODE_CHANGES
from projection import controls
from projection.controls import BASE, SCENARIO_KEYS, STEPS
from queries import query
from queries import projections as qp
from store import official

#: Series of the outlook, in display order: this app's scenario, its trend baseline, IPSS.
SOURCES = ("app_scenario", "app_baseline", "ipss")


def ipss(area: str) -> pd.DataFrame:
    """IPSS 2018 persons of `area` by year (2015 census base, 2020–2045), sex and 5-year age: year, sex,
    age_group, persons, source_id. Empty where IPSS has no projection (Fukushima's municipalities, wards)."""
    codes = [area, *[old for old, new in IPSS_CODE_CHANGES.items() if new == area]]
    return query("outlook_ipss", codes=tuple(codes))


def ipss_age3(area: str, vintage: str) -> pd.DataFrame:
    """IPSS `vintage` persons of `area` (or of the area group IPSS projected it in) by year in the three age groups
    0-14, 15-64, 65+ (sex 'total'): year, sex, age_group, persons. Empty where that vintage has none."""
    wide = qp.ipss_table(area, vintage)
    long = wide.melt(id_vars="year", value_vars=["0-14", "15-64", "65+"], var_name="age_group", value_name="persons")
    return long.assign(sex="total")[["year", "sex", "age_group", "persons"]]


@st.cache_data(show_spinner=False, max_entries=256)
def _long(key: tuple, area: str, scenario: tuple) -> pd.DataFrame:
    sc = pj.Scenario(**dict(scenario))
    parts = [qp.run(area, BASE, sc)["pyramid"].assign(source="app_scenario"),
             qp.run(area, BASE, sc.baseline())["pyramid"].assign(source="app_baseline"),
             ipss(area).drop(columns="source_id").assign(source="ipss")]
    return pd.concat(parts, ignore_index=True)[["source", "year", "sex", "age_group", "persons"]]


def long(area: str, scenario: pj.Scenario) -> pd.DataFrame:
    """Persons by source (SOURCES), year, sex and age group for `area` under `scenario` (this app) and IPSS."""
    return _long(official.cache_key(), area, tuple(sorted(asdict(scenario).items())))


@st.cache_data(show_spinner=False, max_entries=256)
def _tables(key: tuple, area: str, scenario: tuple, vintage: str) -> dict:
    frame = _long(key, area, scenario)
    app = frame[frame["source"] != "ipss"]
    table = pd.concat([ol.demand_table(app, BASE), ol.demand_table(frame[frame["source"] == "ipss"], BASE)],
                      ignore_index=True)
    ratios_5y = ol.dependency_ratios(frame)
    if vintage == "2018":
        ratios = ratios_5y
    else:
        three = ipss_age3(area, vintage).assign(source="ipss")
        ratios = ol.dependency_ratios(pd.concat([app, three], ignore_index=True))
    return {"table": table, "ratios": ratios, "ratios_5y": ratios_5y, "women": ol.young_women(frame)}


def tables(area: str, scenario: pj.Scenario, vintage: str = qp.IPSS_DEFAULT) -> dict:
    """The outlook of `area`: {'table': service-demand groups (source, year, group, persons, share %, index with
    2020 = 100), 'ratios': dependency ratios (source, year, ratio, value) with IPSS of `vintage`, 'ratios_5y': the
    same with IPSS 2018 (the vintage of 'table', for a summary quoting both), 'women': women aged 20–39 (source,
    year, persons, change % since the source's first year)}. IPSS rows of 'table' and 'women' are IPSS 2018 (5-year
    ages), indexed to IPSS's own 2020."""
    return _tables(official.cache_key(), area, tuple(sorted(asdict(scenario).items())), vintage)


# ---------------------------------------------------------------- the user's scenario (projection page state)
# The controls (keys, ranges, steps, defaults) are projection.controls, which the projection page's sliders draw.


def scenario_defaults(base_tfr: float) -> dict:
    """The projection page's slider defaults for an area whose base TFR is `base_tfr` (projection.controls)."""
    return controls.defaults(base_tfr)


def _parse(key: str, raw):
    """The control `key`'s value written `raw` (a query parameter's list of strings, or a widget's value), on the
    control's range and grid; None when it is not one."""
    values = raw if isinstance(raw, (list, tuple)) else [raw]
    control = next(c for c in controls.SCENARIO_CONTROLS if c.key == key)
    if isinstance(control, controls.Choice):
        v = str(values[-1])
        return v if v in control.options else None
    if isinstance(control.default, tuple):  # a range slider
        if len(values) != 2:
            return None
        lo, hi = sorted(control.clip(v) for v in values)
        return (lo, hi)
    v = float(values[-1])
    if v != v:  # NaN
        return None
    return control.clip(v)


def scenario_values(url: dict, state: dict, base_tfr: float) -> dict:
    """The user's scenario: for each of SCENARIO_KEYS the value in `url` (query parameters as lists of strings,
    e.g. {'tfr': ['1.8'], 'ages': ['10', '30']}) if valid, else in `state` (the projection page's widget values
    left in the session after a page change), else the projection page's default. Values are clipped to the
    sliders' ranges and steps. Returns dict tfr, tfry, mig, ages (lo, hi), fshare, fm."""
    out = scenario_defaults(base_tfr)
    for key in SCENARIO_KEYS:
        for source in (url, state):
            if key in source and source[key] is not None:
                try:
                    value = _parse(key, source[key])
                except (TypeError, ValueError):
                    value = None
                if value is not None:
                    out[key] = value
                    break
    return out


def scenario_of(values: dict, steps: int = STEPS) -> pj.Scenario:
    """The projection.Scenario the projection page builds from the same slider values (so runs share a cache)."""
    return controls.scenario(values, steps)


def is_trend(values: dict, base_tfr: float) -> bool:
    """True when the scenario changes neither fertility nor migration: it is then the trend baseline."""
    return values["tfr"] == scenario_defaults(base_tfr)["tfr"] and values["mig"] == 0


def url_params(values: dict, base_tfr: float) -> dict:
    """Query parameters of the scenario values that differ from the defaults (strings; ages as a list)."""
    default = scenario_defaults(base_tfr)
    out = {}
    for key in SCENARIO_KEYS:
        v = values[key]
        if v != default[key]:
            out[key] = [str(a) for a in v] if key == "ages" else str(v)
    return out
