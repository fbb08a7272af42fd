"""Page sections shared by several pages (layout only: widgets, queries, chart builders)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

import queries
from charts import dynamics as dcharts
from queries import dynamics as dyn
from queries.views import natural_change as nv
from ui.download import offer
from ui import state
from ui.frame import View, caption
from ui.i18n import lang, t
from ui.show import chart


def source_label(source_id: str) -> str:
    """'総務省 住民基本台帳' for the official series, '<publisher> 公表値' for a city's own tables."""
    if source_id.startswith("juki"):
        return t("src_official")
    src = queries.sources(lang())  # the publisher's English name in English
    return t("src_published", publisher=src.loc[source_id, "publisher"] if source_id in src.index else source_id)


def series_controls(series: pd.DataFrame) -> tuple[str, str]:
    """Source and nationality pickers (bound to the URL as ?src= and ?nat=); returns the choices."""
    left, right = st.columns(2)
    sources = dyn.sources_of(series)
    with left:
        source = st.segmented_control(t("source"), sources, format_func=source_label,
                                      key=state.widget("src", sources, sources[0]), required=True)
    nats = dyn.nationalities(series, source or sources[0])
    if st.session_state.get("nat") not in nats:
        st.session_state.pop("nat", None)
    with right:
        nat = st.segmented_control(t("nationality"), nats, format_func=lambda n: t("nat_" + n),
                                   key=state.widget("nat", nats, nats[0]), required=True)
    return source or sources[0], nat if nat in nats else nats[0]


def section_tabs(sections: list[str], key: str = "sec") -> tuple[str, object]:
    """Tabs over a page's sections where only the open one runs (st.tabs with on_change="rerun"), so a page
    costs what its visible section costs. The open section lives in the URL as a code (?sec=partners), the
    same in either language; returns (open section code, its container)."""
    labels = [t("sec_" + s) for s in sections]
    wanted = st.query_params.get(key)
    default = labels[sections.index(wanted)] if wanted in sections else labels[0]
    tabs = st.tabs(labels, key=f"_{key}_{lang()}", on_change="rerun", default=default)
    opened = next((i for i, tab in enumerate(tabs) if tab.open), labels.index(default))
    state.write(key, sections[opened], sections[0])
    return sections[opened], tabs[opened]


def period_key(frame: pd.DataFrame) -> str:
    kinds = set(frame["period_kind"])
    return "period_fy_cy" if kinds == {"FY", "CY"} else ("period_fy" if kinds == {"FY"} else "period_cy")


def comparison(view: View, value: str, measure_key: str) -> None:
    """Compare up to 8 areas on one rate (per 1,000): ranked bar of the latest calendar year and small multiples
    (queries.views.natural_change.comparison); the prefecture and Japan are benchmarks in the default selection."""
    areas = queries.areas()
    options = areas["area_code"].tolist()
    labels = dict(zip(options, areas["name_ja" if view.lang == "ja" else "name_en"].fillna(areas["name_ja"])))
    default = nv.comparison_default(view.code, options)
    chosen = st.multiselect(t("compare"), options, format_func=labels.get,
                            key=state.widget("cmp", options, default, multi=True), max_selections=nv.MAX_AREAS)
    c = nv.comparison(tuple(chosen), view.code, value, measure_key, labels, view.lang)
    if c is None:
        st.info(t("rates_unavailable"))
        return
    chart(dcharts.ranked_bar, c["latest"], value, view.code, view.lang, c["title"])
    r = c["rates"]
    chart(dcharts.small_multiples, r[["area_code", "name", "year", value, "benchmark"]], value, view.code, view.lang,
          c["trend_title"])
    caption(r["source_id"].unique(), "per_1000", "period_cy", t("compare_note") + " " + t("rates_note"))
    offer(r, c["title"], f"dl_cmp_{value}", name=t("dl_name_compare"))
