"""View functions: what a page shows, display-ready (frames with their column labels, texts in the language asked
for, decks), so pages keep only widgets, calls and rendering. One module per page (views/<page>.py); a view reads
through the cached query functions of `queries` and builds with the pure `charts` builders.
"""
from __future__ import annotations

import streamlit as st

from charts import tr
from charts.maps import Basemap
from queries import maps
from store import official


def text(key: str, lang: str, **fmt) -> str:
    """UI string `key` in `lang`, formatted with `fmt` (ui.i18n.t with the language passed in, as charts.tr)."""
    return tr(key, lang).format(**fmt)


@st.cache_resource(show_spinner=False, max_entries=4)
def _basemap(key: tuple) -> Basemap:
    return Basemap.from_frame(maps.prefecture_outlines())


def basemap() -> Basemap:
    """The prefecture outlines every map is drawn on (stored by the build; queries.maps.prefecture_outlines), one
    instance per database file shared by all sessions (read it, never mutate it)."""
    return _basemap(official.cache_key())
