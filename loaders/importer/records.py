"""e-Stat layouts (records of dimensions × a value) → project tables. Every dimension (分類事項) gets a role from its
name, else from its categories (area, time, sex, nationality, age group, measure, or a constant); then, per record,
the measure and its unit, the area code, the time, the categories and the value; rows are assembled per table.
"""
from __future__ import annotations

import re

import pandas as pd

from loaders.importer.areas import AreaIndex
from loaders.importer.cells import (era_text, ok, parse_age, parse_time, period, split_unit, stock_date,
                                    values, wrong_kind_text)
from loaders.importer.prepared import Options, Prepared, fail, option_basis
from loaders.importer.rows import check_measure, finish
from loaders.importer.targets import MEASURES, NATIONALITY, PERIOD_TABLES, SEX, STOCK_TABLES, TARGETS, UNITS
from loaders.importer_read import Parsed, norm
from loaders.parse import CellError


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
    if all(ok(parse_age, b) for b in base) and len(base) > 1:
        return "age"
    if any(b in MEASURES for b in base):
        return "measure"
    return None


def where(parsed: Parsed, recs: pd.DataFrame, i, dim) -> dict:
    """Row and column of the cell that printed dimension `dim` for record `i` (header line for column dims)."""
    if dim.kind == "col":
        return {"row": dim.header_row, "column": recs.at[i, "_col"].split(" ")[0]}
    col = dim.letter
    return {"row": int(recs.at[i, "_row"]), "column": f"{col} ({dim.name})"}


# ---------------------------------------------------------------- mapping e-Stat records

def map_records(parsed: Parsed, areas: AreaIndex, opt: Options) -> Prepared:
    """Map an e-Stat layout to project tables (see module doc); LoaderError for the first cell that cannot be."""
    recs = parsed.records.reset_index(drop=True)
    dims = {d.name: d for d in parsed.dims}
    mapping_rows, notes, skipped = [], [], []
    roles, by_role = _roles(parsed, recs, dims)
    mdim = _measure_dimension(parsed, recs, dims, by_role)
    nat_dim = by_role.get("nationality", [None])[0]
    recs, mlabel = _measures(parsed, recs, dims, mdim, nat_dim, notes, skipped, mapping_rows)
    recs = _areas(parsed, recs, dims, by_role.get("area", [None])[0], areas, skipped, mapping_rows)
    _times(parsed, recs, dims, by_role.get("time", [None])[0], notes, mapping_rows)
    _categories(parsed, recs, dims, by_role, mapping_rows)
    if nat_dim is None:  # a measure label may say 日本人人口 / 外国人人口
        recs["nationality"] = mlabel[recs.index].map(lambda x: NATIONALITY.get(x)).where(
            mlabel[recs.index].isin(["日本人人口", "外国人人口"]), "total")
    for nm, role in roles.items():
        if role == "constant":
            mapping_rows.append((nm, "constant", recs[f"d:{nm}"].iat[0] if len(recs) else ""))

    recs["_value"] = values(parsed, recs, "value", "_col")
    tables, used = {}, set()
    for table, grp in recs.groupby("_table", sort=False):
        tables[table] = _assemble(parsed, table, grp, opt, notes, used)
    mapping = pd.DataFrame(mapping_rows, columns=["dimension", "role", "categories"])
    skipped_df = pd.DataFrame(skipped, columns=["what", "rows", "reason"])
    return Prepared(parsed.file, parsed.layout, parsed.encoding, tables, mapping, skipped_df, notes, options_used=used)


def _roles(parsed: Parsed, recs: pd.DataFrame, dims: dict) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The role of every dimension (by its name, else its categories; one label = constant), and the dimensions
    of each role: of two of one role only the one that varies is kept (two varying are refused)."""
    roles: dict[str, str] = {}
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
            raise fail(parsed, f"分類「{name}」（{', '.join(labels[:5])} …）をプロジェクトの表の列に対応付けられません。",
                       f"cannot map the dimension {name!r} ({', '.join(labels[:5])} …) to a column of a project table.",
                       **where(parsed, recs, 0, d))
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
                raise fail(parsed, f"同じ種類の分類が2つあります（{multi[0]}・{multi[1]}）。", f"two dimensions of the same kind ({multi[0]}, {multi[1]}).",
                           **where(parsed, recs, 0, d))
            for n in by_role[role]:
                if n not in keep:
                    roles[n] = "constant"
            by_role[role] = keep
    return roles, by_role


def _measure_dimension(parsed: Parsed, recs: pd.DataFrame, dims: dict, by_role: dict) -> str | None:
    """The dimension naming the measure (表章項目): the one that varies, else the last; None when there is none."""
    measure_dims = [n for n in by_role.get("measure", [])]
    varying = [n for n in measure_dims if recs[f"d:{n}"].nunique() > 1]
    if len(varying) > 1:
        raise fail(parsed, f"表章項目が2つの分類（{varying[0]}・{varying[1]}）で変わっています。",
                   f"the measure varies in two dimensions ({varying[0]}, {varying[1]}).", **where(parsed, recs, 0, dims[varying[1]]))
    return varying[0] if varying else (measure_dims[-1] if measure_dims else None)


def _measures(parsed: Parsed, recs: pd.DataFrame, dims: dict, mdim: str | None, nat_dim: str | None, notes: list,
              skipped: list, mapping_rows: list) -> tuple[pd.DataFrame, pd.Series]:
    """The records of importable measures with their table, column, unit and factor (_table, _column, _unit,
    _factor); other measures are listed in `skipped`. Returns (records, measure label of every record)."""
    n = len(recs)
    if mdim is not None:
        base_unit = recs[f"d:{mdim}"].map(split_unit)
        mlabel = base_unit.str[0]
        unit_from_label = base_unit.str[1]
    else:
        mlabel = pd.Series([""] * n)
        unit_from_label = pd.Series([None] * n)
    target = mlabel.map(MEASURES)
    if mdim is None or target.isna().all():
        # no 表章項目 naming a measure: a population table whose nationality says 総人口/日本人人口, or the title
        text = " ".join([*(parsed.meta.values()), *(recs[f"d:{nm}"].iat[0] for nm in dims)])
        guess = ("population", "persons") if ("人口" in text or nat_dim) else None
        if mdim is None and guess:
            target = pd.Series([guess] * n)
            notes.append(("表章項目がないため「人口（人数）」として取り込みます。", "no measure dimension: read as population (persons)."))
    unit = _units(parsed, recs, dims, mdim, unit_from_label)
    for label in dict.fromkeys(mlabel[target.isna()]):
        cnt = int((mlabel == label).sum())
        skipped.append((f"{mdim}: {label}" if mdim else label, cnt, "other_measure"))
    keep = target.notna()
    if not keep.any():
        d = dims[mdim] if mdim else parsed.dims[0]
        raise fail(parsed, f"取り込める項目がありません（表章項目: {', '.join(dict.fromkeys(mlabel))[:80]}）。"
                   "人口・世帯数・出生・死亡・転入・転出・転入超過数の表を指定してください。",
                   f"nothing to import (measures: {', '.join(dict.fromkeys(mlabel))[:80]}); expected population, "
                   "households, births, deaths, in/out-migrants or net migration.", **where(parsed, recs, 0, d))
    recs = recs[keep].copy()
    recs["_table"] = target[keep].str[0]
    recs["_column"] = target[keep].str[1]
    recs["_unit"] = unit[keep]
    factor = recs["_unit"].map(UNITS)
    bad = factor.isna()
    if bad.any():
        i = bad.idxmax()
        col = "unit" if "unit" in parsed.records and parsed.records.at[i, "unit"] else recs.at[i, "_col"]
        raise fail(parsed, f"単位「{recs.at[i, '_unit']}」を人数・件数に換算できません（人・千人・万人・世帯・件）。",
                   f"unit {recs.at[i, '_unit']!r} cannot be converted to counts (人, 千人, 万人, 世帯, 件).",
                   row=int(recs.at[i, "_row"]), column=col)
    recs["_factor"] = factor
    _check_units(parsed, recs, notes)
    mapping_rows.append((mdim or "—", "measure", ", ".join(f"{a} → {b}.{c}" for a, (b, c) in
                                                         {lab: MEASURES[lab] for lab in dict.fromkeys(mlabel) if lab in MEASURES}.items())))
    return recs, mlabel


def _units(parsed: Parsed, recs: pd.DataFrame, dims: dict, mdim: str | None, unit_from_label: pd.Series) -> pd.Series:
    """The unit of every record: the unit column, else the measure label's 【unit】, another label's, the preamble's
    単位 line, else 人."""
    n = len(recs)
    unit = recs["unit"].where(recs["unit"] != "", None) if "unit" in recs else pd.Series([None] * n)
    unit = unit.fillna(unit_from_label)
    for nm in dims:  # a constant label such as 表章項目 '人口【千人】' or a column header carrying the unit
        if nm != mdim:
            u = recs[f"d:{nm}"].map(lambda x: split_unit(x)[1])
            unit = unit.fillna(u)
    meta_unit = next((v for k, v in parsed.meta.items() if "単位" in k), None)
    unit = unit.fillna(meta_unit or "人").map(lambda u: norm(u).replace("(", "").replace(")", ""))
    return unit


def _check_units(parsed: Parsed, recs: pd.DataFrame, notes: list) -> None:
    """One unit per measure (a measure printed in two units is refused); a note for each scaled one."""
    for col, grp in recs.groupby("_column", sort=False):
        units = list(dict.fromkeys(grp["_unit"]))
        if len(units) > 1:
            first = grp.index[grp["_unit"] == units[0]][0]
            other = grp.index[grp["_unit"] == units[1]][0]
            raise fail(parsed, f"同じ項目の単位が混在しています（{int(recs.at[first, '_row'])}行目は「{units[0]}」、"
                       f"{int(recs.at[other, '_row'])}行目は「{units[1]}」）。別々のファイルに分けてください。",
                       f"mixed units for one measure (row {int(recs.at[first, '_row'])}: {units[0]!r}, row "
                       f"{int(recs.at[other, '_row'])}: {units[1]!r}); split the file.",
                       row=int(recs.at[other, "_row"]), column="unit" if "unit" in recs and recs.at[other, "unit"] else recs.at[other, "_col"])
        if units[0] != "人" and units[0] in UNITS:
            notes.append((f"{col}: 単位「{units[0]}」を {UNITS[units[0]]:,} 倍して人数・件数にしました。",
                          f"{col}: unit {units[0]!r} scaled by {UNITS[units[0]]:,} to counts."))


def _areas(parsed: Parsed, recs: pd.DataFrame, dims: dict, adim: str | None, areas: AreaIndex, skipped: list,
           mapping_rows: list) -> pd.DataFrame:
    """The records with area_code: by the codes printed beside the area names, else by the names."""
    if adim is None:
        raise fail(parsed, "地域の列（地域・全国・都道府県・市区町村 など）がありません。", "no area column (地域, 全国・都道府県, 市区町村 …).",
                   row=parsed.header_row, column="A")
    if (recs[f"c:{adim}"] != "").any():
        return _areas_by_code(parsed, recs, dims[adim], adim, areas, mapping_rows)
    return _areas_by_name(parsed, recs, dims[adim], adim, areas, skipped, mapping_rows)


def _areas_by_code(parsed: Parsed, recs: pd.DataFrame, d, adim: str, areas: AreaIndex,
                   mapping_rows: list) -> pd.DataFrame:
    """Codes as printed (6 digits lose the check digit, 4 regain the leading zero), each one known."""
    codes_raw = recs[f"c:{adim}"]
    names = recs[f"d:{adim}"]
    uniq = {c: areas.code(c) for c in dict.fromkeys(codes_raw)}
    recs["area_code"] = codes_raw.map(uniq)
    bad = recs["area_code"].isna()
    if bad.any():
        i = bad.idxmax()
        raise fail(parsed, f"不明な地域コード「{codes_raw[i]}」（{names[i]}）です。地域の表にありません。",
                   f"unknown area code {codes_raw[i]!r} ({names[i]}): not in the areas table.",
                   **(where(parsed, recs, i, d) if d.kind == "col" else
                       {"row": int(recs.at[i, "_row"]), "column": f"{d.code_letter} ({adim} コード)"}))
    mapping_rows.append((adim, "area", "@by_code"))
    return recs


def _areas_by_name(parsed: Parsed, recs: pd.DataFrame, d, adim: str, areas: AreaIndex, skipped: list,
                   mapping_rows: list) -> pd.DataFrame:
    """Names matched in the printed order (a prefecture row sets the context of the names below it); printed
    aggregates (市部, 郡部, ○○郡 …) are skipped and listed."""
    names = recs[f"d:{adim}"]
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
            raise fail(parsed, f"地域名「{names[i]}」は複数の地域にあります（{', '.join(cands)}）。地域コード付きでダウンロードしてください。",
                       f"area name {names[i]!r} is ambiguous ({', '.join(cands)}); download the table with codes.",
                       **where(parsed, recs, i, d))
        raise fail(parsed, f"地域名「{names[i]}」が地域の表にありません（名称が変わった地域は照合できません。地域コード付きの表をダウンロードしてください）。",
                   f"area name {names[i]!r} is not in the areas table (former names are not matched; download the table with codes).",
                   **where(parsed, recs, i, d))
    mapping_rows.append((adim, "area", "@by_name"))
    return recs


def _times(parsed: Parsed, recs: pd.DataFrame, dims: dict, tdim: str | None, notes: list, mapping_rows: list) -> None:
    """Column _time of every record (parse_time of the time dimension, else a year in the file name or title)."""
    if tdim is not None:
        labels = recs[f"d:{tdim}"]
        parsed_t = {}
        for lab in dict.fromkeys(labels):
            try:
                parsed_t[lab] = parse_time(lab)
            except ValueError as exc:
                i = labels[labels == lab].index[0]
                if isinstance(exc, CellError):
                    ja, en = era_text(lab, exc)
                elif str(exc).startswith("span:"):
                    ja = f"期間「{lab}」は年度（4月〜翌3月）でも暦年（1月〜12月）でもありません。"
                    en = f"period {lab!r} is neither a fiscal year (Apr–Mar) nor a calendar year (Jan–Dec)."
                else:
                    ja, en = f"時点「{lab}」を読めません（例: 2024年10月1日現在、2021年、令和3年度）。", f"cannot read the time {lab!r} (e.g. 2024年10月1日現在, 2021年, 令和3年度)."
                raise fail(parsed, ja, en, **where(parsed, recs, i, dims[tdim])) from None
        recs["_time"] = labels.map(parsed_t)
        mapping_rows.append((tdim, "time", ", ".join(f"{a} → {b[1]}" for a, b in list(parsed_t.items())[:6])
                             + (" …" if len(parsed_t) > 6 else "")))
    else:
        m = re.search(r"(19|20)\d{2}", parsed.file) or re.search(r"(19|20)\d{2}", " ".join(parsed.meta.values()))
        if not m:
            raise fail(parsed, "時点（時間軸）の列がなく、ファイル名にも年がありません。", "no time column and no year in the file name.",
                       row=parsed.header_row)
        recs["_time"] = [("year", int(m.group(0)))] * len(recs)
        notes.append((f"時間軸の列がないため {m.group(0)} 年（ファイル名・表題から）とします。",
                      f"no time column: year {m.group(0)} taken from the file name/title."))


def _categories(parsed: Parsed, recs: pd.DataFrame, dims: dict, by_role: dict, mapping_rows: list) -> None:
    """Columns sex, nationality and age_group of every record (the default where the file has no such dimension)."""
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
                raise fail(parsed, f"{ {'sex': '性別', 'nationality': '国籍', 'age': '年齢'}[role]}の区分「{lab}」が不明です。",
                           f"unknown {role} category {lab!r}.", **where(parsed, recs, i, dims[dn])) from None
        recs[col] = labels.map(out)
        mapping_rows.append((dn, role, ", ".join(f"{a} → {b}" for a, b in list(out.items())[:8]) + (" …" if len(out) > 8 else "")))


def _assemble(parsed: Parsed, table: str, grp: pd.DataFrame, opt: Options, notes: list, used: set) -> pd.DataFrame:
    """The records of one table → its rows (time as ref_date / period / year, values × unit factor, checked), one
    column per measure."""
    spec = TARGETS[table]
    g = grp.copy()
    if table in STOCK_TABLES:
        g["ref_date"] = g["_time"].map(lambda tv: stock_date(tv, opt))
        if (g["_time"].str[0] != "date").any():
            used.add("ref_day")
            notes.append((f"{table}: 年だけの時点は基準日 {opt.ref_day}（月-日）とします。", f"{table}: bare years dated {opt.ref_day} (month-day)."))
        bad = g["_time"].map(lambda tv: tv[0] in ("fy", "cy"))
        if bad.any():
            i = bad.idxmax()
            raise fail(parsed, "人口・世帯数には基準日（○年○月○日現在）か年が必要です。年度・期間は使えません。",
                       "population and households need a reference date or a year, not a fiscal year or span.",
                       row=int(g.at[i, "_row"]), column=g.at[i, "_col"])
        if table == "population":
            g["basis"] = option_basis(parsed, opt)
            used.add("basis")
    elif table in PERIOD_TABLES:
        g["period"] = g["_time"].map(period)
        bad = g["period"].isna()
        if bad.any():
            i = bad.idxmax()
            raise fail(parsed, "出生・死亡・移動の数には期間（○年、○年度）が必要です。日付（○月○日現在）は使えません。",
                       "births, deaths and moves need a period (a year or fiscal year), not a date.",
                       row=int(g.at[i, "_row"]), column=g.at[i, "_col"])
    else:
        bad = g["_time"].map(lambda tv: tv[0] == "fy")
        if bad.any():
            i = bad.idxmax()
            ja, en = wrong_kind_text(f"FY{g.at[i, '_time'][1]}", "year", "fy")
            raise fail(parsed, ja, en, row=int(g.at[i, "_row"]), column=g.at[i, "_col"])
        g["year"] = g["_time"].map(lambda tv: int(str(tv[1])[:4]))
    g["_value"] = g["_value"] * g["_factor"]
    check_measure(parsed, table, g, "_value", g["_column"])
    keys = list(spec.keys)
    for k in keys:
        if k not in g:
            g[k] = "total" if k in ("sex", "age_group", "nationality") else None
    dup = g.duplicated(keys + ["_column"], keep=False)
    if dup.any():
        a, b = g.index[dup][:2]
        key = ", ".join(f"{k}={g.at[a, k]}" for k in keys)
        raise fail(parsed, f"同じ項目が2回あります（{int(g.at[a, '_row'])}行目 {g.at[a, '_col'].split(' ')[0]}列 と "
                   f"{int(g.at[b, '_row'])}行目 {g.at[b, '_col'].split(' ')[0]}列: {key}）。平成31年と令和元年のように同じ年を2通りに書いていませんか。",
                   f"the same figure appears twice (row {int(g.at[a, '_row'])} column {g.at[a, '_col'].split(' ')[0]} and row "
                   f"{int(g.at[b, '_row'])} column {g.at[b, '_col'].split(' ')[0]}: {key}); e.g. 平成31年 and 令和元年 are the same year.",
                   row=int(g.at[b, "_row"]), column=g.at[b, "_col"])
    wide = g.pivot(index=keys, columns="_column", values="_value")
    first = g.groupby(keys)[["_row", "_col"]].first()
    wide = wide.join(first).reset_index()
    wide.columns.name = None
    wide["orig_source_id"] = None
    return finish(table, wide)
