"""Queries and table shaping for the natural-change and social-change pages.

Counts are persons; rates are per 1,000 residents (mean of start and end population of the period).
Periods keep their kind: 'FY' (年度, April–March) or 'CY' (暦年); nothing here joins the two.
"""
from __future__ import annotations

import pandas as pd

from queries import group_members, query


def rates(areas: tuple[str, ...]) -> pd.DataFrame:
    """Official series (総務省 住民基本台帳) with crude rates for the given areas.

    Columns: area_code, period, period_kind, year, period_end, nationality, births, deaths, in_total,
    out_total, pop_start, pop_end, pop_mean, birth_rate, death_rate, natural_rate, in_rate, out_rate,
    net_migration_rate (per 1,000), source_id, complete (false: the area's own code before a change whose
    predecessors are not all in the data).
    """
    return query("dynamics_rates", areas=tuple(areas))


def tfr(area: str) -> pd.DataFrame:
    """TFR series of the area (where published), its prefecture and the nation: level, year, tfr, source_id."""
    return query("tfr_series", area=area)


def partner_flows(area: str, nationality: str = "total") -> pd.DataFrame:
    """Movers by partner: partner_code, partner_ja/en, is_group, period, period_kind, in_movers, out_movers,
    net, source_id. Either a published table whose subject is the area or the 2025 prefecture OD table."""
    return query("partner_flows", area=area, nationality=nationality)


def youth_net(area: str) -> pd.DataFrame:
    """Net migration of Japanese aged 15–29 (period, year, sex, age_group, net_movers, source_id); empty where
    the publication only has the 郡 total."""
    return query("youth_net", area=area)


def area_names(areas: tuple[str, ...]) -> pd.DataFrame:
    """area_code, name_ja, name_en, kind for the given codes."""
    return query("area_names", areas=tuple(areas))


def sources_of(series: pd.DataFrame) -> list[str]:
    """Source ids present in a series, official first."""
    ids = list(dict.fromkeys(series["source_id"]))
    return sorted(ids, key=lambda s: (not s.startswith("juki"), s))


def nationalities(series: pd.DataFrame, source_id: str) -> list[str]:
    """Nationality choices available for one source, in display order."""
    have = set(series.loc[series["source_id"] == source_id, "nationality"])
    if "total" in have or "japanese" in have:
        have |= {"total"}  # 'total' falls back to Japanese-only years where that is all there is
    return [n for n in ("total", "japanese", "foreign") if n in have]


def select_series(series: pd.DataFrame, source_id: str, nationality: str) -> pd.DataFrame:
    """One source and nationality of a vital/migration series, sorted by period end.

    For nationality 'total', periods published for Japanese residents only (before the register included
    foreign residents, FY2011 and earlier) are kept with scope 'japanese_only' so charts can label them.
    Adds columns `scope` ('all', 'japanese_only', 'japanese', 'foreign') and `order` (0..n-1).
    """
    s = series[series["source_id"] == source_id]
    if nationality == "total":
        total = s[s["nationality"] == "total"]
        jp_only = s[(s["nationality"] == "japanese") & ~s["period"].isin(total["period"])]
        out = pd.concat([total.assign(scope="all"), jp_only.assign(scope="japanese_only")])
    else:
        out = s[s["nationality"] == nationality].assign(scope=nationality)
    out = out.sort_values("period_end").reset_index(drop=True)
    return out.assign(order=range(len(out)))


def published_table(series: pd.DataFrame, source_id: str, rows: dict[str, str]) -> pd.DataFrame:
    """A source's series laid out as the publication prints it: one row per measure, one column per period.

    rows maps column names of `series` (e.g. births, deaths, natural_change) to row labels.
    """
    s = series[(series["source_id"] == source_id)].sort_values("period_end")
    wide = s.set_index("period")[list(rows)].T
    wide.index = [rows[k] for k in wide.index]
    return wide


def comparison_default(area: str) -> list[str]:
    """Areas compared by default: the area's 連携中枢都市圏 when it has one, else the area, its prefecture, Japan."""
    groups = group_members(area)
    metro = groups[groups["group_code"] == "kurume_metro"]
    if not metro.empty:
        return metro["area_code"].tolist()[:8]
    pref = area[:2] + "000"
    return list(dict.fromkeys([area, pref, "00000"]))


def waterfall(area: str, period: str) -> pd.DataFrame | None:
    """Population accounting of one official period: start → natural change → net migration (転入−転出)
    → other entries/removals (職権記載・帰化等) → end, with the residual the published figures leave.

    Returns rows step (start, natural, social, other, residual, end), value (persons), or None when the
    start or end population of the period is not published.
    """
    r = rates((area,))
    r = r[(r["period"] == period) & (r["nationality"] == "total") | ((r["period"] == period) & (r["nationality"] == "japanese")
                                                                    & ~(r["period"].isin(r.loc[r["nationality"] == "total", "period"])))]
    mig = query("migration_series", area=area)
    mig = mig[(mig["period"] == period) & (mig["source_id"] == "juki_dynamics") & mig["nationality"].isin(r["nationality"])]
    if r.empty or mig.empty or pd.isna(r["pop_start"].iat[0]) or pd.isna(r["pop_end"].iat[0]):
        return None
    row, m = r.iloc[0], mig.iloc[0]
    start, end = int(row["pop_start"]), int(row["pop_end"])
    natural = int(row["births"] - row["deaths"])
    social = int(row["in_total"] - row["out_total"])
    other = int(m["other_in"] - m["other_out"])
    residual = end - (start + natural + social + other)
    return pd.DataFrame({"step": ["start", "natural", "social", "other", "residual", "end"],
                         "value": [start, natural, social, other, residual, end],
                         "nationality": row["nationality"]})


def published_rankings(flows: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The published partner tables rebuilt from flows_published rows.

    Returns {'in': prefectures with a net gain, ranked (ties share a rank, as printed: 9, 9),
    'out': prefectures with a net loss ranked by size of loss, 'metro': metropolitan groups and
    designated cities}, each with columns rank, partner_code, partner_ja, partner_en, in_movers, out_movers, net.
    """
    cols = ["rank", "partner_code", "partner_ja", "partner_en", "in_movers", "out_movers", "net"]
    prefs = flows[flows["partner_code"].str.endswith("000") & ~flows["is_group"] & (flows["partner_code"] != "00000")]
    gain = prefs[prefs["net"] > 0].sort_values("net", ascending=False)
    gain = gain.assign(rank=gain["net"].rank(method="min", ascending=False).astype(int))
    loss = prefs[prefs["net"] < 0].sort_values("net")
    loss = loss.assign(rank=loss["net"].rank(method="min").astype(int))
    order = {"G_TOKYO": 0, "G_NAGOYA": 1, "G_OSAKA": 2, "G_3METRO": 3}
    metro = flows[flows["is_group"] | ~flows["partner_code"].str.endswith("000")]
    metro = metro.assign(rank=metro["partner_code"].map(lambda c: order.get(c, 4))).sort_values(["rank", "partner_code"])
    metro = metro.assign(rank=range(1, len(metro) + 1))
    return {k: v[cols].reset_index(drop=True) for k, v in (("in", gain), ("out", loss), ("metro", metro))}
