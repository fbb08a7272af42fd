"""Data explorer: filtered rows of allow-listed tables of the official database or of the user's imports.

Tables and columns come only from `TABLES` (intersected with what the database file really has); filter values
go in as DuckDB list parameters. The SQL text lives in queries/sql/explorer_*.sql with {placeholders} that only
this module fills, from the allow-list. Two databases: 'official' (the app's read-only database, store.sqlfiles)
and 'user' (imports kept apart in the user store, store.user; loaders.importer). Counts are persons / events /
households as in the tables; tfr is a rate.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from indicators.compute import size_band
from queries.columns import chronological, period_key
from loaders import importer
from loaders.errors import LoaderError
from store import user as user_store
from store import sqlfiles
from store import official

PREVIEW_ROWS = 1_000
DOWNLOAD_MAX_ROWS = 1_000_000


@dataclass(frozen=True)
class Table:
    """An explorable table: its columns in display order, which of them the area and period filters apply to,
    the category columns offered as filters, and the unit (i18n key) of each measure."""

    columns: tuple[str, ...]
    area: tuple[str, ...]
    period: str | None
    dims: tuple[str, ...]
    measures: dict
    order: tuple[str, ...]


TABLES: dict[str, Table] = {
    "population": Table(("area_code", "ref_date", "basis", "nationality", "sex", "age_group", "persons", "source_id"),
                        ("area_code",), "ref_date", ("basis", "nationality", "sex", "age_group"),
                        {"persons": "unit_persons"}, ("area_code", "ref_date", "basis", "nationality", "sex", "age_group", "source_id")),
    "households": Table(("area_code", "ref_date", "nationality", "households", "source_id"), ("area_code",), "ref_date",
                        ("nationality",), {"households": "x_unit_households"}, ("area_code", "ref_date", "nationality", "source_id")),
    "vital_events": Table(("area_code", "period", "period_kind", "year", "period_end", "nationality", "births", "deaths",
                           "source_id"), ("area_code",), "period", ("period_kind", "nationality"),
                          {"births": "unit_persons", "deaths": "unit_persons"},
                          ("area_code", "period_end", "period_kind", "nationality", "source_id")),
    "migration_totals": Table(("area_code", "period", "period_kind", "year", "period_end", "nationality", "in_total",
                               "in_domestic", "in_abroad", "out_total", "out_domestic", "out_abroad", "other_in",
                               "other_out", "source_id"), ("area_code",), "period", ("period_kind", "nationality"),
                              {c: "unit_persons" for c in ("in_total", "in_domestic", "in_abroad", "out_total",
                                                           "out_domestic", "out_abroad", "other_in", "other_out")},
                              ("area_code", "period_end", "period_kind", "nationality", "source_id")),
    "migration_flows": Table(("origin_code", "dest_code", "period", "period_kind", "nationality", "sex", "age_group",
                              "movers", "source_id"), ("origin_code", "dest_code"), "period",
                             ("period_kind", "nationality", "sex", "age_group"), {"movers": "unit_persons"},
                             ("origin_code", "dest_code", "period", "nationality", "sex", "age_group", "source_id")),
    "migration_net_flows": Table(("area_code", "partner_code", "period", "period_kind", "nationality", "sex",
                                  "age_group", "net_movers", "source_id"), ("area_code",), "period",
                                 ("period_kind", "nationality", "sex", "age_group"), {"net_movers": "unit_persons"},
                                 ("area_code", "partner_code", "period", "nationality", "sex", "age_group", "source_id")),
    "youth_net_migration": Table(("area_code", "period", "period_kind", "year", "nationality", "sex", "age_group",
                                  "net_movers", "source_id"), ("area_code",), "period",
                                 ("period_kind", "nationality", "sex", "age_group"), {"net_movers": "unit_persons"},
                                 ("area_code", "period", "nationality", "sex", "age_group", "source_id")),
    "fertility": Table(("area_code", "year", "tfr", "source_id"), ("area_code",), "year", (), {"tfr": "tfr"},
                       ("area_code", "year", "source_id")),
    "projections": Table(("area_code", "source", "scenario", "year", "nationality", "sex", "age_group", "persons",
                          "source_id"), ("area_code",), "year", ("source", "scenario", "nationality", "sex", "age_group"),
                         {"persons": "unit_persons"},
                         ("area_code", "source", "scenario", "year", "nationality", "sex", "age_group")),
    "foreign_residents": Table(("area_code", "ref_date", "nationality_country", "residence_status", "persons",
                                "source_id"), ("area_code",), "ref_date", ("nationality_country", "residence_status"),
                               {"persons": "unit_persons"},
                               ("area_code", "ref_date", "nationality_country", "residence_status", "source_id")),
}
#: Columns that hold area codes, and the name column added next to each in the output.
NAME_COLUMNS = {"area_code": "area_name", "origin_code": "origin_name", "dest_code": "dest_name",
                "partner_code": "partner_name"}
DATABASES = ("official", "user")


# ---------------------------------------------------------------- running SQL on either database

def _execute(database: str, text: str, params: dict) -> pd.DataFrame:
    if database == "official":
        cur = official.connection().cursor()
        try:
            return cur.execute(text, params).df()
        finally:
            cur.close()
    try:
        with user_store.default().analytics() as con:
            if con is None:
                return pd.DataFrame()
            return con.execute(text, params).df()
    except LoaderError:  # user store unreachable (the frame says so): the official tables stay available
        return pd.DataFrame()


def _user_key() -> tuple:
    return user_store.default().stamp()


def _key(database: str) -> tuple:
    return official.cache_key() if database == "official" else _user_key()


@st.cache_data(show_spinner=False, max_entries=8)
def _columns(database: str, key: tuple) -> dict[str, set[str]]:
    frame = _execute(database, sqlfiles.text("explorer_columns"), {})
    out: dict[str, set[str]] = {}
    for table, col in zip(frame.get("table_name", []), frame.get("column_name", [])):
        out.setdefault(table, set()).add(col)
    return out


def tables(database: str) -> list[str]:
    """Allow-listed tables present (with all their columns) and not empty in `database` ('official' or 'user')."""
    have = _columns(database, _key(database))
    present = [t for t, spec in TABLES.items() if t in have and set(spec.columns) <= have[t]]
    if database == "user":
        present = [t for t in present if count(database, t, ()) > 0]
    return present


def _spec(table: str) -> Table:
    if table not in TABLES:
        raise ValueError(f"table {table!r} is not in the explorer's allow-list")
    return TABLES[table]


def _where(table: str, filters: tuple) -> tuple[str, dict]:
    """WHERE text from allow-listed columns and the parameters carrying the values.

    filters: tuple of (column, tuple of values); column 'area' means the table's area columns, 'period' its period
    column. An empty tuple of values means no filter on that column.
    """
    spec = _spec(table)
    parts, params = ["TRUE"], {}
    for i, (col, values) in enumerate(filters):
        if not values:
            continue
        name = f"f{i}"
        params[name] = [str(v) for v in values]
        if col == "area":
            parts.append("(" + " OR ".join(f"list_contains(${name}, {c})" for c in spec.area) + ")")
        elif col == "period" and spec.period:
            parts.append(f"list_contains(${name}, CAST({spec.period} AS VARCHAR))")
        elif col in spec.dims:
            parts.append(f"list_contains(${name}, CAST({col} AS VARCHAR))")
        else:
            raise ValueError(f"column {col!r} is not a filter of {table!r}")
    return " AND ".join(parts), params


@st.cache_data(show_spinner=False, max_entries=512)
def _count(database: str, key: tuple, table: str, filters: tuple) -> int:
    where, params = _where(table, filters)
    frame = _execute(database, sqlfiles.text("explorer_count").format(table=table, where=where), params)
    return int(frame["n"].iat[0]) if not frame.empty else 0


def count(database: str, table: str, filters: tuple) -> int:
    """Number of rows of `table` the filters select (see _where for the filters' form)."""
    return _count(database, _key(database), table, filters)


@st.cache_data(show_spinner=False, max_entries=512)
def _values(database: str, key: tuple, table: str, column: str, filters: tuple) -> list[str]:
    spec = _spec(table)
    col = spec.period if column == "period" else column
    if col not in spec.columns:
        raise ValueError(f"column {column!r} is not in {table!r}")
    where, params = _where(table, filters)
    frame = _execute(database, sqlfiles.text("explorer_values").format(table=table, column=col, where=where), params)
    return frame["value"].tolist() if not frame.empty else []


def values(database: str, table: str, column: str, areas: tuple[str, ...] = (), filters: tuple = ()) -> list[str]:
    """Distinct values (as text) of an allow-listed column ('period' = the table's period column) in the areas
    (or, when `filters` is given, in the rows those filters select — e.g. the source ids of a download)."""
    return _values(database, _key(database), table, column, filters or (("area", tuple(areas)),))


def _fetch(database: str, key: tuple, table: str, filters: tuple, limit: int) -> pd.DataFrame:
    spec = _spec(table)
    where, params = _where(table, filters)
    cols = list(spec.columns) + (["import_id"] if database == "user" else [])
    text = sqlfiles.text("explorer_rows").format(columns=", ".join(cols), table=table, where=where, order=", ".join(spec.order))
    return _execute(database, text, {**params, "limit": int(limit)})


_preview = st.cache_data(show_spinner=False, max_entries=256)(_fetch)


def rows(database: str, table: str, filters: tuple, limit: int = PREVIEW_ROWS, lang: str = "ja") -> pd.DataFrame:
    """Rows of `table` selected by `filters` (at most `limit`), with a name column after every code column
    (area_name, origin_name …; names in `lang`, Japanese where no English name exists). Dates as datetime.date.
    Previews (limit <= PREVIEW_ROWS) are cached; full downloads are read when asked for and not kept."""
    fetch = _preview if limit <= PREVIEW_ROWS else _fetch
    frame = fetch(database, _key(database), table, filters, int(limit)).copy()
    names = code_names(lang)
    for col, name_col in NAME_COLUMNS.items():
        if col in frame.columns:
            frame.insert(frame.columns.get_loc(col) + 1, name_col, frame[col].map(names))
    for col in ("ref_date", "period_end"):
        if col in frame.columns:
            frame[col] = pd.to_datetime(frame[col]).dt.date
    return frame


def known_codes() -> pd.DataFrame:
    """code, name_ja, name_en, kind, pref_code, current for every area and area group of the official database."""
    return _known(official.cache_key())


@st.cache_data(show_spinner=False, max_entries=4)
def _known(key: tuple) -> pd.DataFrame:
    return _execute("official", sqlfiles.text("explorer_names"), {})


def code_names(lang: str = "ja") -> dict[str, str]:
    """code -> name (English where available when lang='en')."""
    k = known_codes()
    ja = dict(zip(k["code"], k["name_ja"]))
    if lang != "en":
        return ja
    return {c: (en if isinstance(en, str) and en else ja[c]) for c, en in zip(k["code"], k["name_en"])}


def area_groups() -> pd.DataFrame:
    """group_code, group_name_ja, group_name_en, members (list of codes) of the official database."""
    return _groups(official.cache_key())


@st.cache_data(show_spinner=False, max_entries=4)
def _groups(key: tuple) -> pd.DataFrame:
    return _execute("official", sqlfiles.text("explorer_groups"), {})


def sources(database: str, source_ids, lang: str = "ja") -> pd.DataFrame:
    """Source rows (source_id, publisher, title, table_id, url, retrieved, licence, note) of the given ids: the
    official `sources` table (publisher and title in English with lang='en'), or for the user database its imports
    (source_id 'user_<import id>')."""
    ids = [s for s in dict.fromkeys(source_ids) if isinstance(s, str)]
    cols = ["source_id", "publisher", "title", "table_id", "url", "retrieved", "licence", "note"]
    if database == "official":
        import queries

        src = queries.sources(lang).reset_index()
    else:
        imp = importer.list_imports()
        src = imp.assign(source_id="user_" + imp["import_id"].astype(str),
                         note=imp["file_name"] + " — " + imp["note"].fillna(""))
    return src[src["source_id"].isin(ids)].reindex(columns=cols).reset_index(drop=True)


def _age_key(v: str) -> tuple:
    if v == "total":
        return (0, 0, 0)
    head = v.rstrip("+").split("-")[0]
    return (1, int(head), 1 if v.endswith("+") else 0) if head.isdigit() else (2, 0, 0)


def sort_values(column: str, values: list[str]) -> list[str]:
    """Filter choices in reading order: 'total' first, age groups by their lower bound (0-4, 5-9 … 90+)."""
    if column == "age_group":
        return sorted(values, key=lambda v: (_age_key(v), v))
    order = {"total": 0, "male": 1, "female": 2, "japanese": 1, "foreign": 2, "FY": 0, "CY": 1}
    return sorted(values, key=lambda v: (order.get(v, 9), v))


def schema(database: str, prefix: str = "", lang: str = "ja") -> pd.DataFrame:
    """Every column of every table of `database` for the SQL console's reference: table (with `prefix`, e.g.
    'imports.'), column, type (DuckDB), unit, description and allowed values (queries.columns; '' if none)."""
    from queries import columns

    frame = _schema(database, _key(database))
    if frame.empty:
        return pd.DataFrame(columns=["table", "column", "type", "unit", "description", "allowed"])
    rows = []
    for table, col, kind in frame[["table_name", "column_name", "data_type"]].itertuples(index=False):
        c = columns.COLUMNS.get(col)
        allowed = ", ".join(f"{k}={v[0] if lang == 'ja' else v[1]}" for k, v in columns.ENUMS[c.enum].items()) \
            if c and c.enum else ""
        rows.append({"table": prefix + table, "column": col, "type": kind,
                     "unit": (c.unit_ja if lang == "ja" else c.unit_en) if c else "",
                     "description": ((c.desc_ja or c.ja) if lang == "ja" else (c.desc_en or c.en)) if c else "",
                     "allowed": allowed})
    return pd.DataFrame(rows)


def console_schema(lang: str, imports: bool) -> pd.DataFrame:
    """schema() of the official database, followed by the user's imports as 'imports.<table>' when `imports`."""
    parts = [schema("official", lang=lang), *([schema("user", "imports.", lang)] if imports else [])]
    return pd.concat(parts, ignore_index=True)


@st.cache_data(show_spinner=False, max_entries=8)
def _schema(database: str, key: tuple) -> pd.DataFrame:
    return _execute(database, sqlfiles.text("explorer_columns"), {})


def file_parts(table: str, areas: tuple[str, ...], names: dict[str, str], periods: list[str],
               all_label: str = "all_areas", more_label: str = "and_{n}_more", lang: str = "en") -> tuple[str, str, str]:
    """Parts of a download's file name: table, area ('40203_久留米市', '40203_久留米市_ほか2地域' or the label for
    all areas) and period span in time order ('2013-03-31〜2022-01-01', '2011年度〜2013年' in Japanese, one period,
    or '' when the table has none)."""
    from queries import columns

    if not areas:
        area = all_label
    else:
        area = f"{areas[0]}_{names.get(areas[0], '')}".rstrip("_")
        if len(areas) > 1:
            area += "_" + more_label.format(n=len(areas) - 1)
    span = [columns.words("period", p, lang) for p in chronological(list(periods))]
    period = "" if not span else (span[0] if len(span) == 1 else f"{span[0]}〜{span[-1]}")
    return table, area, period


# ---------------------------------------------------------------- choosing areas in one click

#: Kinds that are a municipality (a designated city counts once, as a whole; its wards are opt-in).
MUNICIPAL = ("city", "designated_city", "special_ward", "town", "village")


def municipal_areas() -> pd.DataFrame:
    """area_code, name_ja, name_en, kind, pref_code, parent_code, current, persons (latest register total) of every
    area below the prefecture, current and former."""
    return _municipal(official.cache_key())


@st.cache_data(show_spinner=False, max_entries=4)
def _municipal(key: tuple) -> pd.DataFrame:
    return _execute("official", sqlfiles.text("explorer_areas"), {})


def band_of(persons) -> int | None:
    """The 人口規模 band (indicators.compute.size_band; 0 = under 5,000 …) of one population, None if unknown."""
    band = size_band(pd.Series([persons], dtype=float)).iat[0]
    return None if pd.isna(band) else int(band)


def select_areas(mode: str, value, defunct: bool = False, wards: bool = False) -> tuple[str, ...]:
    """The area codes of a one-click selection, each area once.

    mode 'pref': the municipalities of prefecture `value` ('40'); 'band': those of 人口規模 band `value`
    (indicators.compute.size_band, the bands of the indicator page; or (band, pref_code) to stay in one prefecture); 'group': the members of area group `value`.
    Current municipalities only unless `defunct`; designated cities as a whole unless `wards`, which puts their
    wards in their place (a city and its own wards are never both selected, so nothing is counted twice).
    """
    a = municipal_areas()
    keep = a["kind"].isin(MUNICIPAL + (("ward",) if wards else ()))
    if not defunct:
        keep &= a["current"].astype(bool)
    if wards:  # a designated city with wards in the selection is replaced by them
        keep &= ~(a["kind"].eq("designated_city") & a["area_code"].isin(a.loc[a["kind"] == "ward", "parent_code"]))
    a = a[keep]
    if mode == "pref":
        a = a[a["pref_code"] == str(value)]
    elif mode == "band":
        index, pref = value if isinstance(value, tuple) else (value, None)
        a = a[size_band(a["persons"].astype(float)) == int(index)]
        if pref:
            a = a[a["pref_code"] == pref]
    elif mode == "group":
        groups = area_groups()
        members = groups.loc[groups["group_code"] == value, "members"]
        codes = set(members.iat[0]) if len(members) else set()
        return tuple(c for c in sorted(codes))
    else:
        raise ValueError(f"unknown selection mode {mode!r}")
    return tuple(a["area_code"])


# ---------------------------------------------------------------- periods, coverage and empty results

def period_range(values: list[str], first: str | None, last: str | None) -> tuple[str, ...]:
    """The periods of `values` (in time order) from `first` to `last` inclusive; () when the range is all of them
    (no period filter)."""
    ordered = chronological(values)
    if not ordered or first not in ordered or last not in ordered:
        return ()
    i, j = sorted((ordered.index(first), ordered.index(last)))
    chosen = ordered[i:j + 1]
    return () if len(chosen) == len(ordered) else tuple(chosen)


def coverage(database: str, table: str, areas: tuple[str, ...] = ()) -> pd.DataFrame:
    """What `table` holds for `areas` (all when empty): kind (period kind, '' when the table has none), first and
    last period, rows n, areas — one row per period kind, earliest first."""
    return _coverage(database, _key(database), table, tuple(areas))


@st.cache_data(show_spinner=False, max_entries=256)
def _coverage(database: str, key: tuple, table: str, areas: tuple[str, ...]) -> pd.DataFrame:
    spec = _spec(table)
    where, params = _where(table, (("area", areas),))
    kind = "period_kind" if "period_kind" in spec.columns else "''"
    text = sqlfiles.text("explorer_coverage").format(kind=kind, period=spec.period, area=spec.area[0], table=table, where=where)
    frame = _execute(database, text, params)
    if frame.empty:
        return frame
    return frame.assign(_k=frame["first"].map(period_key)).sort_values("_k").drop(columns="_k").reset_index(drop=True)


def empty_reason(database: str, table: str, filters: tuple) -> list[str]:
    """Why `filters` select no row: the filters (by name: 'area', 'period', a dimension) whose removal alone
    brings rows back; ['area'] when the areas have no row at all; [] if rows match after all."""
    if count(database, table, filters) > 0:
        return []
    areas = dict(filters).get("area", ())
    if count(database, table, (("area", areas),)) == 0:
        return ["area"]
    return [name for name, values in filters if values and name != "area"
            and count(database, table, tuple(f for f in filters if f[0] != name)) > 0]


#: How often each kind of source is published (i18n keys), by the start of its source_id.
SCHEDULES = (("juki", "meta_sched_juki"), ("idou", "meta_sched_idou"), ("youth", "meta_sched_idou"),
             ("ipss", "meta_sched_ipss"), ("moj", "meta_sched_moj"), ("mhlw", "meta_sched_mhlw"),
             ("kurume", "meta_sched_city"), ("kama", "meta_sched_city"), ("n03", "meta_sched_n03"))


def update_schedule(source_id: str) -> str:
    """The i18n key of the update schedule of a source ('meta_sched_other' when unknown)."""
    return next((k for prefix, k in SCHEDULES if str(source_id).startswith(prefix)), "meta_sched_other")

