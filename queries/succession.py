"""Code changes behind an area's series (area_succession / area_lineage, see loaders/succession.py).

The series queries (vital_series, migration_series, population_trend, dynamics_rates) already follow each
area's lineage: before a rename (市制施行, 名称変更) the predecessor code's rows, before a merger the sum of the
predecessors where all are in the data. These functions say what was joined and where a series breaks, for
captions, chart marks and extract warnings (the data explorer can call `joins`).
"""
from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from queries import query
from store import sqlfiles
from store import official


_CHANGE_COLUMNS = ["change_id", "kind", "last_seen", "first_seen", "new_code", "new_name", "old_codes", "old_names",
                   "joined"]


@st.cache_resource(show_spinner=False, max_entries=4)
def _table(key: tuple) -> dict[str, pd.DataFrame]:
    """area_succession grouped by successor code, once per database file (shared, read-only): a chain is then a
    few dictionary look-ups instead of a recursive query per area."""
    frame = sqlfiles.run("area_succession_all")
    return {code: g for code, g in frame.groupby("new_code", sort=False)}


def changes(area: str) -> pd.DataFrame:
    """Every code change in the lineage of `area` (itself and its predecessor codes, recursively), newest first.

    Columns: change_id, kind ('rename' | 'merger' | 'absorption' | 'unresolved'), last_seen, first_seen (register
    dates either side of the change), new_code, new_name, old_codes ('40305' or '40482+40501'; None where the
    predecessors are unknown), old_names, joined (bool: the series is continued across the change)."""
    by_new = _table(official.cache_key())
    rows, todo, seen = [], [area], set()
    while todo:
        code = todo.pop()
        if code in seen or code not in by_new:
            continue
        seen.add(code)
        for cid, g in by_new[code].groupby("change_id", sort=False):
            olds = g["old_code"].dropna()
            rows.append(dict(change_id=cid, kind=g["kind"].iat[0], last_seen=g["last_seen"].iat[0],
                             first_seen=g["first_seen"].iat[0], new_code=code, new_name=g["new_name"].iat[0],
                             old_codes="+".join(olds) if len(olds) else None,
                             old_names="・".join(g["old_name"].dropna()) if len(olds) else None,
                             joined=g["kind"].iat[0] != "unresolved"))
            todo.extend(olds)
    out = pd.DataFrame(rows, columns=_CHANGE_COLUMNS)
    return out.sort_values(["first_seen", "change_id"], ascending=[False, True], ignore_index=True) if rows else out


def successor(code: str) -> dict | None:
    """Today's area that a defunct code became: dict(area_code, name_ja, name_en, kind, first_seen, current), or None."""
    frame = query("area_successor", code=code)
    return None if frame.empty else frame.iloc[0].to_dict()


def joins(area: str, start: date | str | None = None, end: date | str | None = None) -> pd.DataFrame:
    """The code changes that matter for `area`'s figures between two dates (register or period-end dates; None =
    open): those whose first register date under the new code falls in [start, end] (a change on the first date
    of a series is where it begins: a code formed then whose predecessors are not joined).

    Returns changes() rows plus `status`: 'joined' (the series continues: figures before the change are the
    predecessor codes' — summed for a merger) or 'break' (the predecessors are unknown or not all in the data:
    figures before the change cover a different territory, or are missing)."""
    c = changes(area)
    if c.empty:
        return c.assign(status=pd.Series(dtype=str))
    first = pd.to_datetime(c["first_seen"])
    keep = pd.Series(True, index=c.index)
    if start is not None:
        keep &= first >= pd.Timestamp(start)
    if end is not None:
        keep &= first <= pd.Timestamp(end) + pd.Timedelta(days=1)  # a CY period ending 12-31 is filed on 1 January
    out = c[keep].copy()
    return out.assign(status=out["joined"].map({True: "joined", False: "break"}))


def joins_for(areas, start: date | str | None = None, end: date | str | None = None) -> pd.DataFrame:
    """joins() for several areas at once (e.g. every municipality of a prefecture in an extract): one row per
    area and change, with `area_code` first. For a warning such as 「那珂川市 40231: 2018年までは旧コード 40305
    （那珂川町）の値を接続」 or, for status 'break', that rows before the change cover another territory."""
    by_new = _table(official.cache_key())
    parts = [joins(a, start, end).assign(area_code=a) for a in dict.fromkeys(areas) if a in by_new]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=["area_code", *_CHANGE_COLUMNS, "status"])
    out = pd.concat(parts, ignore_index=True)
    return out[["area_code", *[c for c in out.columns if c != "area_code"]]]


def _filed(series: pd.DataFrame) -> pd.Series:
    """The register date behind each row: ref_date for a stock series, the file date for a flow period
    (FY y -> (y+1)-03-31, CY y -> (y+1)-01-01)."""
    if "ref_date" in series.columns:
        return pd.to_datetime(series["ref_date"])
    return pd.Series(pd.to_datetime([f"{y + 1}-03-31" if k == "FY" else f"{y + 1}-01-01"
                                     for k, y in zip(series["period_kind"], series["year"].astype(int))]),
                     index=series.index)


def in_series(area: str, series: pd.DataFrame) -> pd.DataFrame:
    """joins() over the range of a series (vital_series / migration_series / population_trend output), with the
    status checked against the rows themselves: 'joined' only where the series has rows before the change and
    all of them are complete (every predecessor present); else 'break'. Adds first_row: the first period (flow)
    or date (stock) under the new code. Empty when the series is."""
    if series.empty or area not in _table(official.cache_key()):  # most areas never changed code: nothing to do
        return pd.DataFrame(columns=[*_CHANGE_COLUMNS, "status", "first_row"])
    filed = _filed(series)
    j = joins(area, filed.min(), filed.max())
    out = []
    for r in j.to_dict("records"):
        first = pd.Timestamp(r["first_seen"])
        before, after = series[filed < first], series[filed >= first]
        if after.empty:
            continue
        whole = not before.empty and ("complete" not in series.columns or bool(before["complete"].all()))
        r["status"] = "joined" if r["joined"] and whole else "break"
        key = "ref_date" if "ref_date" in series.columns else "period"
        r["first_row"] = after.loc[filed[after.index].idxmin(), key]
        out.append(r)
    return pd.DataFrame(out, columns=[*j.columns, "first_row"])


def marks(area: str, series: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Chart marks for the code changes inside a flow series: period (the first period under the new code),
    label (e.g. '那珂川町→那珂川市（コード変更・接続）'), status ('joined' / 'break'). Empty when none."""
    rows = [dict(period=r["first_row"], label=change_label(r, lang), status=r["status"])
            for r in in_series(area, series).to_dict("records")]
    return pd.DataFrame(rows, columns=["period", "label", "status"])  # empty for most areas: no layer is drawn


def date_marks(area: str, series: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Chart marks for a stock series (population_trend output): ref_date (first date under the new code), label,
    status."""
    rows = [dict(ref_date=pd.Timestamp(r["first_row"]), label=change_label(r, lang), status=r["status"])
            for r in in_series(area, series).to_dict("records")]
    return pd.DataFrame(rows, columns=["ref_date", "label", "status"])


_KIND_LABEL = {"rename": ("コード変更", "code change"), "merger": ("合併", "merger"),
               "absorption": ("編入", "absorption"), "unresolved": ("区域変更", "boundary change")}


def change_label(change: dict, lang: str) -> str:
    """'那珂川町→那珂川市（コード変更・接続）' / 'Nakagawa: code change (joined)' — short text of one change for a chart."""
    ja = lang == "ja"
    kind = _KIND_LABEL.get(change["kind"], _KIND_LABEL["unresolved"])[0 if ja else 1]
    status = change.get("status") or ("joined" if change.get("joined") else "break")
    tail = ("接続" if status == "joined" else "不連続") if ja else ("joined" if status == "joined" else "break")
    names = change.get("old_names")
    if names and isinstance(names, str) and change["kind"] != "absorption":
        return f"{names}→{change['new_name']}（{kind}・{tail}）" if ja else f"{change['new_code']} {kind} ({tail})"
    if names and isinstance(names, str):
        return f"{names}を{kind}（{tail}）" if ja else f"{kind} of {change['old_codes']} ({tail})"
    return f"{change['new_name']}（{kind}・{tail}）" if ja else f"{change['new_code']} {kind} ({tail})"


def summary() -> dict:
    """dict(joined, unresolved): how many code changes the series are joined across and how many are breaks."""
    frame = query("succession_summary")
    return {k: int(frame[k].iat[0]) for k in ("joined", "unresolved")}
