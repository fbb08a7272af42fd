"""Pure pydeck builders of the migration map page: flow arcs between an area and the prefectures, and the
net-migration choropleth. No Streamlit calls; the language is passed in.

Offline by construction: `map_provider=None` and no map style (no tile server; see `_deck`); the prefecture
basemap is the outline data shipped by the `japanmap` package (the main area of each prefecture), municipal
outlines come from the database (loaders.boundaries), and labels use the browser's own CJK fonts. Every layer
has an `id`.
Colours are Okabe–Ito blue (inflow / gain) and vermillion (outflow / loss), which stay distinct with the common
colour-vision deficiencies. Tooltips are plain text with thousands separators (Streamlit escapes HTML in them).
"""
from __future__ import annotations

import copy
import html
import json
import math
from functools import lru_cache

import numpy as np
import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from charts import FONT, tr
from loaders.boundaries import douglas_peucker

BLUE = (0, 114, 178)
VERMILLION = (213, 94, 0)
NEUTRAL = (238, 238, 238)
NO_DATA = (214, 214, 214)
NO_RATE = (185, 185, 185)  # choropleth: darker than the neutral class (−1 … +1 per 1,000) so the two never mix
INK = (34, 34, 34)
#: Fixed class breaks of the net migration rate (per 1,000 residents), so years and areas compare.
RATE_BREAKS = (-10.0, -6.0, -3.0, -1.0, 1.0, 3.0, 6.0, 10.0)
#: Whole Japan (沖縄県 as an inset) to Wakkanai, in a map about 640 px high.
JAPAN_VIEW = dict(longitude=137.0, latitude=38.4, zoom=4.45)


def japan_view(height: int = 640) -> dict:
    """JAPAN_VIEW for a map `height` pixels high (the zoom grows with the height: presenter mode)."""
    return {**JAPAN_VIEW, "zoom": round(JAPAN_VIEW["zoom"] + math.log2(height / 640), 2)}
MAP_HEIGHT = 640
#: Douglas–Peucker tolerance and rounding of the prefecture outlines: (degrees, decimals). At the zoom of a
#: whole-Japan map a pixel is ≈ 0.04°, so 0.03° is invisible there; the choropleth's neighbours use a finer cut.
COARSE, FINE = (0.03, 2), (0.005, 3)
#: 沖縄県 is drawn moved (+lon, +lat degrees) into the East China Sea west of Kyushu, framed as an inset, as
#: Japanese national maps do, so the flow map can zoom to the main islands (the choropleth keeps true positions).
OKINAWA_SHIFT = (0.8, 4.9)
OKINAWA = "47"


# ---------------------------------------------------------------- prefecture outlines (japanmap)

def _ring_centroid(ring: list) -> tuple[float, float]:
    pts = np.asarray(ring, dtype=float)
    x, y = pts[:, 0], pts[:, 1]
    x1, y1 = np.roll(x, -1), np.roll(y, -1)
    cross = x * y1 - x1 * y
    area = cross.sum() / 2
    if abs(area) < 1e-12:
        return float(x.mean()), float(y.mean())
    return float(((x + x1) * cross).sum() / (6 * area)), float(((y + y1) * cross).sum() / (6 * area))


@lru_cache(maxsize=4)
def prefecture_shapes(cut: tuple[float, int] = COARSE, inset: bool = True) -> dict[str, dict]:
    """Outline of the main area of each prefecture from the `japanmap` package, simplified by `cut`
    (Douglas–Peucker tolerance in degrees, decimals kept); with `inset`, 沖縄県 moved by OKINAWA_SHIFT.

    Returns {'01000': dict(ring=[[lon, lat], …] closed, centroid=(lon, lat)), …} for the 47 prefectures. Shared
    borders are simplified once per border piece (japanmap stores them as shared index lists), so neighbours
    stay seamless. Islands apart from the main area are not in the package.
    """
    import japanmap

    qp, qo = japanmap.get_data()
    cache: dict[tuple, list[int]] = {}
    out = {}
    for k, segments in enumerate(qo):
        ring: list[list[float]] = []
        for _, idx in segments:
            key = tuple(sorted((idx[0], idx[-1]))) + (len(idx), min(idx))
            if key not in cache:
                pts = np.array([qp[i][0] for i in idx])
                cache[key] = [idx[i] for i in douglas_peucker(pts, cut[0])]
            kept = cache[key] if cache[key][0] == idx[0] else cache[key][::-1]
            dx, dy = OKINAWA_SHIFT if inset and k + 1 == int(OKINAWA) else (0.0, 0.0)
            for i in kept:
                p = [round(qp[i][0][0] + dx, cut[1]), round(qp[i][0][1] + dy, cut[1])]
                if not ring or ring[-1] != p:
                    ring.append(p)
        if ring[0] != ring[-1]:
            ring.append(ring[0])
        out[f"{k + 1:02d}000"] = dict(ring=ring, centroid=_ring_centroid(ring[:-1]))
    return out


# ---------------------------------------------------------------- colours, classes, numbers

def ramp(rgb: tuple[int, int, int], n: int) -> list[tuple[int, int, int]]:
    """`n` shades of `rgb`, light to dark (the darkest slightly darker than `rgb`)."""
    out = []
    for i in range(n):
        f = 0.3 + 0.7 * i / max(n - 1, 1)
        dark = 0.78 if i == n - 1 and n > 2 else 1.0
        out.append(tuple(int(round((255 * (1 - f) + c * f) * dark)) for c in rgb))
    return out


def _nice(x: float) -> int:
    if x <= 1:
        return 1
    e = 10 ** math.floor(math.log10(x))
    m = min((1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10), key=lambda c: abs(c - x / e))
    return int(m * e)


def count_breaks(values, n: int = 5) -> list[int]:
    """Up to n−1 increasing class thresholds (nice round counts) for the magnitudes of `values` (persons).

    Quantile-based (35/65/85/95 %), because flows are very skewed (東京都 dwarfs the rest). Class i holds values in
    [t[i−1], t[i]); class 0 below t[0].
    """
    vals = np.abs(np.asarray([v for v in values if v is not None and not pd.isna(v) and v != 0], dtype=float))
    if vals.size == 0:
        return [1]
    qs = np.quantile(vals, [0.35, 0.65, 0.85, 0.95][: n - 1]) if vals.size > 1 else vals
    out: list[int] = []
    for q in qs:
        v = _nice(q)
        if not out or v > out[-1]:
            out.append(v)
    return out


def _klass(value: float, breaks) -> int:
    return int(np.searchsorted(np.asarray(breaks), abs(value), side="right"))


def fmt_count(value, lang: str, signed: bool = False) -> str:
    """Persons with thousands separators; negatives '△1,010' (ja) / '−1,010' (en); '+846' when `signed`."""
    if value is None or pd.isna(value):
        return "—"
    v = int(value)
    if v < 0:
        return ("△" if lang == "ja" else "−") + f"{-v:,}"
    return f"+{v:,}" if signed and v > 0 else f"{v:,}"


def _fmt_rate(value, lang: str) -> str:
    if value is None or pd.isna(value):
        return tr("unavailable", lang)
    if value < 0:
        return ("△" if lang == "ja" else "−") + f"{-value:.1f}"
    return f"+{value:.1f}" if value > 0 else "0.0"


# ---------------------------------------------------------------- flow arcs

def _name(row, lang: str) -> str:
    en = row.get("partner_en") if lang == "en" else None
    return en if isinstance(en, str) and en else row["partner_ja"]


def _point(code: str, lat, lon) -> tuple[float, float] | None:
    """Where a flow map draws an area: a prefecture at its outline's centroid, another area at its lat/lon
    (moved with the 沖縄県 inset), else at its prefecture."""
    shapes = prefecture_shapes()
    if code in shapes:
        return shapes[code]["centroid"]
    if lat is not None and lon is not None and not pd.isna(lat) and not pd.isna(lon):
        dx, dy = OKINAWA_SHIFT if code.startswith(OKINAWA) else (0.0, 0.0)
        return float(lon) + dx, float(lat) + dy
    pref = code[:2] + "000"
    return shapes[pref]["centroid"] if pref in shapes else None


def _tip(name: str, rows: list[tuple[str, str]]) -> str:
    return "\n".join([name] + [f"{label}: {value}" for label, value in rows])


def _flow_tip(row, lang: str, unit: str) -> str:
    lines = []
    if not pd.isna(row.get("in_movers")):
        lines.append((tr("map_in", lang), f"{fmt_count(row['in_movers'], lang)} {unit}"))
    if not pd.isna(row.get("out_movers")):
        lines.append((tr("map_out", lang), f"{fmt_count(row['out_movers'], lang)} {unit}"))
    lines.append((tr("map_net", lang), f"{fmt_count(row['net'], lang, signed=True)} {unit}"))
    return _tip(_name(row, lang), lines)


def _pixel(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    scale = 512 * 2 ** zoom
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return scale * (lon + 180) / 360, scale * (1 - y / math.pi) / 2


def place_labels(labels: list[dict], zoom: float, size: int) -> list[dict]:
    """The labels that do not overlap at `zoom`, most important first (highest `pr`).

    Label boxes are estimated from the text (CJK ≈ 1 em, digits ≈ 0.6 em per character, 1.15 em per line, plus
    the white outline) around the anchor; a label overlapping an accepted one is left out (its figures stay in
    the tooltip and the tables). Deterministic, so the first view is readable without relying on WebGL.
    """
    boxes, kept = [], []
    for d in sorted(labels, key=lambda d: -d.get("pr", 0)):
        lines = d["label"].split("\n")
        w = max(sum(0.62 if c.isascii() else 1.0 for c in line) for line in lines) * size + 6
        h = len(lines) * 1.15 * size + 4
        x, y = _pixel(d["p"][0], d["p"][1], zoom)
        box = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
        if all(box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for b in boxes):
            boxes.append(box)
            kept.append(d)
    return kept


def _labels_layer(labels: list[dict], layer_id: str, size: int = 14, zoom: float | None = None) -> pdk.Layer:
    """Text labels (dicts with p = [lon, lat], label, pr = priority −1000…1000) in the CJK fonts of the browser.
    With `zoom`, labels that would overlap at that zoom are dropped first (place_labels)."""
    if zoom is not None:
        labels = place_labels(labels, zoom, size)
    # deck.gl draws only the glyphs of `characterSet` (default: ASCII), so the kanji of the labels are listed.
    chars = "".join(sorted(set("".join(d["label"] for d in labels) + "0123456789,+-△− ") - {"\n", "'", '"'}))
    return pdk.Layer(
        "TextLayer", id=layer_id, data=labels, get_position="p", get_text="label", get_size=size,
        get_color=list(INK) + [255], get_text_anchor="'middle'", get_alignment_baseline="'center'",
        character_set=f"'{chars}'", font_family=f"'{FONT}'", font_weight=600,
        font_settings={"sdf": True, "fontSize": 48},
        outline_width=4, outline_color=[255, 255, 255, 235], line_height=1.15, billboard=True, pickable=False,
        # Always on top of the arcs (which are drawn slightly above the ground).
        parameters={"depthCompare": "always", "depthWriteEnabled": False})


def _prefecture_layer(fills: dict[str, tuple], tips: dict[str, str], layer_id: str = "prefectures",
                      pickable: bool = True, line=(255, 255, 255, 255), shapes: dict | None = None) -> pdk.Layer:
    features = []
    for code, shape in (prefecture_shapes() if shapes is None else shapes).items():
        features.append({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [shape["ring"]]},
                         "properties": {"code": code, "fill": list(fills.get(code, NO_DATA + (255,))),
                                        "tip": tips.get(code, "")}})
    return pdk.Layer("GeoJsonLayer", id=layer_id, data={"type": "FeatureCollection", "features": features},
                     stroked=True, filled=True, get_fill_color="properties.fill", get_line_color=list(line),
                     line_width_min_pixels=0.8, line_width_units="'pixels'", get_line_width=1, pickable=pickable,
                     auto_highlight=pickable, highlight_color=[0, 0, 0, 40])


def _outline_layer(codes: list[str], layer_id: str) -> pdk.Layer:
    shapes = prefecture_shapes()
    features = [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [shapes[c]["ring"]]},
                 "properties": {"code": c}} for c in codes if c in shapes]
    return pdk.Layer("GeoJsonLayer", id=layer_id, data={"type": "FeatureCollection", "features": features},
                     stroked=True, filled=False, get_line_color=list(INK) + [255], line_width_units="'pixels'",
                     get_line_width=3, line_width_min_pixels=3, pickable=False)


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
    """A Deck that sends `text` (the to_json() of a deck built earlier, e.g. cached by the page) as its JSON."""
    deck = copy.copy(_empty_deck())
    deck._frozen = text
    return deck


def _inset_layer() -> pdk.Layer:
    """Thin frame around the moved 沖縄県, the usual mark of an inset."""
    ring = np.asarray(prefecture_shapes()[OKINAWA + "000"]["ring"])
    (x0, y0), (x1, y1) = ring.min(axis=0) - 0.35, ring.max(axis=0) + 0.35
    path = [[round(x0, 2), round(y0, 2)], [round(x1, 2), round(y0, 2)], [round(x1, 2), round(y1, 2)],
            [round(x0, 2), round(y1, 2)], [round(x0, 2), round(y0, 2)]]
    return pdk.Layer("PathLayer", id="inset", data=[{"path": path}], get_path="path", get_color=[120, 120, 120, 255],
                     get_width=1, width_units="'pixels'", width_min_pixels=1, pickable=False)


def _deck(layers: list, view: dict, lang: str) -> Deck:
    # map_provider=None and map_style left at pydeck's placeholder '__MAP_STYLE__': Streamlit then draws no basemap.
    # (An explicit map_style=None drops the key, and Streamlit falls back to a CARTO style from the internet.)
    return Deck(layers=layers, initial_view_state=pdk.ViewState(**view, pitch=0, bearing=0),
                    map_provider=None, tooltip=TOOLTIP,
                    views=[pdk.View("MapView", controller=True)])


def flow_classes(flows: pd.DataFrame, mode: str, exclude: tuple[str, ...] = ()) -> dict:
    """Class thresholds and colours of a flow map: dict(breaks, pos (colours of gains/inflow, light → dark),
    neg (losses/outflow)). `exclude`: partner codes left out of the classes (the area's own prefecture)."""
    col = {"in": "in_movers", "out": "out_movers"}.get(mode, "net")
    vals = flows.loc[~flows["partner_code"].isin(exclude), col].dropna().tolist() if col in flows else []
    breaks = count_breaks(vals)
    n = len(breaks) + 1
    return dict(breaks=breaks, pos=ramp(BLUE, n), neg=ramp(VERMILLION, n), column=col)


def flow_deck(flows: pd.DataFrame, subject: dict, mode: str, lang: str, selected: str | None = None,
              top_labels: int = 14, height: int = 640, label_size: int = 14) -> pdk.Deck:
    """Arcs between the subject area and its partners, over the prefecture map.

    flows: queries.maps.flows / net_by_age output (partner_code, partner_ja, partner_en, lat, lon, in_movers,
    out_movers, net; persons). subject: dict(code, name, lat, lon) — the area whose flows these are (a
    prefecture is placed at its outline's centroid). mode: 'in' (partner → subject, in_movers), 'out' (subject →
    partner, out_movers) or 'net' (from the losing to the gaining side, |net|; blue = the subject gains,
    vermillion = it loses). The subject's own prefecture (for a city: moves within the prefecture) is listed in
    tooltips but not drawn, since it has no single place. selected: a partner code outlined and labelled.
    Width ∝ √volume; colour class by volume (see flow_classes). height: map height in pixels (sets the zoom);
    label_size: label font pixels (larger in presenter mode). Layer ids: prefectures, inset, flows, places,
    selected, labels.
    """
    code = subject["code"]
    own = code[:2] + "000" if code[2:] != "000" else code
    cls = flow_classes(flows, mode, exclude=(own, code))
    col, breaks = cls["column"], cls["breaks"]
    unit = tr("unit_persons", lang)
    home = _point(code, subject.get("lat"), subject.get("lon"))
    vmax = max([abs(v) for v in flows.loc[~flows["partner_code"].isin([own, code]), col].dropna()] or [1])
    arcs, fills, tips, places, labels = [], {}, {}, [], []
    for row in flows.to_dict("records"):
        value = row.get(col)
        tip = _flow_tip(row, lang, unit)
        if row["partner_code"] == own:
            tip += "\n" + tr("map_within_pref_note", lang)
        tips[row["partner_code"]] = tip
        if value is None or pd.isna(value) or row["partner_code"] in (own, code):
            continue
        k = _klass(value, breaks)
        colour = (cls["pos"] if (mode == "in" or (mode == "net" and value > 0)) else cls["neg"])[k]
        if row["partner_code"] in prefecture_shapes():
            fills[row["partner_code"]] = colour + (200,)
        if value == 0:
            continue
        where = _point(row["partner_code"], row.get("lat"), row.get("lon"))
        if where is None or home is None:
            continue
        if row["partner_code"] not in prefecture_shapes():
            places.append({"p": list(where), "tip": tip, "code": row["partner_code"]})
        inbound = mode == "in" or (mode == "net" and value > 0)
        src, dst = (where, home) if inbound else (home, where)
        arcs.append({"s": [round(src[0], 3), round(src[1], 3)], "t": [round(dst[0], 3), round(dst[1], 3)],
                     "w": round(1.5 + 12 * math.sqrt(abs(value) / vmax), 1), "sc": list(colour) + [130],
                     "tc": list(colour) + [255], "tip": tip, "code": row["partner_code"], "v": abs(int(value))})
    if code in prefecture_shapes():
        fills[code] = (120, 120, 120, 255)
        tips.setdefault(code, subject["name"])
    arcs.sort(key=lambda a: a["v"])  # big arcs drawn last, on top
    rank = {a["code"]: i for i, a in enumerate(sorted(arcs, key=lambda a: -a["v"])[:top_labels])}
    if selected:
        rank[selected] = -1
    for row in flows.to_dict("records"):
        if row["partner_code"] in rank and row["partner_code"] not in (own, code):
            where = _point(row["partner_code"], row.get("lat"), row.get("lon"))
            value = row.get(col)
            if where is not None:
                figure = "" if pd.isna(value) else "\n" + fmt_count(value, lang, signed=mode == "net")
                text = _name(row, lang) + figure
                lift = 0.0 if row["partner_code"] in prefecture_shapes() else 0.45  # a city: label above its dot
                labels.append({"p": [round(where[0], 3), round(where[1] + lift, 3)], "label": text,
                               "pr": 900 - 10 * rank[row["partner_code"]]})
    if home is not None:
        places.append({"p": list(home), "tip": subject["name"], "code": code})
        labels.append({"p": [round(home[0], 3), round(home[1] - 0.35, 3)], "label": subject["name"], "pr": 1000})
    layers = [
        _prefecture_layer(fills, tips),
        _inset_layer(),
        pdk.Layer("ArcLayer", id="flows", data=arcs, get_source_position="s", get_target_position="t",
                  get_source_color="sc", get_target_color="tc", get_width="w", width_units="'pixels'",
                  get_height=0.3, get_tilt=90, great_circle=False, pickable=True, auto_highlight=True),
        pdk.Layer("ScatterplotLayer", id="places", data=places, get_position="p", get_radius=5,
                  radius_units="'pixels'", get_fill_color=list(INK) + [255], get_line_color=[255, 255, 255, 255],
                  stroked=True, line_width_min_pixels=1.5, pickable=True),
    ]
    if selected and selected in prefecture_shapes() and selected != code:
        layers.append(_outline_layer([selected], "selected"))
    view = japan_view(height)
    layers.append(_labels_layer(labels, "labels", size=label_size, zoom=view["zoom"]))
    return _deck(layers, view, lang)


def pairs_deck(pairs: pd.DataFrame, names: dict[str, str], mode: str, lang: str, selected: str | None = None,
               top_labels: int = 12, height: int = 640, label_size: int = 14) -> pdk.Deck:
    """全国 view: arcs of the largest flows between two prefectures (from_code → to_code, movers in persons).

    names: prefecture code -> display name. mode 'gross' (blue) or 'net' (from the losing to the gaining
    prefecture). Colour and width by movers, the pale end at the origin. Prefectures are filled by the total
    shown flowing into them. Layer ids:
    prefectures, flows, selected, labels.
    """
    unit = tr("unit_persons", lang)
    breaks = count_breaks(pairs["movers"].tolist())
    colours = ramp(BLUE, len(breaks) + 1)
    vmax = max(pairs["movers"].abs().max() if not pairs.empty else 1, 1)
    shapes = prefecture_shapes()
    arcs = []
    for r in pairs.to_dict("records"):
        if r["from_code"] not in shapes or r["to_code"] not in shapes:
            continue
        colour = colours[_klass(r["movers"], breaks)]
        src, dst = shapes[r["from_code"]]["centroid"], shapes[r["to_code"]]["centroid"]
        label = tr("map_net", lang) if mode == "net" else tr("map_movers", lang)
        tip = _tip(f"{names.get(r['from_code'], r['from_code'])} → {names.get(r['to_code'], r['to_code'])}",
                   [(label, f"{fmt_count(r['movers'], lang)} {unit}")])
        arcs.append({"s": [round(src[0], 3), round(src[1], 3)], "t": [round(dst[0], 3), round(dst[1], 3)],
                     "w": round(1 + 10 * math.sqrt(r["movers"] / vmax), 1), "sc": list(colour) + [110],
                     "tc": list(colour) + [255], "tip": tip, "code": r["to_code"], "v": int(r["movers"])})
    arcs.sort(key=lambda a: a["v"])
    inflow = pairs.groupby("to_code")["movers"].sum().to_dict() if not pairs.empty else {}
    fill_breaks = count_breaks(list(inflow.values()))
    fill_colours = ramp(BLUE, len(fill_breaks) + 1)
    fills = {c: fill_colours[_klass(v, fill_breaks)] + (170,) for c, v in inflow.items()}
    tips = {c: names.get(c, c) for c in shapes}
    hubs = sorted(inflow, key=lambda c: -inflow[c])[:top_labels] + ([selected] if selected else [])
    labels = [{"p": [round(shapes[c]["centroid"][0], 3), round(shapes[c]["centroid"][1], 3)], "label": names.get(c, c),
               "pr": 900 - 10 * i} for i, c in enumerate(dict.fromkeys(hubs)) if c in shapes]
    layers = [_prefecture_layer(fills, tips), _inset_layer(),
              pdk.Layer("ArcLayer", id="flows", data=arcs, get_source_position="s", get_target_position="t",
                        get_source_color="sc", get_target_color="tc", get_width="w", width_units="'pixels'",
                        get_height=0.3, get_tilt=90, pickable=True, auto_highlight=True)]
    if selected in shapes:
        layers.append(_outline_layer([selected], "selected"))
    view = japan_view(height)
    layers.append(_labels_layer(labels, "labels", size=label_size, zoom=view["zoom"]))
    return _deck(layers, view, lang)


# ---------------------------------------------------------------- choropleth

def rate_colours() -> list[tuple[int, int, int]]:
    """Colours of the RATE_BREAKS classes, most negative first: vermillion (loss) … neutral … blue (gain)."""
    k = (len(RATE_BREAKS) - 2) // 2  # classes on each side of the neutral one
    return ramp(VERMILLION, k + 1)[::-1][:k + 1] + [NEUTRAL] + ramp(BLUE, k + 1)


def _rate_class(rate: float) -> int:
    return int(np.searchsorted(np.asarray(RATE_BREAKS), rate, side="right"))


def _bbox_view(rings: list[list], height: int = 560, width: int = 760) -> dict:
    pts = np.asarray([p for ring in rings for p in ring], dtype=float)
    (x0, y0), (x1, y1) = pts.min(axis=0), pts.max(axis=0)
    merc = lambda lat: math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))  # noqa: E731
    dx, dy = max(x1 - x0, 0.05), max(merc(y1) - merc(y0), 0.05)
    zoom = min(math.log2(width * 360 / (512 * dx)), math.log2(height * 360 / (512 * dy))) - 0.25
    mid = (merc(y0) + merc(y1)) / 2
    lat = math.degrees(2 * math.atan(math.exp(math.radians(mid))) - math.pi / 2)
    return dict(longitude=round((x0 + x1) / 2, 4), latitude=round(lat, 4), zoom=round(min(zoom, 11), 2))


def choropleth_deck(frame: pd.DataFrame, selected: str, lang: str, height: int = 560, label_size: int = 15) -> pdk.Deck:
    """Municipalities (or, with no `geojson` column, the 47 prefectures) coloured by net migration rate.

    frame: queries.maps.choropleth output (area_code, name_ja, name_en, parent_code, in_total, out_total, net,
    net_rate per 1,000, geojson). selected: the user's area; it is outlined (a designated city: all its wards).
    Fixed classes RATE_BREAKS, vermillion = net loss, blue = net gain, grey = no figure. Layer ids: basemap,
    areas, selected, labels.
    """
    colours = rate_colours()
    shapes = prefecture_shapes()
    unit = tr("unit_persons", lang)
    features, outlined, rings = [], [], []
    for r in frame.to_dict("records"):
        if "geojson" in r and isinstance(r.get("geojson"), str):
            geom = json.loads(r["geojson"])
        elif r["area_code"] in shapes:
            geom = {"type": "Polygon", "coordinates": [shapes[r["area_code"]]["ring"]]}
        else:
            continue
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        rings += [p[0] for p in polys]
        rate = r.get("net_rate")
        fill = NO_RATE if rate is None or pd.isna(rate) else colours[_rate_class(rate)]
        name = r["name_en"] if lang == "en" and isinstance(r.get("name_en"), str) else r["name_ja"]
        tip = _tip(name, [(tr("map_rate", lang), f"{_fmt_rate(rate, lang)}（{tr('per_1000', lang)}）" if lang == "ja"
                           else f"{_fmt_rate(rate, lang)} ({tr('per_1000', lang)})"),
                          (tr("map_in", lang), f"{fmt_count(r.get('in_total'), lang)} {unit}"),
                          (tr("map_out", lang), f"{fmt_count(r.get('out_total'), lang)} {unit}"),
                          (tr("map_net", lang), f"{fmt_count(r.get('net'), lang, signed=True)} {unit}")])
        feature = {"type": "Feature", "geometry": geom,
                   "properties": {"code": r["area_code"], "fill": list(fill) + [235], "tip": tip}}
        features.append(feature)
        if selected and (r["area_code"] == selected or r.get("parent_code") == selected):
            outlined.append((feature, polys, name))
    # Neighbouring prefectures as context, finer than the whole-Japan outline, only those near the map.
    fine = prefecture_shapes(FINE, inset=False)
    if rings and "geojson" in frame.columns:
        pts = np.asarray([p for ring in rings for p in ring], dtype=float)
        (x0, y0), (x1, y1) = pts.min(axis=0) - 1.5, pts.max(axis=0) + 1.5
        near = {c: v for c, v in fine.items()
                if (np.asarray(v["ring"])[:, 0].max() >= x0 and np.asarray(v["ring"])[:, 0].min() <= x1
                    and np.asarray(v["ring"])[:, 1].max() >= y0 and np.asarray(v["ring"])[:, 1].min() <= y1)}
    else:
        near = {}
    base = _prefecture_layer({c: (250, 250, 250, 255) for c in near}, {}, layer_id="basemap", pickable=False,
                             line=(170, 170, 170, 255), shapes=near)
    layers = [base, pdk.Layer("GeoJsonLayer", id="areas", data={"type": "FeatureCollection", "features": features},
                              stroked=True, filled=True, get_fill_color="properties.fill",
                              get_line_color=[255, 255, 255, 255], line_width_units="'pixels'", get_line_width=1,
                              line_width_min_pixels=0.6, pickable=True, auto_highlight=True,
                              highlight_color=[0, 0, 0, 50])]
    labels = []
    if outlined:
        layers.append(pdk.Layer("GeoJsonLayer", id="selected", data={"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": f["geometry"], "properties": {"code": f["properties"]["code"]}}
            for f, _, _ in outlined]}, stroked=True, filled=False, get_line_color=list(INK) + [255],
            line_width_units="'pixels'", get_line_width=3, line_width_min_pixels=3, pickable=False))
        if len(outlined) == 1:
            _, polys, name = outlined[0]
            main = max((p[0] for p in polys), key=len)
            cx, cy = _ring_centroid(main[:-1])
            labels.append({"p": [round(cx, 3), round(cy, 3)], "label": name, "pr": 1000})
    if "geojson" not in frame.columns:
        layers.insert(2, _inset_layer())
    layers.append(_labels_layer(labels, "labels", size=label_size))
    view = _bbox_view(rings, height=height) if rings else JAPAN_VIEW
    return _deck(layers, view, lang)


# ---------------------------------------------------------------- legends and selection

def _swatch(rgb, label: str) -> str:
    colour = f"rgb({rgb[0]},{rgb[1]},{rgb[2]})"
    return (f'<span style="white-space:nowrap"><span style="display:inline-block;width:1.1em;height:1.1em;'
            f'background:{colour};border:1px solid #777;vertical-align:-0.2em;margin-right:0.3em"></span>'
            f'{html.escape(label)}</span>')


def _ranges(breaks: list[int], lang: str) -> list[str]:
    """Labels of the classes of `count_breaks` thresholds: '〜99', '100〜299', …, '3,000以上'."""
    out = [(f"{breaks[0] - 1:,}以下" if lang == "ja" else f"up to {breaks[0] - 1:,}") if breaks[0] > 1 else "0"]
    for lo, hi in zip(breaks[:-1], breaks[1:]):
        out.append(f"{lo:,}〜{hi - 1:,}" if lang == "ja" else f"{lo:,}–{hi - 1:,}")
    out.append(f"{breaks[-1]:,}以上" if lang == "ja" else f"{breaks[-1]:,} or more")
    return out


def _legend_box(title: str, rows: list[str], note: str) -> str:
    body = "".join(f'<div style="display:flex;flex-wrap:wrap;gap:0.3em 1.1em;margin:0.15em 0">{r}</div>' for r in rows)
    box = "font-size:0.92rem;line-height:1.5;border:1px solid #ddd;border-radius:6px;padding:0.45em 0.7em"
    return (f'<div style="{box}"><b>{html.escape(title)}</b>{body}'
            f'<div style="color:#555;font-size:0.85rem">{html.escape(note)}</div></div>')


def flow_legend(classes: dict, mode: str, lang: str) -> str:
    """Legend of a flow map as HTML (swatches with persons ranges, what width and direction mean)."""
    labels = _ranges(classes["breaks"], lang)
    unit = tr("unit_persons", lang)
    if mode == "net":
        rows = [f"{html.escape(tr(key, lang))}: " + " ".join(_swatch(c, l) for c, l in zip(classes[side], labels))
                for key, side in (("map_gain", "pos"), ("map_loss", "neg"))]
    else:
        colours = classes["pos"] if mode == "in" else classes["neg"]
        rows = [" ".join(_swatch(c, l) for c, l in zip(colours, labels))]
    title = tr("map_legend_" + mode, lang) + (f"（{unit}）" if lang == "ja" else f" ({unit})")
    return _legend_box(title, rows, tr("map_legend_note", lang))


def pairs_legend(pairs: pd.DataFrame, mode: str, lang: str) -> str:
    """Legend of the 全国 pairs map as HTML."""
    breaks = count_breaks(pairs["movers"].tolist())
    labels = _ranges(breaks, lang)
    rows = [" ".join(_swatch(c, l) for c, l in zip(ramp(BLUE, len(breaks) + 1), labels))]
    title = tr("map_legend_pairs_" + ("net" if mode == "net" else "gross"), lang)
    return _legend_box(title, rows, tr("map_legend_pairs_note", lang))


def rate_legend(lang: str) -> str:
    """Legend of the choropleth as HTML: RATE_BREAKS classes per 1,000 residents and 'no figure'."""
    b = RATE_BREAKS
    minus = "△" if lang == "ja" else "−"
    f = lambda v: (minus + f"{-v:g}") if v < 0 else f"+{v:g}"  # noqa: E731
    labels = [(f"{f(b[0])}未満" if lang == "ja" else f"below {f(b[0])}")]
    labels += [f"{f(lo)}〜{f(hi)}" if lang == "ja" else f"{f(lo)} to {f(hi)}" for lo, hi in zip(b[:-1], b[1:])]
    labels.append(f"{f(b[-1])}以上" if lang == "ja" else f"{f(b[-1])} or more")
    swatches = [_swatch(c, l) for c, l in zip(rate_colours(), labels)] + [_swatch(NO_RATE, tr("unavailable", lang))]
    per = tr("per_1000", lang)
    title = tr("map_rate", lang) + (f"（{per}）" if lang == "ja" else f" ({per})")
    rows = [" ".join(swatches)]
    return _legend_box(title, rows, tr("map_rate_note", lang))


def picked_code(selection) -> str | None:
    """The area code of the object clicked on a map (st.pydeck_chart selection state), or None."""
    try:
        objects = selection["selection"]["objects"]
    except (KeyError, TypeError):
        return None
    for layer in ("flows", "prefectures", "places", "areas"):
        for obj in objects.get(layer) or []:
            code = obj.get("code") or (obj.get("properties") or {}).get("code")
            if code:
                return str(code)
    return None
