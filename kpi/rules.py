"""Grading rules: named, selectable functions `rule(kpi, observations, as_of) -> Grade`.

kama_ratio  The rule of the 嘉麻市 第2期総合戦略 総括報告書: the actual of the evaluation year divided by the
            target; ○ (概ね目標達成) from 80 %, △ (目標未達成) below, × (その他) when the actual cannot be known
            or the project was not carried out. Cumulative KPIs ('5年間に15件') compare the sum of the years
            reported. A text actual cannot be divided: it keeps the grade recorded for it (the report's own
            judgement) or stays ungraded.
trajectory  A mid-plan reading: the straight path from the baseline (value, period) through any interim targets to
            the target (value, period); the latest actual up to the evaluation period is graded by the share of
            the path it has covered at its date, ○ from 80 %. A cumulative KPI's path runs from 0 at the start of
            its span to the target at the end. When the target itself is below the baseline (a managed decline,
            a target population), it is read by population_path.

population_path  The rule of every target population (level 'population_target'), whichever rule the plan uses, and
            of any managed-decline target (target below the baseline) compared before its date: a target
            population below today's population is a floor for a date decades away, so 実績/目標 (34,143 against
            17,033 in 2065 = 200 %) says nothing. The latest actual is read against the path from the baseline
            through the interim targets to the target: on a decline the measure is the decline the path allows by
            the actual's date divided by the decline that happened (≥ 100 %: declining no faster than the path, ○;
            below, △); a growth target is graded by the share of the path covered, ○ from 80 %. The projection
            printed beside an actual (社人研推計) is compared too, in words.

Directions: 'higher', 'lower', 'reduce_decline' (negative values; the size of the decline is compared, so
▲913 against ▲1,833 is 50 %). Evaluation periods are labels of kpi.periods, normally a fiscal year 'FY2024'.
"""
from __future__ import annotations

import math
from typing import Callable, Iterable

from kpi import periods
from kpi.model import GOOD, OTHER, SHORT, KPI, Grade, Obs

THRESHOLD = 0.8  # 実績/目標 = 80%~100% -> ○ (嘉麻市 報告書の基準); the trajectory rule uses the same share

#: Reason codes a Grade may carry (the UI has a sentence for each).
REASONS = ("ratio", "reached", "no_actual", "no_target", "no_baseline", "done", "not_done", "not_yet_due",
           "judged", "needs_judgement", "on_path", "maintain", "allowance", "at_baseline", "not_started",
           "before_plan", "pop_decline", "pop_no_decline", "pop_path")


def achievement(direction: str, actual: float, target: float) -> float:
    """実績/目標 oriented so that 1.0 means the target is just met and more is better (may be inf).

    higher: actual / target (target 0: met when actual >= 0); lower: target / actual (actual 0: met);
    reduce_decline, or higher with a negative target: the declines max(0, −x) compared as lower-is-better.
    """
    if direction == "reduce_decline" or (direction == "higher" and target < 0):
        da, dt = max(0.0, -actual), max(0.0, -target)
        return math.inf if da == 0 else dt / da
    if direction == "lower":
        if actual <= 0:
            return math.inf if target >= actual else 0.0
        return max(target, 0.0) / actual
    if target == 0:
        return math.inf if actual >= 0 else 0.0
    return actual / target


def _better_or_equal(direction: str, a: float, b: float) -> bool:
    return a <= b if direction == "lower" else a >= b


def _in_window(kpi: KPI, obs: Iterable[Obs], as_of: str) -> Obs | None:
    """The observation of the evaluation period (its period ends inside `as_of`), with or without an actual."""
    hits = [o for o in obs if periods.in_window(o.period, as_of)]
    if not hits:
        return None
    with_actual = [o for o in hits if o.has_actual(kpi.value_kind)]
    pool = with_actual or [o for o in hits if o.text is not None] or hits
    return max(pool, key=lambda o: periods.parse(o.period).end)


def latest_actual(kpi: KPI, obs: Iterable[Obs], as_of: str) -> Obs | None:
    """The most recent observation with an actual, ending on or before the end of `as_of`."""
    end = periods.parse(as_of).end
    pool = [o for o in obs if o.has_actual(kpi.value_kind) and periods.parse(o.period).end <= end]
    return max(pool, key=lambda o: periods.parse(o.period).end) if pool else None


def _from(o: Obs | None, **kw) -> dict:
    if o is None:
        return kw
    return dict(actual=o.value, actual_text=o.text, actual_period=o.period, origin=o.origin, source_id=o.source_id, **kw)


def _span_years(kpi: KPI) -> list[str]:
    """The single years making up a cumulative KPI's target span (its own kind: FY or CY)."""
    span = kpi.target_period or ""
    kind = "CY" if span.startswith("CY") else "FY"
    return periods.years_in(span, kind) if span else []


def _cumulative(kpi: KPI, obs: Iterable[Obs], as_of: str):
    """(total, years reported, years due, all years) of a cumulative KPI up to the end of `as_of`."""
    years = _span_years(kpi)
    end = periods.parse(as_of).end
    due = [y for y in years if periods.parse(y).end <= end]
    by_year = {o.period: o for o in obs if o.period in due and o.value is not None}
    total = sum(o.value for o in by_year.values()) if by_year else None
    return total, [y for y in due if y in by_year], due, years


def _text_or_done(kpi: KPI, o: Obs | None, as_of: str, strict: bool) -> Grade:
    if o is None or not o.has_actual(kpi.value_kind):
        return Grade(OTHER, "no_actual", **_from(o))
    if kpi.value_kind == "text":
        if o.judgement:
            return Grade(o.judgement, "judged", **_from(o))
        return Grade(None, "needs_judgement", **_from(o))
    # done: 1 = 実施, 0 = 未実施
    if o.value >= 1:
        return Grade(GOOD, "done", **_from(o, ratio=1.0))
    if not strict and kpi.target_period and periods.parse(as_of).end < periods.parse(kpi.target_period).end:
        return Grade(SHORT, "not_yet_due", **_from(o, ratio=0.0))
    return Grade(OTHER, "not_done", **_from(o, ratio=0.0))


def kama_ratio(kpi: KPI, obs: list[Obs], as_of: str) -> Grade:
    """The 嘉麻市 rule (see module docstring) for `kpi` with observations `obs` at evaluation period `as_of`."""
    if kpi.value_kind != "number":
        return _text_or_done(kpi, _in_window(kpi, obs, as_of), as_of, strict=True)
    if kpi.aggregation == "sum":
        total, reported, due, years = _cumulative(kpi, obs, as_of)
        if total is None:
            return Grade(OTHER, "no_actual", missing=tuple(due))
        span = reported[0] if len(reported) == 1 else f"{reported[0]}-{reported[-1]}"
        missing = tuple(y for y in due if y not in reported)
        if kpi.target_value is None:
            return Grade(None, "no_target", actual=total, actual_period=span, missing=missing)
        r = achievement(kpi.direction, total, kpi.target_value)
        return Grade(GOOD if r >= THRESHOLD else SHORT, "ratio", actual=total, actual_period=span,
                     target=kpi.target_value, ratio=r, missing=missing,
                     origin=_origin([o for o in obs if o.period in reported]))
    o = _in_window(kpi, obs, as_of)
    if o is None or o.value is None:
        return Grade(OTHER, "no_actual", **_from(o))
    target = o.target if o.target is not None else kpi.target_value
    if target is None:
        return Grade(None, "no_target", **_from(o))
    if o.target is None and _managed_decline(kpi) and periods.parse(o.period).end < periods.parse(kpi.target_period).end:
        return population_path(kpi, obs, as_of)  # a floor decades away: actual/target would say nothing
    r = achievement(kpi.direction, o.value, target)
    return Grade(GOOD if r >= THRESHOLD else SHORT, "ratio", **_from(o, target=target, ratio=r))


def _origin(obs: list[Obs]) -> str | None:
    """'user' when any summed value was entered by a user, else the origin they share."""
    origins = {o.origin for o in obs}
    return "user" if "user" in origins else (origins.pop() if len(origins) == 1 else None)


def path_points(kpi: KPI, obs: Iterable[Obs]) -> list[tuple]:
    """The target path of a 'latest' KPI: (date, value) from the baseline through interim targets to the target."""
    pts = []
    if kpi.baseline_value is not None and kpi.baseline_period:
        pts.append((periods.parse(kpi.baseline_period).end, kpi.baseline_value))
    if kpi.target_value is not None and kpi.target_period:
        t_end = periods.parse(kpi.target_period).end
        start = pts[0][0] if pts else None
        for o in obs:
            e = periods.parse(o.period).end
            if o.target is not None and e < t_end and (start is None or e > start):
                pts.append((e, o.target))
        pts.append((t_end, kpi.target_value))
    return sorted(dict(pts).items())


def expected_at(points: list[tuple], when) -> float | None:
    """The path value at date `when` (linear between points; flat before the first and after the last)."""
    if not points:
        return None
    if when <= points[0][0]:
        return points[0][1]
    for (d0, v0), (d1, v1) in zip(points, points[1:]):
        if when <= d1:
            return v0 + (v1 - v0) * (when - d0).days / (d1 - d0).days
    return points[-1][1]


def trajectory(kpi: KPI, obs: list[Obs], as_of: str) -> Grade:
    """The trajectory rule (see module docstring) for `kpi` with observations `obs` at evaluation period `as_of`."""
    if kpi.value_kind != "number":
        return _text_or_done(kpi, latest_actual(kpi, obs, as_of) or _in_window(kpi, obs, as_of), as_of, strict=False)
    if kpi.aggregation == "sum":
        total, reported, due, years = _cumulative(kpi, obs, as_of)
        if not due:
            return Grade(None, "not_started")
        missing = tuple(y for y in due if y not in reported)
        if total is None:
            return Grade(OTHER, "no_actual", missing=missing)
        span = reported[0] if len(reported) == 1 else f"{reported[0]}-{reported[-1]}"
        base = dict(actual=total, actual_period=span, missing=missing,
                    origin=_origin([o for o in obs if o.period in reported]))
        if kpi.target_value is None:
            return Grade(None, "no_target", **base)
        expected = kpi.target_value * len(due) / len(years)
        if achievement(kpi.direction, total, kpi.target_value) >= 1:
            return Grade(GOOD, "reached", target=kpi.target_value, expected=expected,
                         ratio=achievement(kpi.direction, total, expected), **base)
        r = achievement(kpi.direction, total, expected)
        return Grade(GOOD if r >= THRESHOLD else SHORT, "on_path", target=kpi.target_value, expected=expected,
                     ratio=r, **base)
    if _managed_decline(kpi):
        return population_path(kpi, obs, as_of)
    o = latest_actual(kpi, obs, as_of)
    if o is None:
        span = periods.parse(kpi.target_period) if kpi.target_period else None
        if span is not None and span.years > 1.5 and span.start > periods.parse(as_of).end:
            return Grade(None, "not_started")  # e.g. a 5-year total over years that have not begun
        return Grade(OTHER, "no_actual", **_from(_in_window(kpi, obs, as_of)))
    stale = not periods.in_window(o.period, as_of)
    if kpi.target_value is None or not kpi.target_period:
        return Grade(None, "no_target", stale=stale, **_from(o))
    a, t = o.value, kpi.target_value
    b = kpi.baseline_value
    sign = -1.0 if kpi.direction == "lower" else 1.0
    gain = None if b is None else (t - b) * sign  # > 0: the path improves; 0: hold the level; < 0: managed decline
    # Met early counts as met — except on a managed decline, where the target is a floor the actual starts above.
    if (gain is None or gain >= 0) and achievement(kpi.direction, a, t) >= 1:
        return Grade(GOOD, "reached", stale=stale, **_from(o, target=t, ratio=achievement(kpi.direction, a, t)))
    if b is None or not kpi.baseline_period:
        return Grade(None, "no_baseline", stale=stale, **_from(o, target=t))
    when = periods.parse(o.period).end
    e = expected_at(path_points(kpi, obs), when)
    info = _from(o, target=t, expected=e)
    if gain >= 0 and (when <= periods.parse(kpi.baseline_period).end or e == b):
        ok = _better_or_equal(kpi.direction, a, b)
        return Grade(GOOD if ok else SHORT, "at_baseline" if gain else "maintain", stale=stale, **info)
    if gain > 0:
        share = (a - b) / (e - b)
        return Grade(GOOD if share >= THRESHOLD else SHORT, "on_path", stale=stale, ratio=share, **info)
    ok = _better_or_equal(kpi.direction, a, e)
    return Grade(GOOD if ok else SHORT, "allowance", stale=stale, ratio=achievement(kpi.direction, a, e), **info)


def _managed_decline(kpi: KPI) -> bool:
    """A 'higher' KPI whose target lies below its baseline (a population allowed to fall more slowly)."""
    return (kpi.direction == "higher" and kpi.baseline_value is not None and kpi.target_value is not None
            and bool(kpi.target_period) and kpi.target_value < kpi.baseline_value)


def population_path(kpi: KPI, obs: list[Obs], as_of: str) -> Grade:
    """The target-population rule (see module docstring) for `kpi` with observations `obs` at `as_of`.

    ratio: on a decline, the decline allowed by the path at the actual's date / the decline that happened (inf
    when there was none); on growth, the share of the path covered. expected: the path value at that date.
    """
    o = latest_actual(kpi, obs, as_of)
    if o is None or o.value is None:
        return Grade(OTHER, "no_actual", **_from(o or _in_window(kpi, obs, as_of)))
    stale = not periods.in_window(o.period, as_of)
    if kpi.target_value is None or not kpi.target_period:
        return Grade(None, "no_target", stale=stale, **_from(o))
    b, a = kpi.baseline_value, o.value
    if b is None or not kpi.baseline_period:
        return Grade(None, "no_baseline", stale=stale, **_from(o, target=kpi.target_value))
    when = periods.parse(o.period).end
    if when <= periods.parse(kpi.baseline_period).end:
        return Grade(None, "at_baseline", stale=stale, **_from(o, target=kpi.target_value))
    e = expected_at(path_points(kpi, obs), when)
    info = _from(o, target=kpi.target_value, expected=e)
    if e < b:  # the path allows a decline by then
        if a >= b:
            return Grade(GOOD, "pop_no_decline", stale=stale, ratio=math.inf, **info)
        r = (b - e) / (b - a)
        return Grade(GOOD if r >= 1 else SHORT, "pop_decline", stale=stale, ratio=r, **info)
    if e == b:
        return Grade(GOOD if a >= b else SHORT, "maintain", stale=stale, **info)
    share = (a - b) / (e - b)
    return Grade(GOOD if share >= THRESHOLD else SHORT, "pop_path", stale=stale, ratio=share, **info)


RULES: dict[str, Callable[[KPI, list[Obs], str], Grade]] = {"kama_ratio": kama_ratio, "trajectory": trajectory}


def rule_for(rule: str, kpi: KPI) -> Callable[[KPI, list[Obs], str], Grade]:
    """The function grading `kpi` under the plan's rule `rule` (a key of RULES): a target population always
    gets population_path."""
    try:
        fn = RULES[rule]
    except KeyError:
        raise ValueError(f"unknown rule {rule!r} (known: {', '.join(RULES)})") from None
    return population_path if kpi.level == "population_target" and kpi.value_kind == "number" else fn


def grade(rule: str, kpi: KPI, obs: list[Obs], as_of: str) -> Grade:
    """Apply the rule named `rule` (a key of RULES) to `kpi`, as rule_for chooses."""
    return rule_for(rule, kpi)(kpi, obs, as_of)
