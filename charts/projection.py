"""Charts of the projection page (将来人口推計・シミュレーション)."""
from __future__ import annotations

import altair as alt
import pandas as pd

from charts import ACCENT, FOREIGN, GREY, JAPANESE, style, tr

SERIES_COLOURS = {"actual": "#000000", "app_baseline": GREY, "app_scenario": ACCENT, "ipss": JAPANESE,
                  "city_baseline": "#009E73", "city_improved": "#56B4E9"}


def totals_chart(lines: pd.DataFrame, band: pd.DataFrame, lang: str, title: str) -> alt.LayerChart:
    """Total population over years: one line per series and the migration-uncertainty band of the scenario.

    lines: year, persons, series (keys of SERIES_COLOURS), label; band: year, low, high. Unit: persons.
    """
    keys = [k for k in SERIES_COLOURS if k in set(lines["series"])]
    labels = [lines.loc[lines["series"] == k, "label"].iat[0] for k in keys]
    colour = alt.Color("label:N", title=None, sort=labels,
                       scale=alt.Scale(domain=labels, range=[SERIES_COLOURS[k] for k in keys]))
    x = alt.X("year:Q", title=tr("year_cy", lang), axis=alt.Axis(format="d"))
    area = alt.Chart(band.assign(label=tr("band", lang))).mark_area(opacity=0.18, color=ACCENT).encode(
        x=x, y=alt.Y("low:Q", title=tr("persons", lang), scale=alt.Scale(zero=False), axis=alt.Axis(format=",d")),
        y2="high:Q", tooltip=[alt.Tooltip("year:Q", format="d", title=tr("year_cy", lang)),
                              alt.Tooltip("low:Q", format=",.0f", title=tr("band_low", lang)),
                              alt.Tooltip("high:Q", format=",.0f", title=tr("band_high", lang))])
    line = alt.Chart(lines).mark_line(point=True, strokeWidth=3).encode(
        x=x, y=alt.Y("persons:Q"), color=colour,
        strokeDash=alt.condition(alt.datum.series == "app_scenario", alt.value([1, 0]), alt.value([6, 3])),
        tooltip=[alt.Tooltip("label:N", title=tr("series", lang)), alt.Tooltip("year:Q", format="d", title=tr("year_cy", lang)),
                 alt.Tooltip("persons:Q", format=",.0f", title=tr("persons", lang))])
    return style((area + line).properties(height=460, title=title), lang)


def age3_chart(summary: pd.DataFrame, lang: str, title: str) -> alt.Chart:
    """Stacked areas of 0–14, 15–64, 65+ persons of the scenario, shares in the tooltip."""
    names = {"pop_0_14": tr("age_0_14", lang), "pop_15_64": tr("age_15_64", lang), "pop_65p": tr("age_65p", lang)}
    shares = {"pop_0_14": "share_0_14", "pop_15_64": "share_15_64", "pop_65p": "share_65p"}
    long = pd.concat([summary.assign(group=names[k], persons=summary[k], share=100 * summary[shares[k]])
                      [["year", "group", "persons", "share"]] for k in names])
    chart = alt.Chart(long).mark_area(opacity=0.85).encode(
        x=alt.X("year:Q", title=tr("year_cy", lang), axis=alt.Axis(format="d")),
        y=alt.Y("persons:Q", title=tr("persons", lang), stack=True, axis=alt.Axis(format=",d")),
        color=alt.Color("group:N", title=None, sort=list(names.values()),
                        scale=alt.Scale(domain=list(names.values()), range=["#009E73", JAPANESE, "#D55E00"])),
        order=alt.Order("group:N", sort="descending"),
        tooltip=[alt.Tooltip("year:Q", format="d", title=tr("year_cy", lang)), alt.Tooltip("group:N", title=tr("age_group", lang)),
                 alt.Tooltip("persons:Q", format=",.0f", title=tr("persons", lang)),
                 alt.Tooltip("share:Q", format=".1f", title=tr("share", lang))])
    return style(chart.properties(height=380, title=title), lang)


def pyramid(frame: pd.DataFrame, year: int, base_year: int, lang: str, title: str) -> alt.LayerChart:
    """Population pyramid of `year` (bars) with the base year as an outline; males left, females right.

    frame: year, sex ('male'/'female'), age_group, persons (projection.long_frame).
    """
    ages = list(dict.fromkeys(frame["age_group"]))
    f = frame[frame["year"].isin([year, base_year])].copy()
    f["signed"] = f["persons"].where(f["sex"] == "female", -f["persons"])
    f["sex_label"] = f["sex"].map({"male": tr("male", lang), "female": tr("female", lang)})
    y = alt.Y("age_group:N", sort=list(reversed(ages)), title=tr("age_group", lang))
    cur = f[f["year"] == year]
    bars = alt.Chart(cur).mark_bar(opacity=0.85).encode(
        x=alt.X("signed:Q", title=tr("persons", lang), axis=alt.Axis(labelExpr="format(abs(datum.value), ',d')")),
        y=y, color=alt.Color("sex_label:N", title=None, scale=alt.Scale(domain=[tr("male", lang), tr("female", lang)],
                                                                        range=[JAPANESE, FOREIGN])),
        tooltip=[alt.Tooltip("age_group:N", title=tr("age_group", lang)), alt.Tooltip("sex_label:N", title=None),
                 alt.Tooltip("persons:Q", format=",.0f", title=f"{year}")])
    base = alt.Chart(f[f["year"] == base_year].assign(label=f"{base_year}")).mark_bar(
        fill=None, stroke="#222", strokeWidth=1.2).encode(
        x="signed:Q", y=y, tooltip=[alt.Tooltip("age_group:N", title=tr("age_group", lang)),
                                    alt.Tooltip("persons:Q", format=",.0f", title=f"{base_year}")])
    return style((bars + base).properties(height=460, title=title), lang)


def diff_bars(summary: pd.DataFrame, lang: str, title: str) -> alt.Chart:
    """Scenario minus baseline total population by year (persons)."""
    f = summary[["year", "diff_total"]]
    chart = alt.Chart(f).mark_bar(size=28).encode(
        x=alt.X("year:O", title=tr("year_cy", lang)),
        y=alt.Y("diff_total:Q", title=tr("persons", lang), axis=alt.Axis(format="+,d")),
        color=alt.condition(alt.datum.diff_total >= 0, alt.value(JAPANESE), alt.value("#D55E00")),
        tooltip=[alt.Tooltip("year:O", title=tr("year_cy", lang)),
                 alt.Tooltip("diff_total:Q", format="+,.0f", title=tr("diff_baseline", lang))])
    text = chart.mark_text(dy=-8, fontSize=13).encode(text=alt.Text("diff_total:Q", format="+,.0f"), color=alt.value("#333"))
    return style((chart + text).properties(height=320, title=title), lang)
