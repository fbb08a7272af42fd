"""Text on the maps: tooltips (plain text; Streamlit escapes HTML in them) and labels placed without overlap,
drawn in the browser's own CJK fonts."""
from __future__ import annotations

import pydeck as pdk

from charts import FONT
from charts.maps.colours import INK
from charts.maps.geometry import pixel, unpixel


def tip(name: str, rows: list[tuple[str, str]]) -> str:
    """Tooltip text: the name, then one 'label: value' line per row."""
    return "\n".join([name] + [f"{label}: {value}" for label, value in rows])


def _box(d: dict, x: float, y: float, size: int) -> tuple[float, float, float, float]:
    lines = d["label"].split("\n")
    w = max(sum(0.62 if c.isascii() else 1.0 for c in line) for line in lines) * size + 6
    h = len(lines) * 1.15 * size + 4
    return x - w / 2, y - h / 2, x + w / 2, y + h / 2


def _free(box, boxes) -> bool:
    return all(box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for b in boxes)


#: Where a label that must be shown may go when its own place is taken: around the anchor, nearest first
#: (multiples of the label's half width / height).
_AROUND = [(dx, dy) for r in (1.0, 1.6, 2.3, 3.1) for dx, dy in
           ((0, -r), (0, r), (r, 0), (-r, 0), (r, -r), (-r, -r), (r, r), (-r, r))]


def place_labels(labels: list[dict], zoom: float, size: int, dots: list | None = None) -> list[dict]:
    """The labels that do not overlap at `zoom`, most important first (highest `pr`).

    Label boxes are estimated from the text (CJK ≈ 1 em, digits ≈ 0.6 em per character, 1.15 em per line, plus
    the white outline) around the anchor; a label overlapping an accepted one is left out (its figures stay in
    the tooltip and the tables) — unless it has `must` (the largest partners): then it moves to the nearest free
    place around its anchor, and keeps the anchor as `a` (for a leader line). `dots` ([lon, lat] of the place
    marks) are kept free of moved labels. Deterministic, so the first view is readable without relying on WebGL.
    """
    marks = []
    for p in dots or []:
        x, y = pixel(p[0], p[1], zoom)
        marks.append((x - 6, y - 6, x + 6, y + 6))
    boxes, kept = [], []
    for d in sorted(labels, key=lambda d: -d.get("pr", 0)):
        x, y = pixel(d["p"][0], d["p"][1], zoom)
        box = _box(d, x, y, size)
        if _free(box, boxes):
            boxes.append(box)
            kept.append(d)
            continue
        if not d.get("must"):
            continue
        hw, hh = (box[2] - box[0]) / 2, (box[3] - box[1]) / 2
        for dx, dy in _AROUND:
            nx, ny = x + dx * (hw + 4), y + dy * (hh + 4)
            moved = _box(d, nx, ny, size)
            if _free(moved, boxes + marks):
                boxes.append(moved)
                lon, lat = unpixel(nx, ny, zoom)
                kept.append({**d, "p": [round(lon, 3), round(lat, 3)], "a": d["p"]})
                break
    return kept


def leaders(labels: list[dict]) -> list[dict]:
    """Leader lines (s → t, [lon, lat]) from the anchors of the labels `place_labels` moved to the labels."""
    return [{"s": d["a"], "t": d["p"]} for d in labels if "a" in d]


def leaders_layer(labels: list[dict], layer_id: str = "leaders") -> pdk.Layer:
    """Thin ink lines from a moved label to its place (see place_labels)."""
    return pdk.Layer("LineLayer", id=layer_id, data=leaders(labels), get_source_position="s",
                     get_target_position="t", get_color=list(INK) + [200], get_width=1.2, width_units="'pixels'",
                     pickable=False, parameters={"depthCompare": "always", "depthWriteEnabled": False})


def labels_layer(labels: list[dict], layer_id: str, size: int = 14, zoom: float | None = None) -> pdk.Layer:
    """Text labels (dicts with p = [lon, lat], label, pr = priority −1000…1000) in the CJK fonts of the browser.
    With `zoom`, labels that would overlap at that zoom are dropped first (place_labels)."""
    if zoom is not None:
        labels = place_labels(labels, zoom, size)
    labels = [{k: v for k, v in d.items() if k in ("p", "label", "pr")} for d in labels]
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
