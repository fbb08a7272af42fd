"""Charts of the strategy KPI tracker: grades per basic goal, progress per KPI, a KPI's actuals against its path."""
from __future__ import annotations

import altair as alt
import pandas as pd

from charts import ACCENT, GREY, JAPANESE, style, tr

#: Grade colours (Okabe–Ito): ○ blue, △ orange, × grey, not graded light grey.
GRADE_COLOURS = {"good": JAPANESE, "short": "#E69F00", "other": GREY, "ungraded": "#DDDDDD"}
GRADE_SYMBOL = {"○": "good", "△": "short", "×": "other"}
#: The second basis of a KPI's actuals (e.g. the register after the census): Okabe–Ito bluish green.
BASIS_COLOUR = "#009E73"


def grade_labels(rule: str, lang: str) -> dict[str, str]:
    """Legend text of each grade code under `rule` ('kama_ratio' speaks of achievement, 'trajectory' of pace)."""
    suffix = "_t" if rule == "trajectory" else ""
    return {"good": tr(f"kpi_grade_good{suffix}", lang), "short": tr(f"kpi_grade_short{suffix}", lang),
            "other": tr(f"kpi_grade_other{suffix}", lang), "ungraded": tr("kpi_grade_none", lang)}


def grade_counts(frame: pd.DataFrame, rule: str, lang: str) -> alt.Chart:
    """Horizontal stacked bars: how many KPIs of each basic goal got ○, △, × (or none).

    frame: goal (label, one row per goal in display order), good, short, other, ungraded (counts of KPIs).
    """
    labels = grade_labels(rule, lang)
    order = list(GRADE_COLOURS)
    long = frame.melt(id_vars=["goal"], value_vars=order, var_name="code", value_name="count")
    long = long[long["count"] > 0].assign(grade=lambda d: d["code"].map(labels),
                                          rank=lambda d: d["code"].map(order.index))
    goals = frame["goal"].tolist()
    bars = alt.Chart(long).mark_bar(stroke="white", strokeWidth=1).encode(
        y=alt.Y("goal:N", sort=goals, title=None, axis=alt.Axis(labelLimit=360, labelFontSize=14)),
        x=alt.X("count:Q", stack="zero", title=tr("kpi_count", lang), axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.Color("grade:N", title=None, sort=[labels[c] for c in order],
                        scale=alt.Scale(domain=[labels[c] for c in order], range=list(GRADE_COLOURS.values()))),
        order=alt.Order("rank:Q"),
        tooltip=[alt.Tooltip("goal:N", title=tr("kpi_col_goal", lang)), alt.Tooltip("grade:N", title=tr("kpi_col_grade", lang)),
                 alt.Tooltip("count:Q", title=tr("kpi_count", lang))],
    )
    # the count written inside the right end of each segment
    text = alt.Chart(long).mark_text(align="right", dx=-6, color="white", fontSize=15, fontWeight="bold").encode(
        y=alt.Y("goal:N", sort=goals), x=alt.X("count:Q", stack="zero"), order=alt.Order("rank:Q"),
        detail=alt.Detail("grade:N"), text=alt.Text("count:Q"))
    chart = alt.layer(bars, text).properties(height=130 + 56 * len(goals), title=tr("kpi_chart_grades", lang))
    return style(chart, lang)


def progress_bars(frame: pd.DataFrame, rule: str, lang: str) -> alt.Chart:
    """One bar per KPI: the rule's measure (actual/target or share of the path), clipped to 0–150 %, coloured by
    grade, with reference lines at 80 % (the ○ threshold) and 100 % (on target).

    frame: label (indicator, unique), progress (the rule's measure, 1.0 = on target, not capped; may be missing for
    ungraded KPIs), grade ('○','△','×' or other text), reason (text for the tooltip), in display order. Bars stop
    at 150 %; the tooltip gives the measure itself (e.g. 1150 %), as the table and the reason do.
    """
    labels = grade_labels(rule, lang)
    f = frame.assign(code=frame["grade"].map(GRADE_SYMBOL).fillna("ungraded"),
                     pct=frame["progress"].fillna(0.0) * 100)
    f["bar"] = f["pct"].clip(upper=150)
    f["grade_label"] = f["code"].map(labels)
    order = list(GRADE_COLOURS)
    base = alt.Chart(f).encode(y=alt.Y("label:N", sort=frame["label"].tolist(), title=None,
                                       axis=alt.Axis(labelLimit=420, labelFontSize=13)))
    bars = base.mark_bar(height={"band": 0.7}).encode(
        x=alt.X("bar:Q", title=tr("kpi_col_progress", lang) + " (%)", scale=alt.Scale(domain=[0, 150], clamp=True, nice=False)),
        color=alt.Color("grade_label:N", title=None, sort=[labels[c] for c in order],
                        scale=alt.Scale(domain=[labels[c] for c in order], range=list(GRADE_COLOURS.values()))),
        tooltip=[alt.Tooltip("label:N", title=tr("kpi_col_kpi", lang)),
                 alt.Tooltip("grade_label:N", title=tr("kpi_col_grade", lang)),
                 alt.Tooltip("pct:Q", title=tr("kpi_col_progress", lang) + " (%)", format=".0f"),
                 alt.Tooltip("reason:N", title=tr("kpi_col_reason", lang))],
    )
    # 80 % (the ○ threshold) dashed, 100 % (on target) solid
    threshold = alt.Chart(pd.DataFrame({"x": [80]})).mark_rule(color=ACCENT, strokeWidth=2, strokeDash=[6, 4]).encode(
        x=alt.X("x:Q"))
    target = alt.Chart(pd.DataFrame({"x": [100]})).mark_rule(color=ACCENT, strokeWidth=2).encode(x=alt.X("x:Q"))
    # KPIs without a bar (no actual, text actuals, no progress or worse than the baseline) say why instead
    why = base.transform_filter("!isValid(datum.progress) || datum.progress <= 0").mark_text(
        align="left", dx=4, color="#666666", fontSize=12).encode(x=alt.XValue(0), text=alt.Text("reason:N"))
    chart = alt.layer(bars, threshold, target, why).properties(height=max(240, 120 + 30 * len(f)), title=tr("kpi_chart_progress", lang))
    return style(chart, lang)


def detail(actual: pd.DataFrame, path: pd.DataFrame, projection: pd.DataFrame, title: str, lang: str) -> alt.Chart:
    """A KPI over time: actuals (points and line), the path from the baseline through interim targets to the target
    (dashed) and printed projections (grey).

    actual: date (end of period), value, origin, optional basis ('census' / 'juki'); path: date, value;
    projection: date, value. Values in the KPI's unit (named in `title`). When the actuals count on two bases
    (a census series continued by the register), each basis is its own line — never joined, so the difference
    between the two counts is not drawn as a change — and a labelled rule marks where the basis changes.
    """
    names = {"actual": tr("kpi_s_actual", lang), "path": tr("kpi_s_path", lang), "projection": tr("kpi_s_projection", lang)}
    bases = []
    if actual is not None and "basis" in actual.columns:
        bases = list(dict.fromkeys(b for b in actual.sort_values("date")["basis"] if isinstance(b, str)))
    split = len(bases) > 1
    actual_names = {b: f"{names['actual']}（{tr('kpi_basis_' + b, lang)}）" if lang == "ja"
                    else f"{names['actual']} ({tr('kpi_basis_' + b, lang)})" for b in bases} if split else {}
    parts = []
    for key, f in (("path", path), ("projection", projection), ("actual", actual)):
        if f is None or f.empty:
            continue
        series = [names[key]] * len(f)
        if key == "actual" and split:
            series = [actual_names.get(b, names["actual"]) for b in f["basis"]]
        parts.append(pd.DataFrame({"date": pd.to_datetime(f["date"]).dt.strftime("%Y-%m-%d"),
                                   "value": f["value"].astype(float).tolist(), "series": series}))
    data = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["date", "value", "series"])
    firsts = [actual_names[b] for b in bases] if split else [names["actual"]]
    domain = firsts + [names["path"], names["projection"]]
    colours = ([JAPANESE, BASIS_COLOUR] if split else [JAPANESE]) + [ACCENT, GREY]
    dashes = [[1, 0]] * len(firsts) + [[6, 4], [2, 3]]
    lines = alt.Chart(data).mark_line(point=alt.OverlayMarkDef(size=70, filled=True), strokeWidth=3).encode(
        x=alt.X("date:T", title=tr("kpi_date_axis", lang),
                axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1}, labelOverlap=True)),
        y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False), axis=alt.Axis(format=",~f")),
        color=alt.Color("series:N", title=None, sort=domain, scale=alt.Scale(domain=domain, range=colours)),
        strokeDash=alt.StrokeDash("series:N", sort=domain, scale=alt.Scale(domain=domain, range=dashes), legend=None),
        tooltip=[alt.Tooltip("series:N", title=tr("series", lang)), alt.Tooltip("date:T", title=tr("kpi_date_axis", lang), format="%Y-%m-%d"),
                 alt.Tooltip("value:Q", title=tr("kpi_value_axis", lang), format=",~f")],
    )
    layers = [lines]
    if split:
        ordered = actual.sort_values("date")
        change = ordered.loc[ordered["basis"] == bases[1], "date"].iloc[0]
        label = tr("kpi_basis_change", lang).format(before=tr("kpi_basis_" + bases[0], lang), after=tr("kpi_basis_" + bases[1], lang))
        mark = pd.DataFrame({"date": [pd.Timestamp(change).strftime("%Y-%m-%d")], "label": [label]})
        layers.append(alt.Chart(mark).mark_rule(color=GREY, strokeDash=[3, 3], strokeWidth=2).encode(x=alt.X("date:T")))
        layers.append(alt.Chart(mark).mark_text(align="left", baseline="top", dx=4, dy=4, color="#444444", fontSize=12)
                      .encode(x=alt.X("date:T"), y=alt.YValue(0), text=alt.Text("label:N")))
    chart = alt.layer(*layers).properties(height=360, title=title)
    return style(chart, lang)
