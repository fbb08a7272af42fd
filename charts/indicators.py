"""Charts of the indicator comparison page: ranked bar among peers, scatter of two indicators, choropleth.

Pure builders (no Streamlit). The choropleth reuses the offline map pieces of charts.maps (the prefecture Basemap
from the database, CJK text layer, compact Deck JSON, no tile server) with the fixed class breaks each indicator
defines (indicators.definitions), so colours mean the same in every prefecture.
"""
from __future__ import annotations

import json

import altair as alt
import numpy as np
import pandas as pd
import pydeck as pdk

import formats
from charts import ACCENT, GREY, JAPANESE, style, tr
from charts.maps.colours import BLUE, NEUTRAL, NO_DATA, VERMILLION, ramp
from charts.maps.geometry import JAPAN_VIEW, Basemap, bbox_view, neighbours
from charts.maps.labels import labels_layer, tip
from charts.maps.layers import areas_layer, deck, inset_layer, prefecture_layer, selected_layers
from charts.maps.legends import break_ranges, legend_box, swatch

#: Point and bar colours: the selected area, its peers, everyone else.
SELECTED, PEER, OTHER = ACCENT, JAPANESE, "#C8C8C8"


def ranked_bar(frame: pd.DataFrame, axis_title: str, decimals: int, median: float | None,
               domain: tuple[float, float], lang: str, title: str) -> alt.LayerChart:
    """Horizontal bars of one indicator among peers, in rank order, the selected area highlighted.

    frame: label ('12位 久留米市'), value, selected (bool), rank — rows already windowed (indicators.window), in
    rank order. median: the peers' median drawn as a dashed rule (None: no rule). domain: x-axis range; bars
    beyond it are cut at the edge (their value labels stay exact), so one extreme area does not flatten the rest."""
    frame = frame if "gap" in frame else frame.assign(gap=False)
    order = frame["label"].tolist()
    fmt = f",.{decimals}f"
    base = alt.Chart(frame).transform_filter("!datum.gap")
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=260, labelOverlap=False))
    x = alt.X("value:Q", title=axis_title, scale=alt.Scale(domain=list(domain), clamp=True, nice=False))
    bars = base.mark_bar(clip=True).encode(
        x=x, y=y, color=alt.ColorValue(PEER, condition={"test": alt.datum.selected, "value": SELECTED}),
        tooltip=[alt.Tooltip("label:N", title=tr("ix_area", lang)), alt.Tooltip("value:Q", format=fmt, title=axis_title)])
    colour = alt.ColorValue("#333", condition={"test": alt.datum.selected, "value": SELECTED})
    # value labels outside the bar end: right of positive bars, left of negative ones
    pos = base.transform_filter("datum.value >= 0").mark_text(align="left", dx=3, fontSize=12).encode(
        x=x, y=y, text=alt.Text("value:Q", format=fmt), color=colour)
    neg = base.transform_filter("datum.value < 0").mark_text(align="right", dx=-3, fontSize=12).encode(
        x=x, y=y, text=alt.Text("value:Q", format=fmt), color=colour)
    # a left-out stretch of ranks (frame.gap): a dashed rule across its row, the row's label names the ranks
    gap = alt.Chart(frame).transform_filter("datum.gap").mark_rule(strokeDash=[2, 4], strokeWidth=2, color=GREY).encode(
        y=y, x=alt.XDatum(float(domain[0])), x2=alt.X2Datum(float(domain[1])))
    layers = [bars, pos, neg, gap]
    if median is not None and np.isfinite(median):
        rule_df = pd.DataFrame({"x": [median], "label": [tr("ix_median", lang)]})
        layers.append(alt.Chart(rule_df).mark_rule(color="#222", strokeDash=[4, 3]).encode(x=alt.X("x:Q")))
        layers.append(alt.Chart(rule_df).mark_text(align="left", dx=3, y=-6, fontSize=12, color="#222").encode(
            x=alt.X("x:Q"), text=alt.Text("label:N")))
    height = max(160, 26 * len(frame) + 60)
    return style(alt.layer(*layers).properties(height=height, title=title), lang)


def scatter(frame: pd.DataFrame, x_title: str, y_title: str, medians: tuple[float, float], lang: str,
            title: str) -> alt.LayerChart:
    """Every area of the level as a point (x, y), peers coloured, the selected area large and labelled.

    frame: name, x, y, role ('selected', 'peer', 'other'); points outside the axes' range are left out by the
    caller (queries.indicators.scatter_points). medians: (x, y) medians of all areas, dashed rules. One dataset
    (the rules are drawn from its first row), so the page swaps the data into a cached spec (ui.show.chart_data)."""
    roles = [tr("ix_role_selected", lang), tr("ix_role_peer", lang), tr("ix_role_other", lang)]
    keys = ["selected", "peer", "other"]
    label = " : ".join(f"datum.role == '{k}' ? {json.dumps(v)}" for k, v in zip(keys, roles)) + " : ''"
    base = alt.Chart(frame).transform_calculate(role_label=label, order="datum.role == 'selected' ? 2 : datum.role == 'peer' ? 1 : 0")
    x = alt.X("x:Q", title=x_title, scale=alt.Scale(zero=False))
    y = alt.Y("y:Q", title=y_title, scale=alt.Scale(zero=False))
    points = base.mark_circle(opacity=0.85).encode(
        x=x, y=y,
        color=alt.Color("role_label:N", title=None, sort=roles, scale=alt.Scale(domain=roles, range=[SELECTED, PEER, OTHER])),
        size=alt.SizeValue(40, condition={"test": alt.datum.role == "selected", "value": 260}),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("name:N", title=tr("ix_area", lang)), alt.Tooltip("x:Q", format=",.1f", title=x_title),
                 alt.Tooltip("y:Q", format=",.1f", title=y_title)])
    text = base.transform_filter("datum.role == 'selected'").mark_text(
        align="left", dx=10, dy=-10, fontSize=15, fontWeight="bold", color=SELECTED).encode(
        x=alt.X("x:Q"), y=alt.Y("y:Q"), text=alt.Text("name:N"))
    first = base.transform_window(n="row_number()").transform_filter("datum.n == 1")
    vx = first.mark_rule(color=GREY, strokeDash=[4, 3]).encode(x=alt.XDatum(float(medians[0])))
    hy = first.mark_rule(color=GREY, strokeDash=[4, 3]).encode(y=alt.YDatum(float(medians[1])))
    return style(alt.layer(points, text, vx, hy).properties(height=520, title=title), lang)


# ---------------------------------------------------------------- choropleth

def class_colours(breaks: tuple[float, ...], diverging: bool, centre: float = 0.0) -> list[tuple[int, int, int]]:
    """Colours of the len(breaks)+1 classes of `breaks`, lowest first. Diverging: classes below `centre`
    vermillion (darker further down), above blue, a class straddling `centre` neutral grey; else one blue ramp."""
    edges = [-np.inf, *breaks, np.inf]
    spans = list(zip(edges[:-1], edges[1:]))
    if not diverging:
        return ramp(BLUE, len(spans))
    below = [s for s in spans if s[1] <= centre]
    above = [s for s in spans if s[0] >= centre]
    middle = len(spans) - len(below) - len(above)
    return ramp(VERMILLION, len(below))[::-1] + [NEUTRAL] * middle + ramp(BLUE, len(above))


def _klass(value: float, breaks) -> int:
    return int(np.searchsorted(np.asarray(breaks, dtype=float), value, side="right"))


def _fmt(value, decimals: int, lang: str) -> str:
    return formats.number(value, lang, decimals, none=tr("unavailable", lang))


def choropleth_deck(frame: pd.DataFrame, selected: str, breaks: tuple[float, ...], diverging: bool, decimals: int,
                    value_title: str, lang: str, basemap: Basemap, centre: float = 0.0, height: int = 560) -> pdk.Deck:
    """Areas coloured by one indicator in fixed classes (`breaks`), grey where there is no value.

    frame: area_code, name_ja, name_en, parent_code, value, and geojson (municipal outlines of one prefecture;
    without it the 47 prefectures are drawn from basemap.japan). basemap: the prefecture outlines (charts.maps;
    the finer `detail` ones are the neighbours around a prefecture). selected: outlined (a designated city: all its
    wards). Layer ids: basemap, areas, inset, selected, labels."""
    colours = class_colours(breaks, diverging, centre)
    shapes = basemap.japan
    has_geo = "geojson" in frame.columns
    features, outlined, rings = [], [], []
    for r in frame.to_dict("records"):
        if has_geo and isinstance(r.get("geojson"), str):
            geom = json.loads(r["geojson"])
        elif not has_geo and r["area_code"] in shapes:
            geom = {"type": "Polygon", "coordinates": [shapes[r["area_code"]]["ring"]]}
        else:
            continue
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        rings += [p[0] for p in polys]
        v = r.get("value")
        fill = NO_DATA if v is None or pd.isna(v) else colours[_klass(v, breaks)]
        name = r["name_en"] if lang == "en" and isinstance(r.get("name_en"), str) else r["name_ja"]
        feature = {"type": "Feature", "geometry": geom, "properties": {
            "code": r["area_code"], "fill": list(fill) + [235], "tip": tip(name, [(value_title, _fmt(v, decimals, lang))])}}
        features.append(feature)
        if r["area_code"] == selected or r.get("parent_code") == selected:
            outlined.append((feature, polys, name))
    layers = []
    if has_geo and rings:  # neighbouring prefectures as light context
        near = neighbours(basemap.detail, rings)
        layers.append(prefecture_layer(near, {c: (246, 246, 246, 255) for c in near}, {}, layer_id="basemap",
                                       pickable=False, line=(170, 170, 170, 255)))
    layers.append(areas_layer(features))
    if not has_geo:  # the 47 prefectures: 沖縄県 is drawn as an inset (charts.maps), framed as such
        layers.append(inset_layer(shapes))
    chosen, labels = selected_layers(outlined)
    layers += chosen
    layers.append(labels_layer(labels, "labels", size=15))
    view = bbox_view(rings, height=height) if has_geo and rings else JAPAN_VIEW
    return deck(layers, view)


def legend(breaks: tuple[float, ...], diverging: bool, title: str, note: str, lang: str, centre: float = 0.0) -> str:
    """Legend of the choropleth as HTML: one swatch per class with its range, and 'no figure'."""
    labels = break_ranges(breaks, lang)
    row = " ".join(swatch(c, l) for c, l in zip(class_colours(breaks, diverging, centre), labels))
    row += " " + swatch(NO_DATA, tr("unavailable", lang))
    return legend_box(title, [row], note)
