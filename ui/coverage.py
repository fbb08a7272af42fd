"""Statements beside a page's charts: how far each series goes, code changes it is joined across, and the note for
the evacuated municipalities of 2011 (layout helpers; the facts come from queries.notes and queries.succession)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from queries import notes, succession
from ui.i18n import fmt_date, lang, t
import formats


def period_label(item: dict) -> str:
    """'2021年（暦年）' / 'CY2021 (calendar year)' for a notes.latest_period() dict."""
    return t("cov_period", period=formats.period(item["period"], lang()), kind=t("cov_kind_" + item["period_kind"]))


def coverage_text(items: list[tuple[str, object]]) -> str | None:
    """「収録期間 — 人口動態（出生・死亡）: 2021年（暦年）まで・…」 from (i18n key of the series, latest) pairs, where latest
    is a notes.latest_period() dict, a date, or None (left out)."""
    parts = []
    for key, last in items:
        if last is None:
            continue
        shown = period_label(last) if isinstance(last, dict) else fmt_date(last)
        parts.append(t("coverage_item", what=t(key), last=shown))
    return t("coverage", items="・".join(parts) if lang() == "ja" else "; ".join(parts)) if parts else None


def coverage(items: list[tuple[str, object]]) -> None:
    """Write the coverage statement (st.caption) when any series has data."""
    text = coverage_text(items)
    if text:
        st.caption(text)


def succession_note(code: str, series: pd.DataFrame) -> str | None:
    """A sentence naming the code changes a series of the area is joined across, or breaks at (queries.succession.in_series)."""
    j = succession.in_series(code, series)
    if j.empty:
        return None
    joined = [succession.change_label(r, lang()) for r in j[j["status"] == "joined"].to_dict("records")]
    broken = [succession.change_label(r, lang()) for r in j[j["status"] == "break"].to_dict("records")]
    out, sep = [], "、" if lang() == "ja" else "; "
    if joined:
        out.append(t("succession_note_joined", changes=sep.join(joined)))
    if broken:
        out.append(t("succession_note_break", changes=sep.join(broken)))
    return " ".join(out)


def evacuated_note(code: str, name: str) -> None:
    """The evacuated-area note (st.info) for the 12 municipalities of 2011; nothing elsewhere."""
    ev = notes.evacuated(code)
    if ev is not None:
        source = ev["source"] if lang() == "ja" else t("evacuated_source")  # the list's own words, or English
        st.info(t("evacuated_note", name=name, source=source), icon=":material/info:")


def evacuation_marks(code: str, series: pd.DataFrame) -> pd.DataFrame:
    """A chart mark at the year of the evacuation for an evacuated area (FY2011, April 2011–March 2012, where the
    register's deaths and removals spike; CY2011 where a calendar-year series has it); columns period, label,
    status ('break') — empty elsewhere."""
    if notes.evacuated(code) is None or series.empty:
        return pd.DataFrame(columns=["period", "label", "status"])
    hit = series[(series["period"].isin(["FY2011", "CY2011"]))]
    periods = list(dict.fromkeys(hit.sort_values("period_end")["period"]))
    return pd.DataFrame([dict(period=p, label=t("evacuated_spike"), status="break") for p in periods[:1]],
                        columns=["period", "label", "status"])


def flow_marks(code: str, series: pd.DataFrame) -> pd.DataFrame:
    """Every mark a flow chart of `code` carries: code changes inside the series (queries.succession.marks) and,
    for an evacuated area, the evacuation year."""
    parts = [succession.marks(code, series, lang()), evacuation_marks(code, series)]  # usually both empty
    parts = [p for p in parts if not p.empty]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["period", "label", "status"])


def notes_line(code: str, series: pd.DataFrame, *extra: str | None) -> str | None:
    """The caption note of a flow chart: the given notes plus the code-change sentence for the series' range."""
    parts = [e for e in extra if e]
    s = succession_note(code, series)
    if s:
        parts.append(s)
    return "  \n".join(parts) if parts else None
