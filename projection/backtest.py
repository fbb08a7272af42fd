"""Back-test of the projection method and prediction intervals from its empirical errors.

Back-test ("hindcast"): the app's method is re-run as if it were 2015 — survival from national cohort change
ratios and residual net-migration rates of each area estimated only on windows that end by the base date,
the child-woman ratio of the base date — and the projection is compared with what the register later
counted. Everything is vectorised over areas (one call for all ~1,900).

Errors (Smith, Tayman & Swanson 2013, ch. 13): percentage error ``PE = 100·(projected − actual)/actual``
(positive = too high), absolute percentage error ``APE = |PE|``; per size class n, median and mean APE
(MAPE), 80th / 90th percentile of APE and the mean PE (bias).

Prediction intervals from empirical errors (Rayer, Smith & Tayman 2009, "Empirical prediction intervals for
county population forecasts", *Population Research and Policy Review* 28: 773–793): the interval of an
area's projection at horizon h is ``P·(1 ± APE_q(class, h)/100)`` with ``APE_q`` the q-th percentile of the
past APEs of areas of the same size class at that horizon (q = 50 and 80 give the 50 % and 80 % intervals).
Errors grow with the horizon and shrink with size. Only horizons of 5 and 7 years can be observed here
(base 2015, actuals to 2022), so each class's percentile is modelled as proportional to the horizon,
``APE_q(h) = b_q·h`` with ``b_q`` the least-squares slope through the origin over the observed horizons —
roughly linear growth is what Rayer et al. and Smith & Sincich (1988) report for 5–30-year horizons.
A class with fewer than ``min_n`` back-tested areas uses the percentiles of all areas.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from projection.core import Fertility, project
from projection.estimate import child_woman_ratio, residual_migration, sex_ratio_0_4, survival_from_ccr


def hindcast(p1s: np.ndarray, p2s: np.ndarray, present: np.ndarray, base: np.ndarray, nation: int,
             steps: int = 2) -> np.ndarray:
    """The app's cohort-component method re-estimated from past windows only, all areas in one call.

    Inputs: ``p1s``/``p2s`` persons at the start/end of K windows ``[K, A, 2, n]`` (any open group n-1);
        ``present`` bool ``[K, A]`` (area has both ends; absent windows are left out of its migration mean);
        ``base`` persons at the base date ``[A, 2, n]``; ``nation`` index of the national row (its cohort
        change ratios are the survival); ``steps`` 5-year steps.
    Output: persons ``[A, steps+1, 2, n]`` (index 0 = base). Births from the base date's child-woman ratio
        and 0–4 sex ratio; no scenario.
    """
    p1s = np.asarray(p1s, dtype=float)
    p2s = np.asarray(p2s, dtype=float)
    ok = np.asarray(present, dtype=bool)
    survival = survival_from_ccr(p1s[:, nation], p2s[:, nation])
    mig = residual_migration(np.where(ok[..., None, None], p1s, 0.0), p2s, survival)
    fert = Fertility(method="cwr", cwr=child_woman_ratio(base), sex_ratio_0_4=sex_ratio_0_4(base))
    return project(base, survival, steps, migration=mig.mean, fertility=fert)


def interpolate_geometric(p_a: np.ndarray, p_b: np.ndarray, frac: float) -> np.ndarray:
    """Value a fraction ``frac`` (0–1) of the way from ``p_a`` to ``p_b`` at a constant growth rate
    (``p_a·(p_b/p_a)^frac``; linear where a value is 0). Used for the 2022 point between projected 2020 and 2025."""
    p_a = np.asarray(p_a, dtype=float)
    p_b = np.asarray(p_b, dtype=float)
    ok = (p_a > 0) & (p_b > 0)
    ratio = np.divide(p_b, p_a, out=np.ones_like(p_a), where=ok)
    return np.where(ok, p_a * ratio ** frac, p_a + (p_b - p_a) * frac)


def percentage_error(projected, actual) -> np.ndarray:
    """``100·(projected − actual)/actual`` in percent; NaN where the actual is missing or not positive."""
    projected = np.asarray(projected, dtype=float)
    actual = np.asarray(actual, dtype=float)
    out = np.full(np.broadcast_shapes(projected.shape, actual.shape), np.nan)
    np.divide(100.0 * (projected - actual), actual, out=out, where=np.nan_to_num(actual) > 0)
    return out


def error_summary(pe: np.ndarray, classes: np.ndarray, n_classes: int) -> pd.DataFrame:
    """Distribution of errors by size class.

    Inputs: ``pe`` percentage errors ``[A]`` (NaN = not back-tested); ``classes`` size-class index ``[A]``
        (-1 or NaN = none); ``n_classes``. Output: one row per class (and a last row ``size_class = -1`` for
        all areas): n, median_ape, mean_ape, p80_ape, p90_ape (percent), mean_pe (percent, bias).
    """
    pe = np.asarray(pe, dtype=float)
    cls = np.nan_to_num(np.asarray(classes, dtype=float), nan=-1).astype(int)
    rows = []
    for c in list(range(n_classes)) + [-1]:
        sel = ~np.isnan(pe) & ((cls == c) if c >= 0 else (cls >= 0))
        v = pe[sel]
        a = np.abs(v)
        rows.append(dict(size_class=c, n=int(sel.sum()),
                         median_ape=float(np.median(a)) if v.size else np.nan,
                         mean_ape=float(a.mean()) if v.size else np.nan,
                         p80_ape=float(np.percentile(a, 80)) if v.size else np.nan,
                         p90_ape=float(np.percentile(a, 90)) if v.size else np.nan,
                         mean_pe=float(v.mean()) if v.size else np.nan))
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class EmpiricalErrors:
    """Percentiles of past APEs by size class: horizons ``[H]`` (years), levels ``[Q]`` (e.g. 50, 80),
    ape ``[C, H, Q]`` (percent; pooled over all areas where a class has fewer than ``min_n``), n ``[C, H]``,
    slope ``[C, Q]`` (percent per year of horizon, the model ``APE_q(h) = slope·h``)."""

    horizons: np.ndarray
    levels: np.ndarray
    ape: np.ndarray
    n: np.ndarray
    slope: np.ndarray


def empirical_errors(pe_by_horizon: dict[int, np.ndarray], classes: np.ndarray, n_classes: int,
                     levels=(50, 80), min_n: int = 10) -> EmpiricalErrors:
    """Percentiles of |PE| by size class and horizon, and their slope in the horizon (see module doc).

    Inputs: ``{horizon_years: PE [A]}``; size classes ``[A]``; number of classes; percentile levels; min_n.
    Output: :class:`EmpiricalErrors`.
    """
    hs = np.array(sorted(pe_by_horizon), dtype=float)
    lv = np.asarray(levels, dtype=float)
    cls = np.nan_to_num(np.asarray(classes, dtype=float), nan=-1).astype(int)
    ape = np.full((n_classes, len(hs), len(lv)), np.nan)
    n = np.zeros((n_classes, len(hs)), dtype=int)
    for j, h in enumerate(hs):
        a = np.abs(np.asarray(pe_by_horizon[int(h)], dtype=float))
        valid = ~np.isnan(a) & (cls >= 0)
        pooled = np.percentile(a[valid], lv) if valid.any() else np.full(len(lv), np.nan)
        for c in range(n_classes):
            sel = valid & (cls == c)
            n[c, j] = int(sel.sum())
            ape[c, j] = np.percentile(a[sel], lv) if n[c, j] >= min_n else pooled
    slope = (hs[None, :, None] * ape).sum(axis=1) / (hs ** 2).sum()
    return EmpiricalErrors(horizons=hs, levels=lv, ape=ape, n=n, slope=slope)


@dataclass(frozen=True)
class FanBand:
    """Prediction intervals of total persons: years ``[T+1]``; low / high ``[..., T+1, Q]`` per level of
    :attr:`EmpiricalErrors.levels` (low clipped at 0); half-width in percent ``[..., T+1, Q]``."""

    years: np.ndarray
    levels: np.ndarray
    low: np.ndarray
    high: np.ndarray
    half_width_pct: np.ndarray


def empirical_band(totals: np.ndarray, years, base_year: int, size_class, errors: EmpiricalErrors) -> FanBand:
    """Intervals ``P·(1 ± slope_q(class)·h/100)`` with h = year − base_year (see module doc).

    Inputs: projected totals ``[..., T+1]`` (persons); years ``[T+1]``; base year; size class ``[...]`` (int);
        :class:`EmpiricalErrors`. Output: :class:`FanBand`; vectorised over the leading axes.
    """
    tot = np.asarray(totals, dtype=float)
    h = np.asarray(years, dtype=float) - base_year
    cls = np.clip(np.asarray(size_class, dtype=int), 0, errors.slope.shape[0] - 1)
    slope = errors.slope[cls]                                   # [..., Q]
    width = slope[..., None, :] * h[:, None]                    # [..., T+1, Q]
    low = np.maximum(tot[..., None] * (1 - width / 100.0), 0.0)
    high = tot[..., None] * (1 + width / 100.0)
    return FanBand(years=np.asarray(years), levels=errors.levels, low=low, high=high, half_width_pct=width)
