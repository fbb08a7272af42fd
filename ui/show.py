"""Rendering helpers shared by pages: charts are built once per (builder, data, language) and cached as specs.

Building an Altair chart and validating it against the Vega-Lite schema costs tens of milliseconds. The spec
depends only on the builder's inputs, so it is cached and sent as a plain Vega-Lite dict; the schema check
runs in the tests (`to_dict()` of every builder), not on every request.
"""
from __future__ import annotations

import importlib
import json

import numpy as np
import pandas as pd
import streamlit as st
from altair.utils.schemapi import disable_debug_mode

from charts.events import annotate
from charts.slides import SLIDE_CONFIG

# Altair's debug mode validates every schema object as it is created (for better tracebacks while writing a
# chart); in the served app that is ~15% of building a chart. Specs are validated by the tests (`to_dict()`).
disable_debug_mode()
RUN_CHARTS = "_charts"
EVENTS = "_events"  # the events of the area on screen (queries.events), set by ui.frame.frame()
LIVE_CHROME_PX = 470  # a live slide's bar, two sliders, headline cards and gaps


@st.cache_data(show_spinner=False, max_entries=1024)
def _spec(module: str, name: str, *args) -> dict:
    builder = getattr(importlib.import_module(module), name)
    return builder(*args).to_dict(validate=False)  # builders are schema-validated in tests


def _for_screen(spec: dict) -> dict:
    """The area's events on the chart's time axis (charts.events; set by ui.frame for the area on screen) and, on
    a live slide (a page in presenter mode), the type of a slide (charts.slides: ≥ 24 px)."""
    spec = annotate(spec, st.session_state.get(EVENTS) or [], st.session_state.get("lang", "ja"))
    if not st.session_state.get("presenter"):
        return spec
    config = dict(spec.get("config", {}))
    for part, values in SLIDE_CONFIG.items():
        config[part] = {**config.get(part, {}), **values}
    out = {**spec, "config": config}
    viewport = st.session_state.get("_viewport")
    if viewport and not any(k in spec for k in ("facet", "hconcat", "vconcat", "concat")):
        chrome = LIVE_CHROME_PX if viewport[1] > 820 else LIVE_CHROME_PX - 20  # compact cards (ui.presenter.CSS)
        out["height"] = max(300, int(viewport[1]) - chrome)
    return out


def _remember(spec: dict, main: bool, key: str | None = None) -> None:
    """Register a chart drawn in this run (see `drawn`): the caption under it offers its image and slide."""
    charts = st.session_state.setdefault(RUN_CHARTS, [])
    charts.append({"id": key or f"chart{len(charts) + 1}", "spec": spec, "caption": None, "main": main})


def drawn() -> list[dict]:
    """The charts drawn so far in this run, in order: {id, spec, caption (set by ui.frame.caption), main}; reset by
    ui.frame.frame() at the start of every run."""
    return st.session_state.setdefault(RUN_CHARTS, [])


def main_chart() -> dict | None:
    """The page's main chart of this run (main=True, else the first one drawn): what 'add this view' puts on a slide."""
    charts = drawn()
    return next((c for c in charts if c["main"]), charts[0] if charts else None)


def chart(builder, *args, key: str | None = None, main: bool = False) -> None:
    """Render `builder(*args)` (a pure charts.* function returning an Altair chart) full width.

    The first chart of a page (or the one with main=True) is the page's main chart: the one a playlist
    and a handout show."""
    spec = _for_screen(_spec(builder.__module__, builder.__name__, *args))
    _remember(spec, main, key)
    st.vega_lite_chart(spec=spec, key=key, width="stretch")


@st.cache_data(show_spinner=False, max_entries=1024)
def _skeleton(module: str, name: str, columns: tuple, _sample: pd.DataFrame, *static) -> tuple[dict, str]:
    """The spec of `name` for these columns and static arguments; `_sample` (real data, so the builder runs as
    usual; only its first row is used) is not part of the cache key: the spec must not depend on the data values."""
    builder = getattr(importlib.import_module(module), name)
    spec = builder(_sample.head(1), *static).to_dict(validate=False)
    (dataset,) = spec["datasets"]  # builders used here have exactly one dataset
    return spec, dataset


def _template_key(data: pd.DataFrame) -> tuple:
    """What a template depends on besides the static arguments: the column names and types, as one string in a
    tuple (the cache hashes it on every call; a tuple of pairs cost ~0.5 ms to hash for a 19-column frame)."""
    return ("\x1f".join(f"{c}\x1e{d}" for c, d in zip(data.columns, map(str, data.dtypes))),)


def chart_data(builder, data: pd.DataFrame, *static, key: str | None = None, main: bool = False) -> None:
    """Render `builder(data, *static)` for builders whose only dataset is `data` (charts.projection): the spec
    is built once per static arguments and columns, then only the data values are replaced.

    The values are the records `data.to_json(orient="records")` gives (NaN and ±inf as null, datetimes in epoch
    ms), built column by column from the arrays for numbers, booleans and strings (a JSON round trip cost ~1 ms
    a chart); other column types go through to_json, one column at a time."""
    spec, dataset = _skeleton(builder.__module__, builder.__name__, _template_key(data), data, *static)
    columns = []
    for name in data.columns:
        col = data[name]
        kind = col.dtype.kind
        if isinstance(col.dtype, np.dtype) and kind in "iub":
            values = col.tolist()
        elif isinstance(col.dtype, np.dtype) and kind == "f":
            array = col.to_numpy()
            values = array.tolist() if np.isfinite(array).all() else np.where(np.isfinite(array), array, None).tolist()
        elif isinstance(col.dtype, pd.StringDtype):
            values = col.to_numpy(dtype=object, na_value=None).tolist()
        else:  # datetimes, objects, nullable integers: exactly as to_json writes them
            values = json.loads(col.to_json(orient="values"))
        columns.append(values)
    names = [str(c) for c in data.columns]
    records = [dict(zip(names, row)) for row in zip(*columns)] if names else [{} for _ in range(len(data))]
    spec = _for_screen({**spec, "datasets": {dataset: records}})
    _remember(spec, main, key)
    st.vega_lite_chart(spec=spec, key=key, width="stretch")


def deck(deck, *, key: str, height: int, still: dict | None = None, title: str | None = None, where=None, **kwargs):
    """Render a pydeck map (st.pydeck_chart) into `where` (st or a column); `still` — a Vega-Lite spec of the same
    map (charts.maps.still) — is what the caption's 画像を保存, a slide and the handout use, since a WebGL deck has
    no image of its own. Returns st.pydeck_chart's result (its selection state when on_select is given)."""
    if still is not None:
        if title:  # the heading drawn above the map (markdown) names the image and the slide
            still = {**still, "title": {"text": title.replace("*", "").lstrip("# ").strip(), "anchor": "start"}}
        _remember(still, False, key)
    return (where or st).pydeck_chart(deck, height=height, key=key, **kwargs)


def render(slot, items: list[tuple]) -> None:
    """Render a view's blocks — (Streamlit element name, args, kwargs), e.g. ('metric', ('転入', '7,499'),
    {'border': True}), as queries/views/* return them — into `slot` (st or a column), in order."""
    for element, args, kwargs in items:
        getattr(slot, element)(*args, **kwargs)
