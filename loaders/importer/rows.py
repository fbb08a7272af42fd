"""The last steps every layout shares: the bounds of a measure (whole, not negative, at most MAX_COUNT; TFR 0–10)
and the rows in the schema's column order with the derived period columns."""
from __future__ import annotations

import pandas as pd

from loaders.build import period_end
from loaders.importer.prepared import fail
from loaders.importer.targets import MAX_COUNT, TARGETS, table_columns
from loaders.importer_read import Parsed


def check_measure(parsed: Parsed, table: str, g: pd.DataFrame, col: str, names) -> None:
    """Refuse the first value of column `col` of `g` (measure names `names`) out of bounds for `table`."""
    spec = TARGETS[table]
    v = g[col]
    names = names if isinstance(names, pd.Series) else pd.Series(names, index=g.index)
    big = v.abs() > MAX_COUNT
    if big.any():
        i = big.idxmax()
        raise fail(parsed, f"値 {v[i]:,.0f} が大きすぎます（上限 {MAX_COUNT:,}）。単位や桁を確認してください。",
                   f"value {v[i]:,.0f} is too large (limit {MAX_COUNT:,}); check the unit and digits.",
                   row=int(g.at[i, "_row"]), column=g.at[i, "_col"])
    if spec.counts:
        frac = v.notna() & ((v - v.round()).abs() > 1e-6)
        if frac.any():
            i = frac.idxmax()
            raise fail(parsed, f"人数・件数が整数になりません（{v[i]}）。", f"count is not a whole number ({v[i]}).",
                   row=int(g.at[i, "_row"]), column=g.at[i, "_col"])
    neg = (v < 0) & ~names.isin(spec.signed)
    if neg.any():
        i = neg.idxmax()
        raise fail(parsed, f"人数・件数が負の値（{v[i]:,.0f}）です。", f"count is negative ({v[i]:,.0f}).",
                   row=int(g.at[i, "_row"]), column=g.at[i, "_col"])
    if table == "fertility":
        bad = v.notna() & ((v <= 0) | (v > 10))
        if bad.any():
            i = bad.idxmax()
            raise fail(parsed, f"合計特殊出生率 {v[i]} は 0〜10 の範囲外です。", f"total fertility rate {v[i]} is outside 0–10.",
                   row=int(g.at[i, "_row"]), column=g.at[i, "_col"])


def finish(table: str, frame: pd.DataFrame) -> pd.DataFrame:
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
