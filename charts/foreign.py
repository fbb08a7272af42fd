"""Charts of the foreign-residents page (外国人住民).

Builders take frames from queries.foreign and the UI language; no Streamlit calls. Counts are persons, shares
percent. Flows are calendar years (暦年), labelled as such; register stocks are dated (1 January).
"""
from __future__ import annotations

from functools import lru_cache

import altair as alt
import pandas as pd

from charts import FOREIGN, GREY, JAPANESE, style, tr
import formats

IN_DOM, IN_ABR, BIRTH = "#0072B2", "#56B4E9", "#009E73"
OUT_DOM, OUT_ABR, DEATH = "#D55E00", "#E69F00", "#777777"
CITY = "#CC79A7"
PREV = "#F3C97A"


@lru_cache(maxsize=None)
def _config(lang: str) -> dict:
    # charts.style()'s look, taken from style() itself, given to each chart's constructor: configuring a finished
    # layered chart deep-copies it once per configure_* call (most of a cold page render).
    return style(alt.Chart(), lang).to_dict(validate=False)["config"]


def _top(layers: list, lang: str, height: int, title, **kw) -> alt.LayerChart:
    """One flat layer chart with the common look (built once: `a + b + c` would copy the layers at each `+`)."""
    return alt.layer(*layers, height=height, title=title, config=_config(lang), **kw)


def _zero() -> alt.Chart:
    return alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color=GREY).encode(y=alt.Y("y:Q"))


# Encodings are given as channel objects, never as "field:Q" strings, dicts or alt.value/alt.condition (see charts).


def _dates(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(date=pd.to_datetime(frame["ref_date"]).dt.strftime("%Y-%m-%d"))


def population(frame: pd.DataFrame, lang: str, title: str) -> alt.LayerChart:
    """Foreign residents (bars, left axis) and their share of all residents (line, right axis, %) on each register
    date; the city's own published 年度末 counts, where present, as labelled diamonds on the persons axis.

    frame: queries.foreign.population output (ref_date, basis, foreign, foreign_share_pct). Unit: persons / %.
    Axis labels take the colour of their series (the legend names the unit and side).
    """
    f = _dates(frame)[["date", "basis", "foreign", "foreign_share_pct"]]
    reg = f[f["basis"] == "juki"].assign(series=tr("fr_register", lang))
    city = f[f["basis"] == "city_register"].assign(series=tr("fr_city_register", lang))
    share = reg.assign(series=tr("fr_share", lang))
    series = [tr("fr_register", lang), tr("fr_share", lang)] + ([tr("fr_city_register", lang)] if not city.empty else [])
    colour = alt.Color("series:N", title=None, sort=series, legend=alt.Legend(columns=2),
                       scale=alt.Scale(domain=series, range=[FOREIGN, JAPANESE, CITY][: len(series)]))
    x = alt.X("date:T", title=tr("ref_date", lang), axis=alt.Axis(format="%Y", tickCount="year", labelAngle=0))
    # Two scales, each shared by its layers: explicit domains make the layers of one side agree.
    persons = alt.Scale(domain=[0, float(f["foreign"].max() or 1) * 1.12])
    pct = alt.Scale(domain=[0, float(reg["foreign_share_pct"].max() or 1) * 1.15])
    y = alt.Y("foreign:Q", title=None, axis=alt.Axis(format=",d", labelColor="#A86F00"), scale=persons)
    y_quiet = alt.Y("foreign:Q", axis=None, scale=persons)
    y2 = alt.Y("foreign_share_pct:Q", title=None, axis=alt.Axis(format=".1f", labelColor=JAPANESE, orient="right"),
               scale=pct)
    y2_quiet = alt.Y("foreign_share_pct:Q", axis=None, scale=pct)
    tip = [alt.Tooltip("date:N", title=tr("ref_date", lang)), alt.Tooltip("series:N", title=tr("source", lang)),
           alt.Tooltip("foreign:Q", format=",d", title=tr("fr_foreign_persons", lang))]
    layers = [alt.Chart(reg).mark_bar(size=24, opacity=0.55).encode(
        x=x, y=y, color=colour,
        tooltip=tip + [alt.Tooltip("foreign_share_pct:Q", format=".2f", title=tr("fr_share", lang))])]
    if not city.empty:
        layers += [alt.Chart(city).mark_point(shape="diamond", filled=True, size=220, opacity=1, stroke="white",
                                              strokeWidth=1.5).encode(x=x, y=y_quiet, color=colour, tooltip=tip),
                   alt.Chart(city).mark_text(dy=-16, fontSize=12, fontWeight="bold", color=CITY).encode(
                       x=x, y=y_quiet, text=alt.Text("foreign:Q", format=",d"))]
    layers += [alt.Chart(share).mark_line(point=True, strokeWidth=3).encode(
                   x=x, y=y2, color=colour,
                   tooltip=[alt.Tooltip("date:N", title=tr("ref_date", lang)),
                            alt.Tooltip("foreign_share_pct:Q", format=".2f", title=tr("fr_share", lang))]),
               alt.Chart(share).mark_text(dy=15, fontSize=12, fontWeight="bold", color=JAPANESE).encode(
                   x=x, y=y2_quiet, text=alt.Text("foreign_share_pct:Q", format=".1f"))]
    return _top(layers, lang, 420, title, resolve=alt.Resolve(scale=alt.ScaleResolveMap(y="independent")))


def annual_change(frame: pd.DataFrame, lang: str, title: str) -> alt.LayerChart:
    """Change of Japanese and foreign residents between successive register dates (grouped bars, persons),
    labelled by the year of the later date.

    frame: queries.foreign.changes output (from_date, to_date, japanese_change, foreign_change).
    """
    f = frame.assign(from_label=pd.to_datetime(frame["from_date"]).dt.strftime("%Y-%m-%d"),
                     to_label=pd.to_datetime(frame["to_date"]).dt.strftime("%Y-%m-%d"))
    f["label"] = f["to_label"].str.slice(0, 4)
    long = f.melt(id_vars=["label", "from_label", "to_label"], value_vars=["japanese_change", "foreign_change"],
                  var_name="nat", value_name="change").dropna(subset=["change"]).astype({"change": float})
    long["nat"] = long["nat"].map({"japanese_change": tr("nat_japanese", lang), "foreign_change": tr("nat_foreign", lang)})
    order = [tr("nat_japanese", lang), tr("nat_foreign", lang)]
    x = alt.X("label:O", title=tr("fr_change_to", lang), axis=alt.Axis(labelAngle=0))
    bars = alt.Chart(long).mark_bar().encode(
        x=x, xOffset=alt.XOffset("nat:N", sort=order),
        y=alt.Y("change:Q", title=tr("fr_change_persons", lang), axis=alt.Axis(format="+,d")),
        color=alt.Color("nat:N", title=None, sort=order, scale=alt.Scale(domain=order, range=[JAPANESE, FOREIGN])),
        tooltip=[alt.Tooltip("from_label:N", title=tr("fr_from", lang)), alt.Tooltip("to_label:N", title=tr("fr_to", lang)),
                 alt.Tooltip("nat:N", title=tr("nationality", lang)),
                 alt.Tooltip("change:Q", format="+,d", title=tr("fr_change_persons", lang))])
    zero = _zero()
    return _top([bars, zero], lang, 400, title)


def flows(frame: pd.DataFrame, lang: str, title: str) -> alt.LayerChart:
    """Foreign residents' inflows (up: in from elsewhere in Japan, in from abroad, births) and outflows (down: out
    within Japan, out abroad, deaths) per calendar year, with the balance as a line. Unit: persons.

    frame: queries.foreign.flows output.
    """
    f = frame.sort_values("period_end").copy()
    f["label"] = f["period"].map(lambda p: formats.period(p, lang))
    f["kind_label"] = f["period_kind"].map({"FY": tr("period_fy", lang), "CY": tr("period_cy", lang)})
    f["balance"] = f["in_total"] + f["births"] - f["out_total"] - f["deaths"]
    order = list(dict.fromkeys(f["label"]))
    parts = [("in_domestic", 1, IN_DOM), ("in_abroad", 1, IN_ABR), ("births", 1, BIRTH),
             ("out_domestic", -1, OUT_DOM), ("out_abroad", -1, OUT_ABR), ("deaths", -1, DEATH)]
    names = {k: tr(f"fr_{k}", lang) for k, _, _ in parts}
    f = f[["label", "kind_label", "period_kind", "balance", *[k for k, _, _ in parts]]]
    long = f.melt(id_vars=["label", "kind_label"], value_vars=list(names), var_name="m", value_name="abs_value")
    sign, rank = {k: s for k, s, _ in parts}, {k: i for i, (k, _, _) in enumerate(parts)}
    long = long.assign(value=long["abs_value"] * long["m"].map(sign), o=long["m"].map(rank), measure=long["m"].map(names))
    f = f[["label", "kind_label", "period_kind", "balance"]]  # slim datasets: Altair's cost grows with columns
    dom = [names[k] for k, _, _ in parts] + [tr("fr_balance", lang)]
    colour = alt.Color("measure:N", title=None, sort=dom, legend=alt.Legend(columns=4),
                       scale=alt.Scale(domain=dom, range=[c for _, _, c in parts] + ["#222222"]))
    x = alt.X("label:O", sort=order, title=tr("year_cy", lang), axis=alt.Axis(labelAngle=0))
    tip = [alt.Tooltip("label:O", title=tr("period", lang)), alt.Tooltip("kind_label:N", title=tr("period_kind", lang))]
    bars = alt.Chart(long).mark_bar().encode(
        x=x, y=alt.Y("value:Q", title=tr("fr_persons", lang), axis=alt.Axis(format=",d")), color=colour,
        order=alt.Order("o:Q"),
        tooltip=tip + [alt.Tooltip("measure:N", title=tr("measure", lang)),
                       alt.Tooltip("abs_value:Q", format=",d", title=tr("fr_persons", lang))])
    line = alt.Chart(f.assign(measure=tr("fr_balance", lang))).mark_line(point=True, strokeWidth=2.5).encode(
        x=x, y=alt.Y("balance:Q"), color=colour, detail=alt.Detail("period_kind:N"),
        tooltip=tip + [alt.Tooltip("balance:Q", format="+,d", title=tr("fr_balance", lang))])
    zero = _zero()
    return _top([bars, zero, line], lang, 440, title)


def pyramid(frame: pd.DataFrame, nationality: str, lang: str, title: str, half_width: int | None = None) -> alt.Chart:
    """Population pyramid of one nationality ('foreign' or 'japanese'): males left, females right.

    frame: queries.foreign.pyramid output. half_width (persons) fixes the axis to ±half_width so two pyramids can
    share one scale; None lets the data set it. Unit: persons.
    """
    f = frame[frame["nationality"] == nationality].copy()
    male, female = tr("male", lang), tr("female", lang)
    f["sex_label"] = f["sex"].map({"male": male, "female": female})
    f["signed"] = f["persons"].where(f["sex"] == "female", -f["persons"])
    f = f[["age_group", "lo", "sex", "sex_label", "persons", "signed"]]
    ages = list(dict.fromkeys(f.sort_values("lo", ascending=False)["age_group"]))
    half = half_width or (int(f["persons"].max()) if f["persons"].notna().any() else 1)
    scale = alt.Scale(domain=[-half, half], nice=False)  # symmetric: a man and a woman weigh the same
    colour = FOREIGN if nationality == "foreign" else JAPANESE
    chart = alt.Chart(f, height=500, title=title, config=_config(lang)).mark_bar().encode(
        y=alt.Y("age_group:N", sort=ages, title=tr("age_group", lang), axis=alt.Axis(labelOverlap=False)),
        x=alt.X("signed:Q", title=f"{tr('fr_male_left', lang)}（{tr('unit_persons', lang)}）", scale=scale,
                axis=alt.Axis(labelExpr="format(abs(datum.value), ',d')")),
        color=alt.ColorValue(colour),
        opacity=alt.OpacityValue(0.6, condition={"test": alt.datum.sex == "male", "value": 0.95}),
        tooltip=[alt.Tooltip("age_group:N", title=tr("age_group", lang)), alt.Tooltip("sex_label:N", title=None),
                 alt.Tooltip("persons:Q", format=",d", title=tr("persons", lang))])
    return chart


def breakdown(frame: pd.DataFrame, lang: str, title: str, subtitle: list[str], prev_label: str, latest_label: str,
              alert: bool = False) -> alt.LayerChart:
    """Horizontal bars of a category breakdown on two dates (earlier date pale, latest dark), largest first, each
    labelled with its latest count and change ('+1,234（+5.6%）').

    frame: queries.foreign.breakdown output (label, prev, latest, change, change_pct, rank). subtitle: lines under
    the title, in red when `alert` (e.g. a prefecture's figures shown for a municipality). Unit: persons.
    """
    f = frame[["label", "rank", "prev", "latest", "change", "change_pct"]].copy()
    order = f.sort_values("rank")["label"].tolist()
    long = f.melt(id_vars=["label", "change", "change_pct"], value_vars=["prev", "latest"], var_name="when",
                  value_name="persons").dropna(subset=["persons"]).astype({"persons": float})
    long["when"] = long["when"].map({"prev": prev_label, "latest": latest_label})
    when = [prev_label, latest_label]
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=220))
    tip = [alt.Tooltip("label:N", title=tr("fr_category", lang)), alt.Tooltip("when:N", title=tr("ref_date", lang)),
           alt.Tooltip("persons:Q", format=",d", title=tr("persons", lang)),
           alt.Tooltip("change:Q", format="+,d", title=tr("fr_change_persons", lang)),
           alt.Tooltip("change_pct:Q", format="+.1f", title=tr("fr_change_pct", lang))]
    bars = alt.Chart(long).mark_bar().encode(
        y=y, yOffset=alt.YOffset("when:N", sort=when),
        x=alt.X("persons:Q", title=tr("fr_moj_persons", lang), axis=alt.Axis(format=",d"),
                scale=alt.Scale(domain=[0, float(long["persons"].max()) * 1.6])),
        color=alt.Color("when:N", title=None, sort=when, scale=alt.Scale(domain=when, range=[PREV, FOREIGN])),
        tooltip=tip)
    f["text"] = [f"{int(v):,}" + ("" if pd.isna(c) else f"（{formats.number(c, lang, signed=True)}"
                                  + ("" if pd.isna(p) else f", {formats.percent(p, lang, signed=True)}") + "）")
                 for v, c, p in zip(f["latest"], f["change"], f["change_pct"])]
    text = alt.Chart(f[["label", "latest", "text"]]).mark_text(align="left", dx=4, fontSize=13, color="#333").encode(
        y=y, x=alt.X("latest:Q"), text=alt.Text("text:N"))
    height = max(260, 58 * len(f) + 110)
    return _top([bars, text], lang, height, alt.TitleParams(title, subtitle=subtitle, subtitleFontSize=14,
                                                           subtitleColor="#B00020" if alert else "#555555"))


def net_share(frame: pd.DataFrame, lang: str, title: str) -> alt.LayerChart:
    """All residents' net migration per calendar year split into Japanese and foreign residents' net migration
    (stacked bars; gains up, losses down) with the total as a line; under each year on the axis, the foreign share
    of the total ('113%'; '—' when in and out nearly balance, '逆方向' when the signs differ).

    frame: queries.foreign.net_share output (period, period_end, net, japanese_net, total_net, share_pct, status).
    """
    f = frame.sort_values("period_end").copy()
    year = f["period"].map(lambda p: formats.period(p, lang))
    share = [f"{v:.0f}%" if s == "ok" else tr("fr_share_" + s, lang) for v, s in zip(f["share_pct"], f["status"])]
    f["label"] = [f"{y}|{v}" for y, v in zip(year, share)]  # two-line axis label: year, then the share
    f["year_label"], f["share_label"] = year, share
    order = list(dict.fromkeys(f["label"]))
    jp, fr, tot = tr("fr_japanese_net", lang), tr("fr_foreign_net", lang), tr("fr_total_net", lang)
    f = f[["label", "year_label", "share_label", "net", "japanese_net", "total_net"]]
    long = f.melt(id_vars=["label", "year_label", "share_label"], value_vars=["japanese_net", "net"], var_name="m")
    long = long.assign(part=long["m"].map({"japanese_net": jp, "net": fr}), o=(long["m"] == "net").astype(int))
    dom = [jp, fr, tot]
    colour = alt.Color("part:N", title=None, sort=dom, scale=alt.Scale(domain=dom, range=[JAPANESE, FOREIGN, "#222222"]))
    x = alt.X("label:O", sort=order, title=tr("fr_year_share", lang),
              axis=alt.Axis(labelAngle=0, labelExpr="split(datum.value, '|')", labelFontWeight="bold"))
    tip = [alt.Tooltip("year_label:N", title=tr("period", lang)),
           alt.Tooltip("share_label:N", title=tr("fr_share_of_net", lang))]
    bars = alt.Chart(long).mark_bar(size=28).encode(
        x=x, y=alt.Y("value:Q", title=tr("net_movers", lang), axis=alt.Axis(format="+,d")), color=colour,
        order=alt.Order("o:Q"),
        tooltip=tip + [alt.Tooltip("part:N", title=tr("measure", lang)),
                       alt.Tooltip("value:Q", format="+,d", title=tr("net_movers", lang))])
    line = alt.Chart(f.assign(part=tot)).mark_line(point=alt.OverlayMarkDef(size=70, filled=True), strokeWidth=2.5).encode(
        x=x, y=alt.Y("total_net:Q"), color=colour,
        tooltip=tip + [alt.Tooltip("total_net:Q", format="+,d", title=tot),
                       alt.Tooltip("net:Q", format="+,d", title=fr),
                       alt.Tooltip("japanese_net:Q", format="+,d", title=jp)])
    zero = _zero()
    return _top([bars, zero, line], lang, 440, title)
