"""Read side of the app: thin, cached functions over the SQL files in queries/sql.

Every function returns a pandas DataFrame (or a small dict built from one). Counts are persons (人);
dates are reference dates of the register (住民基本台帳, 1 January, or 31 March for fiscal-year files).
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from store import sqlfiles
from store import official


@st.cache_data(show_spinner=False, max_entries=2048)
def _cached(key: tuple, name: str, params: tuple) -> pd.DataFrame:
    return sqlfiles.run(name, **dict(params))


def query(name: str, **params) -> pd.DataFrame:
    """Run a named query with parameters, cached per database file (copy before mutating)."""
    return _cached(official.cache_key(), name, tuple(sorted(params.items())))


def areas() -> pd.DataFrame:
    """Pickable areas: area_code, name_ja, name_kana, name_en, kind, pref_code, pref_name, parent_code, lat, lon."""
    return query("areas")


def population_trend(area: str) -> pd.DataFrame:
    """ref_date, nationality (total/japanese/foreign), persons, source_id — 住民基本台帳 population."""
    return query("population_trend", area=area)


def latest_population(area: str) -> pd.DataFrame:
    """nationality, ref_date, persons, prev_date, prev_persons, source_id — latest register population."""
    return query("latest_population", area=area)


def age3_trend(area: str) -> pd.DataFrame:
    """ref_date, nationality, age3 ('0-14','15-64','65+'), persons, share (of known ages), source_id."""
    return query("age3_trend", area=area)


def vital_series(area: str) -> pd.DataFrame:
    """period, period_kind, year, period_end, nationality, births, deaths, natural_change, source_id, publisher."""
    return query("vital_series", area=area)


def migration_series(area: str) -> pd.DataFrame:
    """period, period_kind, …, in_total, out_total, net (転入−転出), domestic/abroad splits, other_in/out, source."""
    return query("migration_series", area=area)


def targets(area: str) -> pd.DataFrame:
    """Strategy targets of the area that are population statistics (kpi_defs of level population_target with linked_series)."""
    return query("targets", area=area)


def events(area: str) -> list[dict]:
    """Events drawn on the area's time charts (charts.events): the `events` table's national and own rows, and
    the target date of each population target of its strategy. {event_date (ISO), kind, label_ja, label_en}."""
    rows = query("events", area=area).to_dict("records")
    for r in targets(area).to_dict("records"):
        if isinstance(r.get("target_period"), str) and r["target_period"][:4].isdigit():
            value = f"{r['target_value']:,.0f}"
            rows.append({"event_date": r["target_period"], "kind": "target", "source_id": r["source_id"],
                         "label_ja": f"目標 {value}", "label_en": f"Target {value}"})
    return [{**r, "event_date": str(r["event_date"])[:10]} for r in rows]


def projections_total(area: str) -> pd.DataFrame:
    """Published projections: source, scenario, year, nationality, persons, source_id."""
    return query("projections_total", area=area)


def published_vs_official(area: str) -> pd.DataFrame:
    """period, measure, published, official, difference, official_nationality, source_id."""
    return query("published_vs_official", area=area)


@st.cache_resource(show_spinner=False, max_entries=8)
def _sources(key: tuple, lang: str) -> pd.DataFrame:
    frame = sqlfiles.run("sources").set_index("source_id")
    english = ["publisher_en", "title_en", "table_id_en"]  # a database built before they existed has none
    frame = frame.reindex(columns=[*frame.columns.drop(english, errors="ignore"), *english])
    if lang == "en":  # the English names where the build stored them (an empty table name too), else the Japanese
        for col in ("publisher", "title", "table_id"):
            en = frame[f"{col}_en"]
            frame[col] = en.where(en.notna() & (en.astype(str).str.strip().ne("") | (col == "table_id")), frame[col])
    return frame


def sources(lang: str = "ja") -> pd.DataFrame:
    """The sources table (publisher, title, table_id, retrieval date, licence, … and their *_en) indexed by
    source_id; with lang='en' publisher, title and table_id are the English names (the Japanese where none is
    stored).

    One frame per database file and language shared by all sessions (read it, never mutate it): captions look it
    up several times per run, and a cached copy plus set_index each time was ~1 ms a call."""
    return _sources(official.cache_key(), "en" if lang == "en" else "ja")


def source_vintages() -> pd.DataFrame:
    """The update log: source_id, publisher, title, table_id, retrieved (vintage), note, latest ('table: latest
    period or date; …' of the rows this database holds from the source), n_rows."""
    return query("source_vintages")


def build_info() -> dict:
    """Facts about the database file: kind ('national'/'bundled'), built_at, build_seconds."""
    frame = query("build_info")
    return dict(zip(frame["key"], frame["value"]))


def group_members(area: str) -> pd.DataFrame:
    """group_code, group_name_ja, group_name_en, area_code for every group containing `area`."""
    return query("area_group_members", area=area)


def latest_flow(series: pd.DataFrame, value: str) -> dict | None:
    """The most recent period of a vital/migration series (all residents preferred), with the previous one
    of the same source and period kind. Returns dict(period, period_kind, value, prev_period, prev_value,
    nationality, source_id) or None when the series is empty.
    """
    if series.empty:
        return None
    s = series.assign(all_res=series["nationality"].eq("total"))
    s = s[s["nationality"].isin(["total", "japanese"])].sort_values(["period_end", "all_res"])
    if s.empty:
        return None
    cur = s.iloc[-1]
    same = s[(s["source_id"] == cur["source_id"]) & (s["period_kind"] == cur["period_kind"])
             & (s["nationality"] == cur["nationality"]) & (s["period_end"] < cur["period_end"])]
    prev = same.iloc[-1] if not same.empty else None
    return dict(period=cur["period"], period_kind=cur["period_kind"], value=int(cur[value]),
                nationality=cur["nationality"], source_id=cur["source_id"],
                prev_period=None if prev is None else prev["period"],
                prev_value=None if prev is None else int(prev[value]))


def headline(area: str) -> dict:
    """Figures of the overview cards for `area` (computed once per database and area; see _headline)."""
    return _headline(official.cache_key(), area)


@st.cache_data(show_spinner=False, max_entries=2048)
def _headline(key: tuple, area: str) -> dict:
    """Figures of the overview cards for `area`.

    Returns dict with keys population (dict: date, total, prev_total, japanese, foreign, foreign_share,
    source_id) or None, natural and social (latest_flow dicts, values in persons) or None, and aging
    (dict: date, share, prev_share in percent, source_id) or None.
    """
    out: dict = {"population": None, "natural": None, "social": None, "aging": None}
    pop = latest_population(area).set_index("nationality")
    if "total" in pop.index:
        tot = pop.loc["total"]
        jp = int(pop.loc["japanese", "persons"]) if "japanese" in pop.index else None
        fr = int(pop.loc["foreign", "persons"]) if "foreign" in pop.index else None
        out["population"] = dict(date=tot["ref_date"], total=int(tot["persons"]),
                                 prev_total=None if pd.isna(tot["prev_persons"]) else int(tot["prev_persons"]),
                                 prev_date=tot["prev_date"], japanese=jp, foreign=fr,
                                 foreign_share=None if fr is None else 100 * fr / int(tot["persons"]),
                                 source_id=tot["source_id"])
    out["natural"] = latest_flow(vital_series(area), "natural_change")
    out["social"] = latest_flow(migration_series(area), "net")
    age = age3_trend(area)
    old = age[(age["age3"] == "65+") & (age["nationality"] == "total")].sort_values("ref_date")
    if not old.empty:
        cur = old.iloc[-1]
        prev = old.iloc[-2] if len(old) > 1 else None
        out["aging"] = dict(date=cur["ref_date"], share=100 * cur["share"], source_id=cur["source_id"],
                            prev_share=None if prev is None else 100 * prev["share"],
                            prev_date=None if prev is None else prev["ref_date"])
    return out
