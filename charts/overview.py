"""Charts of the overview page."""
from __future__ import annotations

import json

import altair as alt
import pandas as pd

from charts import ACCENT, AGE_COLOURS, FOREIGN, GREY, JAPANESE, style, tr


_MONTHS_EN = json.dumps(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"])


def month_label_expr(lang: str) -> str:
    """A Vega labelExpr writing an ISO date value ('1995-03-31') as 1995年3月 (ja) / Mar 1995 (en)."""
    month = "toNumber(slice(datum.value, 5, 7))"
    if lang == "ja":
        return f"slice(datum.value, 0, 4) + '年' + {month} + '月'"
    return f"{_MONTHS_EN}[{month} - 1] + ' ' + slice(datum.value, 0, 4)"


def population_trend(frame: pd.DataFrame, lang: str, marks: pd.DataFrame | None = None) -> alt.Chart:
    """Stacked bars of Japanese and foreign residents on each reference date.

    frame: queries.population_trend output (ref_date, nationality, persons). Dates where only the total is
    published are not drawn as a split. marks: code changes (queries.succession.date_marks: ref_date, label,
    status), drawn as a dashed rule at the first date under the new code. Unit: persons.
    """
    f = frame[frame["nationality"].isin(["japanese", "foreign"])].copy()
    f["date"] = pd.to_datetime(f["ref_date"]).dt.strftime("%Y-%m-%d")
    f["label"] = f["nationality"].map({"japanese": tr("nat_japanese", lang), "foreign": tr("nat_foreign", lang)})
    order = [tr("nat_japanese", lang), tr("nat_foreign", lang)]
    chart = alt.Chart(f).mark_bar().encode(
        x=alt.X("date:O", title=tr("ref_date", lang), axis=alt.Axis(labelAngle=-60, labelExpr=month_label_expr(lang))),
        y=alt.Y("sum(persons):Q", title=tr("persons", lang), axis=alt.Axis(format=",d")),
        color=alt.Color("label:N", title=tr("nationality", lang), sort=order,
                        scale=alt.Scale(domain=order, range=[JAPANESE, FOREIGN])),
        order=alt.Order("nationality:N", sort="descending"),
        tooltip=[alt.Tooltip("date:O", title=tr("ref_date", lang)), alt.Tooltip("label:N", title=tr("nationality", lang)),
                 alt.Tooltip("persons:Q", title=tr("persons", lang), format=",d")],
    )
    if marks is not None and not marks.empty:
        order = sorted(f["date"].unique())
        m = marks.assign(date=pd.to_datetime(marks["ref_date"]).dt.strftime("%Y-%m-%d"))
        m = m[m["date"].isin(order)].rename(columns={"label": "text"})
        if not m.empty:
            colour = alt.ColorValue(GREY, condition={"test": "datum.status === 'break'", "value": ACCENT})
            rule = alt.Chart(m).mark_rule(strokeDash=[5, 4], strokeWidth=1.5).encode(
                x=alt.X("date:O"), color=colour, tooltip=[alt.Tooltip("text:N", title=tr("code_change", lang))])
            # the label on the side of the rule with room: right of a change in the first half, left after it
            m = m.assign(right=m["date"].map(lambda d: order.index(d) > len(order) / 2),
                         line=m["text"].str.replace("（", "\n（", regex=False))  # two lines: it fits a half-width chart
            text = [alt.Chart(m[m["right"] == right]).mark_text(
                align="right" if right else "left", baseline="top", dx=-4 if right else 4, dy=4, fontSize=12,
                lineBreak="\n").encode(x=alt.X("date:O"), y=alt.YValue(0), text=alt.Text("line:N"), color=colour)
                for right in (False, True) if (m["right"] == right).any()]
            chart = alt.layer(chart, rule, *text)
    return style(chart.properties(height=420, title=tr("chart_population", lang)), lang)


def age3_trend(frame: pd.DataFrame, lang: str) -> alt.Chart:
    """Lines of the share of each age group (0–14, 15–64, 65+) over reference dates.

    frame: queries.age3_trend output. Uses all-resident rows where published, Japanese-only rows for the
    years before foreign residents were registered (dashed). Unit: percent of persons with a known age.
    """
    f = frame[frame["nationality"].isin(["total", "japanese"])].copy()
    if f.empty:
        return style(alt.Chart(pd.DataFrame()).mark_point(), lang)
    f["date"] = pd.to_datetime(f["ref_date"])
    f["pct"] = f["share"] * 100
    names = {"0-14": tr("age_0_14", lang), "15-64": tr("age_15_64", lang), "65+": tr("age_65p", lang)}
    f["group"] = f["age3"].map(names)
    f["scope"] = f["nationality"].map({"total": tr("scope_all", lang), "japanese": tr("scope_japanese_only", lang)})
    base = alt.Chart(f).encode(
        x=alt.X("date:T", title=tr("ref_date", lang), axis=alt.Axis(format="%Y")),
        y=alt.Y("pct:Q", title=tr("share", lang)),
        # two legends, one above and one below the plot, each wrapped in columns: side by side at the top they ran
        # past the chart's edge at 1366 px (the age groups' labels are long)
        color=alt.Color("group:N", title=tr("age_group", lang), sort=list(names.values()),
                        legend=alt.Legend(orient="top", columns=2),
                        scale=alt.Scale(domain=list(names.values()), range=AGE_COLOURS)),
        strokeDash=alt.StrokeDash("scope:N", title=tr("scope", lang), legend=alt.Legend(orient="bottom", columns=2)),
        detail=alt.Detail("scope:N"),
        tooltip=[alt.Tooltip("date:T", title=tr("ref_date", lang), format="%Y-%m-%d"),
                 alt.Tooltip("group:N", title=tr("age_group", lang)), alt.Tooltip("scope:N", title=tr("scope", lang)),
                 alt.Tooltip("pct:Q", title=tr("share", lang), format=".1f"),
                 alt.Tooltip("persons:Q", title=tr("persons", lang), format=",d")],
    )
    chart = (base.mark_line(strokeWidth=3) + base.mark_point(filled=True, size=50)).properties(
        height=470, title=tr("chart_age3", lang))  # the two wrapped legends take ~110 px of it
    return style(chart, lang)


#: IPSS vintages the target chart can show (projections.source) and their line colours (Okabe–Ito).
IPSS_SERIES = ("ipss_2023", "ipss_2018")
IPSS_COLOURS = ("#CC79A7", "#56B4E9")


def target_progress(actual: pd.DataFrame, projections: pd.DataFrame, target: dict, lang: str) -> alt.Chart:
    """Actual population, published projections and the target as a point on one time axis.

    actual: ref_date, persons (all residents); projections: source, scenario, year, persons (total, as published,
    dated 1 January of `year`; IPSS rows, source 'ipss_2023' / 'ipss_2018', are labelled with their vintage, the
    others as the city's baseline / improved scenario); target: dict(target_value, target_period as ISO date).
    Unit: persons.
    """
    a = actual.assign(date=pd.to_datetime(actual["ref_date"]), series=tr("actual", lang))[["date", "persons", "series"]]
    city = projections["scenario"].map({"baseline": tr("proj_baseline", lang), "improved": tr("proj_improved", lang)})
    ipss = projections["source"].map({s: tr("s_" + s, lang) for s in IPSS_SERIES})
    p = projections.assign(date=pd.to_datetime(projections["year"].astype(str) + "-01-01"), series=ipss.fillna(city))
    lines = pd.concat([a, p[["date", "persons", "series"]]], ignore_index=True)
    colours = dict(zip([tr("actual", lang), tr("proj_baseline", lang), tr("proj_improved", lang),
                        *[tr("s_" + s, lang) for s in IPSS_SERIES]], [JAPANESE, GREY, "#009E73", *IPSS_COLOURS]))
    shown = set(lines["series"])
    order = [k for k in colours if k in shown]
    lines_chart = alt.Chart(lines).mark_line(point=True, strokeWidth=3).encode(
        x=alt.X("date:T", title=tr("ref_date", lang), axis=alt.Axis(format="%Y")),
        y=alt.Y("persons:Q", title=tr("persons", lang), scale=alt.Scale(zero=False), axis=alt.Axis(format=",d")),
        color=alt.Color("series:N", title=tr("series", lang), sort=order,
                        scale=alt.Scale(domain=order, range=[colours[k] for k in order])),
        strokeDash=alt.StrokeDashValue([6, 4], condition={"test": alt.datum.series == tr("actual", lang),
                                                          "value": [1, 0]}),
        tooltip=[alt.Tooltip("date:T", title=tr("ref_date", lang), format="%Y-%m-%d"), alt.Tooltip("series:N", title=tr("series", lang)),
                 alt.Tooltip("persons:Q", title=tr("persons", lang), format=",d")],
    )
    t = pd.DataFrame([{"date": pd.to_datetime(target["target_period"]), "persons": target["target_value"],
                       "label": f"{tr('target', lang)} {int(target['target_value']):,}"}])
    point = alt.Chart(t).mark_point(shape="diamond", size=300, filled=True, color=ACCENT).encode(
        x=alt.X("date:T"), y=alt.Y("persons:Q"), tooltip=[alt.Tooltip("label:N", title=tr("target", lang)),
                                            alt.Tooltip("date:T", format="%Y-%m-%d", title=tr("ref_date", lang))])
    text = alt.Chart(t).mark_text(dy=-18, fontSize=14, fontWeight="bold", color=ACCENT).encode(
        x=alt.X("date:T"), y=alt.Y("persons:Q"), text=alt.Text("label:N"))
    return style((lines_chart + point + text).properties(height=420, title=tr("chart_target", lang)), lang)
