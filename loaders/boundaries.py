"""Municipal boundaries (市区町村界) for the choropleth, from 国土数値情報 行政区域データ (N03) GeoJSON files.

    boundaries(area_code, level='municipality', geojson, vertices, source_id)

Input: every `*.geojson` in the folder whose features carry the N03 properties (`N03_001` 都道府県名 …
`N03_007` 5-digit 全国地方公共団体コード). Several features of one code (islands, exclaves) are merged into one
MultiPolygon. Designated cities are kept as their wards (the choropleth draws wards; the city is outlined by
its wards), so files with merged designated cities are skipped. When several files cover a prefecture (a national
file and a finer prefecture file), the file giving that prefecture the most vertices is used.

Prefecture outlines (`prefecture_outlines`, levels PREFECTURE_LEVELS) come from the `japanmap` package (the main area
of each prefecture; islands apart from it are not in the package), simplified once at build time for the whole-Japan
maps and, finer, for the neighbours drawn around a prefecture's municipal map; `add_prefecture_outlines` puts them
into the tables of every build (national and bundled), so no page simplifies geometry at run time.

Simplification keeps the page fast and keeps neighbours seamless: rings are cut at the vertices where the set of
municipalities sharing the border changes (junctions), each piece between two junctions is simplified with
Douglas–Peucker (`TOLERANCE` degrees), so a border shared by two municipalities is simplified once and identically
on both sides (no slivers or gaps). Coordinates are then rounded to `DECIMALS` (≈ 100 m) — lon/lat, JGD2011.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from loaders.errors import LoaderError
from loaders.sources import SOURCE_COLUMNS

BOUNDARY_COLUMNS = ["area_code", "level", "geojson", "vertices", "source_id"]
BOUNDARY_KEYS = ["area_code", "level"]
SOURCE_ID = "n03_2021_boundaries"
#: Douglas–Peucker tolerance in degrees (≈ 150 m): below a pixel at the zoom of a prefecture map.
TOLERANCE = 0.0015
DECIMALS = 3

SOURCE = dict(
    source_id=SOURCE_ID, publisher="国土交通省 国土数値情報",
    title="行政区域データ（N03）2021年1月1日時点", table_id="N03-21（簡略化版: SmartNews Media Research Institute japan-topography）",
    url="https://nlftp.mlit.go.jp/ksj/gml/datalist/KsjTmplt-N03-v3_0.html", retrieved="2021-09-28",
    licence="国土数値情報利用約款: 「『国土数値情報（行政区域データ）』（国土交通省）を加工して作成」",
    note="本アプリで境界共有を保つ Douglas–Peucker 簡略化（約150 m）と座標の丸め（小数3桁）を追加")

#: Prefecture outline levels of the boundaries table: Douglas–Peucker tolerance and rounding (degrees, decimals).
#: At the zoom of a whole-Japan map a pixel is ≈ 0.04°, so 0.03° is invisible there; the choropleth's neighbours
#: use a finer cut. Stored at true positions (the charts move 沖縄県 into its inset).
PREFECTURE_LEVELS = {"prefecture": (0.03, 2), "prefecture_fine": (0.005, 3)}
PREFECTURE_SOURCE_ID = "japanmap_prefectures"
PREFECTURE_SOURCE = dict(
    source_id=PREFECTURE_SOURCE_ID, publisher="japanmap（Python パッケージ, Saito Tsutomu）",
    title="都道府県の輪郭（本土部分）", table_id="japanmap 0.6.0 get_data()",
    url="https://github.com/SaitoTsutomu/japanmap", retrieved="", licence="Apache-2.0",
    note="本アプリで境界共有を保つ Douglas–Peucker 簡略化（0.03° と 0.005°）と座標の丸めを追加")

Ring = list[tuple[float, float]]


def _polygons(geometry: dict, file: str, code: str) -> list[list[Ring]]:
    kind = geometry.get("type") if geometry else None
    if kind == "Polygon":
        polys = [geometry["coordinates"]]
    elif kind == "MultiPolygon":
        polys = geometry["coordinates"]
    else:
        raise LoaderError(file, f"市区町村 {code} の図形が Polygon/MultiPolygon ではありません（{kind}）",
                          f"geometry of {code} is not a Polygon/MultiPolygon ({kind})", column="geometry")
    # Snap to 1e-6° so the two copies of a shared vertex compare equal.
    return [[[(round(float(x), 6), round(float(y), 6)) for x, y, *_ in ring] for ring in poly] for poly in polys]


def read_n03(path: Path) -> dict[str, list[list[Ring]]]:
    """Polygons per 5-digit code of one N03 GeoJSON file (features without a code, e.g. 所属未定地, are skipped).

    Returns {area_code: [polygon, …]}, a polygon being [outer ring, hole, …], a ring a list of (lon, lat).
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LoaderError(str(path), f"GeoJSON として読めません: {exc}", f"not readable as GeoJSON: {exc}") from exc
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise LoaderError(str(path), "FeatureCollection ではありません", "not a FeatureCollection")
    out: dict[str, list[list[Ring]]] = {}
    for i, feature in enumerate(features):
        props = feature.get("properties") or {}
        if "N03_007" not in props:
            raise LoaderError(str(path), "N03_007（行政区域コード）がありません", "property N03_007 (area code) is missing",
                              row=i + 1, column="N03_007")
        code = props["N03_007"]
        if not code:
            continue
        code = str(code).zfill(5)
        out.setdefault(code, []).extend(_polygons(feature.get("geometry"), str(path), code))
    return out


# ---------------------------------------------------------------- topology-preserving simplification

def douglas_peucker(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Indices kept by Douglas–Peucker on an open polyline (both ends kept)."""
    n = len(points)
    if n <= 2:
        return np.arange(n)
    keep = np.zeros(n, dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        seg = points[b] - points[a]
        rel = points[a + 1:b] - points[a]
        length = np.hypot(*seg)
        if length == 0:
            dist = np.hypot(rel[:, 0], rel[:, 1])
        else:
            dist = np.abs(seg[0] * rel[:, 1] - seg[1] * rel[:, 0]) / length
        i = int(np.argmax(dist))
        if dist[i] > tolerance:
            keep[a + 1 + i] = True
            stack += [(a, a + 1 + i), (a + 1 + i, b)]
    return np.flatnonzero(keep)


def _junctions(ring: Ring, owners: dict[tuple, frozenset]) -> list[int]:
    n = len(ring)
    marks = [i for i in range(n)
             if len(owners[ring[i]]) >= 3 or owners[ring[i]] != owners[ring[i - 1]]
             or owners[ring[i]] != owners[ring[(i + 1) % n]]]
    if not marks:
        # A ring shared whole (an enclave and the hole around it) or an island: two junctions chosen from the
        # coordinates alone, so both copies of a shared ring are cut at the same vertices.
        first = min(range(n), key=lambda i: ring[i])
        far = max(range(n), key=lambda i: (ring[i][0] - ring[first][0]) ** 2 + (ring[i][1] - ring[first][1]) ** 2)
        marks = sorted({first, far})
    return marks


def _simplify_ring(ring: Ring, owners: dict[tuple, frozenset], tolerance: float) -> Ring:
    n = len(ring)
    marks = _junctions(ring, owners)
    kept: list[int] = []
    for j, start in enumerate(marks):
        end = marks[(j + 1) % len(marks)] + (n if j + 1 == len(marks) else 0)
        idx = [k % n for k in range(start, end + 1)]
        pts = np.array([ring[k] for k in idx])
        kept += [idx[k] for k in douglas_peucker(pts, tolerance)[:-1]]
    return [ring[k] for k in kept]


def _rounded(ring: Ring) -> Ring:
    out: Ring = []
    for x, y in ring:
        p = (round(x, DECIMALS), round(y, DECIMALS))
        if not out or out[-1] != p:
            out.append(p)
    while len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def simplify(shapes: dict[str, list[list[Ring]]], tolerance: float = TOLERANCE) -> dict[str, list[list[Ring]]]:
    """Simplify all polygons of `shapes` together so shared borders stay shared (see module docstring).

    Input and output: {area_code: [polygon [ring [(lon, lat), …], …], …]}; output rings are closed (first point
    repeated), rounded to DECIMALS; rings that collapse below 3 points are dropped (holes, small islands), except
    that a code keeps at least its largest polygon unsimplified.
    """
    opened = {c: [[r[:-1] if len(r) > 1 and r[0] == r[-1] else r for r in poly] for poly in polys]
              for c, polys in shapes.items()}
    owners_sets: dict[tuple, set] = {}
    for code, polys in opened.items():
        for pi, poly in enumerate(polys):
            for ring in poly:
                for p in ring:
                    owners_sets.setdefault(p, set()).add(code)
    owners = {p: frozenset(s) for p, s in owners_sets.items()}
    out: dict[str, list[list[Ring]]] = {}
    for code, polys in opened.items():
        new_polys = []
        for poly in polys:
            rings = [_rounded(_simplify_ring(r, owners, tolerance)) for r in poly if len(r) >= 3]
            if not rings or len(rings[0]) < 3:
                continue
            new_polys.append([r + [r[0]] for r in rings if len(r) >= 3])
        if not new_polys:  # everything collapsed: keep the largest polygon as it was
            largest = max(polys, key=lambda poly: len(poly[0]))
            new_polys = [[_rounded(r) + [_rounded(r)[0]] for r in largest[:1]]]
        out[code] = new_polys
    return out


def to_geojson(polys: list[list[Ring]]) -> str:
    """Compact GeoJSON geometry text (Polygon for one part, else MultiPolygon)."""
    coords = [[[list(p) for p in ring] for ring in poly] for poly in polys]
    geom = ({"type": "Polygon", "coordinates": coords[0]} if len(coords) == 1
            else {"type": "MultiPolygon", "coordinates": coords})
    return json.dumps(geom, separators=(",", ":"))


def load_folder(folder: Path, known: set[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read the N03 GeoJSON files of `folder` (e.g. data/raw/geo_municipalities) into the boundaries table.

    known: area codes of the `areas` table; boundaries of other codes (e.g. 北方領土 villages) are left out with a
    message on stderr. Returns (boundaries frame with BOUNDARY_COLUMNS, sources rows). A missing folder gives
    empty frames (the page then says the map is unavailable); a malformed file raises LoaderError.
    """
    empty = pd.DataFrame(columns=BOUNDARY_COLUMNS), pd.DataFrame(columns=SOURCE_COLUMNS)
    if not folder.is_dir():
        return empty
    best: dict[str, tuple[int, dict[str, list[list[Ring]]]]] = {}  # prefecture -> (vertices, shapes)
    for path in sorted(folder.glob("*.geojson")):
        if "designated_city" in path.name:  # designated cities merged: the wards are wanted
            continue
        shapes = read_n03(path)
        by_pref: dict[str, dict] = {}
        for code, polys in shapes.items():
            by_pref.setdefault(code[:2], {})[code] = polys
        for pref, sub in by_pref.items():
            n = sum(len(r) for polys in sub.values() for poly in polys for r in poly)
            if n > best.get(pref, (0, None))[0]:
                best[pref] = (n, sub)
    if not best:
        return empty
    shapes = {code: polys for _, sub in best.values() for code, polys in sub.items()}
    if known is not None:
        unknown = sorted(set(shapes) - known)
        if unknown:
            print(f"boundaries: {len(unknown)} code(s) not in areas, left out: {', '.join(unknown[:8])}",
                  file=sys.stderr)
        shapes = {c: p for c, p in shapes.items() if c in known}
    simple = simplify(shapes)
    rows = [dict(area_code=code, level="municipality", geojson=to_geojson(polys),
                 vertices=sum(len(r) for poly in polys for r in poly), source_id=SOURCE_ID)
            for code, polys in sorted(simple.items())]
    return pd.DataFrame(rows, columns=BOUNDARY_COLUMNS), pd.DataFrame([SOURCE], columns=SOURCE_COLUMNS)


# ---------------------------------------------------------------- prefecture outlines (japanmap), built once

def prefecture_outlines() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Outline of the main area of each prefecture from the `japanmap` package, one row per prefecture and level of
    PREFECTURE_LEVELS, as boundaries rows (area_code '01000' …, level, geojson = a closed Polygon ring of [lon, lat]
    rounded to the level's decimals, vertices, source_id).

    Shared borders are simplified once per border piece (japanmap stores them as shared index lists), so neighbours
    stay seamless. Returns (boundaries rows, sources row). About a second: done by the build, never by a page.
    """
    import japanmap

    qp, qo = japanmap.get_data()
    rows = []
    for level, (tolerance, decimals) in PREFECTURE_LEVELS.items():
        cache: dict[tuple, list[int]] = {}
        for k, segments in enumerate(qo):
            ring: list[list[float]] = []
            for _, idx in segments:
                key = tuple(sorted((idx[0], idx[-1]))) + (len(idx), min(idx))
                if key not in cache:
                    pts = np.array([qp[i][0] for i in idx])
                    cache[key] = [idx[i] for i in douglas_peucker(pts, tolerance)]
                kept = cache[key] if cache[key][0] == idx[0] else cache[key][::-1]
                for i in kept:
                    p = [round(qp[i][0][0], decimals), round(qp[i][0][1], decimals)]
                    if not ring or ring[-1] != p:
                        ring.append(p)
            if ring[0] != ring[-1]:
                ring.append(ring[0])
            rows.append(dict(area_code=f"{k + 1:02d}000", level=level,
                             geojson=json.dumps({"type": "Polygon", "coordinates": [ring]}, separators=(",", ":")),
                             vertices=len(ring), source_id=PREFECTURE_SOURCE_ID))
    return pd.DataFrame(rows, columns=BOUNDARY_COLUMNS), pd.DataFrame([PREFECTURE_SOURCE], columns=SOURCE_COLUMNS)


def add_prefecture_outlines(tables: dict[str, pd.DataFrame]) -> None:
    """Put the outlines (prefecture_outlines) of the prefectures in tables['areas'] into `tables` (boundaries and
    sources, in place), replacing any rows of those levels already there, so every build (national or bundled)
    carries them."""
    rows, source = prefecture_outlines()
    rows = rows[rows["area_code"].isin(tables["areas"]["area_code"])]
    old = tables.get("boundaries", pd.DataFrame(columns=BOUNDARY_COLUMNS))
    old = old[~old["level"].isin(PREFECTURE_LEVELS)].astype({"vertices": "Int64"})  # the extract's CSV reads as text
    tables["boundaries"] = pd.concat([old, rows], ignore_index=True)
    sources = tables["sources"]
    tables["sources"] = pd.concat([sources[sources["source_id"] != PREFECTURE_SOURCE_ID], source], ignore_index=True)
