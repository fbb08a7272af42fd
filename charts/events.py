"""Events drawn on every time chart of an area (issue 17): a dashed rule and a short label at the date of a national
event (2011 東日本大震災, the 2020 state of emergency) or of the area's own (its strategy's target year), from the
`events` table (queries.events). Pure: a Vega-Lite dict in, a new dict out (the input, often a cached spec, is not
modified). Charts whose x axis is not time (bars by area, pyramids, maps) are returned unchanged.
"""
from __future__ import annotations

import re

GREY = "#6b6b6b"
_ISO = re.compile(r"\d{4}-\d{2}")
_UNIT = ("mark", "encoding", "data", "transform", "params", "width", "height", "projection")
_COMPOSED = ("facet", "hconcat", "vconcat", "concat", "repeat")


def _x_layer(spec: dict) -> dict | None:
    """The first (sub)spec with a field on x: where the axis and its data come from."""
    parts = spec.get("layer") if "layer" in spec else [spec]
    for part in parts or []:
        x = (part.get("encoding") or {}).get("x")
        if isinstance(x, dict) and x.get("field"):
            return part
    return None


def _values(spec: dict, part: dict) -> list[dict]:
    data = part.get("data") or spec.get("data") or {}
    if "values" in data:
        return data["values"] if isinstance(data["values"], list) else []
    return (spec.get("datasets") or {}).get(data.get("name"), []) if data.get("name") else []


def _days(iso: str) -> int:
    y, m, d = int(iso[:4]), int(iso[5:7]), int(iso[8:10] or 1)
    return y * 372 + m * 31 + d  # monotonic, enough to place a label


def _fiscal_year(iso: str) -> int:
    y, m = int(iso[:4]), int(iso[5:7])
    return y if m >= 4 else y - 1


def _labels_drawn(spec: dict) -> set[str]:
    """Texts the chart already writes from small inline tables (e.g. its own merger marks)."""
    out = set()
    for rows in (spec.get("datasets") or {}).values():
        if isinstance(rows, list) and len(rows) <= 50:
            out |= {v for r in rows if isinstance(r, dict) for v in r.values() if isinstance(v, str)}
    return out


def positions(spec: dict, events: list[dict], lang: str) -> tuple[str, str, list[dict]]:
    """(x field, x type, rows {x, text}) of the events that fall inside the chart's time axis."""
    part = _x_layer(spec)
    if part is None:
        return "", "", []
    x = part["encoding"]["x"]
    field, kind = x["field"], x.get("type")
    values = [r.get(field) for r in _values(spec, part) if isinstance(r, dict) and r.get(field) is not None]
    if not values:
        return field, kind, []
    drawn = _labels_drawn(spec)
    rows = []
    for e in events:
        text = e["label_ja"] if lang == "ja" else e["label_en"]
        if text in drawn:
            continue
        iso = str(e["event_date"])[:10]
        if kind == "temporal":
            lo, hi = min(str(v)[:10] for v in values), max(str(v)[:10] for v in values)
            if lo <= iso <= hi:
                span = (_days(hi) - _days(lo)) or 1
                rows.append({"x": iso, "text": text, "at": (_days(iso) - _days(lo)) / span})
        elif kind == "quantitative" and field == "year":
            nums = [float(v) for v in values if isinstance(v, (int, float))]
            year = int(iso[:4])
            if nums and min(nums) <= year <= max(nums):
                rows.append({"x": year, "text": text, "at": (year - min(nums)) / ((max(nums) - min(nums)) or 1)})
        elif kind == "ordinal":
            labels = list(dict.fromkeys(str(v) for v in values))
            if all(_ISO.match(s) for s in labels):  # reference dates: the first one on or after the event
                inside = sorted(labels)[0] <= iso <= sorted(labels)[-1]
                match = next((s for s in sorted(labels) if s[:10] >= iso), None) if inside else None
            else:
                fy = any("年度" in s or s.startswith("FY") for s in labels)
                year = str(_fiscal_year(iso) if fy else int(iso[:4]))
                match = next((s for s in labels if s.startswith(year) or s in (f"FY{year}", f"CY{year}")), None)
            if match is not None:
                order = sorted(labels) if all(_ISO.match(s) for s in labels) else labels
                rows.append({"x": match, "text": text, "at": order.index(match) / max(1, len(order) - 1)})
    return field, kind, rows


def annotate(spec: dict, events: list[dict], lang: str) -> dict:
    """`spec` with the events inside its time axis drawn as dashed rules labelled at the top; unchanged if none."""
    if not events or any(k in spec for k in _COMPOSED):
        return spec
    field, kind, rows = positions(spec, events, lang)
    if not rows:
        return spec
    original = _x_layer(spec)["encoding"]["x"]
    x = {"field": field, "type": kind, **({"title": original["title"]} if "title" in original else {})}
    # Labels hang below the top edge, one row each (a chart's own marks use the first row); near the right edge
    # they are written to the left of their rule so they are not cut off.
    rows = [{field: r["x"], "text": r["text"], "row": 18 * (i + 1) + 2, "right": r["at"] > 0.7}
            for i, r in enumerate(rows)]
    rule = {"data": {"values": rows}, "mark": {"type": "rule", "strokeDash": [2, 3], "color": GREY, "strokeWidth": 1.2},
            "encoding": {"x": x, "tooltip": [{"field": "text", "type": "nominal"}]}}
    text = {"type": "text", "baseline": "top", "color": GREY, "fontSize": 11,
            "align": {"expr": "datum.right ? 'right' : 'left'"}, "dx": {"expr": "datum.right ? -3 : 3"},
            "dy": {"expr": "datum.row"}}
    encoding = {"x": x, "y": {"value": 0}, "text": {"field": "text", "type": "nominal"}}
    halo = {"data": {"values": rows}, "mark": {**text, "color": "white", "stroke": "white", "strokeWidth": 4,
                                               "strokeJoin": "round"}, "encoding": encoding}
    label = {"data": {"values": rows}, "mark": text, "encoding": encoding}
    if "layer" in spec:
        return {**spec, "layer": [*spec["layer"], rule, halo, label]}
    unit = {k: v for k, v in spec.items() if k in _UNIT}
    rest = {k: v for k, v in spec.items() if k not in _UNIT}
    return {**rest, "layer": [unit, rule, halo, label], **({"width": spec["width"]} if "width" in spec else {}),
            **({"height": spec["height"]} if "height" in spec else {})}
