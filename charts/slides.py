"""Pure spec transforms for slides and handout pages: a chart's Vega-Lite dict -> the same chart sized for a projector
(every text ≥ 24 px at 1920×1080, SVG so text is real text) or for an A4 handout page; title slides and covers as
text-only specs. No Streamlit here.
"""
from __future__ import annotations

import copy
import textwrap
import unicodedata

from charts import FONT

#: The smallest type on a slide (px at 1920×1080; a council chamber reads from ~10 m).
SLIDE_MIN_FONT = 24
SLIDE_CONFIG = {"axis": {"labelFontSize": 24, "titleFontSize": 26, "labelLimit": 420},
                "legend": {"labelFontSize": 24, "titleFontSize": 24, "symbolSize": 260, "labelLimit": 0},
                "header": {"labelFontSize": 24, "titleFontSize": 24},
                "title": {"fontSize": 34, "subtitleFontSize": 24, "anchor": "start"},
                "text": {"fontSize": 24}}
_CONCAT = ("hconcat", "vconcat", "concat")
MAP_TITLE_PX = 72  # a slide title (34 px type) with its offset and padding
MAP_LEGEND_PX = 320  # a map's legend beside it, at slide type
_NO_LINE_START = "、。，．）」』】〕！？：；ー"
_LABEL_KEYS = ("fontSize", "labelFontSize", "titleFontSize", "subtitleFontSize")


def display_width(text: str) -> int:
    """Width of `text` in half-width columns (full-width characters count two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, columns: int) -> list[str]:
    """`text` broken into lines of at most `columns` half-width columns (Japanese has no spaces to break at)."""
    lines: list[str] = []
    for paragraph in str(text).splitlines() or [""]:
        if display_width(paragraph) <= columns:
            lines.append(paragraph)
            continue
        if paragraph.isascii():
            lines += textwrap.wrap(paragraph, columns) or [""]
            continue
        line, width = "", 0
        for ch in paragraph:
            w = display_width(ch)
            if width + w > columns and ch not in _NO_LINE_START:  # 、。）」 never begin a line (禁則)
                lines.append(line)
                line, width = "", 0
            line, width = line + ch, width + w
        lines.append(line)
    return lines


def _bump_fonts(node, minimum: int) -> None:
    """Raise every font size written in the spec (marks, axes, legends, titles) to at least `minimum`."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _LABEL_KEYS and isinstance(value, (int, float)):
                node[key] = max(value, minimum)
            else:
                _bump_fonts(value, minimum)
    elif isinstance(node, list):
        for item in node:
            _bump_fonts(item, minimum)


def _grid(spec: dict) -> tuple[int, int]:
    """(columns, rows) of a faceted or concatenated spec; (1, 1) for a single view."""
    if "facet" in spec:
        facet = spec["facet"]
        columns = spec.get("columns") or 1
        if isinstance(facet, dict) and "row" not in facet and "column" not in facet:
            n = max(1, _facet_cells(spec))
            return min(columns, n), -(-n // columns)
        return columns, 1
    if "hconcat" in spec:
        return len(spec["hconcat"]), 1
    if "vconcat" in spec:
        return 1, len(spec["vconcat"])
    if "concat" in spec:
        columns = spec.get("columns") or len(spec["concat"])
        return columns, -(-len(spec["concat"]) // columns)
    return 1, 1


def _facet_cells(spec: dict) -> int:
    """How many panels a wrapped facet draws: distinct values of its field in the spec's inline data."""
    field = spec["facet"].get("field")
    values = _values(spec)
    return len({row.get(field) for row in values}) if field and values else 1


def _values(spec: dict) -> list[dict]:
    data = spec.get("data") or {}
    if "values" in data:
        return data["values"]
    name = data.get("name")
    return (spec.get("datasets") or {}).get(name, []) if name else []


def _size(spec: dict, width: int, height: int) -> None:
    """Give the chart (or each panel of a faceted/concatenated chart) a size that fills width × height; a map (a
    fixed projection) is scaled as a whole, its shape kept."""
    projection = spec.get("projection") or {}
    if "scale" in projection and spec.get("width") and spec.get("height"):
        # Streamlit gives the chart element the spec's height; with "fit" the title is inside it and the view
        # (where the fixed projection draws) is what is left, so the map is scaled to that.
        title = MAP_TITLE_PX if spec.get("title") else 0
        f = min((width - MAP_LEGEND_PX) / spec["width"], (height - title) / spec["height"])
        spec["projection"] = {**projection, "scale": projection["scale"] * f,
                              **({"translate": [v * f for v in projection["translate"]]} if "translate" in projection else {})}
        spec["width"], spec["height"] = int(spec["width"] * f), int(spec["height"] * f) + title
        spec["autosize"] = {"type": "fit-y", "contains": "padding"}
        view_h = spec["height"] - title
        for layer in spec.get("layer", []):  # marks placed in pixels (notes in a corner) move with the map
            mark = layer.get("mark")
            if isinstance(mark, dict):
                for axis in ("x", "y"):
                    if isinstance(mark.get(axis), (int, float)):
                        mark[axis] = mark[axis] * f
                name = (layer.get("data") or {}).get("name")
                rows = (spec.get("datasets") or {}).get(name) if name else None
                if mark.get("lineBreak") and isinstance(mark.get("y"), (int, float)) and rows and len(rows) == 1:
                    # a corner note at slide type: wrapped to the map's width, its last line on the bottom edge
                    lines = [w for part in str(rows[0].get("lines", "")).split("\n") for w in wrap(part, spec["width"] // 13)]
                    spec["datasets"][name] = [{**rows[0], "lines": "\n".join(lines)}]
                    mark.update(lineHeight=30, y=view_h - 8 - 30 * (len(lines) - 1))
        return
    columns, rows = _grid(spec)
    spec.pop("autosize", None)
    if columns == 1 and rows == 1 and not any(k in spec for k in _CONCAT + ("facet",)):
        spec["width"], spec["height"] = width, height
        spec["autosize"] = {"type": "fit", "contains": "padding"}
        return
    # Panels: leave room for axes, headers and spacing around each (fit does not apply to composed views).
    panel_w = max(120, (width - 140) // columns - 40)
    panel_h = max(90, (height - 120) // rows - 70)
    if "facet" in spec:
        inner = spec.setdefault("spec", {})
        inner["width"], inner["height"] = panel_w, panel_h
    else:
        key = next(k for k in _CONCAT if k in spec)
        for part in spec[key]:
            part["width"], part["height"] = panel_w, panel_h
    spec.pop("width", None)
    spec.pop("height", None)


def for_slide(spec: dict, width: int, height: int, title: str | None = None) -> dict:
    """A copy of `spec` filling a width × height px slide: large type (≥ SLIDE_MIN_FONT), the slide's title if given,
    drawn as SVG (text stays text: selectable, measurable, crisp on a projector)."""
    out = copy.deepcopy(spec)
    config = out.setdefault("config", {})
    for part, values in SLIDE_CONFIG.items():
        config[part] = {**config.get(part, {}), **values}
    config["font"] = config.get("font") or FONT
    config["background"] = "white"
    _bump_fonts(out, SLIDE_MIN_FONT)
    if title:
        out["title"] = {"text": title, "anchor": "start", "fontSize": SLIDE_CONFIG["title"]["fontSize"]}
    title_px = 60 if out.get("title") else 0
    _size(out, width, max(200, height - title_px))
    out["usermeta"] = {**out.get("usermeta", {}), "embedOptions": {"renderer": "svg", "actions": False}}
    return out


def text_spec(lines: list[tuple[str, int, str]], width: int, height: int) -> dict:
    """A text-only spec (title slide, handout cover): `lines` of (text, font size px, weight), top to bottom."""
    rows, y = [], 0
    for text, size, weight in lines:
        y += int(size * 1.55)
        rows.append({"t": text, "y": y, "s": size, "w": weight})
    return {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "width": width, "height": height,
            "data": {"values": rows}, "mark": {"type": "text", "align": "left", "baseline": "bottom", "x": 0},
            "encoding": {"y": {"field": "y", "type": "quantitative", "scale": {"domain": [0, height], "reverse": True},
                               "axis": None},
                         "text": {"field": "t", "type": "nominal"},
                         "size": {"field": "s", "type": "quantitative", "scale": None, "legend": None},
                         "fontWeight": {"field": "w", "type": "nominal", "scale": None, "legend": None}},
            "config": {"font": FONT, "background": "white", "view": {"stroke": None}},
            "usermeta": {"embedOptions": {"renderer": "svg", "actions": False}}}


def title_slide(title: str, subtitle: str, lines: list[str], width: int, height: int) -> dict:
    """The title slide of a playlist: its title, a subtitle (e.g. the meeting) and lines (area, date)."""
    body = [(title, 64, "bold")] + [(s, 36, "normal") for s in wrap(subtitle, 70) if s]
    body += [("", 24, "normal")] + [(s, 30, "normal") for s in lines if s]
    return text_spec(body, width, height)


#: A4 landscape in PDF points (1/72 inch) and the chart area of a handout page.
A4_LANDSCAPE = (842, 595)
PRINT_WIDTH = 1000


def for_print(spec: dict, title: str, source_lines: list[str], footer: str, columns: int = 150) -> dict:
    """A copy of `spec` for a handout page: the slide's `title` on top (the chart keeps its own title under it when
    they differ), the source lines wrapped under the chart (never one long line), then `footer` (area · date ·
    page n / N); width fixed so every page has the same scale."""
    out = copy.deepcopy(spec)
    out.pop("usermeta", None)
    own = out.get("title")
    own_text = own.get("text") if isinstance(own, dict) else own
    if own_text and own_text != title:  # the chart keeps its own title (it may name another area's data)
        out["title"] = {"text": own_text, "anchor": "start", "fontSize": 16}
    else:
        out.pop("title", None)
    heading = {"text": title, "anchor": "start", "fontSize": 22}
    config = out.setdefault("config", {})
    config["font"] = FONT
    config["background"] = "white"
    if "facet" not in out and not any(k in out for k in _CONCAT):
        out["width"] = PRINT_WIDTH
        out.pop("autosize", None)
    notes = [line for text in source_lines if text for line in wrap(text, columns)]
    foot = text_spec([(s, 13, "normal") for s in notes] + [("", 6, "normal"), (footer, 13, "bold")],
                     PRINT_WIDTH, int(20 * (len(notes) + 2)))
    foot.pop("$schema")
    foot.pop("config")
    foot.pop("usermeta")
    foot["view"] = {"stroke": None}
    body = {k: v for k, v in out.items() if k not in ("config", "$schema", "datasets")}
    return {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "title": heading,
            "datasets": out.get("datasets", {}), "vconcat": [body, foot], "spacing": 18,
            "config": {**config, "view": {**config.get("view", {})}}}
