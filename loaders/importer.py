"""Import of official files uploaded by a user into the user store (store.user; never the official database).

    parsed = importer_read.parse(name, data, TIDY_COLUMNS)    # encoding, file type, layout (importer_read)
    prepared = prepare(parsed, known_codes, Options(...))     # mapping to project tables + validation
    import_id = append(prepared, source)                      # one transaction in the user database

Mapping (e-Stat layouts): every dimension (分類事項) is given a role from its name, else from its categories:
area (codes checked against the official `areas`; names matched when no code column is given; printed aggregates
such as 市部/郡部/○○郡 are skipped and listed), time (dates, years, 年度 and 暦年, 和暦 such as 令和元年/R1/H30 with
era bounds checked: 平成32年 or 令和元年4月1日 are refused), sex, nationality, age group and measure (表章項目:
人口 → population.persons, 出生児数 → vital_events.births, 転入者数 → migration_totals.in_total …). Units
(unit column, 【千人】 in a label, 単位： line) scale the figures (千人 × 1,000); a measure printed in two units is
refused. Cells: commas, △/▲/- negatives, and '-', '…', 'x', '***' as missing or suppressed (stored as NULL).
Counts must be whole, not negative (net figures excepted) and at most MAX_COUNT.

The user database is never the official one: the app's database stays read-only and is rebuilt from official
files; user rows carry source_id 'user_<import id>' and the import's own source description. An import is one
transaction: any error rolls it back and earlier imports are untouched. A key already imported is refused
(delete the earlier import first). Every refusal is a LoaderError naming file, row and column in ja and en.
"""
from __future__ import annotations

import logging
import re
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from loaders import juki
from loaders.build import KEYS as OFFICIAL_KEYS
from loaders.build import period_end
from loaders.errors import LoaderError
from loaders.importer_read import Parsed, norm, parse
from loaders.parse import parse_number, wareki_to_year
from store import user as user_store
from store.user import UserStore

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = Path(__file__).with_name("schema.sql")
MAX_COUNT = 1_000_000_000  # persons/events: far above Japan's population; larger is a unit or typing error
log = logging.getLogger(__name__)


# ---------------------------------------------------------------- project tables a file can be mapped to

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


# ---------------------------------------------------------------- options, results

@dataclass(frozen=True)
class Options:
    """Choices the user confirms on the mapping step.

    basis: population basis for population rows ('estimate' 人口推計, 'census' 国勢調査, 'juki' 住民基本台帳,
    'city_register' the city's own count, 'other'; see BASIS);
    ref_day: 'MM-DD' used when a population's time is a bare year (10-01 for 人口推計/国勢調査, 01-01 for 住基).
    """

    basis: str = "other"
    ref_day: str = "10-01"


@dataclass
class Prepared:
    """Validated rows per project table, ready to append, plus what the user should see before confirming."""

    file: str
    layout: str
    encoding: str | None
    tables: dict[str, pd.DataFrame]  # schema columns + orig_source_id + _row/_col (dropped on insert)
    mapping: pd.DataFrame  # dimension, role, categories (as printed -> as stored; '@by_code'/'@by_name' for areas)
    skipped: pd.DataFrame  # what, rows, reason ('aggregate' printed subtotal, 'other_measure' not importable)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (ja, en)
    sha256: str = ""
    options_used: set = field(default_factory=set)  # which Options fields shaped the result ('basis', 'ref_day')

    @property
    def rows(self) -> int:
        return sum(len(f) for f in self.tables.values())


def _fail(parsed_or_file, ja: str, en: str, row=None, column=None) -> LoaderError:
    file = parsed_or_file if isinstance(parsed_or_file, str) else parsed_or_file.file
    sheet = None if isinstance(parsed_or_file, str) else parsed_or_file.sheet
    return LoaderError(file, ja, en, row=row, column=column, sheet=sheet)


def _option_basis(parsed: Parsed, opt: Options) -> str:
    """The population basis chosen on the mapping step, checked against BASIS."""
    if opt.basis not in BASIS.values():
        allowed = ", ".join(dict.fromkeys(BASIS.values()))
        raise _fail(parsed, f"人口の基礎「{opt.basis}」が不明です（{allowed}）。", f"unknown population basis {opt.basis!r} "
                    f"(expected {allowed}).", column="basis")
    return opt.basis


class _WrongKind(ValueError):
    """A time of the wrong kind for its table: args (table kind 'stock' | 'year', time kind 'fy' | 'cy')."""


def _wrong_kind_text(label: str, table_kind: str, time_kind: str) -> tuple[str, str]:
    what_ja, what_en = ("年度", "fiscal year") if time_kind == "fy" else ("期間", "period")
    if table_kind == "stock":
        return (f"人口・世帯数は基準日の数です。{what_ja}「{label}」は基準日になりません。基準日（例: 2021-10-01、令和3年10月1日現在）"
                "か年を書いてください。",
                f"population and households are counts at a reference date; the {what_en} {label!r} is a span, not a "
                "date: give the date (e.g. 2021-10-01) or a year.")
    return (f"この表は暦年の値です。年度「{label}」は使えません（例: 2021、令和3年）。",
            f"this table is by calendar year; the fiscal year {label!r} cannot be used (e.g. 2021).")


def suggest_options(parsed: Parsed) -> Options:
    """Defaults for the mapping step from the file's title/preamble (人口推計/国勢調査 -> 10-01, 住基 -> 01-01)."""
    text = " ".join(parsed.meta.values()) + " " + parsed.file
    if "国勢調査" in text:
        return Options("census", "10-01")
    if "住民基本台帳" in text:
        return Options("juki", "01-01")
    if "人口推計" in text or "00200524" in text:
        return Options("estimate", "10-01")
    return Options()


def default_source(parsed: Parsed) -> dict[str, str]:
    """Source fields pre-filled from the preamble (統計名, 表題, 表番号) for the user to complete."""
    m = parsed.meta
    return {"publisher": m.get("政府統計名", m.get("STAT_NAME", "")),
            "title": m.get("統計名", m.get("STATISTICS_NAME", m.get("見出し", ""))),
            "table_id": m.get("表番号", m.get("統計表ID", m.get("TABLE_INF", m.get("表題", "")))),
            "url": "", "retrieved": date.today().isoformat(), "licence": "", "note": ""}


# ---------------------------------------------------------------- cells

_ERAS_MAX = {"明治": 45, "大正": 15, "昭和": 64, "平成": 31, "令和": None}
_ERA_LETTER = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}
#: First and last valid days of an era's first and last year (month, day).
_ERA_START = {"大正": (7, 30), "昭和": (12, 25), "平成": (1, 8), "令和": (5, 1)}
_ERA_END = {"明治": (7, 29), "大正": (12, 24), "昭和": (1, 7), "平成": (4, 30)}


def parse_year(text: str) -> int:
    """A year as printed: '2019', '2019年', '令和元年', 'R1', 'H30', '平成31年' -> int. Era bounds are enforced:
    '平成32年' (there is none: 2020 is 令和2年) and '令和0年' raise ValueError with the reason."""
    t = norm(text).replace("年", "").replace("度", "").strip()
    m = re.fullmatch(r"(明治|大正|昭和|平成|令和|[MTSHR])\.?\s*(元|\d{1,2})", t)
    if m:
        era = _ERA_LETTER.get(m.group(1), m.group(1))
        n = 1 if m.group(2) == "元" else int(m.group(2))
        top = _ERAS_MAX[era]
        if n < 1:
            raise ValueError(f"era:{era}0年はありません（{era}元年＝{wareki_to_year(f'{era}1')}年）")
        if top is not None and n > top:
            western = wareki_to_year(f"{era}1") + n - 1
            nxt = {"明治": "大正", "大正": "昭和", "昭和": "平成", "平成": "令和"}[era]
            k = western - wareki_to_year(f"{nxt}1") + 1
            raise ValueError(f"era:{era}は{top}年まで。{western}年は{nxt}{'元' if k == 1 else k}年")
        return wareki_to_year(f"{era}{n}")
    if re.fullmatch(r"\d{4}", t):
        return int(t)
    raise ValueError(f"not a year: {text!r}")


def _check_era_date(text: str, y: int, mth: int, d: int) -> None:
    t = norm(text)
    m = re.match(r"(明治|大正|昭和|平成|令和|[MTSHR])\.?\s*(元|\d{1,2})", t)
    if not m:
        return
    era = _ERA_LETTER.get(m.group(1), m.group(1))
    n = 1 if m.group(2) == "元" else int(m.group(2))
    if n == 1 and era in _ERA_START and (mth, d) < _ERA_START[era]:
        raise ValueError(f"era:{era}元年{mth}月{d}日は存在しません（{era}は{_ERA_START[era][0]}月{_ERA_START[era][1]}日から）")
    if _ERAS_MAX.get(era) == n and era in _ERA_END and (mth, d) > _ERA_END[era]:
        raise ValueError(f"era:{era}{n}年{mth}月{d}日は存在しません（{era}は{_ERA_END[era][0]}月{_ERA_END[era][1]}日まで）")


def parse_time(label: str) -> tuple[str, object]:
    """A time category as printed -> ('date', 'YYYY-MM-DD') | ('year', Y) | ('fy', Y) | ('cy', Y).

    Forms: '2024年10月1日現在', '令和4年1月1日', '2022-01-01', '2021年', 'R3', '2021年度', '令和3年度',
    '2021年1月～12月', '2021年4月～2022年3月'. Raises ValueError (message 'era:…' for impossible 和暦)."""
    t = norm(label).replace("現在", "").replace("　", "").strip()
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:T00:00:00)?", t)
    if m:
        y, mth, d = map(int, m.groups())
        return "date", date(y, mth, d).isoformat()
    m = re.fullmatch(r"(.+?)年(\d{1,2})月(\d{1,2})日", t)
    if m:
        y = parse_year(m.group(1))
        mth, d = int(m.group(2)), int(m.group(3))
        _check_era_date(m.group(1), y, mth, d)
        return "date", date(y, mth, d).isoformat()
    m = re.fullmatch(r"(.+?)年(\d{1,2})月\s*[～~〜\-ー－]\s*(?:(.+?)年)?(\d{1,2})月", t)
    if m:
        y1 = parse_year(m.group(1))
        y2 = parse_year(m.group(3)) if m.group(3) else y1
        m1, m2 = int(m.group(2)), int(m.group(4))
        if (m1, m2) == (1, 12) and y1 == y2:
            return "cy", y1
        if (m1, m2) == (4, 3) and y2 == y1 + 1:
            return "fy", y1
        raise ValueError(f"span:{label}")
    m = re.fullmatch(r"(.+?)年度", t)
    if m:
        return "fy", parse_year(m.group(1))
    return "year", parse_year(t)


def parse_age(label: str) -> str:
    """An age category as printed -> project age group: '総数' -> 'total', '0～4歳' -> '0-4', '90歳以上' -> '90+',
    '15歳' -> '15', '年齢不詳' -> 'unknown'. Raises ValueError otherwise (also for ages over MAX_AGE, '999+')."""
    t = norm(label).replace(" ", "")
    if t.lower() in ("total", "総数", "計", "年齢計", "総計", "年齢総数"):
        return "total"
    if t in ("不詳", "年齢不詳") or t.lower() == "unknown":
        return "unknown"
    m = re.fullmatch(r"(\d{1,3})歳?[～~〜\-－ー](\d{1,3})歳?", t)
    if m and int(m.group(1)) <= int(m.group(2)) <= MAX_AGE:
        return f"{int(m.group(1))}-{int(m.group(2))}"
    m = re.fullmatch(r"(\d{1,3})(?:歳以上|\+)", t)
    if m and int(m.group(1)) <= MAX_AGE:
        return f"{int(m.group(1))}+"
    m = re.fullmatch(r"(\d{1,3})歳?", t)
    if m and int(m.group(1)) <= MAX_AGE:
        return str(int(m.group(1)))
    raise ValueError(label)


def split_unit(label: str) -> tuple[str, str | None]:
    """'人口【千人】' -> ('人口', '千人'); '人口(単位:千人)' -> ('人口', '千人'); '人口' -> ('人口', None)."""
    t = norm(label)
    m = re.search(r"[【\[](.+?)[】\]]", t) or re.search(r"\(単位[:：]?\s*(.+?)\)", t)
    if not m:
        return t, None
    return (t[:m.start()] + t[m.end():]).strip(), m.group(1).strip()


# ---------------------------------------------------------------- areas

@dataclass
class AreaIndex:
    """Known codes and names (the official `areas` plus group codes): code -> kind; name -> candidate codes."""

    known: pd.DataFrame  # code, name_ja, kind, pref_code, current

    def __post_init__(self):
        k = self.known
        self.codes = set(k["code"])
        self.by_name: dict[str, list[tuple[str, str, bool]]] = {}
        for code, name, pref, cur in zip(k["code"], k["name_ja"], k.get("pref_code", k["code"].str[:2]),
                                         k.get("current", pd.Series(True, index=k.index))):
            if isinstance(name, str):
                key = norm(name).replace(" ", "").replace("ヶ", "ケ")
                self.by_name.setdefault(key, []).append((code, pref if isinstance(pref, str) else code[:2], bool(cur)))
        self.pref_by_name = {norm(n): c[:2] for c, n, kd in zip(k["code"], k["name_ja"], k["kind"])
                             if kd == "prefecture" and isinstance(n, str)}

    def code(self, raw: str) -> str | None:
        """Normalised 5-digit code or None (6-digit codes lose the check digit; 4 digits regain a leading zero)."""
        c = re.sub(r"\D", "", norm(raw)) if re.fullmatch(r"[\d\s.]+", norm(raw) or "x") else norm(raw)
        if c.endswith(".0"):
            c = c[:-2]
        if re.fullmatch(r"\d{6}", c):
            c = c[:5]
        elif re.fullmatch(r"\d{4}", c):
            c = c.zfill(5)
        return c if c in self.codes else None

    @staticmethod
    def is_aggregate(name: str) -> bool:
        n = norm(name)
        return n.endswith(("市部", "郡部", "郡", "支庁", "振興局", "島しょ")) and n not in ("全国",)

    def by(self, name: str, pref: str | None) -> tuple[str | None, list[str]]:
        """(code, candidates) for a printed name; `pref` (2 digits) disambiguates names used in several prefectures."""
        n = norm(name).replace(" ", "").replace("ヶ", "ケ")
        if n == "特別区部":  # printed without the prefecture in older tables; the group 東京都特別区部
            n = "東京都特別区部"
        m = re.match(r"^(.{2,3}?[都道府県])(.+)$", n)
        if n not in self.by_name and m and m.group(1) in self.pref_by_name:  # '福岡県久留米市'
            pref, n = self.pref_by_name[m.group(1)], m.group(2)
        cands = self.by_name.get(n, [])
        cur = [c for c in cands if c[2]] or cands
        if pref:
            cur = [c for c in cur if c[1] == pref] or cur
        if len(cur) == 1:
            return cur[0][0], []
        return None, [c[0] for c in cur]


# ---------------------------------------------------------------- roles of dimensions

def _role_by_name(name: str) -> str | None:
    n = norm(name).lower()
    if "時間軸" in n or n in ("年次", "年", "調査年", "年度", "時点", "time", "調査年月"):
        return "time"
    if any(k in n for k in ("地域", "都道府県", "市区町村", "全国", "area")):
        return "area"
    if "男女" in n or "性別" in n or n in ("性", "sex"):
        return "sex"
    if "年齢" in n or n == "age":
        return "age"
    if "国籍" in n or "日本人・外国人" in n:
        return "nationality"
    if n in ("表章項目", "tab") or "項目" in n:
        return "measure"
    return None


def _role_by_labels(labels: list[str]) -> str | None:
    base = [split_unit(x)[0] for x in labels]
    if all(b in SEX for b in base):
        return "sex"
    if all(b in NATIONALITY for b in base) and any(b in ("日本人人口", "外国人人口", "日本人", "外国人", "総人口") for b in base):
        return "nationality"
    if all(_ok(parse_age, b) for b in base) and len(base) > 1:
        return "age"
    if any(b in MEASURES for b in base):
        return "measure"
    return None


def _ok(fn, x) -> bool:
    try:
        fn(x)
        return True
    except (ValueError, TypeError):
        return False


def _where(parsed: Parsed, recs: pd.DataFrame, i, dim) -> dict:
    """Row and column of the cell that printed dimension `dim` for record `i` (header line for column dims)."""
    if dim.kind == "col":
        return {"row": dim.header_row, "column": recs.at[i, "_col"].split(" ")[0]}
    col = dim.letter
    return {"row": int(recs.at[i, "_row"]), "column": f"{col} ({dim.name})"}


# ---------------------------------------------------------------- mapping e-Stat records

def _map_records(parsed: Parsed, areas: AreaIndex, opt: Options) -> Prepared:
    recs = parsed.records.reset_index(drop=True)
    dims = {d.name: d for d in parsed.dims}
    roles: dict[str, str] = {}
    mapping_rows, notes, skipped = [], [], []
    for name, d in dims.items():
        labels = list(dict.fromkeys(recs[f"d:{name}"]))
        role = _role_by_name(name)
        if role == "measure" or role is None:
            by_labels = _role_by_labels(labels)
            if by_labels in ("sex", "nationality", "age") or role is None:
                role = by_labels
        if role is None:
            role = "constant" if len(labels) == 1 else None
        if role is None:
            raise _fail(parsed, f"分類「{name}」（{', '.join(labels[:5])} …）をプロジェクトの表の列に対応付けられません。",
                        f"cannot map the dimension {name!r} ({', '.join(labels[:5])} …) to a column of a project table.",
                        **_where(parsed, recs, 0, d))
        roles[name] = role
    by_role: dict[str, list[str]] = {}
    for name, role in roles.items():
        by_role.setdefault(role, []).append(name)
    for role in ("area", "time", "sex", "nationality", "age"):
        if len(by_role.get(role, [])) > 1:
            multi = [n for n in by_role[role] if recs[f"d:{n}"].nunique() > 1]
            keep = multi[:1] or by_role[role][:1]
            if len(multi) > 1:
                d = dims[multi[1]]
                raise _fail(parsed, f"同じ種類の分類が2つあります（{multi[0]}・{multi[1]}）。", f"two dimensions of the same kind ({multi[0]}, {multi[1]}).",
                            **_where(parsed, recs, 0, d))
            for n in by_role[role]:
                if n not in keep:
                    roles[n] = "constant"
            by_role[role] = keep
    measure_dims = [n for n in by_role.get("measure", [])]
    varying = [n for n in measure_dims if recs[f"d:{n}"].nunique() > 1]
    if len(varying) > 1:
        raise _fail(parsed, f"表章項目が2つの分類（{varying[0]}・{varying[1]}）で変わっています。",
                    f"the measure varies in two dimensions ({varying[0]}, {varying[1]}).", **_where(parsed, recs, 0, dims[varying[1]]))
    mdim = varying[0] if varying else (measure_dims[-1] if measure_dims else None)
    n = len(recs)

    # measure and unit per record
    if mdim is not None:
        base_unit = recs[f"d:{mdim}"].map(split_unit)
        mlabel = base_unit.str[0]
        unit_from_label = base_unit.str[1]
    else:
        mlabel = pd.Series([""] * n)
        unit_from_label = pd.Series([None] * n)
    nat_dim = by_role.get("nationality", [None])[0]
    target = mlabel.map(MEASURES)
    if mdim is None or target.isna().all():
        # no 表章項目 naming a measure: a population table whose nationality says 総人口/日本人人口, or the title
        text = " ".join([*(parsed.meta.values()), *(recs[f"d:{nm}"].iat[0] for nm in dims)])
        guess = ("population", "persons") if ("人口" in text or nat_dim) else None
        if mdim is None and guess:
            target = pd.Series([guess] * n)
            notes.append(("表章項目がないため「人口（人数）」として取り込みます。", "no measure dimension: read as population (persons)."))
    unit = recs["unit"].where(recs["unit"] != "", None) if "unit" in recs else pd.Series([None] * n)
    unit = unit.fillna(unit_from_label)
    for nm in dims:  # a constant label such as 表章項目 '人口【千人】' or a column header carrying the unit
        if nm != mdim:
            u = recs[f"d:{nm}"].map(lambda x: split_unit(x)[1])
            unit = unit.fillna(u)
    meta_unit = next((v for k, v in parsed.meta.items() if "単位" in k), None)
    unit = unit.fillna(meta_unit or "人").map(lambda u: norm(u).replace("(", "").replace(")", ""))
    for label in dict.fromkeys(mlabel[target.isna()]):
        cnt = int((mlabel == label).sum())
        skipped.append((f"{mdim}: {label}" if mdim else label, cnt, "other_measure"))
    keep = target.notna()
    if not keep.any():
        d = dims[mdim] if mdim else parsed.dims[0]
        raise _fail(parsed, f"取り込める項目がありません（表章項目: {', '.join(dict.fromkeys(mlabel))[:80]}）。"
                    "人口・世帯数・出生・死亡・転入・転出・転入超過数の表を指定してください。",
                    f"nothing to import (measures: {', '.join(dict.fromkeys(mlabel))[:80]}); expected population, "
                    "households, births, deaths, in/out-migrants or net migration.", **_where(parsed, recs, 0, d))
    recs = recs[keep].copy()
    recs["_table"] = target[keep].str[0]
    recs["_column"] = target[keep].str[1]
    recs["_unit"] = unit[keep]
    factor = recs["_unit"].map(UNITS)
    bad = factor.isna()
    if bad.any():
        i = bad.idxmax()
        col = "unit" if "unit" in parsed.records and parsed.records.at[i, "unit"] else recs.at[i, "_col"]
        raise _fail(parsed, f"単位「{recs.at[i, '_unit']}」を人数・件数に換算できません（人・千人・万人・世帯・件）。",
                    f"unit {recs.at[i, '_unit']!r} cannot be converted to counts (人, 千人, 万人, 世帯, 件).",
                    row=int(recs.at[i, "_row"]), column=col)
    recs["_factor"] = factor
    for col, grp in recs.groupby("_column", sort=False):
        units = list(dict.fromkeys(grp["_unit"]))
        if len(units) > 1:
            first = grp.index[grp["_unit"] == units[0]][0]
            other = grp.index[grp["_unit"] == units[1]][0]
            raise _fail(parsed, f"同じ項目の単位が混在しています（{int(recs.at[first, '_row'])}行目は「{units[0]}」、"
                        f"{int(recs.at[other, '_row'])}行目は「{units[1]}」）。別々のファイルに分けてください。",
                        f"mixed units for one measure (row {int(recs.at[first, '_row'])}: {units[0]!r}, row "
                        f"{int(recs.at[other, '_row'])}: {units[1]!r}); split the file.",
                        row=int(recs.at[other, "_row"]), column="unit" if "unit" in recs and recs.at[other, "unit"] else recs.at[other, "_col"])
        if units[0] != "人" and units[0] in UNITS:
            notes.append((f"{col}: 単位「{units[0]}」を {UNITS[units[0]]:,} 倍して人数・件数にしました。",
                          f"{col}: unit {units[0]!r} scaled by {UNITS[units[0]]:,} to counts."))
    mapping_rows.append((mdim or "—", "measure", ", ".join(f"{a} → {b}.{c}" for a, (b, c) in
                                                         {lab: MEASURES[lab] for lab in dict.fromkeys(mlabel) if lab in MEASURES}.items())))

    # area
    adim = by_role.get("area", [None])[0]
    if adim is None:
        raise _fail(parsed, "地域の列（地域・全国・都道府県・市区町村 など）がありません。", "no area column (地域, 全国・都道府県, 市区町村 …).",
                    row=parsed.header_row, column="A")
    d = dims[adim]
    codes_raw = recs[f"c:{adim}"]
    names = recs[f"d:{adim}"]
    if (codes_raw != "").any():
        uniq = {c: areas.code(c) for c in dict.fromkeys(codes_raw)}
        recs["area_code"] = codes_raw.map(uniq)
        bad = recs["area_code"].isna()
        if bad.any():
            i = bad.idxmax()
            raise _fail(parsed, f"不明な地域コード「{codes_raw[i]}」（{names[i]}）です。地域の表にありません。",
                        f"unknown area code {codes_raw[i]!r} ({names[i]}): not in the areas table.",
                        **(_where(parsed, recs, i, d) if d.kind == "col" else
                           {"row": int(recs.at[i, "_row"]), "column": f"{d.code_letter} ({adim} コード)"}))
        mapping_rows.append((adim, "area", "@by_code"))
    else:
        codes, pref, cache = [], None, {}
        for name in names:  # rows follow the printed order: a prefecture (or its 市部/郡部) row sets the context
            if norm(name) in areas.pref_by_name or norm(name) == "全国":
                pref = areas.pref_by_name.get(norm(name))
            m = re.match(r"^(.+?[都道府県])(市部|郡部)$", norm(name))
            if m and m.group(1) in areas.pref_by_name:
                pref = areas.pref_by_name[m.group(1)]
            key = (name, pref)
            if key not in cache:
                cache[key] = ("skip", None) if areas.is_aggregate(name) else areas.by(name, pref)
            codes.append(cache[key])
        res = pd.Series(codes, index=recs.index)
        agg = res.map(lambda r: r[0] == "skip")
        for name in dict.fromkeys(names[agg]):
            skipped.append((f"{adim}: {name}", int((names[agg] == name).sum()), "aggregate"))
        recs = recs[~agg].copy()
        res = res[~agg]
        recs["area_code"] = res.map(lambda r: r[0])
        bad = recs["area_code"].isna()
        if bad.any():
            i = bad.idxmax()
            cands = res[i][1]
            if cands:
                raise _fail(parsed, f"地域名「{names[i]}」は複数の地域にあります（{', '.join(cands)}）。地域コード付きでダウンロードしてください。",
                            f"area name {names[i]!r} is ambiguous ({', '.join(cands)}); download the table with codes.",
                            **_where(parsed, recs, i, d))
            raise _fail(parsed, f"地域名「{names[i]}」が地域の表にありません（名称が変わった地域は照合できません。地域コード付きの表をダウンロードしてください）。",
                        f"area name {names[i]!r} is not in the areas table (former names are not matched; download the table with codes).",
                        **_where(parsed, recs, i, d))
        mapping_rows.append((adim, "area", "@by_name"))

    # time
    tdim = by_role.get("time", [None])[0]
    if tdim is not None:
        labels = recs[f"d:{tdim}"]
        parsed_t = {}
        for lab in dict.fromkeys(labels):
            try:
                parsed_t[lab] = parse_time(lab)
            except ValueError as exc:
                i = labels[labels == lab].index[0]
                msg = str(exc)
                if msg.startswith("era:"):
                    ja, en = f"和暦「{lab}」は存在しない日付・年です（{msg[4:]}）。", f"Japanese-era date {lab!r} does not exist ({msg[4:]})."
                elif msg.startswith("span:"):
                    ja = f"期間「{lab}」は年度（4月〜翌3月）でも暦年（1月〜12月）でもありません。"
                    en = f"period {lab!r} is neither a fiscal year (Apr–Mar) nor a calendar year (Jan–Dec)."
                else:
                    ja, en = f"時点「{lab}」を読めません（例: 2024年10月1日現在、2021年、令和3年度）。", f"cannot read the time {lab!r} (e.g. 2024年10月1日現在, 2021年, 令和3年度)."
                raise _fail(parsed, ja, en, **_where(parsed, recs, i, dims[tdim])) from None
        recs["_time"] = labels.map(parsed_t)
        mapping_rows.append((tdim, "time", ", ".join(f"{a} → {b[1]}" for a, b in list(parsed_t.items())[:6])
                             + (" …" if len(parsed_t) > 6 else "")))
    else:
        m = re.search(r"(19|20)\d{2}", parsed.file) or re.search(r"(19|20)\d{2}", " ".join(parsed.meta.values()))
        if not m:
            raise _fail(parsed, "時点（時間軸）の列がなく、ファイル名にも年がありません。", "no time column and no year in the file name.",
                        row=parsed.header_row)
        recs["_time"] = [("year", int(m.group(0)))] * len(recs)
        notes.append((f"時間軸の列がないため {m.group(0)} 年（ファイル名・表題から）とします。",
                      f"no time column: year {m.group(0)} taken from the file name/title."))

    # sex, nationality, age
    for role, col, fn, default in (("sex", "sex", lambda x: SEX[split_unit(x)[0]], "total"),
                                   ("nationality", "nationality", lambda x: NATIONALITY[split_unit(x)[0]], None),
                                   ("age", "age_group", parse_age, "total")):
        dn = by_role.get(role, [None])[0]
        if dn is None:
            recs[col] = default
            continue
        labels = recs[f"d:{dn}"]
        out = {}
        for lab in dict.fromkeys(labels):
            try:
                out[lab] = fn(lab)
            except (KeyError, ValueError):
                i = labels[labels == lab].index[0]
                raise _fail(parsed, f"{ {'sex': '性別', 'nationality': '国籍', 'age': '年齢'}[role]}の区分「{lab}」が不明です。",
                            f"unknown {role} category {lab!r}.", **_where(parsed, recs, i, dims[dn])) from None
        recs[col] = labels.map(out)
        mapping_rows.append((dn, role, ", ".join(f"{a} → {b}" for a, b in list(out.items())[:8]) + (" …" if len(out) > 8 else "")))
    if nat_dim is None:  # a measure label may say 日本人人口 / 外国人人口
        recs["nationality"] = mlabel[recs.index].map(lambda x: NATIONALITY.get(x)).where(
            mlabel[recs.index].isin(["日本人人口", "外国人人口"]), "total")
    for nm, role in roles.items():
        if role == "constant":
            mapping_rows.append((nm, "constant", recs[f"d:{nm}"].iat[0] if len(recs) else ""))

    # values
    recs["_value"] = _values(parsed, recs, "value", "_col")
    tables, used = {}, set()
    for table, grp in recs.groupby("_table", sort=False):
        tables[table] = _assemble(parsed, table, grp, opt, notes, used)
    mapping = pd.DataFrame(mapping_rows, columns=["dimension", "role", "categories"])
    skipped_df = pd.DataFrame(skipped, columns=["what", "rows", "reason"])
    return Prepared(parsed.file, parsed.layout, parsed.encoding, tables, mapping, skipped_df, notes, options_used=used)


def _values(parsed: Parsed, recs: pd.DataFrame, col: str, where_col: str | None, column_name: str | None = None) -> pd.Series:
    """Parse published cells (commas, △/▲/-, missing marks) into floats (NaN = missing), naming the first bad cell."""
    cache = {}
    out = []
    for i, v in zip(recs.index, recs[col]):
        key = v if isinstance(v, str) else ("#", v)
        if key not in cache:
            try:
                cache[key] = parse_number(v)
            except ValueError:
                where = recs.at[i, where_col] if where_col else column_name
                raise _fail(parsed, f"数値ではない値「{v}」があります。", f"value {v!r} is not a number.",
                            row=int(recs.at[i, "_row"]), column=where) from None
        out.append(cache[key])
    return pd.Series(out, index=recs.index, dtype="float64")


def _stock_date(kind_value, opt: Options) -> str:
    kind, v = kind_value
    if kind == "date":
        return v
    return f"{v}-{opt.ref_day}"


def _period(kind_value) -> str | None:
    kind, v = kind_value
    if kind == "fy":
        return f"FY{v}"
    if kind in ("cy", "year"):
        return f"CY{v}"
    return None


def _assemble(parsed: Parsed, table: str, grp: pd.DataFrame, opt: Options, notes: list, used: set) -> pd.DataFrame:
    spec = TARGETS[table]
    g = grp.copy()
    if table in STOCK_TABLES:
        g["ref_date"] = g["_time"].map(lambda tv: _stock_date(tv, opt))
        if (g["_time"].str[0] != "date").any():
            used.add("ref_day")
            notes.append((f"{table}: 年だけの時点は基準日 {opt.ref_day}（月-日）とします。", f"{table}: bare years dated {opt.ref_day} (month-day)."))
        bad = g["_time"].map(lambda tv: tv[0] in ("fy", "cy"))
        if bad.any():
            i = bad.idxmax()
            raise _fail(parsed, "人口・世帯数には基準日（○年○月○日現在）か年が必要です。年度・期間は使えません。",
                        "population and households need a reference date or a year, not a fiscal year or span.",
                        row=int(g.at[i, "_row"]), column=g.at[i, "_col"])
        if table == "population":
            g["basis"] = _option_basis(parsed, opt)
            used.add("basis")
    elif table in PERIOD_TABLES:
        g["period"] = g["_time"].map(_period)
        bad = g["period"].isna()
        if bad.any():
            i = bad.idxmax()
            raise _fail(parsed, "出生・死亡・移動の数には期間（○年、○年度）が必要です。日付（○月○日現在）は使えません。",
                        "births, deaths and moves need a period (a year or fiscal year), not a date.",
                        row=int(g.at[i, "_row"]), column=g.at[i, "_col"])
    else:
        bad = g["_time"].map(lambda tv: tv[0] == "fy")
        if bad.any():
            i = bad.idxmax()
            ja, en = _wrong_kind_text(f"FY{g.at[i, '_time'][1]}", "year", "fy")
            raise _fail(parsed, ja, en, row=int(g.at[i, "_row"]), column=g.at[i, "_col"])
        g["year"] = g["_time"].map(lambda tv: int(str(tv[1])[:4]))
    g["_value"] = g["_value"] * g["_factor"]
    _check_measure(parsed, table, g, "_value", g["_column"])
    keys = list(spec.keys)
    for k in keys:
        if k not in g:
            g[k] = "total" if k in ("sex", "age_group", "nationality") else None
    dup = g.duplicated(keys + ["_column"], keep=False)
    if dup.any():
        a, b = g.index[dup][:2]
        key = ", ".join(f"{k}={g.at[a, k]}" for k in keys)
        raise _fail(parsed, f"同じ項目が2回あります（{int(g.at[a, '_row'])}行目 {g.at[a, '_col'].split(' ')[0]}列 と "
                    f"{int(g.at[b, '_row'])}行目 {g.at[b, '_col'].split(' ')[0]}列: {key}）。平成31年と令和元年のように同じ年を2通りに書いていませんか。",
                    f"the same figure appears twice (row {int(g.at[a, '_row'])} column {g.at[a, '_col'].split(' ')[0]} and row "
                    f"{int(g.at[b, '_row'])} column {g.at[b, '_col'].split(' ')[0]}: {key}); e.g. 平成31年 and 令和元年 are the same year.",
                    row=int(g.at[b, "_row"]), column=g.at[b, "_col"])
    wide = g.pivot(index=keys, columns="_column", values="_value")
    first = g.groupby(keys)[["_row", "_col"]].first()
    wide = wide.join(first).reset_index()
    wide.columns.name = None
    wide["orig_source_id"] = None
    return _finish(table, wide)


def _check_measure(parsed: Parsed, table: str, g: pd.DataFrame, col: str, names) -> None:
    spec = TARGETS[table]
    v = g[col]
    names = names if isinstance(names, pd.Series) else pd.Series(names, index=g.index)
    big = v.abs() > MAX_COUNT
    if big.any():
        i = big.idxmax()
        raise _fail(parsed, f"値 {v[i]:,.0f} が大きすぎます（上限 {MAX_COUNT:,}）。単位や桁を確認してください。",
                    f"value {v[i]:,.0f} is too large (limit {MAX_COUNT:,}); check the unit and digits.",
                    row=int(g.at[i, "_row"]), column=g.at[i, "_col"])
    if spec.counts:
        frac = v.notna() & ((v - v.round()).abs() > 1e-6)
        if frac.any():
            i = frac.idxmax()
            raise _fail(parsed, f"人数・件数が整数になりません（{v[i]}）。", f"count is not a whole number ({v[i]}).",
                        row=int(g.at[i, "_row"]), column=g.at[i, "_col"])
    neg = (v < 0) & ~names.isin(spec.signed)
    if neg.any():
        i = neg.idxmax()
        raise _fail(parsed, f"人数・件数が負の値（{v[i]:,.0f}）です。", f"count is negative ({v[i]:,.0f}).",
                    row=int(g.at[i, "_row"]), column=g.at[i, "_col"])
    if table == "fertility":
        bad = v.notna() & ((v <= 0) | (v > 10))
        if bad.any():
            i = bad.idxmax()
            raise _fail(parsed, f"合計特殊出生率 {v[i]} は 0〜10 の範囲外です。", f"total fertility rate {v[i]} is outside 0–10.",
                        row=int(g.at[i, "_row"]), column=g.at[i, "_col"])


def _finish(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Schema columns in schema order (derived period columns filled), plus orig_source_id, _row, _col."""
    cols = [c for c, _, _ in table_columns()[table]]
    f = frame.copy()
    if "period" in cols:
        f["period_kind"] = f["period"].str[:2]
        if "year" in cols:
            f["year"] = f["period"].str[-4:].astype(int)
        if "period_end" in cols:
            ends = {p: period_end(p) for p in f["period"].unique()}
            f["period_end"] = f["period"].map(ends)
    if "ref_date" in cols:
        f["ref_date"] = pd.to_datetime(f["ref_date"]).dt.date
    spec = TARGETS[table]
    for m in spec.measures:
        if m not in f:
            f[m] = None
        v = pd.to_numeric(f[m], errors="coerce").astype("float64")
        f[m] = v.astype("Float64") if not spec.counts else v.round().astype("Int64")
    for c in cols:
        if c not in f:
            f[c] = None
    if "source_id" in f:
        f = f.drop(columns="source_id")
    out = f[[c for c in cols if c != "source_id"] + ["orig_source_id", "_row", "_col"]]
    return out.reset_index(drop=True)


# ---------------------------------------------------------------- tidy files

_NAT_CODES = {"total", "japanese", "foreign"}
_SEX_CODES = {"total", "male", "female"}


def _tidy(parsed: Parsed, areas: AreaIndex, opt: Options) -> Prepared:
    f = parsed.tidy
    headers, mapped = f.attrs["headers"], f.attrs["mapped"]
    from loaders.importer_read import letter
    present = {m: j for j, m in enumerate(mapped) if m}
    scores = []
    for table, spec in TARGETS.items():
        cols = {c for c, _, _ in table_columns()[table]}
        measures = [m for m in spec.measures if m in present]
        needed = [k for k in spec.keys if k not in ("basis", "sex", "nationality", "age_group")]
        if "period" in needed and "period" not in present and "year" in present and table in PERIOD_TABLES:
            needed = [k for k in needed if k != "period"] + ["year"]
        if "ref_date" in needed and "ref_date" not in present and "year" in present:  # 年 only: dated ref_day
            needed = [k for k in needed if k != "ref_date"] + ["year"]
        if measures and all(k in present for k in needed):
            extra = len([c for c in present if c not in cols and c != "source_id"])
            scores.append((len([c for c in present if c in cols]) - extra, table))
    if not scores:
        raise _fail(parsed, "見出しの列名からプロジェクトの表を特定できません（例: area_code, ref_date, persons）。",
                    "the headings do not match a project table (e.g. area_code, ref_date, persons).",
                    row=parsed.header_row, column="A")
    table = max(scores)[1]
    spec = TARGETS[table]
    cols = [c for c, _, _ in table_columns()[table]]
    out = pd.DataFrame({"_row": f["_row"]})
    where = {c: f"{letter(j)} ({headers[j]})" for c, j in present.items()}
    unused = [h for h, m in zip(headers, mapped) if not m or (m not in cols and m != "source_id")]
    mapping = [(headers[j], "column", "orig_source_id" if c == "source_id" else c) for c, j in present.items()
               if c in cols or c == "source_id"] + [(h, "unused", "") for h in unused]
    notes = []
    if unused:
        notes.append((f"使わない列: {', '.join(unused)}", f"columns not used: {', '.join(unused)}"))

    def col_text(c):
        return f[str(present[c])].map(lambda v: "" if v is None else (norm(v)[:-2] if isinstance(v, float) and float(v).is_integer() and c not in spec.measures else norm(v)))

    def bad(i, c, ja, en):
        return _fail(parsed, ja, en, row=int(f.at[i, "_row"]), column=where[c])

    for c in CODE_COLUMNS:
        if c in cols and c in present:
            raw = col_text(c)
            uniq = {x: areas.code(x) for x in dict.fromkeys(raw)}
            out[c] = raw.map(uniq)
            if out[c].isna().any():
                i = out[c].isna().idxmax()
                raise bad(i, c, f"不明な地域コード「{raw[i]}」です。地域の表にありません。", f"unknown area code {raw[i]!r}: not in the areas table.")
    for c, allowed, aliases in (("nationality", _NAT_CODES, NATIONALITY), ("sex", _SEX_CODES, SEX)):
        if c in cols:
            if c in present:
                raw = col_text(c)
                out[c] = raw.map(lambda x: aliases.get(x, aliases.get(x.lower())))
                if out[c].isna().any():
                    i = out[c].isna().idxmax()
                    raise bad(i, c, f"区分「{raw[i]}」が不明です（{', '.join(sorted(allowed))}）。", f"unknown category {raw[i]!r} (expected {', '.join(sorted(allowed))}).")
            else:
                out[c] = "total"
    if "age_group" in cols:
        if "age_group" in present:
            raw = col_text("age_group")
            uniq = {}
            for x in dict.fromkeys(raw):
                try:
                    uniq[x] = parse_age(x)
                except ValueError:
                    i = raw[raw == x].index[0]
                    raise bad(i, "age_group", f"年齢区分「{x}」が不明です（例: total, 0-4, 90+）。", f"unknown age group {x!r} (e.g. total, 0-4, 90+).") from None
            out["age_group"] = raw.map(uniq)
        else:
            out["age_group"] = "total"
    used = set()
    for c in ("basis", "source", "scenario"):
        if c not in cols:
            continue
        if c not in present:
            if c == "basis":
                used.add("basis")
            out[c] = _option_basis(parsed, opt) if c == "basis" else "user"
            continue
        raw = col_text(c)
        if (raw == "").any():
            i = (raw == "").idxmax()
            raise bad(i, c, f"列「{c}」が空です。", f"column {c!r} is empty.")
        if c == "basis":
            out[c] = raw.map(lambda x: BASIS.get(x, BASIS.get(x.lower())))
        elif c == "source":
            out[c] = raw.where(raw.isin(PROJECTION_SOURCES))
        else:
            out[c] = raw
        if out[c].isna().any():
            i = out[c].isna().idxmax()
            allowed = ", ".join(dict.fromkeys(BASIS.values()) if c == "basis" else PROJECTION_SOURCES)
            label_ja = "人口の基礎" if c == "basis" else "推計の出典"
            label_en = "population basis" if c == "basis" else "projection source"
            raise bad(i, c, f"{label_ja}「{raw[i]}」が不明です（{allowed}）。", f"unknown {label_en} {raw[i]!r} (expected {allowed}).")
    if "ref_date" in cols:
        src_col = "ref_date" if "ref_date" in present else "year"
        raw = col_text(src_col)

        def stock(tv):
            if tv[0] in ("fy", "cy"):
                raise _WrongKind("stock", tv[0])
            return _stock_date(tv, opt)

        out["ref_date"] = _times(parsed, raw, f, where[src_col], stock, "date")
        if any(_ok(parse_time, x) and parse_time(x)[0] != "date" for x in dict.fromkeys(raw)):
            used.add("ref_day")
    if "period" in cols:
        if "period" in present:
            raw = col_text("period")
            ok = raw.str.fullmatch(r"(FY|CY)\d{4}(-(FY|CY)\d{4})?")
            conv = raw.where(ok, None)
            if (~ok).any():
                conv = conv.fillna(_times(parsed, raw.where(~ok, "2000"), f, where["period"], _period, "period"))
            out["period"] = conv
        else:
            raw = col_text("year")
            out["period"] = _times(parsed, raw, f, where["year"], _period, "period")
    if "period_kind" in present and "period" in cols:
        raw = col_text("period_kind")
        kind = raw.str.upper()
        for i in kind.index[~kind.isin(PERIOD_KINDS)][:1]:
            raise bad(i, "period_kind", f"期間区分「{raw[i]}」が不明です（FY 年度、CY 暦年）。",
                      f"unknown period kind {raw[i]!r} (FY fiscal year, CY calendar year).")
        for i in kind.index[kind != out["period"].str[:2]][:1]:
            raise bad(i, "period_kind", f"期間区分「{raw[i]}」が期間「{out.at[i, 'period']}」と合いません。",
                      f"period kind {raw[i]!r} does not match the period {out.at[i, 'period']!r}.")
    if "year" in cols and "period" not in cols:
        raw = col_text("year")

        def calendar_year(tv):
            if tv[0] == "fy":
                raise _WrongKind("year", "fy")
            return int(str(tv[1])[:4])

        out["year"] = _times(parsed, raw, f, where["year"], calendar_year, "year")
    out["orig_source_id"] = col_text("source_id") if "source_id" in present else None
    out["_col"] = ""
    long = []
    for m in spec.measures:
        if m in present:
            vals = _values(parsed, f.assign(_where=where[m]), str(present[m]), "_where")
            g = out.assign(_v=vals, _col=where[m])
            _check_measure(parsed, table, g, "_v", pd.Series(m, index=g.index))
            out[m] = vals
            long.append(m)
    keys = list(spec.keys)
    dup = out.duplicated(keys + ["orig_source_id"], keep=False)
    if dup.any():
        a, b = out.index[dup][:2]
        key = ", ".join(f"{k}={out.at[a, k]}" for k in keys)
        raise _fail(parsed, f"キーが重複しています（{int(out.at[a, '_row'])}行目と{int(out.at[b, '_row'])}行目: {key}）。",
                    f"duplicated key (rows {int(out.at[a, '_row'])} and {int(out.at[b, '_row'])}: {key}).",
                    row=int(out.at[b, "_row"]), column=", ".join(where[k] for k in keys if k in where))
    out["_col"] = where[long[0]]
    mapping_df = pd.DataFrame(mapping, columns=["dimension", "role", "categories"])
    return Prepared(parsed.file, parsed.layout, parsed.encoding, {table: _finish(table, out)}, mapping_df,
                    pd.DataFrame(columns=["what", "rows", "reason"]), notes, options_used=used)


def _times(parsed, raw: pd.Series, f, column: str, conv, what: str) -> pd.Series:
    uniq = {}
    for x in dict.fromkeys(raw):
        try:
            tv = parse_time(x)
            val = conv(tv)
            if val is None:
                raise ValueError("kind")
            uniq[x] = val
        except (ValueError, TypeError) as exc:
            i = raw[raw == x].index[0]
            msg = str(exc)
            if isinstance(exc, _WrongKind):
                ja, en = _wrong_kind_text(x, *exc.args)
            elif msg.startswith("era:"):
                ja, en = f"和暦「{x}」は存在しない日付・年です（{msg[4:]}）。", f"Japanese-era date {x!r} does not exist ({msg[4:]})."
            else:
                ja = f"時点「{x}」を読めません（{ {'date': '例: 2022-01-01、令和4年1月1日', 'period': '例: FY2024、CY2021、2021年、令和3年度', 'year': '例: 2020、令和2年'}[what]}）。"
                en = f"cannot read the time {x!r} ({ {'date': 'e.g. 2022-01-01', 'period': 'e.g. FY2024, CY2021', 'year': 'e.g. 2020'}[what]})."
            raise _fail(parsed, ja, en, row=int(f.at[i, "_row"]), column=column) from None
    return raw.map(uniq)


# ---------------------------------------------------------------- 総務省 住民基本台帳 workbooks

def _juki(parsed: Parsed, areas: AreaIndex) -> Prepared:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / (Path(parsed.file).stem + ".xlsx")
        path.write_bytes(parsed.raw)
        try:
            grid = parsed.grid
            age = any("年齢" in norm(v) for r in grid[:3] for v in r if v is not None) or \
                any(norm(v).startswith("0歳") for r in grid[:12] for v in r if v is not None)
            if age:
                frame = juki._validate_age(juki.read_age_workbook(path), parsed.file)
            else:
                frame = juki._validate_dynamics(juki.read_dynamics_workbook(path), parsed.file)
        except LoaderError as exc:
            exc.file = parsed.file if str(path) in exc.file or exc.file == str(path) else exc.file
            raise
    unknown = ~frame["area_code"].isin(areas.codes)
    agg = unknown & frame["muni_name"].astype(str).map(AreaIndex.is_aggregate)
    counts = frame.loc[agg, "muni_name"].value_counts(sort=False)
    skipped = [(f"{n}", int(c), "aggregate") for n, c in counts.items()]
    frame = frame[~agg]
    bad = ~frame["area_code"].isin(areas.codes)
    if bad.any():
        i = bad.idxmax()
        raise _fail(parsed, f"不明な団体コード「{frame.at[i, 'area_code']}」（{frame.at[i, 'muni_name']}）です。",
                    f"unknown municipal code {frame.at[i, 'area_code']!r} ({frame.at[i, 'muni_name']}).",
                    row=int(frame.at[i, "_row"]), column="A (団体コード)")
    if age:
        tidy = {"population": juki.age_to_tidy(frame)}
    else:
        tidy = juki.dynamics_to_tidy(frame)
    tables = {}
    rowmap = dict(zip(frame["area_code"], frame["_row"]))
    for table, t in tidy.items():
        t = t.rename(columns={"source_id": "orig_source_id"}).copy()
        t["_row"] = t["area_code"].map(rowmap)
        t["_col"] = ""
        tables[table] = _finish_juki(table, t)
    mapping = pd.DataFrame([("団体コード", "area", "@by_code"),
                            ("表題", "time", norm(parsed.grid[0][0]) if parsed.grid and parsed.grid[0] else "")],
                           columns=["dimension", "role", "categories"])
    return Prepared(parsed.file, parsed.layout, None, tables, mapping,
                    pd.DataFrame(skipped, columns=["what", "rows", "reason"]), [])


def _finish_juki(table: str, t: pd.DataFrame) -> pd.DataFrame:
    f = t.copy()
    src = f.pop("orig_source_id")
    f = _finish(table, f.assign(orig_source_id=None))
    f["orig_source_id"] = src.values
    return f


# ---------------------------------------------------------------- entry points

def prepare(parsed: Parsed, known: pd.DataFrame, options: Options | None = None) -> Prepared:
    """Map a parsed upload to project tables and validate every value.

    known: DataFrame of known codes (columns code, name_ja, kind, pref_code, current) — the official areas and
    area groups. Returns a Prepared (rows per table, mapping, skipped aggregates, notes). Raises LoaderError
    naming file, row and column for the first problem.
    """
    opt = options or suggest_options(parsed)
    areas = AreaIndex(known)
    if parsed.layout == "juki_workbook":
        out = _juki(parsed, areas)
    elif parsed.layout == "tidy":
        out = _tidy(parsed, areas, opt)
    else:
        out = _map_records(parsed, areas, opt)
    for table, frame in out.tables.items():
        if frame.empty:
            continue
        keys = list(TARGETS[table].keys)
        dup = frame.duplicated(keys + ["orig_source_id"], keep=False)
        if dup.any():
            a, b = frame.index[dup][:2]
            raise _fail(parsed, f"キーが重複しています（{frame.at[a, '_row']}行目と{frame.at[b, '_row']}行目）。",
                        f"duplicated key (rows {frame.at[a, '_row']} and {frame.at[b, '_row']}).", row=int(frame.at[b, "_row"]))
    if out.rows == 0:
        raise _fail(parsed, "取り込める行がありません（すべて集計行か対象外の項目です）。", "no rows to import (all rows are aggregates or other measures).")
    out.sha256 = parsed.sha256
    return out


def read_and_prepare(name: str, data: bytes, known: pd.DataFrame, options: Options | None = None) -> tuple[Parsed, Prepared]:
    """parse() then prepare(): the whole check of an upload without writing anything."""
    parsed = parse(name, data, TIDY_COLUMNS)
    return parsed, prepare(parsed, known, options)


def unexpected(file: str, exc: BaseException) -> LoaderError:
    """The LoaderError to show for a failure no check foresaw (a bug, or memory exhausted): the exception is logged
    with its traceback (logger 'loaders.importer'); the user sees a generic message in ja/en naming its type only."""
    log.error("import of %r failed unexpectedly", file, exc_info=exc)
    kind = type(exc).__name__
    return LoaderError(file, f"予期しないエラーのため取り込めませんでした（{kind}）。プログラムの不具合の可能性があります。"
                       "管理者に連絡してください（詳細はサーバーのログにあります）。",
                       f"the file could not be imported because of an unexpected error ({kind}); this may be a bug: "
                       "tell the administrator (details are in the server log).")


# ---------------------------------------------------------------- the user store (store.user owns the file)

def _store(path: Path | None = None) -> UserStore:
    return UserStore(path) if path is not None else user_store.default()


def _ensure_schema(con) -> None:
    con.execute("""CREATE TABLE IF NOT EXISTS imports (import_id INTEGER PRIMARY KEY, file_name VARCHAR, sha256 VARCHAR,
        layout VARCHAR, encoding VARCHAR, tables VARCHAR, rows BIGINT, imported_at TIMESTAMP, publisher VARCHAR,
        title VARCHAR, table_id VARCHAR, url VARCHAR, retrieved VARCHAR, licence VARCHAR, note VARCHAR)""")
    for table, cols in table_columns().items():
        # identifiers from schema.sql, never from an upload
        defs = ", ".join(f'"{c}" {_sql_type(typ)}' + ("" if nullable else " NOT NULL") for c, typ, nullable in cols)
        con.execute(f'CREATE TABLE IF NOT EXISTS "{table}" ({defs}, orig_source_id VARCHAR, import_id INTEGER NOT NULL)')


def append(prepared: Prepared, source: dict[str, str], path: Path | None = None) -> int:
    """Append the prepared rows to the user store in one transaction; returns the new import id.

    source: publisher, title, table_id, url, retrieved (YYYY-MM-DD), licence, note — stored with the import and
    shown as the source of its rows. A key (table keys + orig_source_id) already present from an earlier import
    raises LoaderError naming the file row and the earlier import; then nothing of this file is written.
    """
    retrieved = (source.get("retrieved") or "").strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", retrieved):
        raise LoaderError(prepared.file, "取得日（YYYY-MM-DD）を入力してください。", "enter the retrieval date (YYYY-MM-DD).",
                          column="retrieved")
    with _store(path).writing() as con:
        _ensure_schema(con)
        import_id = con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM imports").fetchall()[0][0]
        for table, frame in prepared.tables.items():
            _insert(con, table, frame, import_id, prepared.file)
        summary = ", ".join(f"{t}:{len(f)}" for t, f in prepared.tables.items())
        con.execute("INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [import_id, prepared.file, prepared.sha256, prepared.layout, prepared.encoding, summary,
                     prepared.rows, datetime.now(timezone.utc).replace(tzinfo=None),
                     *(str(source.get(k, "") or "") for k in ("publisher", "title", "table_id", "url")), retrieved,
                     *(str(source.get(k, "") or "") for k in ("licence", "note"))])
    return int(import_id)


def _sql_type(typ: str) -> str:
    """A column type of schema.sql written so both user-store back ends accept it (DuckDB and PostgreSQL)."""
    return "DOUBLE PRECISION" if typ == "DOUBLE" else typ


def _insert(con, table: str, frame: pd.DataFrame, import_id: int, file: str) -> None:
    types = {c: _sql_type(typ) for c, typ, _ in table_columns()[table]} | {"orig_source_id": "VARCHAR", "import_id": "INTEGER"}
    cols = [c for c, _, _ in table_columns()[table]]
    keys = list(TARGETS[table].keys)
    data = frame.assign(source_id=f"user_{import_id}", import_id=import_id)
    con.register("incoming", data)
    try:
        # incoming's types come from the values (an all-empty column has none): cast to the table's
        on = " AND ".join(f'e."{k}" IS NOT DISTINCT FROM CAST(i."{k}" AS {types[k]})' for k in [*keys, "orig_source_id"])
        hit = con.execute(f'SELECT i._row, e.import_id, m.file_name FROM incoming i JOIN "{table}" e ON {on} '
                          f"LEFT JOIN imports m ON m.import_id = e.import_id ORDER BY i._row LIMIT 1").fetchall()
        hit = hit[0] if hit else None
        if hit:
            raise LoaderError(file, f"この行は取り込み済みです（#{hit[1]}「{hit[2]}」と同じキー）。先に以前の取り込みを削除してください。",
                              f"this row is already imported (same key as import #{hit[1]} {hit[2]!r}); delete that import first.",
                              row=int(hit[0]) if hit[0] is not None else None)
        col_list = ", ".join(f'"{c}"' for c in [*cols, "orig_source_id", "import_id"])
        casts = ", ".join(f'CAST("{c}" AS {types[c]})' for c in [*cols, "orig_source_id", "import_id"])
        con.execute(f'INSERT INTO "{table}" ({col_list}) SELECT {casts} FROM incoming')
    finally:
        con.unregister("incoming")


IMPORT_LIST_COLUMNS = ["import_id", "file_name", "layout", "tables", "rows", "imported_at", "publisher", "title",
                       "table_id", "url", "retrieved", "licence", "note"]


def list_imports(path: Path | None = None) -> pd.DataFrame:
    """Imports so far: import_id, file_name, tables (table:rows), rows, imported_at, publisher, title, retrieved …"""
    with _store(path).reading() as con:
        if con is None or not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'imports'").fetchall()[0][0]:
            return pd.DataFrame(columns=IMPORT_LIST_COLUMNS)
        return con.execute(f"SELECT {', '.join(IMPORT_LIST_COLUMNS)} FROM imports ORDER BY import_id").df()


def delete_import(import_id: int, path: Path | None = None) -> int:
    """Remove one import (its rows in every table and its entry), in one transaction. Returns rows removed."""
    removed = 0
    with _store(path).writing() as con:
        _ensure_schema(con)
        for table in table_columns():
            removed += con.execute(f'DELETE FROM "{table}" WHERE import_id = ?', [int(import_id)]).fetchall()[0][0]
        con.execute("DELETE FROM imports WHERE import_id = ?", [int(import_id)])
    return removed
