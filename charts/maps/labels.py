"""Text on the maps: tooltips (plain text; Streamlit escapes HTML in them) and labels placed without overlap,
drawn in the browser's own CJK fonts."""
from __future__ import annotations

import pydeck as pdk

from charts import FONT
from charts.maps.colours import INK
from charts.maps.geometry import pixel


def tip(name: str, rows: list[tuple[str, str]]) -> str:
    """Tooltip text: the name, then one 'label: value' line per row."""
    return "\n".join([name] + [f"{label}: {value}" for label, value in rows])


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
        x, y = pixel(d["p"][0], d["p"][1], zoom)
        box = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
        if all(box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for b in boxes):
            boxes.append(box)
            kept.append(d)
    return kept


def labels_layer(labels: list[dict], layer_id: str, size: int = 14, zoom: float | None = None) -> pdk.Layer:
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
