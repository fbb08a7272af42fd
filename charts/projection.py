"""Charts of the projection page (将来人口推計・シミュレーション).

These builders take ONE DataFrame (the chart's only dataset; layers select rows with Vega-Lite filters and
derive fields with calculate/fold transforms) plus static arguments. The page can therefore build a chart
once per (language, title, …) and swap in new data on every slider move (ui.show.chart_data), which keeps a
slider release well inside the 100 ms budget.
"""
from __future__ import annotations

import json

import altair as alt
import pandas as pd

import formats
from charts import ACCENT, FOREIGN, GREY, JAPANESE, style, tr

SERIES_COLOURS = {"actual": "#000000", "app_baseline": GREY, "app_scenario": ACCENT, "ipss": JAPANESE,
                  "city_baseline": "#009E73", "city_improved": "#56B4E9"}


def totals_chart(frame: pd.DataFrame, labels: tuple[tuple[str, str], ...], lang: str, title: str) -> alt.LayerChart:
    """Total population over years: one line per series, and the empirical prediction intervals (fan chart).

    frame: year, persons, series (keys of SERIES_COLOURS, or a band key), low, high (band rows). Band keys:
    'band80' (or 'band') = the 80 % interval, drawn light; 'band50' = the 50 % interval, drawn darker on top.
    labels: (series key, legend label) pairs in legend order. Unit: persons.
    """
    keys = [k for k, _ in labels]
    names = [n for _, n in labels]
    label_expr = " : ".join(f"datum.series == {json.dumps(k)} ? {json.dumps(n)}" for k, n in labels) + " : ''"
    base = alt.Chart(frame).transform_calculate(label=label_expr)
    x = alt.X("year:Q", title=tr("year_cy", lang), axis=alt.Axis(format="d"))
    tip = [alt.Tooltip("year:Q", format="d", title=tr("year_cy", lang)),
           alt.Tooltip("low:Q", format=",.0f", title=tr("band_low", lang)),
           alt.Tooltip("high:Q", format=",.0f", title=tr("band_high", lang))]
    y = alt.Y("low:Q", title=tr("persons", lang), scale=alt.Scale(zero=False), axis=alt.Axis(format=",d"))
    area = base.transform_filter("datum.series == 'band' || datum.series == 'band80'").mark_area(
        opacity=0.14, color=ACCENT).encode(x=x, y=y, y2=alt.Y2("high:Q"), tooltip=tip)
    inner = base.transform_filter("datum.series == 'band50'").mark_area(opacity=0.26, color=ACCENT).encode(
        x=x, y=y, y2=alt.Y2("high:Q"), tooltip=tip)
    line = base.transform_filter("indexof(['band', 'band50', 'band80'], datum.series) < 0").mark_line(point=True, strokeWidth=3).encode(
        x=x, y=alt.Y("persons:Q"),
        color=alt.Color("label:N", title=None, sort=names, legend=alt.Legend(columns=min(3, len(names))),
                        scale=alt.Scale(domain=names, range=[SERIES_COLOURS[k] for k in keys])),
        strokeDash=alt.StrokeDashValue([6, 3], condition={"test": alt.datum.series == "app_scenario", "value": [1, 0]}),
        tooltip=[alt.Tooltip("label:N", title=tr("series", lang)), alt.Tooltip("year:Q", format="d", title=tr("year_cy", lang)),
                 alt.Tooltip("persons:Q", format=",.0f", title=tr("persons", lang))])
    return style((area + inner + line).properties(height=460, title=title), lang)


def age3_chart(summary: pd.DataFrame, lang: str, title: str) -> alt.Chart:
    """Stacked areas of 0–14, 15–64, 65+ persons of the scenario (summary_frame columns), shares in the tooltip."""
    names = {"pop_0_14": tr("age_0_14", lang), "pop_15_64": tr("age_15_64", lang), "pop_65p": tr("age_65p", lang)}
    group = " : ".join(f"datum.key == '{k}' ? {json.dumps(v)}" for k, v in names.items()) + " : ''"
    chart = alt.Chart(summary).transform_fold(list(names), as_=["key", "persons"]).transform_calculate(
        group=group, share="100 * datum.persons / datum.total").mark_area(opacity=0.85).encode(
        x=alt.X("year:Q", title=tr("year_cy", lang), axis=alt.Axis(format="d")),
        y=alt.Y("persons:Q", title=tr("persons", lang), stack=True, axis=alt.Axis(format=",d")),
        color=alt.Color("group:N", title=None, sort=list(names.values()), legend=alt.Legend(columns=2),  # half width
                        scale=alt.Scale(domain=list(names.values()), range=["#009E73", JAPANESE, "#D55E00"])),
        order=alt.Order("key:N", sort="ascending"),
        tooltip=[alt.Tooltip("year:Q", format="d", title=tr("year_cy", lang)), alt.Tooltip("group:N", title=tr("age_group", lang)),
                 alt.Tooltip("persons:Q", format=",.0f", title=tr("persons", lang)),
                 alt.Tooltip("share:Q", format=".1f", title=tr("share", lang))])
    return style(chart.properties(height=380, title=title), lang)


def pyramid(frame: pd.DataFrame, year: int, base_year: int, lang: str, title: str) -> alt.LayerChart:
    """Population pyramid of `year` (bars) with `base_year` as an outline; males left, females right.

    frame: year, sex ('male'/'female'), age_group (projection.AGES order), persons (projection.long_frame).
    """
    from projection import AGES

    male, female = tr("male", lang), tr("female", lang)
    base = alt.Chart(frame).transform_calculate(
        signed="datum.sex == 'female' ? datum.persons : -datum.persons",
        sex_label=f"datum.sex == 'female' ? {json.dumps(female)} : {json.dumps(male)}")
    y = alt.Y("age_group:N", sort=list(reversed(AGES)), title=tr("age_group", lang))
    x = alt.X("signed:Q", title=tr("persons", lang), axis=alt.Axis(labelExpr="format(abs(datum.value), ',d')"))
    bars = base.transform_filter(f"datum.year == {int(year)}").mark_bar(opacity=0.85).encode(
        x=x, y=y, color=alt.Color("sex_label:N", title=None, scale=alt.Scale(domain=[male, female], range=[JAPANESE, FOREIGN])),
        tooltip=[alt.Tooltip("age_group:N", title=tr("age_group", lang)), alt.Tooltip("sex_label:N", title=None),
                 alt.Tooltip("persons:Q", format=",.0f", title=f"{year}")])
    outline = base.transform_filter(f"datum.year == {int(base_year)}").mark_bar(
        fill=None, stroke="#222", strokeWidth=1.2).encode(
        x=x, y=y, tooltip=[alt.Tooltip("age_group:N", title=tr("age_group", lang)),
                           alt.Tooltip("persons:Q", format=",.0f", title=f"{base_year}")])
    return style((bars + outline).properties(height=460, title=title), lang)


def diff_bars(summary: pd.DataFrame, lang: str, title: str) -> alt.LayerChart:
    """Scenario minus baseline total population by year (persons; summary_frame column diff_total). A difference
    under 0.5 persons is rounding noise: drawn and written as 0, with no sign (formats.axis_label_expr)."""
    chart = alt.Chart(summary).transform_calculate(
        shown="abs(datum.diff_total) < 0.5 ? 0 : round(datum.diff_total)",
        label="abs(datum.diff_total) < 0.5 ? '0' : format(datum.diff_total, '+,.0f')").mark_bar(size=28).encode(
        x=alt.X("year:O", title=tr("year_cy", lang)),
        y=alt.Y("shown:Q", title=tr("persons", lang), axis=alt.Axis(labelExpr=formats.axis_label_expr("+,d"), tickMinStep=1)),
        color=alt.ColorValue("#D55E00", condition={"test": "datum.shown >= 0", "value": JAPANESE}),
        tooltip=[alt.Tooltip("year:O", title=tr("year_cy", lang)),
                 alt.Tooltip("label:N", title=tr("diff_baseline", lang))])
    text = chart.mark_text(dy=-8, fontSize=13).encode(text=alt.Text("label:N"), color=alt.ColorValue("#333"))
    return style((chart + text).properties(height=320, title=title), lang)
