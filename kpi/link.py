"""KPIs that are population statistics take their actuals from the database's own series.

linked_series (kpi_defs):
  population_total  住民基本台帳 population on each reference date (all residents), persons
  net_migration     転入−転出 summed over the KPI's multi-year periods (e.g. a census interval), persons
  births            births summed over the KPI's multi-year periods, persons
A linked value never replaces a published or user-entered actual: it fills periods without one, and adds reference
dates after the last reported actual. Each row names its source_id and says how it was computed.
"""
from __future__ import annotations

import pandas as pd

from kpi import periods

SERIES = ("population_total", "net_migration", "births")
COLUMNS = ["kpi_id", "period", "value", "source_id", "link", "basis"]
#: What each series counts: the register (住民基本台帳) for population and migration; births are the same event
#: whichever statistics count them.
BASIS = {"population_total": "juki", "net_migration": "juki", "births": None}


def span_total(span: str, yearly: pd.DataFrame) -> dict:
    """The sum of a yearly series over a multi-year `span`, from one source and one period kind.

    yearly: period ('FY2021'/'CY2021'), period_kind ('FY'/'CY'), value, source_id. A source/kind counts only when
    every year of the span is present (see kpi.periods.years_in); official 住民基本台帳 ('juki…') sources are
    preferred, then fiscal years. Returns dict(value, source_id, years) — value None with the most years found
    when no source is complete (years then lists those found).
    """
    best_partial: dict = {"value": None, "source_id": None, "years": []}
    candidates = []
    for (src, kind), g in yearly.groupby(["source_id", "period_kind"], sort=True):
        want = periods.years_in(span, kind)
        have = g.dropna(subset=["value"]).drop_duplicates("period").set_index("period")["value"]
        found = [y for y in want if y in have.index]
        if want and len(found) == len(want):
            candidates.append((not str(src).startswith("juki"), kind != "FY", src, kind, float(have[found].sum()), found))
        elif len(found) > len(best_partial["years"]):
            best_partial = {"value": None, "source_id": src, "years": found}
    if candidates:
        _, _, src, kind, value, found = sorted(candidates)[0]
        return {"value": value, "source_id": src, "years": found}
    return best_partial


def linked_rows(defs: pd.DataFrame, reported: pd.DataFrame, series: pd.DataFrame) -> pd.DataFrame:
    """Linked actuals for the KPIs of `defs` that have a linked_series.

    defs: kpi_defs rows; reported: kpi_values-like rows already known (published and user: kpi_id, period, value,
    value_text); series: the area's linked data (series, period, period_kind, value, source_id) as returned by
    queries.kpi.linked. Returns COLUMNS (basis: BASIS of the series): `link` describes the computation ('2025-01-01' or 'CY2016–CY2020',
    or 'partial:CY2021' when a span is not yet complete — then value is None).
    """
    out = []
    for k in defs[defs["linked_series"].isin(SERIES)].itertuples():
        mine = reported[reported["kpi_id"] == k.kpi_id]
        known = mine[mine["value"].notna()]
        s = series[series["series"] == k.linked_series]
        if s.empty:
            continue
        if k.linked_series == "population_total":
            after = max([periods.parse(p).end for p in known["period"]]
                        + ([periods.parse(k.baseline_period).end] if isinstance(k.baseline_period, str) else []),
                        default=None)
            for r in s.itertuples():
                d = periods.parse(r.period).end
                if after is None or d >= after:
                    out.append((k.kpi_id, r.period, float(r.value), r.source_id, r.period, BASIS[k.linked_series]))
        else:
            spans = [p for p in mine.loc[mine["value"].isna(), "period"] if not periods.parse(p).point
                     and periods.parse(p).years > 1.5]
            for span in spans:
                tot = span_total(span, s)
                if tot["value"] is not None:
                    link = f"{tot['years'][0]}–{tot['years'][-1]}"
                    out.append((k.kpi_id, span, tot["value"], tot["source_id"], link, BASIS[k.linked_series]))
                elif tot["years"]:
                    out.append((k.kpi_id, span, None, tot["source_id"], "partial:" + ",".join(tot["years"]),
                                BASIS[k.linked_series]))
    return pd.DataFrame(out, columns=COLUMNS)
