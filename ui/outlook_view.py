"""The outlook page's repeated rendering blocks (pages/outlook.py is layout only): the four headline metrics with
the generated summary box, the captions of the 5-year-age charts and the table tabs. Texts and frames come from
queries.views.outlook."""
from __future__ import annotations

import streamlit as st

from ui.frame import caption
from ui.i18n import t


def headline(metrics: list[dict], summary: dict) -> None:
    """The metrics (keyword arguments of st.metric) in a row, then the summary (title, body, note) in a box."""
    for col, m in zip(st.columns(len(metrics)), metrics):
        col.metric(**m)
    with st.container(border=True):
        st.markdown(summary["title"])
        st.markdown(summary["body"])
        st.caption(summary["note"])


def caption_5y(unit_key: str, note_key: str) -> None:
    """Caption of a chart on 住基 ages and IPSS 2018 (5-year ages)."""
    caption(["juki_age", "ipss_h30_municipal"], unit_key, "period_date", t(note_key) + " " + t("ipss_5y_note"))


def table_tabs(tables: list[tuple]) -> None:
    """One tab per (label, wide frame, number format), the frame with that format in every column."""
    for tab, (_, wide, fmt) in zip(st.tabs([label for label, _, _ in tables]), tables):
        tab.dataframe(wide, width="stretch",
                      column_config={c: st.column_config.NumberColumn(c, format=fmt) for c in wide.columns})
