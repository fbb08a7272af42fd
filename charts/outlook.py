"""Charts of the outlook page (地域の未来予測): service-demand age groups, dependency ratios, women aged 20–39.

Pure builders (no Streamlit): frames from queries.outlook.tables, labels passed in, language for the axes.
Series colours follow the projection page (scenario vermillion, trend baseline grey, IPSS 2018 blue).
"""
from __future__ import annotations

import json

import altair as alt
import pandas as pd

from charts import style, tr
from charts.projection import SERIES_COLOURS


#: Small panels two to a row, each PANEL_WIDTH px wide (plus ~80 px of axis): with the sidebar open the page's
#: column is ~900 px at 1366×768 and 1440 px, where three panels of 300 px were cut off (facets cannot take the
#: container's width).
PANEL_COLUMNS, PANEL_WIDTH = 2, 330


def _label_expr(field: str, labels: tuple[tuple[str, str], ...]) -> str:
    return " : ".join(f"datum.{field} == {json.dumps(k)} ? {json.dumps(v)}" for k, v in labels) + " : ''"


def _colour(sources: tuple[tuple[str, str], ...]) -> alt.Color:
    names = [n for _, n in sources]
    return alt.Color("source_label:N", title=None, sort=names, legend=alt.Legend(columns=min(3, len(names))),
                     scale=alt.Scale(domain=names, range=[SERIES_COLOURS[k] for k, _ in sources]))


def _dash() -> alt.StrokeDashValue:
    """Solid line for the user's scenario, dashed for the other sources."""
    return alt.StrokeDashValue([6, 3], condition={"test": alt.datum.source == "app_scenario", "value": [1, 0]})


def demand_panels(table: pd.DataFrame, sources: tuple[tuple[str, str], ...], groups: tuple[tuple[str, str], ...],
                  lang: str, title: str, first_year: int = 2020) -> alt.FacetChart:
    """One small panel per age group (persons over years, own y scale), a line per source.

    table: source, year, group, persons, share, index (queries.outlook.tables()['table']); sources / groups:
    (key, label) pairs in display order. Years before `first_year` (IPSS's 2015 base) are left out."""
    keep = json.dumps([k for k, _ in sources])
    base = alt.Chart(table).transform_filter(f"datum.year >= {int(first_year)} && indexof({keep}, datum.source) >= 0"
                                             ).transform_calculate(source_label=_label_expr("source", sources),
                                                                   group_label=_label_expr("group", groups))
    line = base.mark_line(point=True, strokeWidth=2.5).encode(
        x=alt.X("year:Q", title=None, axis=alt.Axis(format="d", values=list(range(2020, 2061, 10)))),
        y=alt.Y("persons:Q", title=tr("persons", lang), scale=alt.Scale(zero=True), axis=alt.Axis(format=",d")),
        color=_colour(sources),
        strokeDash=_dash(),
        tooltip=[alt.Tooltip("group_label:N", title=tr("age_group", lang)), alt.Tooltip("source_label:N", title=tr("series", lang)),
                 alt.Tooltip("year:Q", format="d", title=tr("year_cy", lang)),
                 alt.Tooltip("persons:Q", format=",.0f", title=tr("persons", lang)),
                 alt.Tooltip("share:Q", format=".1f", title=tr("share", lang)),
                 alt.Tooltip("index:Q", format=".0f", title=tr("ol_index", lang))])
    chart = line.properties(width=PANEL_WIDTH, height=170).facet(
        facet=alt.Facet("group_label:N", title=None, sort=[v for _, v in groups],
                        header=alt.Header(labelFontSize=15, labelFontWeight="bold", labelAnchor="start")),
        columns=PANEL_COLUMNS).resolve_scale(y="independent").properties(title=title)
    return style(chart, lang)


def ratio_panels(ratios: pd.DataFrame, sources: tuple[tuple[str, str], ...], names: tuple[tuple[str, str], ...],
                 lang: str, title: str, first_year: int = 2020) -> alt.FacetChart:
    """年少・老年・従属人口指数 (per 100 aged 15–64) over years: a panel per ratio, a line per source.
    ratios: source, year, ratio ('young'/'old'/'total'), value; names: (ratio, label) pairs."""
    keep = json.dumps([k for k, _ in sources])
    base = alt.Chart(ratios).transform_filter(f"datum.year >= {int(first_year)} && indexof({keep}, datum.source) >= 0"
                                              ).transform_calculate(source_label=_label_expr("source", sources),
                                                                    ratio_label=_label_expr("ratio", names))
    line = base.mark_line(point=True, strokeWidth=2.5).encode(
        x=alt.X("year:Q", title=None, axis=alt.Axis(format="d", values=list(range(2020, 2061, 10)))),
        y=alt.Y("value:Q", title=tr("ol_per_100", lang), scale=alt.Scale(zero=False)),
        color=_colour(sources),
        strokeDash=_dash(),
        tooltip=[alt.Tooltip("ratio_label:N", title=tr("ol_ratio", lang)), alt.Tooltip("source_label:N", title=tr("series", lang)),
                 alt.Tooltip("year:Q", format="d", title=tr("year_cy", lang)),
                 alt.Tooltip("value:Q", format=".1f", title=tr("ol_per_100", lang))])
    chart = line.properties(width=PANEL_WIDTH, height=190).facet(
        facet=alt.Facet("ratio_label:N", title=None, sort=[v for _, v in names],
                        header=alt.Header(labelFontSize=15, labelFontWeight="bold", labelAnchor="start")),
        columns=PANEL_COLUMNS).properties(title=title)
    return style(chart, lang)


def women_chart(women: pd.DataFrame, sources: tuple[tuple[str, str], ...], threshold: float, lang: str,
                title: str) -> alt.LayerChart:
    """Change (%) of women aged 20–39 since each source's first year (2020 this app, 2015 IPSS), with the
    人口戦略会議 line at `threshold` (−50%). women: source, year, persons, change. One dataset (the rules are
    drawn from its first row), so the page can swap the data into a cached spec (ui.show.chart_data)."""
    base = alt.Chart(women).transform_calculate(source_label=_label_expr("source", sources))
    line = base.mark_line(point=True, strokeWidth=3).encode(
        x=alt.X("year:Q", title=tr("year_cy", lang), axis=alt.Axis(format="d", values=list(range(2015, 2061, 5)))),
        y=alt.Y("change:Q", title=tr("ol_women_change", lang), scale=alt.Scale(zero=True)), color=_colour(sources),
        strokeDash=_dash(),
        tooltip=[alt.Tooltip("source_label:N", title=tr("series", lang)), alt.Tooltip("year:Q", format="d", title=tr("year_cy", lang)),
                 alt.Tooltip("persons:Q", format=",.0f", title=tr("ol_women", lang)),
                 alt.Tooltip("change:Q", format="+.1f", title=tr("ol_women_change", lang))])
    first = base.transform_window(n="row_number()").transform_filter("datum.n == 1")
    rule = first.mark_rule(color="#222", strokeDash=[2, 2], strokeWidth=1.5).encode(y=alt.YDatum(threshold))
    text = first.mark_text(align="left", dx=4, dy=-8, fontSize=13, color="#222").encode(
        y=alt.YDatum(threshold), x=alt.XValue(4), text=alt.TextValue(tr("ol_threshold", lang)))
    zero = first.mark_rule(color="#999", strokeWidth=1).encode(y=alt.YDatum(0))
    return style((zero + line + rule + text).properties(height=340, title=title), lang)
