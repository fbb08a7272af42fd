"""The foreign residents page's repeated blocks (pages/foreign_residents.py is layout only): a chart with its caption
and downloads, and the nationality / residence-status tables."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from charts import foreign as fcharts
from ui.show import render
from ui.download import offer
from ui.frame import caption
from ui.i18n import lang, t
from ui.show import chart


def panel(builder, args: tuple, frame: pd.DataFrame, period: str, note: str, title: str, key: str, area,
          data: pd.DataFrame | None = None) -> None:
    """chart(builder, *args), then the caption of `frame`'s sources (persons, `period`, `note`) and the downloads
    of `data` (default `frame`) as `title`."""
    chart(builder, *args)
    caption(frame["source_id"].unique(), "unit_persons", period, note)
    offer(frame if data is None else data, title, key, area=area)


def breakdown_tables(moj: dict) -> None:
    """The nationality and residence-status tables (views.foreign_residents.nationality) with localized numbers."""
    num, labels = st.column_config.NumberColumn, moj["labels"]
    for frame_, head in moj["tables"]:
        if frame_.empty:
            continue
        st.dataframe(frame_[["label", "prev", "latest", "change", "change_pct", "share_pct", "nation_latest",
                             "nation_share_pct"]], hide_index=True, width="stretch", column_config={
            "label": head, "prev": num(moj["prev_label"], format="localized"),
            "latest": num(moj["latest_label"], format="localized"),
            "change": num(labels["change"], format="localized"),
            "change_pct": num(labels["change_pct"], format="%.1f"),
            "share_pct": num(labels["share_pct"], format="%.1f"),
            "nation_latest": num(labels["nation_latest"], format="localized"),
            "nation_share_pct": num(labels["nation_share_pct"], format="%.1f")})


def series(builder, frame: pd.DataFrame, title: str, period: str, note: str, key: str, area) -> None:
    """panel() of a chart drawn as builder(frame, language, title) from `frame` alone."""
    panel(builder, (frame, lang(), title), frame, period, note, title, key, area)


def cards(blocks: list[tuple]) -> None:
    """Metric cards side by side, one column each (ui.show.render blocks)."""
    for col, card in zip(st.columns(len(blocks)), blocks):
        render(col, [card])


def statements(said: pd.DataFrame, heading: str, lines: list[str], area) -> None:
    """The city's published statements in a box, with their caption and downloads."""
    st.subheader(heading)
    with st.container(border=True):
        for line in lines:
            st.markdown(line)
    caption(said["source_id"].unique(), "fr_unit_as_printed", "fr_period_fy_end", t("fr_statements_note"))
    offer(said, heading, "dl_fr_said", area=area)


def pyramids(pyr: pd.DataFrame, pt: dict, area) -> None:
    """The Japanese and foreign pyramids side by side (views.foreign_residents.pyramid_texts), each downloadable."""
    for col, (nat, title) in zip(st.columns(2), pt["panels"]):
        with col:
            panel(fcharts.pyramid, (pyr, nat, lang(), title, pt["half"]), pyr, "period_date", pt["note"], title,
                  f"dl_fr_pyr_{nat}", area, data=pyr[pyr["nationality"] == nat])


def breakdowns(moj: dict) -> None:
    """The nationality (left) and residence-status (right) charts of views.foreign_residents.nationality, with the
    prefecture's downloads; an empty breakdown leaves its column empty."""
    for col, p in zip(st.columns(2), moj["panels"]):
        if p["frame"].empty:
            continue
        with col:
            panel(fcharts.breakdown, (p["top"], lang(), p["title"], p["subtitle"], moj["prev_label"],
                                      moj["latest_label"], bool(moj["fallback"])), p["frame"], "period_date",
                  p["note"], p["title"], f"dl_fr_{p['key']}", moj["pref"])
