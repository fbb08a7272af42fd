"""Rendering helpers shared by pages: charts are built once per (builder, data, language) and cached as specs.

Building an Altair chart and validating it against the Vega-Lite schema costs tens of milliseconds. The spec
depends only on the builder's inputs, so it is cached and sent as a plain Vega-Lite dict; the schema check
runs in the tests (`to_dict()` of every builder), not on every request.
"""
from __future__ import annotations

import importlib

import streamlit as st


@st.cache_data(show_spinner=False, max_entries=1024)
def _spec(module: str, name: str, *args) -> dict:
    builder = getattr(importlib.import_module(module), name)
    return builder(*args).to_dict(validate=False)  # builders are schema-validated in tests


def chart(builder, *args, key: str | None = None) -> None:
    """Render `builder(*args)` (a pure charts.* function returning an Altair chart) full width."""
    st.vega_lite_chart(spec=_spec(builder.__module__, builder.__name__, *args), key=key, width="stretch")
