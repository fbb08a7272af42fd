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
