"""Read side of the indicator comparison page: every indicator for every area, peer groups, boundaries.

`table()` is the cached indicator table the page uses: the one the database build stored (computed by
estimates.indicators, which also serves the benchmark and the tests) joined to the areas. Units: persons,
percent, per 1,000 residents per year.
"""
from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

import indicators as ind
from estimates.indicators import compute_all, stored
from queries import areas, query
from store import official


@st.cache_data(show_spinner=False, max_entries=2)
def _table(key: tuple) -> pd.DataFrame:
    con = official.connection()
    values = stored(con)
    if values is None:
        values = compute_all(con)
    a = areas()[["area_code", "name_ja", "name_en", "kind", "pref_code", "pref_name", "parent_code"]]
    out = a.merge(values, left_on="area_code", right_index=True, how="left")
    out["level"] = out["kind"].map(ind.LEVELS)
    out["size_band"] = ind.size_band(out["population"])
    return out.reset_index(drop=True)


def table() -> pd.DataFrame:
    """One row per pickable area: area_code, name_ja, name_en, kind, pref_code, pref_name, parent_code, level
    ('municipality', 'ward', 'prefecture', 'nation'), the indicators (indicators.KEYS), population (persons on
    1 Jan 2025), youth_net_mean (persons per year) and size_band (index of indicators.definitions.SIZE_BANDS).
    Read from the table the database build stored (computed here for an older database); cached per database;
    copy before mutating."""
    return _table(official.cache_key())


def groups(area: str) -> list[dict]:
    """Area groups (圏域) containing `area` or its prefecture: dicts group_code, name_ja, name_en, members
    (area codes; a prefecture member stands for all its areas). Groups of municipalities come first."""
    g = query("indicators_groups")
    mine = set(g.loc[g["area_code"].isin([area, area[:2] + "000"]), "group_code"])
    out = []
    for code, rows in g[g["group_code"].isin(mine)].groupby("group_code", sort=False):
        members = rows["area_code"].tolist()
        out.append(dict(group_code=code, name_ja=rows["group_name_ja"].iat[0], name_en=rows["group_name_en"].iat[0],
                        members=members, of_prefectures=all(m.endswith("000") for m in members)))
    return sorted(out, key=lambda x: (x["of_prefectures"], len(x["members"])))


def boundaries(pref: str) -> pd.DataFrame:
    """Simplified boundaries of the municipalities and wards of prefecture `pref` ('40'): area_code, geojson,
    geo_source_id. Empty when the database has no `boundaries` rows for it (or, built before that table
    existed, no such table)."""
    try:
        return query("indicators_boundaries", pref=pref)
    except duckdb.CatalogException:
        return pd.DataFrame(columns=["area_code", "geojson", "geo_source_id"])


def ranked(frame: pd.DataFrame, key: str, codes: list[str]) -> pd.DataFrame:
    """The rows of `codes` with a value of indicator `key`, sorted by rank (1 = largest; ties share the lowest
    rank, method 'min'; areas without a value are left out). Adds column rank."""
    peers = frame[frame["area_code"].isin(codes) & frame[key].notna()]
    peers = peers.assign(rank=ind.rank(peers[key]))
    return peers.sort_values(["rank", "area_code"]).reset_index(drop=True)


def peers(universe: pd.DataFrame, code: str, how: str, members: list[str] | None = None) -> list[str]:
    """Codes compared with `code` within `universe` (areas of one level, from table()): how 'all' = the whole
    universe; else indicators.peer_codes (same prefecture / size band / group)."""
    if how == "all" or code not in set(universe["area_code"]):
        return universe["area_code"].tolist()
    return ind.peer_codes(universe, code, how, members)


def profile(universe: pd.DataFrame, code: str, codes: list[str]) -> pd.DataFrame:
    """The area on every indicator: key, value, rank_peers, n_peers, median_peers, rank_all, n_all, median_all
    (ranks 1 = largest, ties share the lowest rank as in indicators.rank; <NA> where the area has no value)."""
    values = universe.set_index("area_code")[list(ind.KEYS)]
    peer = values[values.index.isin(codes)]
    out = []
    for k in ind.KEYS:
        rp = ind.rank(peer[k])
        ra = ind.rank(values[k])
        out.append(dict(key=k, value=values[k].get(code), rank_peers=rp.get(code, pd.NA), n_peers=int(peer[k].notna().sum()),
                        median_peers=peer[k].median(), rank_all=ra.get(code, pd.NA), n_all=int(values[k].notna().sum()),
                        median_all=values[k].median()))
    return pd.DataFrame(out)


def axis_range(values: pd.Series, keep: float | None = None, tail: float = 0.01) -> tuple[float, float]:
    """An axis range for `values` that is not flattened by a few extreme areas: the full range, unless the
    values beyond the `tail` quantiles lie farther out than the whole middle range, then the quantiles (plus
    a margin). 0 and `keep` (the selected area's value) are always inside."""
    v = values.dropna().astype(float)
    if v.empty:
        return (0.0, 1.0)
    lo, hi = float(v.min()), float(v.max())
    qlo, qhi = float(v.quantile(tail)), float(v.quantile(1 - tail))
    width = max(qhi - qlo, 1e-9)
    if lo < qlo - width:
        lo = qlo - 0.05 * width
    if hi > qhi + width:
        hi = qhi + 0.05 * width
    inside = [lo, hi, 0.0] + ([float(keep)] if keep is not None and not pd.isna(keep) else [])
    lo, hi = min(inside), max(inside)
    pad = 0.02 * (hi - lo or 1.0)
    return (lo - pad if lo < 0 else lo, hi + pad)


def scatter_points(universe: pd.DataFrame, code: str, codes: list[str], x: str, y: str) -> dict:
    """Areas with both indicators, for the scatter: {'points': area_code, x, y, role ('selected', 'peer',
    'other'; in drawing order), 'medians': (x, y) of all areas with both, 'n': how many have both,
    'hidden': how many lie outside the axis ranges (axis_range) and are left out of the points}."""
    both = universe.dropna(subset=[x, y])
    peer = set(codes)
    role = ["selected" if c == code else ("peer" if c in peer else "other") for c in both["area_code"]]
    out = pd.DataFrame({"area_code": both["area_code"].to_numpy(), "x": both[x].to_numpy(), "y": both[y].to_numpy(),
                        "role": role})
    me = out[out["role"] == "selected"]
    (x0, x1) = axis_range(out["x"], me["x"].iat[0] if len(me) else None)
    (y0, y1) = axis_range(out["y"], me["y"].iat[0] if len(me) else None)
    inside = out["x"].between(x0, x1) & out["y"].between(y0, y1)
    out = out[inside].sort_values("role", key=lambda r: r.map({"other": 0, "peer": 1, "selected": 2}), kind="stable")
    return {"points": out.reset_index(drop=True), "medians": (float(both[x].median()), float(both[y].median())),
            "n": len(both), "hidden": int((~inside).sum())}
