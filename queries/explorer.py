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


def sources(database: str, source_ids) -> pd.DataFrame:
    """Source rows (source_id, publisher, title, table_id, url, retrieved, licence, note) of the given ids: the
    official `sources` table, or for the user database its imports (source_id 'user_<import id>')."""
    ids = [s for s in dict.fromkeys(source_ids) if isinstance(s, str)]
    cols = ["source_id", "publisher", "title", "table_id", "url", "retrieved", "licence", "note"]
    if database == "official":
        import queries

        src = queries.sources().reset_index()
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


def schema(database: str, prefix: str = "") -> list[dict]:
    """Every table of `database` with its columns (for the SQL console's reference): [{table, columns}]."""
    return [{"table": prefix + table, "columns": ", ".join(cols)} for table, cols in _schema(database, _key(database))]


@st.cache_data(show_spinner=False, max_entries=8)
def _schema(database: str, key: tuple) -> list[tuple[str, list[str]]]:
    frame = _execute(database, sqlfiles.text("explorer_columns"), {})
    if frame.empty:
        return []
    return [(table, grp["column_name"].tolist()) for table, grp in frame.groupby("table_name", sort=True)]


def file_parts(table: str, areas: tuple[str, ...], names: dict[str, str], periods: list[str],
               all_label: str = "all_areas", more_label: str = "and_{n}_more") -> tuple[str, str, str]:
    """Parts of a download's file name: table, area ('40203_久留米市', '40203_久留米市_ほか2地域' or the label for
    all areas) and period ('2013-03-31-2022-01-01', one period, or '' when the table has none)."""
    if not areas:
        area = all_label
    else:
        area = f"{areas[0]}_{names.get(areas[0], '')}".rstrip("_")
        if len(areas) > 1:
            area += "_" + more_label.format(n=len(areas) - 1)
    span = sorted(periods)
    period = "" if not span else (span[0] if len(span) == 1 else f"{span[0]}-{span[-1]}")
    return table, area, period
