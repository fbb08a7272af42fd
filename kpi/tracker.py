"""Assembling a plan's tracker: published, linked and user-entered values merged, every KPI graded, counts per goal.

Pure functions over DataFrames (no Streamlit, no database): queries.kpi fetches the frames and calls these.
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from kpi import periods
from kpi.model import GOOD, OTHER, SHORT, KPI, Grade, Obs
from kpi.rules import latest_actual, path_points, rule_for

VALUE_COLUMNS = ["kpi_id", "period", "value", "value_text", "note", "judgement", "target", "projection", "origin",
                 "source_id", "saved_at", "basis"]


def merge_values(published: pd.DataFrame, user: pd.DataFrame, linked: pd.DataFrame) -> pd.DataFrame:
    """One row per KPI and period with the actual that counts and where it came from.

    published: kpi_values rows; user: the user database's rows (kpi_id, period, value, value_text, note, judgement,
    saved_at); linked: kpi.link.linked_rows. Precedence for the actual (value, value_text, judgement, note):
    user > published > linked; interim targets and projections always come from the published row. Returns
    VALUE_COLUMNS; origin is 'user', 'published', 'linked', or None where the period has no actual; basis is the
    linked series' (kpi.link.BASIS), None for published and user values (the KPI's own).
    """
    pub = published.copy()
    for col in VALUE_COLUMNS:
        if col not in pub.columns:
            pub[col] = None
    has = pub["value"].notna() | pub["value_text"].notna()
    pub["origin"] = ["published" if h else None for h in has]
    pub = pub[VALUE_COLUMNS].set_index(["kpi_id", "period"])
    rows = {k: r for k, r in zip(pub.index, pub.to_dict("records"))}
    for r in user.to_dict("records") if not user.empty else []:
        key = (r["kpi_id"], r["period"])
        base = rows.get(key, {c: None for c in VALUE_COLUMNS if c not in ("kpi_id", "period")})
        base = {**base, "value": _clean(r.get("value")), "value_text": _clean(r.get("value_text")),
                "note": _clean(r.get("note")), "judgement": _clean(r.get("judgement")), "origin": "user",
                "source_id": None, "saved_at": r.get("saved_at")}
        rows[key] = base
    for r in linked.to_dict("records") if not linked.empty else []:
        key = (r["kpi_id"], r["period"])
        base = rows.get(key)
        link_note = r["link"]
        if base is None:
            rows[key] = {c: None for c in VALUE_COLUMNS if c not in ("kpi_id", "period")}
            base = rows[key]
        elif _clean(base.get("value")) is not None or _clean(base.get("value_text")) is not None:
            continue
        if r["value"] is None or (isinstance(r["value"], float) and math.isnan(r["value"])):
            base["link_partial"] = link_note
            continue
        base.update(value=float(r["value"]), origin="linked", source_id=r["source_id"], link=link_note,
                    basis=r.get("basis"))
    out = pd.DataFrame([{"kpi_id": k[0], "period": k[1], **v} for k, v in rows.items()])
    if out.empty:
        return pd.DataFrame(columns=VALUE_COLUMNS + ["link", "link_partial"])
    for col in ("link", "link_partial"):
        if col not in out.columns:
            out[col] = None
    out["_end"] = out["period"].map(lambda p: periods.parse(p).end)
    return out.sort_values(["kpi_id", "_end"]).drop(columns="_end").reset_index(drop=True)


def _clean(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, str) and not v.strip():
        return None
    return v


def observations(merged: pd.DataFrame, kpi_id: str) -> list[Obs]:
    """The merged rows of one KPI as Obs (for the rules)."""
    return [Obs.from_row(r) for r in merged[merged["kpi_id"] == kpi_id].to_dict("records")]


def _years_with_actual(merged: pd.DataFrame, linked: bool = True) -> set[str]:
    have = merged[merged["value"].notna() | merged["value_text"].notna()]
    if not linked:
        have = have[have["origin"] != "linked"]
    return {periods.fy(periods.fiscal_year(periods.parse(p).end)) for p in have["period"]}


def plan_periods(plan: dict, merged: pd.DataFrame) -> list[str]:
    """Fiscal years offered as evaluation periods: the plan's years, earlier years that have an actual, and later
    years with a published or entered actual (e.g. a census on 1 October 2025 of a plan ending in FY2024; a value
    filled in from the statistics alone never lengthens the list)."""
    years = periods.fiscal_years(plan["plan_start"], plan["plan_end"])
    first, last = periods.parse(years[0]).end, periods.parse(years[-1]).end
    earlier = sorted(p for p in _years_with_actual(merged) if periods.parse(p).end < first)
    later = sorted((p for p in _years_with_actual(merged, linked=False) if periods.parse(p).end > last),
                   key=lambda p: periods.parse(p).end)
    later = periods.fiscal_years(later[0], later[-1]) if later else []
    return earlier + years + later


def default_as_of(plan: dict, options: list[str], merged: pd.DataFrame) -> str:
    """The plan's evaluated period if it states one, else the latest option of the plan period onwards holding
    an actual, else the plan's first year (a year before the plan grades nothing, so it is never the default)."""
    if isinstance(plan.get("evaluated_as_of"), str) and plan["evaluated_as_of"] in options:
        return plan["evaluated_as_of"]
    have = merged.loc[merged["value"].notna() | merged["value_text"].notna(), "period"]
    ends = [periods.parse(p).end for p in have]
    inside = [o for o in options if not before_plan(plan["plan_start"], o)]
    best = inside[0] if inside else options[0]
    for o in inside:
        if any(periods.in_window(str(e), o) for e in ends):
            best = o
    return best


def trend(kpi: KPI, obs: list[Obs], as_of: str) -> list[float]:
    """Values for a sparkline up to the end of `as_of`: the baseline then each actual (running total for 'sum')."""
    end = periods.parse(as_of).end
    pts = []
    if kpi.aggregation == "sum":
        total = 0.0
        for o in obs:
            if o.value is not None and periods.parse(o.period).end <= end and periods.parse(o.period).years < 1.5:
                total += o.value
                pts.append(total)
        return pts
    if kpi.baseline_value is not None:
        pts.append(kpi.baseline_value)
    pts += [o.value for o in obs if o.value is not None and periods.parse(o.period).end <= end]
    return pts


def evaluated_at(kpi: KPI, as_of: str) -> str:
    """The period a KPI is graded at when the plan is evaluated at `as_of`: `as_of`, or the fiscal year of the
    KPI's target period when that ends earlier (a FY2024 target keeps its FY2024 reading in FY2025)."""
    if not kpi.target_period:
        return as_of
    last = periods.fy(periods.fiscal_year(periods.parse(kpi.target_period).end))
    return last if periods.parse(last).end < periods.parse(as_of).end else as_of


def before_plan(plan_start: str | None, as_of: str) -> bool:
    """True when the evaluation period `as_of` ends before the plan period (starting `plan_start`) begins."""
    return bool(plan_start) and periods.parse(as_of).end < periods.parse(plan_start).start


def table(defs: pd.DataFrame, merged: pd.DataFrame, rule: str, as_of: str, plan_start: str | None = None) -> pd.DataFrame:
    """Every KPI of `defs` graded by `rule` (target populations by kpi.rules.population_path) at `as_of`.

    Nothing is graded when `as_of` ends before `plan_start` (reason 'before_plan'). A KPI whose target period
    ended before `as_of` is graded at it (evaluated_at; graded_at says which). Actuals of another basis than the
    KPI's (a 住基 figure beside census targets) are never graded; the latest of them is reported as reference_*.

    Returns the defs columns plus: grade, reason, actual, actual_text, actual_period, origin, actual_source,
    compared_target, ratio, expected, stale, missing (tuple of periods), graded_at, recorded (the grade recorded for
    the evaluation period, e.g. the report's 総合評価), as_of_note (note of that period), pending_note (notes of
    later periods still without an actual, e.g. '国勢調査結果公表後、記入予定'), later (periods after `as_of` that
    hold a published or entered actual, which this evaluation does not count), projection_at (the projection
    printed for the actual's period), link, link_partial, trend (list of
    floats for a sparkline), progress (the rule's measure, at least 0 and not capped, the same number as the
    reason's percent; None when there is none or it is infinite), latest_value/_text/_period/_origin: the most
    recent actual up to `as_of` whatever the rule, and reference_value/_period/_basis.
    """
    rule_for(rule, KPI("check"))  # an unknown rule fails here, whatever the plan holds
    by_kpi: dict[str, list[dict]] = {}
    for r in merged.to_dict("records"):
        by_kpi.setdefault(r["kpi_id"], []).append(r)
    end = periods.parse(as_of).end
    early = before_plan(plan_start, as_of)
    rows = []
    for d in defs.to_dict("records"):
        k = KPI.from_row(d)
        mine = by_kpi.get(k.kpi_id, [])
        every = [Obs.from_row(r) for r in mine]
        obs = [o for o in every if o.same_basis(k)]
        other = latest_actual(k, [o for o in every if not o.same_basis(k)], as_of)
        at = evaluated_at(k, as_of)
        g = Grade(None, "before_plan") if early else rule_for(rule, k)(k, obs, at)
        last = latest_actual(k, obs, as_of)
        later = [o.period for o in every if o.has_actual(k.value_kind) and o.origin in ("published", "user")
                 and periods.parse(o.period).end > end]
        window = [r for r in mine if periods.in_window(r["period"], as_of)]
        notes = [r["note"] for r in window if isinstance(r.get("note"), str)]
        pending = [r["note"] for r in mine if isinstance(r.get("note"), str) and _clean(r.get("value")) is None
                   and _clean(r.get("value_text")) is None and periods.parse(r["period"]).end > end]
        here = [r for r in mine if r["period"] == g.actual_period]
        rows.append({**d, "grade": g.grade, "reason": g.reason, "actual": g.actual, "actual_text": g.actual_text,
                     "actual_period": g.actual_period, "origin": g.origin, "actual_source": g.source_id,
                     "compared_target": g.target, "ratio": g.ratio, "expected": g.expected, "stale": g.stale,
                     "missing": g.missing, "graded_at": at, "later": tuple(later),
                     "recorded": next((r["judgement"] for r in window if isinstance(r.get("judgement"), str)), None),
                     "as_of_note": " ".join(dict.fromkeys(notes)) or None,
                     "pending_note": " ".join(dict.fromkeys(pending)) or None,
                     "link": next((r["link"] for r in here if isinstance(r.get("link"), str)), None),
                     "link_partial": next((r["link_partial"] for r in window if isinstance(r.get("link_partial"), str)), None),
                     "latest_value": None if last is None else last.value,
                     "latest_text": None if last is None else last.text,
                     "latest_period": None if last is None else last.period,
                     "latest_origin": None if last is None else last.origin,
                     "latest_source": None if last is None else last.source_id,
                     "projection_at": next((r["projection"] for r in here if _clean(r.get("projection")) is not None), None),
                     "reference_value": None if other is None else other.value,
                     "reference_period": None if other is None else other.period,
                     "reference_basis": None if other is None else other.basis,
                     "trend": trend(k, obs, as_of),
                     "progress": None if g.ratio is None or math.isinf(g.ratio) else max(0.0, g.ratio)})
    return pd.DataFrame(rows)


def _pct(n: int, total: int) -> int:
    """Percent rounded half up, as the report prints it (10 of 16 -> 63)."""
    return int((Decimal(n) * 100 / Decimal(total)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)) if total else 0


def summary(graded: pd.DataFrame) -> pd.DataFrame:
    """Grades of the KPIs (level 'kpi') counted per basic goal, with the total last.

    Columns: goal_no, goal, goal_en, n (KPI 設定数), good, short, other, ungraded, and the shares good_pct,
    short_pct, other_pct (percent of n, rounded half up as in the 嘉麻市 report).
    """
    groups: dict = {}
    for r in graded.to_dict("records"):
        if r["level"] != "kpi":
            continue
        no = r["goal_no"]
        no = None if no is None or (isinstance(no, float) and math.isnan(no)) or no is pd.NA else int(no)
        groups.setdefault(no, {"goal": r["goal"], "goal_en": r["goal_en"], "grades": []})["grades"].append(r["grade"])
    rows = [_count(no, g["goal"], g["goal_en"], g["grades"])
            for no, g in sorted(groups.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))]
    rows.append(_count(None, None, None, [x for g in groups.values() for x in g["grades"]]))
    return pd.DataFrame(rows)


def _count(no, goal, goal_en, grades: list) -> dict:
    n = len(grades)
    c = {s: sum(1 for x in grades if x == s) for s in (GOOD, SHORT, OTHER)}
    return {"goal_no": no, "goal": goal, "goal_en": goal_en, "n": n, "good": c[GOOD], "short": c[SHORT],
            "other": c[OTHER], "ungraded": n - sum(c.values()), "good_pct": _pct(c[GOOD], n),
            "short_pct": _pct(c[SHORT], n), "other_pct": _pct(c[OTHER], n)}


def detail(defs_row: dict, merged: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Series for a KPI's detail chart: actuals (period, end date, value, origin, basis: 'census'/'juki'/None —
    the KPI's own unless the value came from a series of another basis), the target path (date, value) and
    printed projections (date, value). 'sum' KPIs get running totals and a path from 0."""
    k = KPI.from_row(defs_row)
    obs = observations(merged, k.kpi_id)
    mine = merged[merged["kpi_id"] == k.kpi_id]
    if k.aggregation == "sum" and k.target_period:
        span = periods.parse(k.target_period)
        years = periods.years_in(k.target_period, "CY" if k.target_period.startswith("CY") else "FY")
        total, acts = 0.0, []
        for y in years:
            o = next((o for o in obs if o.period == y and o.value is not None), None)
            if o is not None:
                total += o.value
                acts.append((y, periods.parse(y).end, total, o.origin))
        actual = pd.DataFrame(acts, columns=["period", "date", "value", "origin"]).assign(basis=k.basis)
        path = pd.DataFrame([(span.start, 0.0), (span.end, k.target_value or 0.0)], columns=["date", "value"])
        return {"actual": actual, "path": path, "projection": pd.DataFrame(columns=["date", "value"])}
    acts = []
    if k.baseline_value is not None and k.baseline_period:
        acts.append((k.baseline_period, periods.parse(k.baseline_period).end, k.baseline_value, "baseline", k.basis))
    acts += [(o.period, periods.parse(o.period).end, o.value, o.origin, o.basis or k.basis)
             for o in obs if o.value is not None]
    pts = path_points(k, obs)
    proj = mine[mine["projection"].notna()]
    projection = pd.DataFrame({"date": [periods.parse(p).end for p in proj["period"]],
                               "value": proj["projection"].astype(float).tolist()})
    if not projection.empty and pts and k.baseline_value is not None:  # projections start from the baseline
        projection = pd.concat([pd.DataFrame({"date": [pts[0][0]], "value": [k.baseline_value]}), projection])
    return {"actual": pd.DataFrame(acts, columns=["period", "date", "value", "origin", "basis"]),
            "path": pd.DataFrame(pts, columns=["date", "value"]), "projection": projection}

