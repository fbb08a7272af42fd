"""Queries of the migration map page (人口移動マップ): flows between an area and the prefectures, and the
municipal choropleth of net migration rates.

Counts are persons (人); rates are per 1,000 residents. Periods keep their kind: the 2025 人口移動報告 table and
the 2021 net flows by age are calendar years ('CY2025'), 久留米市's published table is a five-fiscal-year total
('FY2020-FY2024'). Which table an area gets is decided by `plan`: its own table when one exists, else the table
of its designated city (wards) or of its prefecture, and the page says so.
"""
from __future__ import annotations

import pandas as pd

from queries import query

AGES = ("total", "0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54",
        "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+")
OD_SOURCE = "idou_2025_table2"
NATIONALITIES = ("total", "japanese", "foreign")
SEXES = ("total", "male", "female")


def flow_sources(area: str) -> pd.DataFrame:
    """Origin–destination tables with `area` as their subject: source_id, period, period_kind, kind
    ('published' = a table of the area itself, 'od' = the 2025 prefecture table, 'net_age' = 2021 net flows by age),
    nationalities and sexes (how many of each the table distinguishes)."""
    return query("map_flow_sources", area=area)


def plan(area: str, kind: str, parent_code: str | None) -> dict:
    """Which flow tables the map shows for an area.

    Returns dict(national=bool, published=[source ids of the area's own published tables],
    od=(subject code, relation) or None, age=(subject code, relation) or None, periods={source_id: period}),
    relation being 'self', 'parent' (the designated city of a ward) or 'prefecture' (the area's prefecture: no
    table of its own).
    """
    if kind == "nation":
        return dict(national=True, published=[], od=None, age=None, periods={})
    candidates = [(area, "self")]
    if kind == "ward" and isinstance(parent_code, str) and parent_code:
        candidates.append((parent_code, "parent"))
    if kind != "prefecture":
        candidates.append((area[:2] + "000", "prefecture"))
    out: dict = dict(national=False, published=[], od=None, age=None, periods={})
    for code, relation in candidates:
        src = flow_sources(code)
        out["periods"] = {**dict(zip(src["source_id"], src["period"])), **out["periods"]}
        if relation == "self":
            out["published"] = src.loc[src["kind"] == "published", "source_id"].tolist()
        if out["od"] is None and (src["kind"] == "od").any():
            out["od"] = (code, relation)
        if out["age"] is None and (src["kind"] == "net_age").any():
            out["age"] = (code, relation)
    return out


def flows(area: str, source: str, nationality: str = "total", sex: str = "total") -> pd.DataFrame:
    """Movers between `area` and each partner place in one table: partner_code, partner_ja, partner_en (short),
    partner_kind, lat, lon, in_movers (partner → area), out_movers (area → partner), net (in − out), period,
    period_kind, source_id. Persons; all ages."""
    return query("map_flows", area=area, source=source, nationality=nationality, sex=sex)


def net_by_age(area: str, age: str, nationality: str = "total", sex: str = "total") -> pd.DataFrame:
    """Published net flows (転入超過数, 2021) of `area` with each prefecture for one age group: the columns of
    `flows`, with in_movers/out_movers NULL (not published by age)."""
    return query("map_net_age", area=area, age=age, nationality=nationality, sex=sex)


def pairs(mode: str, nationality: str = "total", sex: str = "total", age: str = "total", n: int = 60) -> pd.DataFrame:
    """全国 view: the `n` largest flows between two prefectures — from_code, to_code, movers (persons), period,
    period_kind, source_id. mode 'gross' (movers of each ordered pair, 2025) or 'net' (net of each pair, from the
    losing to the gaining prefecture; for an age group the 2021 net flows)."""
    if age != "total":
        return query("map_pairs_age", nationality=nationality, sex=sex, age=age, n=n)
    return query("map_pairs", mode="net" if mode == "net" else "gross", nationality=nationality, sex=sex, n=n)


def prefectures() -> pd.DataFrame:
    """The 47 prefectures: area_code, name_ja, name_en (short, 'Fukuoka'), lat, lon."""
    return query("map_prefectures")


def prefecture_outlines() -> pd.DataFrame:
    """Prefecture outlines the build stored (loaders.boundaries.prefecture_outlines): area_code, level
    ('prefecture' coarse, 'prefecture_fine'), geojson (Polygon, lon/lat at true positions)."""
    return query("map_prefecture_outlines")


def choropleth(pref: str, period: str) -> pd.DataFrame:
    """Net migration rate per municipality of prefecture `pref` ('40'; wards of designated cities separately) in
    calendar year `period` ('CY2021'): area_code, name_ja, name_en, kind, parent_code, in_total, out_total, net
    (persons), pop_mean, net_rate (per 1,000), geojson (simplified boundary), geo_source_id. With pref '' the
    47 prefectures (no geojson: the map draws them from prefecture_outlines)."""
    if not pref:
        return query("map_choropleth_prefs", period=period)
    return query("map_choropleth", pref=pref, period=period)


def periods(pref: str) -> list[str]:
    """Calendar years ('CY2021', newest first) of the official migration figures of prefecture `pref` ('' = all)."""
    return query("map_periods", pref=pref)["period"].tolist()


def value_column(mode: str) -> str:
    """Column of a flows frame shown by a map mode: 'in' -> in_movers, 'out' -> out_movers, else net."""
    return {"in": "in_movers", "out": "out_movers"}.get(mode, "net")


def rankings(frame: pd.DataFrame, mode: str, n: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two top-`n` tables under the map, ranked (1 = largest; ties share a rank).

    Modes 'in'/'out': partners with the most in-migrants and with the most out-migrants. Mode 'net': partners
    with the largest net gain (転入超過) and the largest net loss (転出超過). Columns: rank, partner_code,
    partner_ja, partner_en, in_movers, out_movers, net.
    """
    cols = ["rank", "partner_code", "partner_ja", "partner_en", "in_movers", "out_movers", "net"]

    def top(f: pd.DataFrame, col: str, ascending: bool) -> pd.DataFrame:
        f = f.dropna(subset=[col])
        f = f[f[col] < 0] if ascending and col == "net" else f[f[col] > 0]
        f = f.sort_values([col, "partner_code"], ascending=[ascending, True]).head(n)
        return f.assign(rank=f[col].rank(method="min", ascending=ascending).astype(int))[cols].reset_index(drop=True)

    if mode == "net" or frame["in_movers"].isna().all():
        return top(frame, "net", False), top(frame, "net", True)
    return top(frame, "in_movers", False), top(frame, "out_movers", False)
