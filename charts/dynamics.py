"""Charts of the natural-change (自然動態) and social-change (社会動態) pages.

Every builder takes tidy frames from queries.dynamics and the UI language. Period axes are ordinal labels
('2012年度', '2013年') sorted by period end; lines use `detail=period_kind`, so a fiscal-year series and a
calendar-year series are never joined into one line.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from charts import ACCENT, FOREIGN, GREY, JAPANESE, style, tr
import formats

POS, NEG, NET = "#0072B2", "#D55E00", "#222222"


def _periods(frame: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, list[str]]:
    f = frame.sort_values("period_end").copy()
    f["label"] = f["period"].map(lambda p: formats.period(p, lang))
    f["kind_label"] = f["period_kind"].map({"FY": tr("period_fy", lang), "CY": tr("period_cy", lang)})
    return f, list(dict.fromkeys(f["label"]))


def _break_marks(marks: pd.DataFrame | None, order: list[str], lang: str, field: str = "label") -> alt.LayerChart | None:
    """A dashed rule with its text at each municipal code change inside a period axis (or None when there is none).

    marks: queries.succession.marks output (period, label, status); order: the axis' labels. A change across which
    the series is joined is drawn grey, a break (predecessors unknown or missing) in the outflow colour."""
    if marks is None or marks.empty:
        return None
    m = marks.assign(axis=marks["period"].map(lambda p: formats.period(p, lang)))
    m = m[m["axis"].isin(order)].rename(columns={"label": "text"}).rename(columns={"axis": field})
    if m.empty:
        return None
    colour = alt.ColorValue(GREY, condition={"test": "datum.status === 'break'", "value": NEG})
    rule = alt.Chart(m).mark_rule(strokeDash=[5, 4], strokeWidth=1.5).encode(
        x=alt.X(f"{field}:O", sort=order), color=colour, tooltip=[alt.Tooltip("text:N", title=tr("code_change", lang))])
    text = alt.Chart(m).mark_text(align="left", baseline="top", dx=4, dy=4, fontSize=12, angle=0).encode(
        x=alt.X(f"{field}:O", sort=order), y=alt.YValue(0), text=alt.Text("text:N"), color=colour)
    return rule + text


def flow_bars(frame: pd.DataFrame, pos: str, neg: str, net: str, names: dict[str, str], lang: str,
              title: str, marks: pd.DataFrame | None = None) -> alt.LayerChart:
    """Bars of an inflow (up) and an outflow (down) per period with their balance as a line.

    frame: queries.dynamics.select_series output; pos/neg/net: column names (e.g. births, deaths,
    natural_change); names: legend labels for pos/neg/net; marks: code changes to mark (queries.succession.marks).
    Japanese-only periods are drawn lighter and named in the tooltip. Unit: persons.
    """
    f, order = _periods(frame, lang)
    f["scope_label"] = f["scope"].map({"all": tr("scope_all", lang), "japanese_only": tr("scope_japanese_only", lang),
                                       "japanese": tr("nat_japanese", lang), "foreign": tr("nat_foreign", lang)})
    bars = pd.concat([f.assign(measure=names[pos], value=f[pos]), f.assign(measure=names[neg], value=-f[neg])])
    x = alt.X("label:O", sort=order, title=tr("period", lang), axis=alt.Axis(labelAngle=-60))
    tooltip = [alt.Tooltip("label:O", title=tr("period", lang)), alt.Tooltip("kind_label:N", title=tr("period_kind", lang)),
               alt.Tooltip("scope_label:N", title=tr("scope", lang))]
    bar = alt.Chart(bars).mark_bar().encode(
        x=x, y=alt.Y("value:Q", title=tr("persons", lang), axis=alt.Axis(format=",d")),
        color=alt.Color("measure:N", title=None, sort=[names[pos], names[neg]],
                        scale=alt.Scale(domain=[names[pos], names[neg], names[net]], range=[POS, NEG, NET])),
        opacity=alt.OpacityValue(0.9, condition={"test": alt.datum.scope == "japanese_only", "value": 0.45}),
        tooltip=tooltip + [alt.Tooltip("measure:N", title=tr("measure", lang)),
                           alt.Tooltip("abs_value:Q", title=tr("persons", lang), format=",d")],
    ).transform_calculate(abs_value="abs(datum.value)")
    line = alt.Chart(f.assign(measure=names[net])).mark_line(point=True, strokeWidth=2.5).encode(
        x=x, y=alt.Y(f"{net}:Q"), detail=alt.Detail("period_kind:N"), color=alt.Color("measure:N"),
        tooltip=tooltip + [alt.Tooltip(f"{net}:Q", title=names[net], format=",d")])
    zero = alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color=GREY).encode(y=alt.Y("y:Q"))
    layers = bar + zero + line
    extra = _break_marks(marks, order, lang)
    return style((layers + extra if extra is not None else layers).properties(height=440, title=title), lang)


def rate_lines(frame: pd.DataFrame, measures: dict[str, str], lang: str, title: str,
               marks: pd.DataFrame | None = None) -> alt.Chart:
    """Lines of rates per 1,000 residents per period (one line per measure and period kind); marks: code
    changes to mark (queries.succession.marks)."""
    f, order = _periods(frame, lang)
    long = f.melt(id_vars=["label", "period_kind", "kind_label"], value_vars=list(measures), var_name="m", value_name="rate")
    long["measure"] = long["m"].map(measures)
    long = long.dropna(subset=["rate"])
    chart = alt.Chart(long).mark_line(point=True, strokeWidth=2.5).encode(
        x=alt.X("label:O", sort=order, title=tr("period", lang), axis=alt.Axis(labelAngle=-60)),
        y=alt.Y("rate:Q", title=tr("per_1000", lang)),
        color=alt.Color("measure:N", title=None, sort=list(measures.values()),
                        scale=alt.Scale(range=[POS, NEG, NET, FOREIGN][: len(measures)])),
        detail=alt.Detail("period_kind:N"),
        tooltip=[alt.Tooltip("label:O", title=tr("period", lang)), alt.Tooltip("measure:N", title=tr("measure", lang)),
                 alt.Tooltip("rate:Q", title=tr("per_1000", lang), format=".2f")])
    extra = _break_marks(marks, order, lang)
    return style((chart + extra if extra is not None else chart).properties(height=400, title=title), lang)


def tfr_lines(frame: pd.DataFrame, lang: str) -> alt.LayerChart:
    """TFR of the area (points where published), its prefecture and Japan, with replacement level 2.07 marked."""
    f = frame.copy()
    f["name"] = f["name_ja"] if lang == "ja" else f["name_en"].fillna(f["name_ja"])
    names = list(dict.fromkeys(f.sort_values("level")["name"]))
    colours = {"area": ACCENT, "prefecture": JAPANESE, "nation": GREY}
    dom = list(dict.fromkeys(f.sort_values("level")["name"]))
    rng = [colours[lv] for lv in dict.fromkeys(f.sort_values("level")["level"])]
    base = alt.Chart(f).encode(
        x=alt.X("year:Q", title=tr("year_cy", lang), axis=alt.Axis(format="d")),
        y=alt.Y("tfr:Q", title=tr("tfr", lang), scale=alt.Scale(zero=False)),
        color=alt.Color("name:N", title=None, sort=names, scale=alt.Scale(domain=dom, range=rng)),
        tooltip=[alt.Tooltip("name:N"), alt.Tooltip("year:Q", format="d", title=tr("year_cy", lang)),
                 alt.Tooltip("tfr:Q", format=".2f", title=tr("tfr", lang))])
    lines = base.transform_filter(alt.datum.level != "area").mark_line(strokeWidth=2.5)
    points = base.mark_point(filled=True, size=90)
    rep = pd.DataFrame({"tfr": [2.07], "text": [tr("replacement_level", lang)]})
    rule = alt.Chart(rep).mark_rule(strokeDash=[6, 4], color=NEG).encode(y=alt.Y("tfr:Q"))
    label = alt.Chart(rep).mark_text(align="left", dx=4, dy=-8, color=NEG, fontSize=13).encode(
        y=alt.Y("tfr:Q"), text=alt.Text("text:N"), x=alt.XValue(0))
    return style((lines + points + rule + label).properties(height=380, title=tr("chart_tfr", lang)), lang)


def ranked_bar(frame: pd.DataFrame, value: str, highlight: str, lang: str, title: str, fmt: str = ".2f") -> alt.LayerChart:
    """Horizontal bars of one rate (per 1,000 population) for several areas, one named bar each, sorted by value
    (highest on top), the selected area in the accent colour and the benchmarks (prefecture, Japan) in grey.

    frame: area_code, name, `value`, period_label, and optionally label (the bar's name: the area, with its period
    when the bars are of several; default name) and benchmark (bool). `title` is the chart's title; the axis is
    titled with the unit only."""
    f = frame.assign(selected=frame["area_code"] == highlight)
    if "label" not in f:
        f["label"] = f["name"]
    if "benchmark" not in f:
        f["benchmark"] = False
    f = f.dropna(subset=[value]).sort_values(value, ascending=False)
    order = f["label"].tolist()  # one dataset, explicit order: every bar keeps its name
    values = f[value]
    lo, hi = min(0.0, values.min()) if len(values) else 0.0, max(0.0, values.max()) if len(values) else 0.0
    pad = 0.18 * ((hi - lo) or 1.0)  # room beyond the longest bars for their value labels
    domain = [float(lo - pad if lo < 0 else lo), float(hi + pad if hi > 0 else hi)]
    unit = tr("axis_per_1000", lang)
    colour = alt.ColorValue(JAPANESE, condition=[{"test": "datum.selected", "value": ACCENT},
                                                 {"test": "datum.benchmark", "value": GREY}])
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=320, labelOverlap=False))
    x = alt.X(f"{value}:Q", title=unit, scale=alt.Scale(domain=domain, nice=True),
              axis=alt.Axis(format=",.0f", tickMinStep=1))
    base = alt.Chart(f)
    chart = base.mark_bar().encode(
        y=y, x=x, color=colour,
        tooltip=[alt.Tooltip("name:N"), alt.Tooltip("period_label:N", title=tr("period", lang)),
                 alt.Tooltip(f"{value}:Q", format=fmt, title=unit)])
    pos = base.transform_filter(f"datum.{value} >= 0").mark_text(align="left", dx=4, fontSize=13).encode(
        y=y, x=x, text=alt.Text(f"{value}:Q", format=fmt), color=alt.ColorValue("#333"))
    neg = base.transform_filter(f"datum.{value} < 0").mark_text(align="right", dx=-4, fontSize=13).encode(
        y=y, x=x, text=alt.Text(f"{value}:Q", format=fmt), color=alt.ColorValue("#333"))
    zero = base.transform_filter("datum.selected").mark_rule(color="#222").encode(x=alt.XDatum(0))
    return style((chart + pos + neg + zero).properties(height=max(200, 36 * len(f) + 70), title=title), lang)


def small_multiples(frame: pd.DataFrame, value: str, highlight: str, lang: str, title: str) -> alt.FacetChart:
    """One small line chart per area of an indicator over calendar years, the selected area in the accent colour
    and the benchmarks (frame.benchmark, optional: prefecture, Japan) in grey, as in ranked_bar."""
    f = frame.assign(selected=frame["area_code"] == highlight)
    if "benchmark" not in f:
        f["benchmark"] = False
    chart = alt.Chart(f).mark_line(point=True, strokeWidth=2.5).encode(
        x=alt.X("year:O", title=None),
        y=alt.Y(f"{value}:Q", title=None),  # the chart title names the measure
        color=alt.ColorValue(JAPANESE, condition=[{"test": "datum.selected", "value": ACCENT},
                                                  {"test": "datum.benchmark", "value": GREY}]),
        tooltip=[alt.Tooltip("name:N"), alt.Tooltip("year:O", title=tr("year_cy", lang)),
                 alt.Tooltip(f"{value}:Q", format=".2f", title=title)],
    ).properties(width=180, height=130).facet(facet=alt.Facet("name:N", title=None), columns=4)
    return style(chart.properties(title=title), lang)


def waterfall(frame: pd.DataFrame, lang: str, title: str) -> alt.LayerChart:
    """Waterfall of one period's population change, on a zero baseline: natural change, net migration, other
    entries/removals and the residual step from 0, the last bar is the period's total change (end − start).

    The start and end populations are written in the subtitle, not drawn as bars: a level bar of ~300,000 next to
    changes of ~1,000 forces a cut axis on which a small loss looks like a collapse.
    frame: queries.dynamics.waterfall output (step, value). Unit: persons.
    """
    values = dict(zip(frame["step"], frame["value"]))
    steps = ["natural", "social", "other", "residual"]
    labels = {s: tr(f"wf_{s}", lang) for s in steps} | {"total": tr("wf_total", lang)}
    rows, running = [], 0.0
    for step in steps:
        v = float(values[step])
        rows.append(dict(step=step, value=v, y0=running, y1=running + v, kind="up" if v >= 0 else "down"))
        running += v
    total = float(values["end"] - values["start"])
    rows.append(dict(step="total", value=total, y0=0.0, y1=total, kind="total"))
    f = pd.DataFrame(rows)
    f["label"] = f["step"].map(labels)
    f["text"] = f["value"].map(lambda v: formats.number(v, lang, signed=True))
    order = list(labels.values())
    subtitle = tr("wf_subtitle", lang, start=formats.number(values["start"], lang),
                  end=formats.number(values["end"], lang), change=formats.number(total, lang, signed=True))
    x = alt.X("label:N", sort=order, title=None, axis=alt.Axis(labelAngle=0, labelFontSize=14))
    bars = alt.Chart(f).mark_bar(size=56).encode(
        x=x, y=alt.Y("y0:Q", title=tr("wf_axis", lang), scale=alt.Scale(zero=True, nice=True),
                     axis=alt.Axis(format=",d")),
        y2=alt.Y2("y1:Q"),
        color=alt.Color("kind:N", legend=None, scale=alt.Scale(domain=["up", "down", "total"], range=[POS, NEG, NET])),
        tooltip=[alt.Tooltip("label:N", title=tr("measure", lang)), alt.Tooltip("text:N", title=tr("wf_axis", lang))])
    # the label above a bar going up, below one going down
    up = alt.Chart(f).transform_filter("datum.value >= 0").mark_text(dy=-10, fontSize=14, fontWeight="bold").encode(
        x=x, y=alt.Y("top:Q"), text=alt.Text("text:N")).transform_calculate(top="max(datum.y0, datum.y1)")
    down = alt.Chart(f).transform_filter("datum.value < 0").mark_text(dy=12, fontSize=14, fontWeight="bold").encode(
        x=x, y=alt.Y("bottom:Q"), text=alt.Text("text:N")).transform_calculate(bottom="min(datum.y0, datum.y1)")
    zero = alt.Chart(f).transform_filter("datum.step == 'total'").mark_rule(color="#222", strokeWidth=1.5).encode(
        y=alt.YDatum(0))
    chart = (bars + zero + up + down).properties(height=400, title=alt.TitleParams(title, subtitle=[subtitle]))
    return style(chart, lang)


def flows_net_bar(frame: pd.DataFrame, lang: str, title: str) -> alt.Chart:
    """Diverging bars of net movers (in − out) by partner (prefectures/groups), as published."""
    f = frame.copy()
    f["name"] = f["partner_ja"] if lang == "ja" else f["partner_en"]
    chart = alt.Chart(f).mark_bar().encode(
        y=alt.Y("name:N", sort="-x", title=None),
        x=alt.X("net:Q", title=tr("net_movers", lang), axis=alt.Axis(format=",d")),
        color=alt.ColorValue(NEG, condition={"test": alt.datum.net >= 0, "value": POS}),
        tooltip=[alt.Tooltip("name:N"), alt.Tooltip("in_movers:Q", format=",d", title=tr("m_in_total", lang)),
                 alt.Tooltip("out_movers:Q", format=",d", title=tr("m_out_total", lang)),
                 alt.Tooltip("net:Q", format=",d", title=tr("net_movers", lang))])
    return style(chart.properties(height=max(240, 30 * len(f)), title=title), lang)


def split_bars(frame: pd.DataFrame, lang: str, title: str) -> alt.Chart:
    """In-migrants (up) and out-migrants (down) split into domestic and international moves per period."""
    f, order = _periods(frame.dropna(subset=["in_domestic", "in_abroad", "out_domestic", "out_abroad"]), lang)
    parts = {"in_domestic": 1, "in_abroad": 1, "out_domestic": -1, "out_abroad": -1}
    long = pd.concat([f.assign(measure=tr(k, lang), value=sign * f[k], abs_value=f[k]) for k, sign in parts.items()])
    dom = [tr(k, lang) for k in parts]
    chart = alt.Chart(long).mark_bar().encode(
        x=alt.X("label:O", sort=order, title=tr("period", lang), axis=alt.Axis(labelAngle=-60)),
        y=alt.Y("value:Q", title=tr("persons", lang), axis=alt.Axis(format=",d")),
        color=alt.Color("measure:N", title=None, sort=dom,
                        scale=alt.Scale(domain=dom, range=[POS, "#56B4E9", NEG, FOREIGN])),
        tooltip=[alt.Tooltip("label:O", title=tr("period", lang)), alt.Tooltip("measure:N", title=tr("measure", lang)),
                 alt.Tooltip("abs_value:Q", format=",d", title=tr("persons", lang))])
    return style(chart.properties(height=420, title=title), lang)


def youth_bars(frame: pd.DataFrame, lang: str, title: str) -> alt.Chart:
    """Net migration of Japanese aged 15–19, 20–24, 25–29 per calendar year (both sexes), grouped bars.

    frame: queries.dynamics.youth_net rows (sex 'total', age groups without the '15-29' sum). Unit: persons.
    """
    f = frame.assign(label=frame["period"].map(lambda p: formats.period(p, lang)))
    order = list(dict.fromkeys(f.sort_values("year")["label"]))
    ages = ["15-19", "20-24", "25-29"]
    chart = alt.Chart(f).mark_bar().encode(
        x=alt.X("label:O", sort=order, title=tr("period", lang), axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("age_group:N", sort=ages),
        y=alt.Y("net_movers:Q", title=tr("net_movers", lang), axis=alt.Axis(format=",d")),
        color=alt.Color("age_group:N", title=tr("age_group", lang), sort=ages,
                        scale=alt.Scale(domain=ages, range=["#56B4E9", POS, "#009E73"])),
        tooltip=[alt.Tooltip("label:O", title=tr("period", lang)), alt.Tooltip("age_group:N", title=tr("age_group", lang)),
                 alt.Tooltip("net_movers:Q", format=",d", title=tr("net_movers", lang))])
    zero = alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color=GREY).encode(y=alt.Y("y:Q"))
    return style((chart + zero).properties(height=360, title=title), lang)


def residual_age(frame: pd.DataFrame, lang: str, title: str) -> alt.LayerChart:
    """Net migration rate by age and sex from the cohort residual method (% of the cohort over 5 years),
    with the range across estimation windows as error bars.

    frame: queries.projections.residual_migration output (sex, age_from, age_to, rate_pct, low_pct, high_pct).
    """
    f = frame.assign(sex_label=frame["sex"].map({"male": tr("male", lang), "female": tr("female", lang)}),
                     cohort=frame["age_from"] + "→" + frame["age_to"])
    order = list(dict.fromkeys(f["cohort"]))
    x = alt.X("cohort:N", sort=order, title=tr("cohort_age", lang), axis=alt.Axis(labelAngle=-45, labelOverlap=False))
    colour = alt.Color("sex_label:N", title=None, scale=alt.Scale(domain=[tr("male", lang), tr("female", lang)],
                                                                  range=[JAPANESE, FOREIGN]))
    bars = alt.Chart(f).mark_bar().encode(
        x=x, xOffset=alt.XOffset("sex_label:N"), y=alt.Y("rate_pct:Q", title=tr("net_rate_pct", lang)), color=colour,
        tooltip=[alt.Tooltip("cohort:N", title=tr("cohort_age", lang)), alt.Tooltip("sex_label:N", title=None),
                 alt.Tooltip("rate_pct:Q", format="+.2f", title=tr("net_rate_pct", lang)),
                 alt.Tooltip("low_pct:Q", format="+.2f", title=tr("band_low", lang)),
                 alt.Tooltip("high_pct:Q", format="+.2f", title=tr("band_high", lang))])
    err = alt.Chart(f).mark_rule(color="#333").encode(x=x, xOffset=alt.XOffset("sex_label:N"), y=alt.Y("low_pct:Q"),
                                                      y2=alt.Y2("high_pct:Q"))
    zero = alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color=GREY).encode(y=alt.Y("y:Q"))
    return style((bars + err + zero).properties(height=400, title=title), lang)
