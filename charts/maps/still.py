"""Still images of the maps: a Vega-Lite spec of the same map as a deck, for the caption's 画像を保存, slides and
handouts (a WebGL deck has no image of its own; vl-convert renders these offline with the system CJK fonts).

Pure: the deck's own JSON (charts.maps.decks: its layers, colours, placed labels and initial view) comes in, a
Vega-Lite dict goes out — so the image shows exactly the areas, colours, arcs and labels of the map on screen:
geoshapes from the same geometry (inline GeoJSON in `datasets`), a Mercator projection fitted like the deck's view
(same centre, the zoom scaled to the image height), flows as tapered trails (thin at the origin, thick at the
destination: the direction the deck shows with pale → strong colour), the legend as a colour legend. Title-free:
the caller stamps the title and source lines (ui.export.stamped).
"""
from __future__ import annotations

import math

from charts import FONT
from charts.maps.colours import INK

#: Image size in pixels (before vl-convert's scale): about the width of an exported chart.
WIDTH, HEIGHT = 1000, 720
_SKIP = ("@@type", "id")


def hex_colour(rgba) -> str:
    """'#rrggbb' of an [r, g, b(, a)] list."""
    return "#{:02x}{:02x}{:02x}".format(*[int(c) for c in rgba[:3]])


def _alpha(rgba) -> float:
    return round((rgba[3] if len(rgba) > 3 else 255) / 255, 3)


def projection(view: dict, height: int, width: int, deck_height: int) -> dict:
    """The Vega-Lite Mercator projection showing what a deck of `deck_height` pixels shows at `view` (longitude,
    latitude, zoom), in an image `height` high: deck.gl's 512-pixel world at zoom 0 is a d3 scale of
    512·2^zoom / 2π pixels per radian."""
    zoom = view["zoom"] + math.log2(height / deck_height)
    return {"type": "mercator", "scale": round(512 * 2 ** zoom / (2 * math.pi), 3),
            "center": [view["longitude"], view["latitude"]], "translate": [width / 2, height / 2]}


def _layers(deck: dict) -> dict[str, dict]:
    return {layer["id"]: layer for layer in deck.get("layers", [])}


def _signed_area(ring) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1])) / 2


def _wound(ring: list, outer: bool) -> list:
    """`ring` in d3-geo's spherical order: an outer ring clockwise (on a lon/lat plane, y up), a hole
    counter-clockwise — else d3 fills the rest of the globe."""
    return ring[::-1] if (_signed_area(ring) > 0) == outer else ring


def rewind(geometry: dict) -> dict:
    """A GeoJSON Polygon / MultiPolygon with its rings in d3-geo's order (GeoJSON's RFC 7946 order is the opposite)."""
    if geometry["type"] == "Polygon":
        rings = geometry["coordinates"]
        return {"type": "Polygon", "coordinates": [_wound(r, i == 0) for i, r in enumerate(rings)]}
    if geometry["type"] == "MultiPolygon":
        return {"type": "MultiPolygon",
                "coordinates": [[_wound(r, i == 0) for i, r in enumerate(p)] for p in geometry["coordinates"]]}
    return geometry


def _features(layer: dict, fill: bool) -> list[dict]:
    out = []
    for f in layer["data"]["features"]:
        props = {"code": f["properties"].get("code")}
        if fill:
            rgba = f["properties"]["fill"]
            props.update(fill=hex_colour(rgba), alpha=_alpha(rgba))
        out.append({"type": "Feature", "geometry": rewind(f["geometry"]), "properties": props})
    return out


def _shapes(name: str, layer: dict, stroke: str, width: float) -> dict:
    filled = layer.get("filled", True)
    mark = {"type": "geoshape", "stroke": stroke, "strokeWidth": width, "clip": True}
    layer_spec = {"data": {"name": name}, "mark": mark}
    if filled:
        layer_spec["encoding"] = {"fill": {"field": "properties.fill", "type": "nominal", "scale": None},
                                  "fillOpacity": {"field": "properties.alpha", "type": "quantitative", "scale": None}}
    else:
        mark["filled"] = False
        mark["fill"] = None
    return layer_spec


def _curve(s, t, bend: float = 0.18, n: int = 24) -> list[tuple[float, float, float]]:
    """Points (lon, lat, fraction) of a gentle arc from s to t (a quadratic curve bowed to the left)."""
    (x0, y0), (x1, y1) = s, t
    mx, my = (x0 + x1) / 2 - (y1 - y0) * bend, (y0 + y1) / 2 + (x1 - x0) * bend
    pts = []
    for i in range(n + 1):
        u = i / n
        pts.append(((1 - u) ** 2 * x0 + 2 * (1 - u) * u * mx + u ** 2 * x1,
                    (1 - u) ** 2 * y0 + 2 * (1 - u) * u * my + u ** 2 * y1, u))
    return pts


def _trails(arcs: list[dict]) -> list[dict]:
    rows = []
    for k, a in enumerate(arcs):
        colour = hex_colour(a["tc"])
        for i, (x, y, u) in enumerate(_curve(a["s"], a["t"])):
            rows.append({"arc": k, "i": i, "lon": round(x, 4), "lat": round(y, 4), "c": colour,
                         "w": round(a["w"] * (0.3 + 0.7 * u), 2)})
    return rows


def _text(name: str, size: int, halo: bool) -> dict:
    mark = {"type": "text", "font": FONT, "fontSize": size, "fontWeight": 600, "lineHeight": size * 1.15,
            "align": "center", "baseline": "middle", "fill": hex_colour(INK), "lineBreak": "\n"}
    if halo:
        mark.update(stroke="white", strokeWidth=4, strokeJoin="round", strokeOpacity=0.92)
    return {"data": {"name": name}, "mark": mark,
            "encoding": {"longitude": {"field": "lon", "type": "quantitative"},
                         "latitude": {"field": "lat", "type": "quantitative"},
                         "text": {"field": "lines"}}}


def from_deck(deck: dict, deck_height: int, legend: list[tuple[str, tuple]], legend_title: str,
              notes: list[str] = (), width: int = WIDTH, height: int = HEIGHT) -> dict:
    """The Vega-Lite spec of the map `deck` (the parsed JSON of a charts.maps / charts.indicators deck drawn
    `deck_height` pixels high) as a still image `width` × `height` pixels plus its legend.

    legend: (label, RGB) of each colour class, as the page's HTML legend lists them; legend_title its title.
    notes: lines written in the lower left corner (e.g. the islands left out of the frame). Layers read by id:
    basemap, prefectures, areas (filled outlines), inset (the 沖縄県 frame), flows (arcs → trails), places, dots
    (circles), selected (ink outline), leaders, labels (with their white halo)."""
    layers = _layers(deck)
    datasets: dict[str, list] = {}
    spec_layers: list[dict] = []
    for lid, stroke, w in (("basemap", "#aaaaaa", 0.8), ("prefectures", "#ffffff", 0.8), ("areas", "#ffffff", 0.6)):
        if lid in layers and layers[lid]["data"]["features"]:
            datasets[lid] = _features(layers[lid], fill=True)
            spec_layers.append(_shapes(lid, layers[lid], stroke, w))
    if "inset" in layers:
        datasets["inset"] = [{"type": "Feature", "properties": {},
                              "geometry": {"type": "LineString", "coordinates": d["path"]}} for d in layers["inset"]["data"]]
        spec_layers.append({"data": {"name": "inset"}, "mark": {"type": "geoshape", "filled": False, "fill": None,
                                                                "stroke": "#787878", "strokeWidth": 1, "clip": True}})
    if "flows" in layers and layers["flows"]["data"]:
        datasets["flows"] = _trails(layers["flows"]["data"])
        spec_layers.append({"data": {"name": "flows"}, "mark": {"type": "trail", "opacity": 0.85, "clip": True},
                            "encoding": {"longitude": {"field": "lon", "type": "quantitative"},
                                         "latitude": {"field": "lat", "type": "quantitative"},
                                         "detail": {"field": "arc", "type": "nominal"},
                                         "order": {"field": "i", "type": "quantitative"},
                                         "size": {"field": "w", "type": "quantitative", "scale": None},
                                         "color": {"field": "c", "type": "nominal", "scale": None}}})
    point = {"longitude": {"field": "lon", "type": "quantitative"}, "latitude": {"field": "lat", "type": "quantitative"}}
    if "dots" in layers and layers["dots"]["data"]:
        datasets["dots"] = [{"lon": d["p"][0], "lat": d["p"][1], "fill": hex_colour(d["fill"]),
                             "line": hex_colour(d["line"]), "lw": d["lw"]} for d in layers["dots"]["data"]]
        spec_layers.append({"data": {"name": "dots"}, "mark": {"type": "circle", "size": 110, "opacity": 1, "clip": True},
                            "encoding": {**point, "fill": {"field": "fill", "type": "nominal", "scale": None},
                                         "stroke": {"field": "line", "type": "nominal", "scale": None},
                                         "strokeWidth": {"field": "lw", "type": "quantitative", "scale": None}}})
    if "selected" in layers and layers["selected"]["data"]["features"]:
        datasets["selected"] = _features(layers["selected"], fill=False)
        spec_layers.append(_shapes("selected", layers["selected"], hex_colour(INK), 3))
    if "places" in layers and layers["places"]["data"]:
        datasets["places"] = [{"lon": d["p"][0], "lat": d["p"][1]} for d in layers["places"]["data"]]
        spec_layers.append({"data": {"name": "places"}, "mark": {"type": "circle", "size": 60, "fill": hex_colour(INK),
                                                                 "stroke": "white", "strokeWidth": 1.5, "opacity": 1},
                            "encoding": point})
    if "leaders" in layers and layers["leaders"]["data"]:
        datasets["leaders"] = [{"lon": d["s"][0], "lat": d["s"][1], "lon2": d["t"][0], "lat2": d["t"][1]}
                               for d in layers["leaders"]["data"]]
        spec_layers.append({"data": {"name": "leaders"}, "mark": {"type": "rule", "color": hex_colour(INK),
                                                                  "strokeWidth": 1.2, "opacity": 0.8},
                            "encoding": {**point, "longitude2": {"field": "lon2"}, "latitude2": {"field": "lat2"}}})
    if "labels" in layers and layers["labels"]["data"]:
        size = max(int(layers["labels"].get("getSize", 14)), 14)
        datasets["labels"] = [{"lon": d["p"][0], "lat": d["p"][1], "lines": d["label"]}
                              for d in layers["labels"]["data"]]
        spec_layers += [_text("labels", size, True), _text("labels", size, False)]
    # The legend: one invisible point per class, coloured by a scale whose legend lists the classes.
    datasets["legend"] = [{"label": label, "lon": deck["initialViewState"]["longitude"],
                           "lat": deck["initialViewState"]["latitude"]} for label, _ in legend]
    spec_layers.append({"data": {"name": "legend"}, "mark": {"type": "square", "opacity": 0},
                        "encoding": {**point, "color": {
                            "field": "label", "type": "nominal", "sort": None, "title": legend_title,
                            "scale": {"domain": [label for label, _ in legend], "range": [hex_colour(c) for _, c in legend]},
                            "legend": {"orient": "right", "symbolType": "square", "symbolOpacity": 1, "symbolSize": 180,
                                       "symbolStrokeColor": "#777777", "symbolStrokeWidth": 0.6, "labelFontSize": 13,
                                       "titleFontSize": 14, "labelLimit": 260, "titleLimit": 420}}}})
    if notes:
        datasets["notes"] = [{"lines": "\n".join(notes)}]
        spec_layers.append({"data": {"name": "notes"}, "mark": {
            "type": "text", "font": FONT, "fontSize": 13, "align": "left", "baseline": "bottom", "fill": "#444444",
            "lineHeight": 16, "lineBreak": "\n", "x": 8, "y": height - 8 - 16 * (len(notes) - 1)},
            "encoding": {"text": {"field": "lines"}}})
    return {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "width": width, "height": height,
            "projection": projection(deck["initialViewState"], height, width, deck_height),
            "datasets": datasets, "layer": spec_layers,
            "config": {"font": FONT, "view": {"stroke": None}, "background": "white",
                       "legend": {"labelFont": FONT, "titleFont": FONT}}}
