"""Summaries of projection results and the inverse questions ("what TFR reaches N persons in year Y?").

Inputs are persons ``[..., T+1, 2, n]`` (see :mod:`projection.core`); outputs are persons or shares (0–1).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from projection.core import AGES, SEXES, STEP_YEARS, age_lower_bounds
from projection.scenario import ModelInputs, Projection, Scenario, run

#: The three customary age groups: 年少人口 0–14, 生産年齢人口 15–64, 老年人口 65+ ([lo, hi) years).
AGE3: tuple[tuple[str, float, float], ...] = (("0-14", 0, 15), ("15-64", 15, 65), ("65+", 65, np.inf))


def totals(pop: np.ndarray) -> np.ndarray:
    """Total persons: sum over sex and age. ``[..., T+1, 2, n]`` → ``[..., T+1]``."""
    return np.asarray(pop).sum(axis=(-1, -2))


def age3(pop: np.ndarray) -> np.ndarray:
    """Persons in 0–14, 15–64, 65+ (both sexes). ``[..., T+1, 2, n]`` → ``[..., T+1, 3]`` (order of AGE3)."""
    pop = np.asarray(pop)
    low = age_lower_bounds(pop.shape[-1])
    both = pop.sum(axis=-2)
    return np.stack([both[..., (low >= lo) & (low < hi)].sum(axis=-1) for _, lo, hi in AGE3], axis=-1)


def age3_shares(pop: np.ndarray) -> np.ndarray:
    """Shares (0–1) of 0–14, 15–64, 65+ in the total; 0 where the total is 0. Shape ``[..., T+1, 3]``."""
    g = age3(pop)
    tot = g.sum(axis=-1, keepdims=True)
    return np.divide(g, tot, out=np.zeros_like(g), where=tot > 0)


def difference(scenario: np.ndarray, baseline: np.ndarray) -> np.ndarray:
    """Scenario minus baseline (persons, same shapes; e.g. of :func:`totals` or :func:`age3`)."""
    return np.asarray(scenario) - np.asarray(baseline)


def summary_frame(result: Projection, baseline: Projection | None = None) -> pd.DataFrame:
    """One row per year for ONE area (no leading axes): persons and shares, optionally vs a baseline.

    Columns: year, total, japanese, foreign, pop_0_14, pop_15_64, pop_65p (persons, of the total population),
    share_0_14, share_15_64, share_65p (0–1), and with a baseline: baseline_total, diff_total (persons).
    """
    if result.japanese.ndim != 3:
        raise ValueError("summary_frame takes the result of a single area (select it with inputs.area(code))")
    tot = result.total
    g, sh = age3(tot), age3_shares(tot)
    columns = {"year": result.years, "total": totals(tot), "japanese": totals(result.japanese),
               "foreign": totals(result.foreign) if result.foreign is not None else 0.0,
               "pop_0_14": g[:, 0], "pop_15_64": g[:, 1], "pop_65p": g[:, 2],
               "share_0_14": sh[:, 0], "share_15_64": sh[:, 1], "share_65p": sh[:, 2]}
    if baseline is not None:  # in the one constructor (two column inserts afterwards cost more than the frame)
        columns["baseline_total"] = totals(baseline.total)
        columns["diff_total"] = columns["total"] - columns["baseline_total"]
    return pd.DataFrame(columns)


def long_frame(pop: np.ndarray, years, area_codes=None) -> pd.DataFrame:
    """Tidy table of a result: columns [area_code,] year, sex ('male'/'female'), age_group (AGES), persons.

    Input persons ``[A, T+1, 2, n]`` with ``area_codes`` (length A) or ``[T+1, 2, n]`` without.
    """
    pop = np.asarray(pop)
    n = pop.shape[-1]
    ages = AGES if n == len(AGES) else tuple(f"{5 * i}-{5 * i + 4}" for i in range(n - 1)) + (f"{5 * (n - 1)}+",)
    idx = {"year": list(years), "sex": list(SEXES), "age_group": list(ages)}
    if area_codes is not None:
        idx = {"area_code": list(area_codes), **idx}
    # The product of the levels, outermost first, as columns (what MultiIndex.from_product(…).reset_index() gives,
    # without building the index: ~1 ms of every scenario run).
    sizes = [len(v) for v in idx.values()]
    total = int(np.prod(sizes))
    columns, inner = {}, total
    for (name, values), size in zip(idx.items(), sizes):
        inner //= size
        level = pd.Index(values)
        columns[name] = level.take(np.tile(np.repeat(np.arange(size), inner), total // (size * inner) if size else 0))
    return pd.DataFrame({**columns, "persons": pop.reshape(-1)})


@dataclass(frozen=True)
class InverseResult:
    """Answer of an inverse question, arrays shaped like the areas ``[...]``.

    value: the parameter that reaches the target (TFR in births per woman, or migration change in percentage
        points); NaN where unreachable. reachable: bool. achieved: persons in the target year with ``value``
        (with the nearest bound where unreachable). at_low / at_high: persons with the search bounds.
        bounds: the search interval. direction: 'above' where even the upper bound stays below the target,
        'below' where even the lower bound exceeds it, '' where reachable.
    """

    value: np.ndarray
    reachable: np.ndarray
    achieved: np.ndarray
    at_low: np.ndarray
    at_high: np.ndarray
    bounds: tuple[float, float]
    direction: np.ndarray


def _persons_in(inputs: ModelInputs, scenario: Scenario, year: int, nationality: str) -> np.ndarray:
    res = run(inputs, scenario)
    k = int(np.flatnonzero(res.years == year)[0])
    pop = {"total": res.total, "japanese": res.japanese, "foreign": res.foreign}[nationality]
    return pop[..., k, :, :].sum(axis=(-1, -2))


def _grid_solve(fn, lo: float, hi: float, target: float, tol: float, points: int = 64) -> float:
    """Root of an increasing scalar fn by nested grids: each round evaluates `points` candidates in ONE
    vectorised projection (the candidates ride on a leading axis) and keeps the bracketing interval, so a
    0.0001 precision over [0.5, 4] takes 3 projections instead of ~15 sequential bisection steps."""
    a, b = float(lo), float(hi)
    while b - a > tol:
        xs = np.linspace(a, b, points)
        ys = np.asarray(fn(xs), dtype=float)
        i = int(np.clip(np.searchsorted(ys, target), 1, points - 1))
        a, b = xs[i - 1], xs[i]
    return 0.5 * (a + b)


def _solve(fn, lo: float, hi: float, target, tol: float, max_iter: int = 80) -> InverseResult:
    """Bisection for an increasing fn(values) → persons, vectorised over areas (nested grids for one area)."""
    f_lo, f_hi = fn(lo), fn(hi)
    if np.ndim(f_lo) == 0 and np.ndim(target) == 0:
        reachable = bool(f_lo <= target <= f_hi)
        value = _grid_solve(fn, lo, hi, float(target), tol) if reachable else np.nan
        direction = "above" if f_hi < target else ("below" if f_lo > target else "")
        achieved = fn(value if reachable else (hi if f_hi < target else lo))
        return InverseResult(value=np.asarray(value), reachable=np.asarray(reachable), achieved=np.asarray(achieved),
                             at_low=np.asarray(f_lo), at_high=np.asarray(f_hi), bounds=(lo, hi),
                             direction=np.asarray(direction))
    shape = np.broadcast_shapes(np.shape(f_lo), np.shape(target))
    target = np.broadcast_to(np.asarray(target, dtype=float), shape)
    a = np.full(shape, float(lo))
    b = np.full(shape, float(hi))
    for _ in range(max_iter):
        active = b - a > tol  # converged areas stay put, so each area's answer is independent of the others
        if not active.any():
            break
        mid = 0.5 * (a + b)
        above = fn(mid) >= target
        b = np.where(active & above, mid, b)
        a = np.where(active & ~above, mid, a)
    value = 0.5 * (a + b)
    reachable = (f_lo <= target) & (target <= f_hi)
    direction = np.where(f_hi < target, "above", np.where(f_lo > target, "below", ""))
    value = np.where(reachable, value, np.nan)
    achieved = fn(np.where(reachable, value, np.where(f_hi < target, hi, lo)))
    return InverseResult(value=value, reachable=reachable, achieved=achieved, at_low=f_lo, at_high=f_hi,
                         bounds=(lo, hi), direction=direction)


def _with_year(inputs: ModelInputs, scenario: Scenario, year: int) -> Scenario:
    k, rem = divmod(year - inputs.base_year, STEP_YEARS)
    if rem or k < 1:
        raise ValueError(f"year must be base year + 5·k (k ≥ 1); base year is {inputs.base_year}")
    return replace(scenario, steps=max(scenario.steps, k))


def solve_tfr(inputs: ModelInputs, scenario: Scenario, target_persons, year: int, *,
              bounds: tuple[float, float] = (0.5, 4.0), nationality: str = "total",
              tol: float = 1e-4) -> InverseResult:
    """Which TFR target (reached in ``scenario.tfr_year``, other settings as in ``scenario``) gives
    ``target_persons`` in ``year``?

    Inputs: model inputs; scenario (its tfr_target/tfr_delta are replaced); target persons ``[...]`` or
        scalar; year on the 5-year grid; search bounds in births per woman; nationality 'total'/'japanese'.
    Output: :class:`InverseResult` (value in births per woman). The population is increasing in the TFR
        target, so bisection converges; ``tol`` is in births per woman.
    """
    sc = _with_year(inputs, scenario, year)
    return _solve(lambda v: _persons_in(inputs, replace(sc, tfr_target=v, tfr_delta=None), year, nationality),
                  bounds[0], bounds[1], target_persons, tol)


def solve_migration(inputs: ModelInputs, scenario: Scenario, target_persons, year: int, *,
                    bounds: tuple[float, float] = (-10.0, 10.0), nationality: str = "total",
                    tol: float = 1e-4) -> InverseResult:
    """Which net-migration change (percentage points on the 5-year rate of ``scenario.migration_ages``)
    gives ``target_persons`` in ``year``? Same conventions as :func:`solve_tfr`; value in points.
    """
    sc = _with_year(inputs, scenario, year)
    return _solve(lambda v: _persons_in(inputs, replace(sc, migration_points=v), year, nationality),
                  bounds[0], bounds[1], target_persons, tol)
