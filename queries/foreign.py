"""Queries and table shaping for the foreign-residents page (外国人住民).

Two sources, never mixed in one figure: 住民基本台帳 (総務省; residents registered in a municipality, 1 January;
flows per calendar year) and 在留外国人統計 (出入国在留管理庁; foreign nationals with a residence card or special
permanent residence, month/year end, prefectures and 全国 only). Counts are persons; shares are percent.
"""
from __future__ import annotations

import pandas as pd

from queries import query

#: The share of net migration due to foreign residents is shown only when all residents' net migration is at
#: least this fraction of the year's gross moves (in + out): below it in and out nearly balance and the ratio
#: explodes (久留米市 CY2019: 95 net of 26,139 moves, foreign 888 -> 935%).
SMALL_NET = 0.005

COUNTRY_EN = {
    "中国": "China", "ベトナム": "Viet Nam", "韓国": "Republic of Korea", "フィリピン": "Philippines", "ブラジル": "Brazil",
    "ネパール": "Nepal", "インドネシア": "Indonesia", "ミャンマー": "Myanmar", "台湾": "Taiwan", "米国": "United States",
    "タイ": "Thailand", "スリランカ": "Sri Lanka", "インド": "India", "ペルー": "Peru", "バングラデシュ": "Bangladesh",
    "パキスタン": "Pakistan", "カンボジア": "Cambodia", "朝鮮": "Chōsen (Korean Peninsula, no nationality confirmed)",
    "モンゴル": "Mongolia", "英国": "United Kingdom", "その他": "Other",
}
STATUS_EN = {
    "永住者": "Permanent Resident", "技術・人文知識・国際業務": "Engineer/Humanities/International Services",
    "技能実習": "Technical Intern Training", "留学": "Student", "特定技能": "Specified Skilled Worker",
    "家族滞在": "Dependent", "定住者": "Long-Term Resident", "日本人の配偶者等": "Spouse or Child of Japanese National",
    "特定活動": "Designated Activities", "その他": "Other statuses", "特別永住者": "Special Permanent Resident",
}


def population(area: str) -> pd.DataFrame:
    """Register population by date: ref_date, basis ('juki' 総務省 1 January; 'city_register' the city's own
    published 年度末 figure), total, japanese, foreign (persons), foreign_share_pct (%), source_id."""
    return query("foreign_population", area=area)


def changes(frame: pd.DataFrame) -> pd.DataFrame:
    """Change of Japanese and foreign residents between successive register dates (persons).

    frame: population() output. Returns from_date, to_date, japanese_change, foreign_change, source_id (juki
    rows only; the first interval, 2013-03-31 -> 2014-01-01, is 9 months).
    """
    r = frame[frame["basis"] == "juki"].sort_values("ref_date")
    out = pd.DataFrame({"from_date": r["ref_date"].shift(1), "to_date": r["ref_date"],
                        "japanese_change": r["japanese"].astype("Float64").diff(),
                        "foreign_change": r["foreign"].astype("Float64").diff(), "source_id": r["source_id"]})
    out = out.iloc[1:].reset_index(drop=True)
    for c in ("japanese_change", "foreign_change"):
        out[c] = out[c].round().astype("Int64")
    return out


def flows(area: str) -> pd.DataFrame:
    """Foreign residents' flows per calendar year (CY2013–): period, period_kind, year, period_end, births, deaths,
    in_domestic, in_abroad, in_total, out_domestic, out_abroad, out_total, net (foreign 転入−転出), total_net and
    total_moves (all residents' 転入−転出 and 転入+転出), source_id. Persons."""
    return query("foreign_flows", area=area)


def pyramid(area: str) -> pd.DataFrame:
    """Age × sex of foreign and Japanese residents on the latest foreign age table (2022-01-01): ref_date,
    nationality ('foreign'/'japanese' = all − foreign), sex ('male'/'female'), age_group ('0-4' … '90+'),
    lo (lower age), persons, source_id."""
    return query("foreign_pyramid", area=area)


def statements(area: str) -> pd.DataFrame:
    """The area's published statements about foreign residents: topic, statement_ja, statement_en, period,
    source_id (empty for areas without a seed document)."""
    return query("foreign_statements", area=area)


def scope(area_code: str, kind: str) -> tuple[str, str]:
    """Where 在留外国人統計 has figures for an area: (code, level). Prefectures and 全国 are published; a
    municipality or ward falls back to its prefecture (level 'prefecture_fallback')."""
    if kind == "nation":
        return "00000", "nation"
    if kind == "prefecture":
        return area_code, "prefecture"
    return area_code[:2] + "000", "prefecture_fallback"


def residents(pref: str) -> pd.DataFrame:
    """在留外国人統計 rows for `pref` ('PP000' or '00000') and 全国: area_code, ref_date, nationality_country,
    residence_status ('total' where not split), persons, source_id."""
    return query("foreign_residents", pref=pref)


def label(category: str, dim: str, lang: str) -> str:
    """Display name of a nationality (dim 'nationality_country') or residence status ('residence_status')."""
    if lang == "ja":
        return category
    return (COUNTRY_EN if dim == "nationality_country" else STATUS_EN).get(category, category)


def breakdown(rows: pd.DataFrame, code: str, dim: str, lang: str = "ja") -> pd.DataFrame:
    """One dimension (nationality_country or residence_status) of `code` on its latest split date and a year earlier.

    rows: residents() output. Returns one row per category, largest first: category, label, prev, latest
    (persons), change (persons), change_pct (% of prev), share_pct (% of the area's total on the latest date),
    nation_latest, nation_share_pct (全国, same date), rank (1 = largest), prev_date, latest_date, source_id.
    Empty when the area has no split.
    """
    other = "residence_status" if dim == "nationality_country" else "nationality_country"
    split = rows[(rows[other] == "total") & (rows[dim] != "total")]
    dates = sorted(split.loc[split["area_code"] == code, "ref_date"].unique())
    if not dates:
        return pd.DataFrame(columns=["category", "label", "prev", "latest", "change", "change_pct", "share_pct",
                                     "nation_latest", "nation_share_pct", "rank", "prev_date", "latest_date", "source_id"])
    latest = dates[-1]
    # Year on year where the same month a year earlier is printed (全国 also has year ends: 2024-12 would give a
    # half-year change beside the prefectures' full year), else the previous printed date.
    year_before = pd.Timestamp(latest) - pd.DateOffset(years=1)
    prev = next((d for d in dates if pd.Timestamp(d) == year_before), dates[-2] if len(dates) > 1 else None)

    def at(area: str, date) -> pd.Series:
        s = split[(split["area_code"] == area) & (split["ref_date"] == date)]
        return s.set_index(dim)["persons"]

    def total(area: str, date) -> float | None:
        t = rows[(rows["area_code"] == area) & (rows["ref_date"] == date) & (rows[dim] == "total") & (rows[other] == "total")]
        return None if t.empty or pd.isna(t["persons"].iat[0]) else float(t["persons"].iat[0])

    cur = at(code, latest)
    out = pd.DataFrame({"category": cur.index, "latest": cur.to_numpy()})
    out["prev"] = out["category"].map(at(code, prev)) if prev is not None else pd.NA
    out["change"] = out["latest"] - out["prev"]
    out["change_pct"] = 100 * out["change"] / out["prev"].where(out["prev"] > 0)
    tot = total(code, latest)
    out["share_pct"] = 100 * out["latest"] / tot if tot else pd.NA
    nat = at("00000", latest)
    out["nation_latest"] = out["category"].map(nat)
    nat_tot = total("00000", latest)
    out["nation_share_pct"] = 100 * out["nation_latest"] / nat_tot if nat_tot else pd.NA
    # その他 is a remainder, not a group: it goes last whatever its size.
    out = out.assign(_other=out["category"].eq("その他")).sort_values(["_other", "latest"], ascending=[True, False])
    out = out.drop(columns="_other").reset_index(drop=True)
    out["rank"] = range(1, len(out) + 1)
    out["label"] = out["category"].map(lambda c: label(c, dim, lang))
    out["prev_date"], out["latest_date"] = prev, latest
    src = split[(split["area_code"] == code) & (split["ref_date"] == latest)]["source_id"]
    out["source_id"] = src.iat[0] if not src.empty else None
    for c in ("prev", "latest", "change", "nation_latest"):
        out[c] = out[c].astype("Int64")
    for c in ("change_pct", "share_pct", "nation_share_pct"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype(float)
    return out[["category", "label", "prev", "latest", "change", "change_pct", "share_pct", "nation_latest",
                "nation_share_pct", "rank", "prev_date", "latest_date", "source_id"]]


def totals(rows: pd.DataFrame, code: str) -> pd.DataFrame:
    """Total foreign residents (在留外国人数) of `code` and of 全国 on every printed date: level ('area'/'nation'),
    area_code, ref_date, persons, source_id."""
    t = rows[(rows["nationality_country"] == "total") & (rows["residence_status"] == "total")]
    t = t.assign(level=t["area_code"].map(lambda a: "area" if a == code else "nation"))
    if code == "00000":
        t = t.assign(level="area")
    return t[["level", "area_code", "ref_date", "persons", "source_id"]].sort_values(["level", "ref_date"]).reset_index(drop=True)


def net_share(frame: pd.DataFrame, small: float = SMALL_NET) -> pd.DataFrame:
    """Share of all residents' net migration due to foreign residents, per year.

    frame: flows() output. Adds japanese_net (= total_net − net), share_pct (= 100 · net ÷ total_net) and status:
    'ok'; 'small_total' when |total_net| < small · total_moves (in and out nearly balance; the ratio would be huge and
    meaningless, e.g. 935% when 95 of 26,139 moves remain as net gain) — share_pct is then NULL; 'opposite' when foreign and all residents'
    net migration have opposite signs (foreign residents moved against the overall direction) — share_pct is then
    NULL too, as a negative "share" reads wrongly. A share above 100% means Japanese residents' net migration was
    negative while foreign residents' more than made up for it.
    """
    f = frame.copy()
    f["japanese_net"] = f["total_net"] - f["net"]
    small_total = (f["total_net"].abs() < small * f["total_moves"]) | (f["total_net"] == 0)
    opposite = ~small_total & (f["net"] * f["total_net"] < 0)
    f["status"] = "ok"
    f.loc[opposite, "status"] = "opposite"
    f.loc[small_total, "status"] = "small_total"
    ratio = 100 * f["net"] / f["total_net"].where(f["total_net"] != 0)
    f["share_pct"] = ratio.where(f["status"] == "ok").astype(float)
    return f


def pyramid_max(frame: pd.DataFrame) -> int:
    """Largest single age × sex group of a pyramid() frame (persons): the common half-width for a same-scale view."""
    return int(frame["persons"].max()) if not frame.empty and frame["persons"].notna().any() else 1
