"""What the comparison tab of 自然動態 and 社会動態 shows (ui.sections.comparison renders it): the areas compared by
default — the area's 連携中枢都市圏 (or the area) with its prefecture and Japan as benchmarks — and the latest
calendar-year rates per 1,000 population, one named bar per area (and period), sorted by value.
"""
from __future__ import annotations

import formats
from i18n import tr
from queries import dynamics as dyn

#: At most this many areas are compared (the multiselect's max_selections).
MAX_AREAS = 8


def comparison_default(code: str, options: list[str]) -> list[str]:
    """The area (with its 連携中枢都市圏 when it has one), then its prefecture and Japan as benchmarks; only codes in
    `options`, at most MAX_AREAS, the benchmarks kept when the group is large."""
    bench = [c for c in dict.fromkeys([code[:2] + "000", "00000"]) if c != code and c in options]
    own = [c for c in dict.fromkeys([code, *dyn.comparison_default(code)]) if c in options and c not in bench]
    return own[: MAX_AREAS - len(bench)] + bench


def comparison(chosen: tuple[str, ...], code: str, value: str, measure_key: str, names: dict[str, str],
               lang: str) -> dict | None:
    """The comparison of `chosen` (the area `code` first) on the rate `value` (a dyn.rates column, per 1,000).

    Returns dict(rates: all calendar years (area_code, name, year, value, source_id…), latest: one row per area of
    the latest calendar year (area_code, name, label, period_label, value, benchmark: the prefecture or Japan),
    title, trend_title) or None
    when no rate is published. label names the bar: the area, and its period when the bars are of several."""
    areas = list(dict.fromkeys([code, *chosen]))[:MAX_AREAS]
    r = dyn.rates(tuple(areas))
    r = r[(r["nationality"] == "total") & (r["period_kind"] == "CY")].dropna(subset=[value]).copy()
    if r.empty:
        return None
    r["name"] = r["area_code"].map(names).fillna(r["area_code"])
    r["benchmark"] = r["area_code"].isin(["00000", code[:2] + "000"]) & (r["area_code"] != code)
    latest = r.sort_values("period_end").groupby("area_code", as_index=False).tail(1).copy()
    latest["period_label"] = latest["period"].map(lambda p: formats.period(p, lang))
    several = latest["period_label"].nunique() > 1
    latest["label"] = latest["name"] + (" (" + latest["period_label"] + ")" if several else "")
    latest = latest.sort_values(value, ascending=False)
    period = latest["period_label"].iat[0] if not several else "〜".join(
        dict.fromkeys(latest.sort_values("period_end")["period_label"].iloc[[0, -1]]))
    return dict(rates=r, latest=latest[["area_code", "name", "label", "period_label", value, "benchmark"]],
                title=tr("compare_title", lang, measure=tr(measure_key, lang), period=period),
                trend_title=tr("compare_trend", lang, measure=tr(measure_key, lang)))
