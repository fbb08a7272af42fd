"""Tidy files (one row per key, one column per project column; headings in English or Japanese, see
targets.TIDY_COLUMNS) → the rows of the one project table whose columns they match best."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from loaders.importer.areas import AreaIndex
from loaders.importer.cells import (WrongKind, era_text, ok, parse_age, parse_time, period, stock_date, values,
                                    wrong_kind_text)
from loaders.importer.prepared import Options, Prepared, fail, option_basis
from loaders.importer.rows import check_measure, finish
from loaders.importer.targets import (BASIS, CODE_COLUMNS, NATIONALITY, PERIOD_KINDS, PERIOD_TABLES, PROJECTION_SOURCES,
                                      SEX, TARGETS, Target, table_columns)
from loaders.importer_read import Parsed, letter, norm
from loaders.parse import CellError

_NAT_CODES = {"total", "japanese", "foreign"}
_SEX_CODES = {"total", "male", "female"}



@dataclass
class _Tidy:
    """One tidy file being read into `table`: its cells (f), the project column of each present heading (present:
    column -> heading index), where each sits ('A (area_code)'), the rows built so far (out) and the Options used."""

    parsed: Parsed
    table: str
    present: dict[str, int]
    where: dict[str, str]
    out: pd.DataFrame
    used: set = field(default_factory=set)

    @property
    def f(self) -> pd.DataFrame:
        return self.parsed.tidy

    @property
    def spec(self) -> Target:
        return TARGETS[self.table]

    @property
    def cols(self) -> list[str]:
        return [c for c, _, _ in table_columns()[self.table]]

    def text(self, c: str) -> pd.Series:
        """The cells of project column `c` as normalised text (whole floats of key columns without '.0')."""
        measures = self.spec.measures
        return self.f[str(self.present[c])].map(lambda v: "" if v is None else (norm(v)[:-2] if isinstance(v, float) and float(v).is_integer() and c not in measures else norm(v)))

    def bad(self, i, c: str, ja: str, en: str):
        """The LoaderError of cell (row index i, column c)."""
        return fail(self.parsed, ja, en, row=int(self.f.at[i, "_row"]), column=self.where[c])


def read_tidy(parsed: Parsed, areas: AreaIndex, opt: Options) -> Prepared:
    """The rows of a tidy file: table chosen by its headings, then codes, categories, texts, times and measures."""
    f = parsed.tidy
    headers, mapped = f.attrs["headers"], f.attrs["mapped"]
    present = {m: j for j, m in enumerate(mapped) if m}
    table = _table_of(parsed, present)
    cols = [c for c, _, _ in table_columns()[table]]
    where = {c: f"{letter(j)} ({headers[j]})" for c, j in present.items()}
    unused = [h for h, m in zip(headers, mapped) if not m or (m not in cols and m != "source_id")]
    mapping = [(headers[j], "column", "orig_source_id" if c == "source_id" else c) for c, j in present.items()
               if c in cols or c == "source_id"] + [(h, "unused", "") for h in unused]
    notes = []
    if unused:
        notes.append((f"使わない列: {', '.join(unused)}", f"columns not used: {', '.join(unused)}"))
    t = _Tidy(parsed, table, present, where, pd.DataFrame({"_row": f["_row"]}))
    _codes(t, areas)
    _categories(t)
    _texts(t, opt)
    _ref_dates(t, opt)
    _periods(t)
    _years(t)
    _measures(t)
    mapping_df = pd.DataFrame(mapping, columns=["dimension", "role", "categories"])
    return Prepared(parsed.file, parsed.layout, parsed.encoding, {table: finish(table, t.out)}, mapping_df,
                    pd.DataFrame(columns=["what", "rows", "reason"]), notes, options_used=t.used)


def _table_of(parsed: Parsed, present: dict[str, int]) -> str:
    """The project table whose key and measure columns the headings have (most matching, fewest extra columns)."""
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
        raise fail(parsed, "見出しの列名からプロジェクトの表を特定できません（例: area_code, ref_date, persons）。",
                   "the headings do not match a project table (e.g. area_code, ref_date, persons).",
                   row=parsed.header_row, column="A")
    return max(scores)[1]


def _codes(t: _Tidy, areas: AreaIndex) -> None:
    """Area code columns, each code checked against the known areas."""
    for c in CODE_COLUMNS:
        if c in t.cols and c in t.present:
            raw = t.text(c)
            uniq = {x: areas.code(x) for x in dict.fromkeys(raw)}
            t.out[c] = raw.map(uniq)
            if t.out[c].isna().any():
                i = t.out[c].isna().idxmax()
                raise t.bad(i, c, f"不明な地域コード「{raw[i]}」です。地域の表にありません。", f"unknown area code {raw[i]!r}: not in the areas table.")


def _categories(t: _Tidy) -> None:
    """nationality, sex and age_group ('total' where the file has no such column)."""
    for c, allowed, aliases in (("nationality", _NAT_CODES, NATIONALITY), ("sex", _SEX_CODES, SEX)):
        if c in t.cols:
            if c in t.present:
                raw = t.text(c)
                t.out[c] = raw.map(lambda x: aliases.get(x, aliases.get(x.lower())))
                if t.out[c].isna().any():
                    i = t.out[c].isna().idxmax()
                    raise t.bad(i, c, f"区分「{raw[i]}」が不明です（{', '.join(sorted(allowed))}）。", f"unknown category {raw[i]!r} (expected {', '.join(sorted(allowed))}).")
            else:
                t.out[c] = "total"
    if "age_group" in t.cols:
        if "age_group" in t.present:
            raw = t.text("age_group")
            uniq = {}
            for x in dict.fromkeys(raw):
                try:
                    uniq[x] = parse_age(x)
                except ValueError:
                    i = raw[raw == x].index[0]
                    raise t.bad(i, "age_group", f"年齢区分「{x}」が不明です（例: total, 0-4, 90+）。", f"unknown age group {x!r} (e.g. total, 0-4, 90+).") from None
            t.out["age_group"] = raw.map(uniq)
        else:
            t.out["age_group"] = "total"


def _texts(t: _Tidy, opt: Options) -> None:
    """basis (the file's, else the chosen Options.basis), projection source and scenario."""
    for c in ("basis", "source", "scenario"):
        if c not in t.cols:
            continue
        if c not in t.present:
            if c == "basis":
                t.used.add("basis")
            t.out[c] = option_basis(t.parsed, opt) if c == "basis" else "user"
            continue
        raw = t.text(c)
        if (raw == "").any():
            i = (raw == "").idxmax()
            raise t.bad(i, c, f"列「{c}」が空です。", f"column {c!r} is empty.")
        if c == "basis":
            t.out[c] = raw.map(lambda x: BASIS.get(x, BASIS.get(x.lower())))
        elif c == "source":
            t.out[c] = raw.where(raw.isin(PROJECTION_SOURCES))
        else:
            t.out[c] = raw
        if t.out[c].isna().any():
            i = t.out[c].isna().idxmax()
            allowed = ", ".join(dict.fromkeys(BASIS.values()) if c == "basis" else PROJECTION_SOURCES)
            label_ja = "人口の基礎" if c == "basis" else "推計の出典"
            label_en = "population basis" if c == "basis" else "projection source"
            raise t.bad(i, c, f"{label_ja}「{raw[i]}」が不明です（{allowed}）。", f"unknown {label_en} {raw[i]!r} (expected {allowed}).")


def _ref_dates(t: _Tidy, opt: Options) -> None:
    """ref_date of stock tables (a bare year is dated Options.ref_day; a fiscal year or span is refused)."""
    if "ref_date" in t.cols:
        src_col = "ref_date" if "ref_date" in t.present else "year"
        raw = t.text(src_col)

        def stock(tv):
            if tv[0] in ("fy", "cy"):
                raise WrongKind("stock", tv[0])
            return stock_date(tv, opt)

        t.out["ref_date"] = _times(t.parsed, raw, t.f, t.where[src_col], stock, "date")
        if any(ok(parse_time, x) and parse_time(x)[0] != "date" for x in dict.fromkeys(raw)):
            t.used.add("ref_day")


def _periods(t: _Tidy) -> None:
    """period ('FY2021', 'CY2021', or read from a year or 年度 column) and its check against period_kind."""
    if "period" in t.cols:
        if "period" in t.present:
            raw = t.text("period")
            written = raw.str.fullmatch(r"(FY|CY)\d{4}(-(FY|CY)\d{4})?")
            conv = raw.where(written, None)
            if (~written).any():
                conv = conv.fillna(_times(t.parsed, raw.where(~written, "2000"), t.f, t.where["period"], period, "period"))
            t.out["period"] = conv
        else:
            raw = t.text("year")
            t.out["period"] = _times(t.parsed, raw, t.f, t.where["year"], period, "period")
    if "period_kind" in t.present and "period" in t.cols:
        raw = t.text("period_kind")
        kind = raw.str.upper()
        for i in kind.index[~kind.isin(PERIOD_KINDS)][:1]:
            raise t.bad(i, "period_kind", f"期間区分「{raw[i]}」が不明です（FY 年度、CY 暦年）。",
                        f"unknown period kind {raw[i]!r} (FY fiscal year, CY calendar year).")
        for i in kind.index[kind != t.out["period"].str[:2]][:1]:
            raise t.bad(i, "period_kind", f"期間区分「{raw[i]}」が期間「{t.out.at[i, 'period']}」と合いません。",
                        f"period kind {raw[i]!r} does not match the period {t.out.at[i, 'period']!r}.")


def _years(t: _Tidy) -> None:
    """year of the tables keyed by calendar year (a fiscal year is refused)."""
    if "year" in t.cols and "period" not in t.cols:
        raw = t.text("year")

        def calendar_year(tv):
            if tv[0] == "fy":
                raise WrongKind("year", "fy")
            return int(str(tv[1])[:4])

        t.out["year"] = _times(t.parsed, raw, t.f, t.where["year"], calendar_year, "year")


def _measures(t: _Tidy) -> None:
    """The measures (checked as every layout's) and orig_source_id; a duplicated key is refused."""
    t.out["orig_source_id"] = t.text("source_id") if "source_id" in t.present else None
    t.out["_col"] = ""
    long = []
    for m in t.spec.measures:
        if m in t.present:
            vals = values(t.parsed, t.f.assign(_where=t.where[m]), str(t.present[m]), "_where")
            g = t.out.assign(_v=vals, _col=t.where[m])
            check_measure(t.parsed, t.table, g, "_v", pd.Series(m, index=g.index))
            t.out[m] = vals
            long.append(m)
    keys = list(t.spec.keys)
    dup = t.out.duplicated(keys + ["orig_source_id"], keep=False)
    if dup.any():
        a, b = t.out.index[dup][:2]
        key = ", ".join(f"{k}={t.out.at[a, k]}" for k in keys)
        raise fail(t.parsed, f"キーが重複しています（{int(t.out.at[a, '_row'])}行目と{int(t.out.at[b, '_row'])}行目: {key}）。",
                   f"duplicated key (rows {int(t.out.at[a, '_row'])} and {int(t.out.at[b, '_row'])}: {key}).",
                   row=int(t.out.at[b, "_row"]), column=", ".join(t.where[k] for k in keys if k in t.where))
    t.out["_col"] = t.where[long[0]]


def _times(parsed: Parsed, raw: pd.Series, f: pd.DataFrame, column: str, conv, what: str) -> pd.Series:
    """conv(parse_time(x)) of every cell x of `raw` (column `column` of `f`), refusing the first that cannot be
    read as `what` ('date', 'period', 'year')."""
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
            if isinstance(exc, WrongKind):
                ja, en = wrong_kind_text(x, *exc.args)
            elif isinstance(exc, CellError):
                ja, en = era_text(x, exc)
            else:
                ja = f"時点「{x}」を読めません（{ {'date': '例: 2022-01-01、令和4年1月1日', 'period': '例: FY2024、CY2021、2021年、令和3年度', 'year': '例: 2020、令和2年'}[what]}）。"
                en = f"cannot read the time {x!r} ({ {'date': 'e.g. 2022-01-01', 'period': 'e.g. FY2024, CY2021', 'year': 'e.g. 2020'}[what]})."
            raise fail(parsed, ja, en, row=int(f.at[i, "_row"]), column=column) from None
    return raw.map(uniq)
