"""The three decks of the migration map page — flow arcs between an area and its partners, arcs between pairs of
prefectures (全国), the net-migration choropleth — and reading a click on them. Pure: data, the language and the
Basemap (prefecture outlines from the database) come in, a Deck goes out."""
from __future__ import annotations

import json
import math

import pandas as pd
import pydeck as pdk

import formats
from charts import tr
from charts.maps.colours import (BLUE, INK, NO_RATE, count_breaks, count_class, flow_classes, ramp, rate_class,
                                 rate_colours)
from charts.maps.geometry import (JAPAN_VIEW, MAP_HEIGHT, Basemap, bbox_view, focus, japan_view, neighbours,
                                  point, ring_centroid)
from charts.maps.labels import labels_layer, leaders_layer, place_labels, tip
from charts.maps.layers import (areas_layer, deck, inset_layer, outline_layer, prefecture_layer,
                                selected_layers)


def _name(row, lang: str) -> str:
    en = row.get("partner_en") if lang == "en" else None
    return en if isinstance(en, str) and en else row["partner_ja"]


def _persons(value, lang: str, unit: str, signed: bool = False) -> str:
    return f"{formats.number(value, lang, signed=signed)} {unit}"


def _flow_tip(row, lang: str, unit: str) -> str:
    lines = []
    if not pd.isna(row.get("in_movers")):
        lines.append((tr("map_in", lang), _persons(row["in_movers"], lang, unit)))
    if not pd.isna(row.get("out_movers")):
        lines.append((tr("map_out", lang), _persons(row["out_movers"], lang, unit)))
    lines.append((tr("map_net", lang), _persons(row["net"], lang, unit, signed=True)))
    return tip(_name(row, lang), lines)


#: How many of the largest partners are always labelled (moved beside their place when it is crowded).
MUST_LABEL = 5


def flow_parts(flows: pd.DataFrame, subject: dict, mode: str, lang: str, basemap: Basemap, selected: str | None,
               top_labels: int, zoom: float, label_size: int) -> dict:
    """What a flow map draws (the deck and its still image share it): dict(shapes, fills (code -> RGBA), tips,
    arcs (s, t, w, sc, tc, tip, code, v), places (p, tip, code), labels (placed at `zoom`: p, label, pr[, a = the
    anchor of a moved label]), classes (flow_classes)). See flow_deck."""
    shapes = basemap.japan
    code = subject["code"]
    own = code[:2] + "000" if code[2:] != "000" else code
    cls = flow_classes(flows, mode, exclude=(own, code))
    col, breaks = cls["column"], cls["breaks"]
    unit = tr("unit_persons", lang)
    home = point(shapes, code, subject.get("lat"), subject.get("lon"))
    vmax = max([abs(v) for v in flows.loc[~flows["partner_code"].isin([own, code]), col].dropna()] or [1])
    arcs, fills, tips, places, labels = [], {}, {}, [], []
    for row in flows.to_dict("records"):
        value = row.get(col)
        text = _flow_tip(row, lang, unit)
        if row["partner_code"] == own:
            text += "\n" + tr("map_within_pref_note", lang)
        tips[row["partner_code"]] = text
        if value is None or pd.isna(value) or row["partner_code"] in (own, code):
            continue
        k = count_class(value, breaks)
        colour = (cls["pos"] if (mode == "in" or (mode == "net" and value > 0)) else cls["neg"])[k]
        if row["partner_code"] in shapes:
            fills[row["partner_code"]] = colour + (200,)
        if value == 0:
            continue
        where = point(shapes, row["partner_code"], row.get("lat"), row.get("lon"))
        if where is None or home is None:
            continue
        if row["partner_code"] not in shapes:
            places.append({"p": list(where), "tip": text, "code": row["partner_code"]})
        inbound = mode == "in" or (mode == "net" and value > 0)
        src, dst = (where, home) if inbound else (home, where)
        arcs.append({"s": [round(src[0], 3), round(src[1], 3)], "t": [round(dst[0], 3), round(dst[1], 3)],
                     "w": round(1.5 + 12 * math.sqrt(abs(value) / vmax), 1), "sc": list(colour) + [130],
                     "tc": list(colour) + [255], "tip": text, "code": row["partner_code"], "v": abs(int(value))})
    if code in shapes:
        fills[code] = (120, 120, 120, 255)
        tips.setdefault(code, subject["name"])
    arcs.sort(key=lambda a: a["v"])  # big arcs drawn last, on top
    largest = [a["code"] for a in sorted(arcs, key=lambda a: (-a["v"], a["code"]))]
    rank = {c: i for i, c in enumerate(largest[:top_labels])}
    if selected:
        rank[selected] = -1
    must = set(largest[:MUST_LABEL]) | ({selected} if selected else set())
    for row in flows.to_dict("records"):
        if row["partner_code"] in rank and row["partner_code"] not in (own, code):
            where = point(shapes, row["partner_code"], row.get("lat"), row.get("lon"))
            value = row.get(col)
            if where is not None:
                figure = "" if pd.isna(value) else "\n" + formats.number(value, lang, signed=mode == "net")
                lift = 0.0 if row["partner_code"] in shapes else 0.45  # a city: label above its dot
                labels.append({"p": [round(where[0], 3), round(where[1] + lift, 3)], "label": _name(row, lang) + figure,
                               "pr": 900 - 10 * rank[row["partner_code"]], "must": row["partner_code"] in must,
                               "code": row["partner_code"]})
    if home is not None:
        places.append({"p": list(home), "tip": subject["name"], "code": code})
        labels.append({"p": [round(home[0], 3), round(home[1] - 0.35, 3)], "label": subject["name"], "pr": 1000,
                       "code": code})
    placed = place_labels(labels, zoom, label_size, dots=[p["p"] for p in places])
    return dict(shapes=shapes, fills=fills, tips=tips, arcs=arcs, places=places, labels=placed, classes=cls,
                home=home)


def flow_deck(flows: pd.DataFrame, subject: dict, mode: str, lang: str, basemap: Basemap, selected: str | None = None,
              top_labels: int = 14, height: int = MAP_HEIGHT, label_size: int = 14) -> pdk.Deck:
    """Arcs between the subject area and its partners, over the prefecture map.

    flows: queries.maps.flows / net_by_age output (partner_code, partner_ja, partner_en, lat, lon, in_movers,
    out_movers, net; persons). subject: dict(code, name, lat, lon) — the area whose flows these are (a
    prefecture is placed at its outline's centroid). mode: 'in' (partner → subject, in_movers), 'out' (subject →
    partner, out_movers) or 'net' (from the losing to the gaining side, |net|; blue = the subject gains,
    vermillion = it loses). basemap: the prefecture outlines (Basemap.japan is drawn). The subject's own
    prefecture (for a city: moves within the prefecture) is listed in tooltips but not drawn, since it has no
    single place. selected: a partner code outlined and labelled.
    Width ∝ √volume; colour class by volume (see flow_classes). The MUST_LABEL largest partners are always
    labelled, whatever the distance (moved beside their place, with a leader line, when it is crowded); up to
    `top_labels` in all. height: map height in pixels (sets the zoom); label_size: label font pixels (larger in
    presenter mode). Layer ids: prefectures, inset, flows, places, selected, leaders, labels.
    """
    view = japan_view(height)
    parts = flow_parts(flows, subject, mode, lang, basemap, selected, top_labels, view["zoom"], label_size)
    shapes, code = parts["shapes"], subject["code"]
    layers = [
        prefecture_layer(shapes, parts["fills"], parts["tips"]),
        inset_layer(shapes),
        pdk.Layer("ArcLayer", id="flows", data=parts["arcs"], get_source_position="s", get_target_position="t",
                  get_source_color="sc", get_target_color="tc", get_width="w", width_units="'pixels'",
                  get_height=0.3, get_tilt=90, great_circle=False, pickable=True, auto_highlight=True),
        pdk.Layer("ScatterplotLayer", id="places", data=parts["places"], get_position="p", get_radius=5,
                  radius_units="'pixels'", get_fill_color=list(INK) + [255], get_line_color=[255, 255, 255, 255],
                  stroked=True, line_width_min_pixels=1.5, pickable=True),
    ]
    if selected and selected in shapes and selected != code:
        layers.append(outline_layer(shapes, [selected], "selected"))
    layers.append(leaders_layer(parts["labels"]))
    layers.append(labels_layer(parts["labels"], "labels", size=label_size))
    return deck(layers, view)


def pairs_deck(pairs: pd.DataFrame, names: dict[str, str], mode: str, lang: str, basemap: Basemap,
               selected: str | None = None, top_labels: int = 12, height: int = MAP_HEIGHT,
               label_size: int = 14) -> pdk.Deck:
    """全国 view: arcs of the largest flows between two prefectures (from_code → to_code, movers in persons).

    names: prefecture code -> display name. mode 'gross' (blue) or 'net' (from the losing to the gaining
    prefecture). basemap: the prefecture outlines (Basemap.japan). Colour and width by movers, the pale end at the
    origin. Prefectures are filled by the total shown flowing into them. Layer ids: prefectures, inset, flows,
    selected, labels.
    """
    shapes = basemap.japan
    unit = tr("unit_persons", lang)
    breaks = count_breaks(pairs["movers"].tolist())
    colours = ramp(BLUE, len(breaks) + 1)
    vmax = max(pairs["movers"].abs().max() if not pairs.empty else 1, 1)
    arcs = []
    for r in pairs.to_dict("records"):
        if r["from_code"] not in shapes or r["to_code"] not in shapes:
            continue
        colour = colours[count_class(r["movers"], breaks)]
        src, dst = shapes[r["from_code"]]["centroid"], shapes[r["to_code"]]["centroid"]
        label = tr("map_net", lang) if mode == "net" else tr("map_movers", lang)
        text = tip(f"{names.get(r['from_code'], r['from_code'])} → {names.get(r['to_code'], r['to_code'])}",
                   [(label, _persons(r["movers"], lang, unit))])
        arcs.append({"s": [round(src[0], 3), round(src[1], 3)], "t": [round(dst[0], 3), round(dst[1], 3)],
                     "w": round(1 + 10 * math.sqrt(r["movers"] / vmax), 1), "sc": list(colour) + [110],
                     "tc": list(colour) + [255], "tip": text, "code": r["to_code"], "v": int(r["movers"])})
    arcs.sort(key=lambda a: a["v"])
    inflow = pairs.groupby("to_code")["movers"].sum().to_dict() if not pairs.empty else {}
    fill_breaks = count_breaks(list(inflow.values()))
    fill_colours = ramp(BLUE, len(fill_breaks) + 1)
    fills = {c: fill_colours[count_class(v, fill_breaks)] + (170,) for c, v in inflow.items()}
    tips = {c: names.get(c, c) for c in shapes}
    hubs = sorted(inflow, key=lambda c: -inflow[c])[:top_labels] + ([selected] if selected else [])
    labels = [{"p": [round(shapes[c]["centroid"][0], 3), round(shapes[c]["centroid"][1], 3)], "label": names.get(c, c),
               "pr": 900 - 10 * i} for i, c in enumerate(dict.fromkeys(hubs)) if c in shapes]
    layers = [prefecture_layer(shapes, fills, tips), inset_layer(shapes),
              pdk.Layer("ArcLayer", id="flows", data=arcs, get_source_position="s", get_target_position="t",
                        get_source_color="sc", get_target_color="tc", get_width="w", width_units="'pixels'",
                        get_height=0.3, get_tilt=90, pickable=True, auto_highlight=True)]
    if selected in shapes:
        layers.append(outline_layer(shapes, [selected], "selected"))
    view = japan_view(height)
    layers.append(labels_layer(labels, "labels", size=label_size, zoom=view["zoom"]))
    return deck(layers, view)


#: Radius of the dot of a municipality drawn without an outline (metres; at least DOT_PIXELS on screen).
DOT_METRES, DOT_PIXELS = 1500, 6


def _dot_ring(lon: float, lat: float, r: float = 0.01) -> list:
    return [[lon - r, lat - r], [lon + r, lat - r], [lon + r, lat + r], [lon - r, lat + r], [lon - r, lat - r]]


def choropleth_parts(frame: pd.DataFrame, selected: str | None, lang: str, basemap: Basemap, height: int,
                     width: int = 760) -> dict:
    """What a net-migration choropleth draws (the deck and its still image share it): dict(features (GeoJSON,
    properties code, fill RGBA, tip, name, rate class k or None), dots (code, name, p = [lon, lat], fill, tip, k,
    selected: areas without an outline), outlined ((feature, polygons, name) of the selected area), near (the
    neighbouring prefectures, or {}), focus (charts.maps.geometry.focus: view, rings, left_out), names (code ->
    display name)). See choropleth_deck."""
    colours = rate_colours()
    shapes = basemap.japan
    unit = tr("unit_persons", lang)
    per = f"（{tr('per_1000', lang)}）" if lang == "ja" else f" ({tr('per_1000', lang)})"
    features, outlined, rings, parts, dots, names = [], [], [], [], [], {}
    chosen = set()
    for r in frame.to_dict("records"):
        is_chosen = bool(selected) and (r["area_code"] == selected or r.get("parent_code") == selected)
        if "geojson" in r and isinstance(r.get("geojson"), str):
            geom = json.loads(r["geojson"])
        elif "geojson" not in r and r["area_code"] in shapes:
            geom = {"type": "Polygon", "coordinates": [shapes[r["area_code"]]["ring"]]}
        elif not pd.isna(r.get("lat", None)) and not pd.isna(r.get("lon", None)):
            geom = None  # no outline (too small for the simplified boundaries): a dot
        else:
            continue
        rate = r.get("net_rate")
        k = None if rate is None or pd.isna(rate) else rate_class(rate)
        fill = NO_RATE if k is None else colours[k]
        name = r["name_en"] if lang == "en" and isinstance(r.get("name_en"), str) else r["name_ja"]
        names[r["area_code"]] = name
        text = tip(name, [
            (tr("map_rate", lang), formats.number(rate, lang, 1, signed=True, none=tr("unavailable", lang)) + per),
            (tr("map_in", lang), _persons(r.get("in_total"), lang, unit)),
            (tr("map_out", lang), _persons(r.get("out_total"), lang, unit)),
            (tr("map_net", lang), _persons(r.get("net"), lang, unit, signed=True))])
        if is_chosen:
            chosen.add(r["area_code"])
        if geom is None:
            lon, lat = round(float(r["lon"]), 4), round(float(r["lat"]), 4)
            dots.append({"code": r["area_code"], "name": name, "p": [lon, lat], "fill": list(fill) + [255],
                         "tip": text, "k": k, "selected": is_chosen})
            parts.append((r["area_code"], _dot_ring(lon, lat)))
            continue
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        rings += [p[0] for p in polys]
        parts += [(r["area_code"], p[0]) for p in polys]
        feature = {"type": "Feature", "geometry": geom,
                   "properties": {"code": r["area_code"], "fill": list(fill) + [235], "tip": text, "k": k,
                                  "name": name}}
        features.append(feature)
        if is_chosen:
            outlined.append((feature, polys, name))
    # Neighbouring prefectures as context, finer than the whole-Japan outline, only those near the map.
    near = neighbours(basemap.detail, rings) if rings and "geojson" in frame.columns else {}
    if "geojson" in frame.columns and parts:
        framing = focus(parts, chosen, height=height, width=width)
    else:
        framing = dict(view=bbox_view(rings, height=height, width=width) if rings else JAPAN_VIEW, rings=rings,
                       left_out=[], mode="all")
    return dict(features=features, dots=dots, outlined=outlined, near=near, focus=framing, names=names)


def choropleth_deck(frame: pd.DataFrame, selected: str | None, lang: str, basemap: Basemap, height: int = 560,
                    label_size: int = 15) -> pdk.Deck:
    """Municipalities (or, with no `geojson` column, the 47 prefectures) coloured by net migration rate.

    frame: queries.maps.choropleth output (area_code, name_ja, name_en, parent_code, in_total, out_total, net,
    net_rate per 1,000, geojson[, lat, lon: a municipality with geojson NULL is drawn as a dot]). selected: the
    user's area; it is outlined (a designated city: all its wards). basemap: the prefecture outlines
    (Basemap.japan for the 47 prefectures, Basemap.detail for the neighbours around a prefecture). Fixed classes
    RATE_BREAKS, vermillion = net loss, blue = net gain, grey = no figure. The view frames the main land
    (remote islands such as 伊豆・小笠原 are left out of the frame: geometry.focus), or the selected area when it
    lies on those islands. Layer ids: basemap, areas, [dots,] inset (the 47 prefectures), selected, labels.
    """
    parts = choropleth_parts(frame, selected, lang, basemap, height)
    near = parts["near"]
    base = prefecture_layer(near, {c: (250, 250, 250, 255) for c in near}, {}, layer_id="basemap", pickable=False,
                            line=(170, 170, 170, 255))
    layers = [base, areas_layer(parts["features"])]
    if parts["dots"]:
        layers.append(pdk.Layer(
            "ScatterplotLayer", id="dots", data=[{**d, "line": list(INK) + [255] if d["selected"] else [255] * 4,
                                                  "lw": 3 if d["selected"] else 1} for d in parts["dots"]],
            get_position="p", get_radius=DOT_METRES, radius_min_pixels=DOT_PIXELS, get_fill_color="fill",
            get_line_color="line", get_line_width="lw", line_width_units="'pixels'", stroked=True, pickable=True,
            auto_highlight=True))
    chosen, labels = selected_layers(parts["outlined"])
    layers += chosen
    view = parts["focus"]["view"]
    if not parts["outlined"]:  # a selected dot: its name just above it
        for d in [d for d in parts["dots"] if d["selected"]][:1]:
            per_degree = 512 * 2 ** view["zoom"] / 360 / math.cos(math.radians(d["p"][1]))
            lift = (0.7 * label_size + DOT_PIXELS + 3) / per_degree
            labels.append({"p": [d["p"][0], round(d["p"][1] + lift, 4)], "label": d["name"], "pr": 1000})
    if parts["focus"]["mode"] == "island":  # framed on an island: name the neighbours in the frame too
        out = set(parts["focus"]["left_out"])
        for f in parts["features"]:
            if f["properties"]["code"] not in out and f["properties"]["code"] != selected:
                polys = (f["geometry"]["coordinates"] if f["geometry"]["type"] == "MultiPolygon"
                         else [f["geometry"]["coordinates"]])
                cx, cy = ring_centroid(max((p[0] for p in polys), key=len)[:-1])
                labels.append({"p": [round(cx, 3), round(cy, 3)], "label": f["properties"]["name"], "pr": 500})
    if "geojson" not in frame.columns:
        layers.insert(2, inset_layer(basemap.japan))
    layers.append(labels_layer(labels, "labels", size=label_size))
    return deck(layers, view)


def picked_code(selection) -> str | None:
    """The area code of the object clicked on a map (st.pydeck_chart selection state), or None."""
    try:
        objects = selection["selection"]["objects"]
    except (KeyError, TypeError):
        return None
    for layer in ("flows", "prefectures", "places", "areas", "dots"):
        for obj in objects.get(layer) or []:
            code = obj.get("code") or (obj.get("properties") or {}).get("code")
            if code:
                return str(code)
    return None
