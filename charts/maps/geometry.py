"""Geometry of the maps: the prefecture basemap (outlines given as data: the boundaries rows the build stored,
see loaders.boundaries.prefecture_outlines), the 沖縄県 inset, where an area is drawn, and the views that frame
Japan or a set of outlines. Coordinates are [lon, lat] (JGD2011 ≈ WGS 84); zoom levels are deck.gl's."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Whole Japan (沖縄県 as an inset) to Wakkanai, in a map about 640 px high.
JAPAN_VIEW = dict(longitude=137.0, latitude=38.4, zoom=4.45)
MAP_HEIGHT = 640
#: 沖縄県 is drawn moved (+lon, +lat degrees) into the East China Sea west of Kyushu, framed as an inset, as
#: Japanese national maps do, so the flow map can zoom to the main islands (the choropleth keeps true positions).
OKINAWA_SHIFT = (0.8, 4.9)
OKINAWA = "47"

Shapes = dict[str, dict]


def japan_view(height: int = MAP_HEIGHT) -> dict:
    """JAPAN_VIEW for a map `height` pixels high (the zoom grows with the height: presenter mode)."""
    return {**JAPAN_VIEW, "zoom": round(JAPAN_VIEW["zoom"] + math.log2(height / 640), 2)}


def ring_centroid(ring: list) -> tuple[float, float]:
    """Area centroid (lon, lat) of an open ring [[lon, lat], …]; the mean of its points when it has no area."""
    pts = np.asarray(ring, dtype=float)
    x, y = pts[:, 0], pts[:, 1]
    x1, y1 = np.roll(x, -1), np.roll(y, -1)
    cross = x * y1 - x1 * y
    area = cross.sum() / 2
    if abs(area) < 1e-12:
        return float(x.mean()), float(y.mean())
    return float(((x + x1) * cross).sum() / (6 * area)), float(((y + y1) * cross).sum() / (6 * area))


def outlines(rows: pd.DataFrame, inset: bool) -> Shapes:
    """Prefecture outlines from boundaries rows (area_code '01000' …, geojson: a Polygon whose first ring is
    closed). With `inset`, 沖縄県 moved by OKINAWA_SHIFT.

    Returns {'01000': dict(ring=[[lon, lat], …] closed, centroid=(lon, lat)), …}.
    """
    out: Shapes = {}
    for code, text in zip(rows["area_code"], rows["geojson"]):
        ring = json.loads(text)["coordinates"][0]
        if inset and code.startswith(OKINAWA):
            dx, dy = OKINAWA_SHIFT
            ring = [[round(x + dx, 6), round(y + dy, 6)] for x, y in ring]
        out[code] = dict(ring=ring, centroid=ring_centroid(ring[:-1]))
    return out


@dataclass(frozen=True)
class Basemap:
    """The prefecture outlines a map is drawn on: `japan` (coarse, 沖縄県 as an inset: whole-Japan maps) and
    `detail` (finer, true positions: the neighbours around a prefecture's municipal map). Read it, never mutate it
    (one instance is shared by every session)."""

    japan: Shapes
    detail: Shapes

    @classmethod
    def from_frame(cls, rows: pd.DataFrame, japan: str = "prefecture", detail: str = "prefecture_fine") -> Basemap:
        """From boundaries rows (area_code, level, geojson) of the two levels named (loaders.boundaries)."""
        return cls(japan=outlines(rows[rows["level"] == japan], inset=True),
                   detail=outlines(rows[rows["level"] == detail], inset=False))


def point(shapes: Shapes, code: str, lat, lon) -> tuple[float, float] | None:
    """Where a flow map draws an area: a prefecture at its outline's centroid, another area at its lat/lon
    (moved with the 沖縄県 inset), else at its prefecture; None when none is known."""
    if code in shapes:
        return shapes[code]["centroid"]
    if lat is not None and lon is not None and not pd.isna(lat) and not pd.isna(lon):
        dx, dy = OKINAWA_SHIFT if code.startswith(OKINAWA) else (0.0, 0.0)
        return float(lon) + dx, float(lat) + dy
    pref = code[:2] + "000"
    return shapes[pref]["centroid"] if pref in shapes else None


def pixel(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    """Web-Mercator pixel position (x, y) of a point at `zoom` (512-pixel world at zoom 0, as deck.gl)."""
    scale = 512 * 2 ** zoom
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return scale * (lon + 180) / 360, scale * (1 - y / math.pi) / 2


def bbox_view(rings: list[list], height: int = 560, width: int = 760) -> dict:
    """The view (longitude, latitude, zoom ≤ 11) that fits every point of `rings` in a height × width map."""
    pts = np.asarray([p for ring in rings for p in ring], dtype=float)
    (x0, y0), (x1, y1) = pts.min(axis=0), pts.max(axis=0)
    merc = lambda lat: math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))  # noqa: E731
    dx, dy = max(x1 - x0, 0.05), max(merc(y1) - merc(y0), 0.05)
    zoom = min(math.log2(width * 360 / (512 * dx)), math.log2(height * 360 / (512 * dy))) - 0.25
    mid = (merc(y0) + merc(y1)) / 2
    lat = math.degrees(2 * math.atan(math.exp(math.radians(mid))) - math.pi / 2)
    return dict(longitude=round((x0 + x1) / 2, 4), latitude=round(lat, 4), zoom=round(min(zoom, 11), 2))


def neighbours(shapes: Shapes, rings: list[list], margin: float = 1.5) -> Shapes:
    """The outlines of `shapes` whose bounding box meets the box around `rings` widened by `margin` degrees:
    the prefectures drawn as context around a municipal map."""
    pts = np.asarray([p for ring in rings for p in ring], dtype=float)
    (x0, y0), (x1, y1) = pts.min(axis=0) - margin, pts.max(axis=0) + margin
    return {c: v for c, v in shapes.items()
            if (np.asarray(v["ring"])[:, 0].max() >= x0 and np.asarray(v["ring"])[:, 0].min() <= x1
                and np.asarray(v["ring"])[:, 1].max() >= y0 and np.asarray(v["ring"])[:, 1].min() <= y1)}


def _area(ring) -> float:
    pts = np.asarray(ring, dtype=float)
    x, y = pts[:, 0], pts[:, 1]
    return abs(float((x * np.roll(y, -1) - np.roll(x, -1) * y).sum()) / 2)


def _clusters(boxes: np.ndarray, gap: float) -> list[list[int]]:
    """Groups of boxes (x0, y0, x1, y1) that touch or lie within `gap` degrees of each other (single linkage)."""
    n = len(boxes)
    near = ((boxes[:, None, 0] <= boxes[None, :, 2] + gap) & (boxes[None, :, 0] <= boxes[:, None, 2] + gap)
            & (boxes[:, None, 1] <= boxes[None, :, 3] + gap) & (boxes[None, :, 1] <= boxes[:, None, 3] + gap))
    seen, out = np.zeros(n, bool), []
    for i in range(n):
        if seen[i]:
            continue
        stack, group = [i], []
        seen[i] = True
        while stack:
            j = stack.pop()
            group.append(j)
            for k in np.flatnonzero(near[j] & ~seen):
                seen[k] = True
                stack.append(int(k))
        out.append(group)
    return out


def _zoom(rings: list, height: int, width: int) -> float:
    return bbox_view(rings, height=height, width=width)["zoom"]


def focus(parts: list[tuple[str, list]], selected: set[str] | frozenset = frozenset(), height: int = 560,
          width: int = 760, gap: float = 0.12, max_share: float = 0.25, island_margin: float = 0.7) -> dict:
    """What a municipal map frames: `parts` are (area code, outer ring) of every polygon drawn.

    Remote islands (groups of polygons apart from the main land, together ≤ `max_share` of the land area) are left
    out of the frame when that makes the map at least four times as large (東京都: 伊豆・小笠原諸島, so the 23 wards are
    not a thumbnail). When the selected area lies wholly on such islands, the frame is that area and the polygons
    within `island_margin` degrees of it (青ヶ島村 with 八丈島). Returns dict(view (bbox_view), rings (those
    framed), left_out (codes of areas with no polygon in the frame, in `parts` order), mode ('all', 'main': islands
    left out, 'island': framed on the selected area))."""
    rings = [ring for _, ring in parts]
    if not rings:
        return dict(view=None, rings=[], left_out=[], mode="all")
    boxes = np.asarray([[*np.min(r, axis=0), *np.max(r, axis=0)] for r in np.asarray(rings, dtype=object)
                        for r in [np.asarray(r, dtype=float)]])
    areas = np.asarray([_area(r) for r in rings])
    groups = _clusters(boxes, gap)
    size = [areas[g].sum() for g in groups]
    main = int(np.argmax(size))
    mb = boxes[groups[main]]
    m0, m1 = mb[:, :2].min(axis=0), mb[:, 2:].max(axis=0)

    def distance(g: list[int]) -> float:
        b = boxes[g]
        dx = np.maximum(0, np.maximum(m0[0] - b[:, 2], b[:, 0] - m1[0]))
        dy = np.maximum(0, np.maximum(m0[1] - b[:, 3], b[:, 1] - m1[1]))
        return float(np.hypot(dx, dy).min())

    order = sorted((i for i in range(len(groups)) if i != main), key=lambda i: -distance(groups[i]))
    total = areas.sum()
    options = [(0, _zoom(rings, height, width))]
    dropped: list[int] = []
    for i in order:  # drop the farthest islands first
        dropped += groups[i]
        if areas[dropped].sum() > max_share * total:
            break
        kept = [r for j, r in enumerate(rings) if j not in set(dropped)]
        options.append((len(dropped), _zoom(kept, height, width)))
    best = max(z for _, z in options)
    k = 0 if best - options[0][1] < 2 else min(n for n, z in options if z >= best - 0.3)
    out = set()
    for i in order:
        if len(out) >= k:
            break
        out |= set(groups[i])
    framed = [j for j in range(len(rings)) if j not in out]
    codes = [c for c, _ in parts]
    shown = [rings[j] for j in framed]
    mode = "main" if out else "all"
    if selected and not any(codes[j] in selected for j in framed):  # the area is on the islands left out
        own = [j for j in range(len(rings)) if codes[j] in selected]
        if own:
            b0 = boxes[own][:, :2].min(axis=0) - island_margin
            b1 = boxes[own][:, 2:].max(axis=0) + island_margin
            framed = [j for j in range(len(rings)) if (boxes[j, :2] <= b1).all() and (boxes[j, 2:] >= b0).all()]
            shown = [[[b0[0], b0[1]], [b1[0], b0[1]], [b1[0], b1[1]], [b0[0], b1[1]]]]  # centred on the area
            mode = "island"
    inside = {codes[j] for j in framed}
    left_out = list(dict.fromkeys(c for c in codes if c not in inside))
    return dict(view=bbox_view(shown, height=height, width=width), rings=[rings[j] for j in framed],
                left_out=left_out, mode=mode)


def unpixel(x: float, y: float, zoom: float) -> tuple[float, float]:
    """The (lon, lat) of Web-Mercator pixel (x, y) at `zoom` (the inverse of `pixel`)."""
    scale = 512 * 2 ** zoom
    lon = x / scale * 360 - 180
    lat = math.degrees(2 * math.atan(math.exp(math.pi * (1 - 2 * y / scale))) - math.pi / 2)
    return lon, lat
