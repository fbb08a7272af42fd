"""pydeck pieces shared by every map: the compact Deck, the offline deck (no tile server), the prefecture
basemap layers, the inset frame, and the area / selection layers of the choropleths. Every layer has an `id`."""
from __future__ import annotations

import copy
import json
from functools import lru_cache

import numpy as np
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from charts import FONT
from charts.maps.colours import INK, NO_DATA
from charts.maps.geometry import OKINAWA, Shapes, ring_centroid


class Deck(pdk.Deck):
    """A pdk.Deck whose JSON (what st.pydeck_chart sends to the browser) is compact: no indentation and UTF-8
    text instead of \\u escapes — about half the bytes of pydeck's own `to_json`."""

    def to_json(self) -> str:
        frozen = getattr(self, "_frozen", None)
        if frozen is not None:
            return frozen
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"), ensure_ascii=False)


TOOLTIP = {"text": "{tip}", "style": {"backgroundColor": "white", "color": "#222", "fontSize": "14px",
                                      "whiteSpace": "pre", "border": "1px solid #999", "fontFamily": FONT}}


@lru_cache(maxsize=1)
def _empty_deck() -> Deck:
    return Deck(layers=[], map_provider=None, tooltip=TOOLTIP)  # pdk.Deck() itself takes ~10 ms


def frozen_deck(text: str) -> Deck:
    """A Deck that sends `text` (the to_json() of a deck built earlier, e.g. cached by a view) as its JSON."""
    deck = copy.copy(_empty_deck())
    deck._frozen = text
    return deck


def deck(layers: list, view: dict) -> Deck:
    """The offline deck of `layers` at `view` (longitude, latitude, zoom), with the plain-text tooltip."""
    # map_provider=None and map_style left at pydeck's placeholder '__MAP_STYLE__': Streamlit then draws no basemap.
    # (An explicit map_style=None drops the key, and Streamlit falls back to a CARTO style from the internet.)
    return Deck(layers=layers, initial_view_state=pdk.ViewState(**view, pitch=0, bearing=0),
                map_provider=None, tooltip=TOOLTIP, views=[pdk.View("MapView", controller=True)])


def prefecture_layer(shapes: Shapes, fills: dict[str, tuple], tips: dict[str, str], layer_id: str = "prefectures",
                     pickable: bool = True, line=(255, 255, 255, 255)) -> pdk.Layer:
    """The outlines of `shapes` filled with fills[code] (RGBA; grey where absent), tooltip tips[code]."""
    features = []
    for code, shape in shapes.items():
        features.append({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [shape["ring"]]},
                         "properties": {"code": code, "fill": list(fills.get(code, NO_DATA + (255,))),
                                        "tip": tips.get(code, "")}})
    return pdk.Layer("GeoJsonLayer", id=layer_id, data={"type": "FeatureCollection", "features": features},
                     stroked=True, filled=True, get_fill_color="properties.fill", get_line_color=list(line),
                     line_width_min_pixels=0.8, line_width_units="'pixels'", get_line_width=1, pickable=pickable,
                     auto_highlight=pickable, highlight_color=[0, 0, 0, 40])


def outline_layer(shapes: Shapes, codes: list[str], layer_id: str) -> pdk.Layer:
    """A thick ink outline of the prefectures `codes` (the selected partner)."""
    features = [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [shapes[c]["ring"]]},
                 "properties": {"code": c}} for c in codes if c in shapes]
    return pdk.Layer("GeoJsonLayer", id=layer_id, data={"type": "FeatureCollection", "features": features},
                     stroked=True, filled=False, get_line_color=list(INK) + [255], line_width_units="'pixels'",
                     get_line_width=3, line_width_min_pixels=3, pickable=False)


def inset_layer(shapes: Shapes) -> pdk.Layer:
    """Thin frame around the moved 沖縄県 of `shapes` (Basemap.japan), the usual mark of an inset."""
    ring = np.asarray(shapes[OKINAWA + "000"]["ring"])
    (x0, y0), (x1, y1) = ring.min(axis=0) - 0.35, ring.max(axis=0) + 0.35
    path = [[round(x0, 2), round(y0, 2)], [round(x1, 2), round(y0, 2)], [round(x1, 2), round(y1, 2)],
            [round(x0, 2), round(y1, 2)], [round(x0, 2), round(y0, 2)]]
    return pdk.Layer("PathLayer", id="inset", data=[{"path": path}], get_path="path", get_color=[120, 120, 120, 255],
                     get_width=1, width_units="'pixels'", width_min_pixels=1, pickable=False)


def areas_layer(features: list[dict]) -> pdk.Layer:
    """The coloured areas of a choropleth (GeoJSON features with properties code, fill RGBA, tip), pickable."""
    return pdk.Layer("GeoJsonLayer", id="areas", data={"type": "FeatureCollection", "features": features},
                     stroked=True, filled=True, get_fill_color="properties.fill", get_line_color=[255, 255, 255, 255],
                     line_width_units="'pixels'", get_line_width=1, line_width_min_pixels=0.6, pickable=True,
                     auto_highlight=True, highlight_color=[0, 0, 0, 50])


def selected_layers(outlined: list[tuple[dict, list, str]]) -> tuple[list[pdk.Layer], list[dict]]:
    """The ink outline of the selected area's features (`outlined`: (feature, polygons, name); a designated city:
    all its wards) and, for a single area, its name label at the centroid of its largest part. Returns
    ([layer 'selected'] or [], labels)."""
    if not outlined:
        return [], []
    layer = pdk.Layer("GeoJsonLayer", id="selected", data={"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": f["geometry"], "properties": {"code": f["properties"]["code"]}}
        for f, _, _ in outlined]}, stroked=True, filled=False, get_line_color=list(INK) + [255],
        line_width_units="'pixels'", get_line_width=3, line_width_min_pixels=3, pickable=False)
    labels = []
    if len(outlined) == 1:
        _, polys, name = outlined[0]
        main = max((p[0] for p in polys), key=len)
        cx, cy = ring_centroid(main[:-1])
        labels.append({"p": [round(cx, 3), round(cy, 3)], "label": name, "pr": 1000})
    return [layer], labels
