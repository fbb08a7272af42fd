"""Facts about an area or a series that pages state beside their charts: the latest period of each series
(coverage), whether the area is one of the evacuated municipalities of 2011 (data/bundled/evacuated_areas.csv), and
why a published table has no row for an area."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

EVACUATED_CSV = Path(__file__).resolve().parents[1] / "data" / "bundled" / "evacuated_areas.csv"


@lru_cache(maxsize=1)
def _evacuated() -> dict[str, dict]:
    frame = pd.read_csv(EVACUATED_CSV, dtype=str, encoding="utf-8")
    return {r["area_code"]: r for r in frame.to_dict("records")}


def evacuated(code: str) -> dict | None:
    """dict(area_code, name_ja, source) when `code` is one of the 12 municipalities under evacuation orders after
    the 2011 nuclear accident, else None."""
    return _evacuated().get(code)


def latest_period(series: pd.DataFrame) -> dict | None:
    """The latest period of a flow series (columns period, period_kind, period_end): dict(period, period_kind),
    or None when empty."""
    if series.empty:
        return None
    last = series.sort_values("period_end").iloc[-1]
    return dict(period=last["period"], period_kind=last["period_kind"])


def latest_date(frame: pd.DataFrame, column: str = "ref_date"):
    """The latest reference date of a stock series (a Timestamp), or None when empty."""
    return None if frame.empty else pd.to_datetime(frame[column]).max()


#: Area kind -> why the municipal 15–29 net-migration table (loaders.youth_migration) has no row for it: the report
#: publishes every 市 (a designated city as a whole), 東京都特別区部 as one row, towns and villages only as their
#: 郡 (北海道: 振興局, 東京都の島しょ: 支庁) totals, and Japan and each prefecture only split into 市部 and 郡部.
YOUTH_GAPS = {"town": "county", "village": "county", "special_ward": "tokubu", "ward": "ward",
              "prefecture": "prefecture", "nation": "prefecture"}


def youth_gap(kind: str) -> str:
    """The reason code of YOUTH_GAPS for an area kind ('other' for a kind the table normally has, e.g. a 市 whose
    row could not be matched)."""
    return YOUTH_GAPS.get(kind, "other")
