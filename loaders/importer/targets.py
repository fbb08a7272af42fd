"""What an upload can be imported into: the project tables (keys, measures), the vocabularies a file may print for
them (sex, nationality, population basis, 表章項目 measures, units) and the column layout read from loaders/schema.sql.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb

from loaders.build import KEYS as OFFICIAL_KEYS
from loaders.importer_read import norm

SCHEMA = Path(__file__).resolve().parents[1] / "schema.sql"
MAX_COUNT = 1_000_000_000  # persons/events: far above Japan's population; larger is a unit or typing error


@dataclass(frozen=True)
class Target:
    """A project table rows can be imported into: key columns (without source_id), measures, signed measures."""

    keys: tuple[str, ...]
    measures: tuple[str, ...]
    signed: tuple[str, ...] = ()
    counts: bool = True  # measures are whole counts (False: rates such as tfr)


TARGETS: dict[str, Target] = {
    "population": Target(("area_code", "ref_date", "basis", "nationality", "sex", "age_group"), ("persons",)),
    "households": Target(("area_code", "ref_date", "nationality"), ("households",)),
    "vital_events": Target(("area_code", "period", "nationality"), ("births", "deaths")),
    "migration_totals": Target(("area_code", "period", "nationality"),
                               ("in_total", "in_domestic", "in_abroad", "out_total", "out_domestic", "out_abroad",
                                "other_in", "other_out")),
    "migration_flows": Target(("origin_code", "dest_code", "period", "nationality", "sex", "age_group"), ("movers",)),
    "migration_net_flows": Target(("area_code", "partner_code", "period", "nationality", "sex", "age_group"),
                                  ("net_movers",), signed=("net_movers",)),
    "youth_net_migration": Target(("area_code", "period", "nationality", "sex", "age_group"), ("net_movers",),
                                  signed=("net_movers",)),
    "fertility": Target(("area_code", "year"), ("tfr",), counts=False),
    "projections": Target(("area_code", "source", "scenario", "year", "nationality", "sex", "age_group"), ("persons",)),
}
for _name, _t in TARGETS.items():  # the importer's keys are the build's keys without source_id
    assert [k for k in OFFICIAL_KEYS.get(_name, _t.keys) if k != "source_id"] == list(_t.keys), _name
CODE_COLUMNS = ("area_code", "origin_code", "dest_code", "partner_code")
PERIOD_TABLES = ("vital_events", "migration_totals", "migration_flows", "migration_net_flows", "youth_net_migration")
STOCK_TABLES = ("population", "households")
YEAR_TABLES = ("fertility", "projections")  # keyed by calendar year

#: Allowed values of enumerated text columns, as the official loaders write them: population.basis ('juki'
#: loaders/juki.py, 'census'/'city_register' the bundled seed, 'estimate'/'other' the import's Options) with the
#: Japanese names a file may print; projections.source ('ipss_2018' loaders/ipss.py, 'kurume_vision_2025' the seed,
#: 'user' this importer's default); period_kind of the period tables.
BASIS = {"estimate": "estimate", "census": "census", "juki": "juki", "city_register": "city_register", "other": "other",
         "人口推計": "estimate", "推計人口": "estimate", "国勢調査": "census", "住民基本台帳": "juki", "住基": "juki"}
PROJECTION_SOURCES = ("ipss_2018", "kurume_vision_2025", "user")
PERIOD_KINDS = ("FY", "CY")
MAX_AGE = 120  # an age (group bound) above this is a typing error

SEX = {"total": "total", "男女計": "total", "総数": "total", "計": "total", "男女総数": "total",
       "male": "male", "男": "male", "男性": "male", "female": "female", "女": "female", "女性": "female"}
NATIONALITY = {"total": "total", "総数": "total", "総人口": "total", "計": "total", "総計": "total", "国籍総数": "total",
               "日本人・外国人計": "total", "japanese": "japanese", "日本人": "japanese", "日本人人口": "japanese",
               "日本人住民": "japanese", "日本人移動者": "japanese", "foreign": "foreign", "外国人": "foreign",
               "外国人人口": "foreign", "外国人住民": "foreign", "外国人移動者": "foreign"}
#: 表章項目 / measure labels -> (table, column). Labels are NFKC-normalised, units in 【】 removed.
MEASURES = {
    "人口": ("population", "persons"), "総人口": ("population", "persons"), "人口総数": ("population", "persons"),
    "推計人口": ("population", "persons"), "住民基本台帳人口": ("population", "persons"), "人数": ("population", "persons"),
    "日本人人口": ("population", "persons"), "外国人人口": ("population", "persons"),
    "世帯数": ("households", "households"),
    "出生児数": ("vital_events", "births"), "出生数": ("vital_events", "births"), "出生者数": ("vital_events", "births"),
    "死亡者数": ("vital_events", "deaths"), "死亡数": ("vital_events", "deaths"),
    "転入者数": ("migration_totals", "in_total"), "転入者数(国内)": ("migration_totals", "in_domestic"),
    "転入者数(国外)": ("migration_totals", "in_abroad"), "転出者数": ("migration_totals", "out_total"),
    "転出者数(国内)": ("migration_totals", "out_domestic"), "転出者数(国外)": ("migration_totals", "out_abroad"),
    "転入超過数": ("youth_net_migration", "net_movers"),
    "合計特殊出生率": ("fertility", "tfr"),
}
UNITS = {"人": 1, "件": 1, "世帯": 1, "": 1, "千人": 1000, "千世帯": 1000, "千件": 1000, "万人": 10_000,
         "百人": 100}
#: Headings accepted in a tidy file (normalised, lower case) -> project column.
TIDY_COLUMNS: dict[str, str] = {}
_ALIASES = {
    "area_code": ["団体コード", "地域コード", "市区町村コード", "全国地方公共団体コード", "code"],
    "ref_date": ["基準日", "調査日", "date"], "year": ["年", "年次"], "period": ["期間"], "period_kind": ["期間区分"],
    "nationality": ["国籍", "国籍区分"], "sex": ["性別", "男女", "男女別"], "age_group": ["年齢", "年齢階級", "年齢区分"],
    "persons": ["人口", "人数"], "births": ["出生数", "出生者数", "出生児数"], "deaths": ["死亡数", "死亡者数"],
    "in_total": ["転入者数"], "out_total": ["転出者数"], "households": ["世帯数"], "tfr": ["合計特殊出生率"],
    "net_movers": ["転入超過数"], "movers": ["移動者数"], "basis": ["基礎"], "source_id": ["出典id"],
}


@lru_cache(maxsize=1)
def table_columns() -> dict[str, list[tuple[str, str, bool]]]:
    """(column, DuckDB type, nullable) of every importable table, read from loaders/schema.sql (one layout)."""
    con = duckdb.connect(":memory:")
    try:
        con.execute(SCHEMA.read_text(encoding="utf-8"))
        rows = con.execute("SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
                           "ORDER BY table_name, ordinal_position").fetchall()
    finally:
        con.close()
    out: dict[str, list] = {}
    for table, col, typ, nullable in rows:
        if table in TARGETS:
            out.setdefault(table, []).append((col, typ, nullable == "YES"))
    return out


def _tidy_columns() -> None:
    for cols in table_columns().values():
        for col, _, _ in cols:
            TIDY_COLUMNS[col.lower()] = col
    for col, names in _ALIASES.items():
        for n in names:
            TIDY_COLUMNS[norm(n).lower()] = col


_tidy_columns()
