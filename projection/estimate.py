"""Parameter estimation from age-sex populations (and, when available, a life table).

All inputs are persons shaped ``[..., 2, n]`` (sex order male, female; open last age group), see
:mod:`projection.core`. A *window* is a pair of populations five years apart, ``p1`` at t and ``p2`` at t+5.
Several windows are stacked on a leading axis: ``p1s``/``p2s`` shaped ``[K, ..., 2, n]``.

Methods
* Survival S from **national cohort change ratios** (closed-population approximation): for the whole
  country, international migration of Japanese nationals is small against deaths, so the national ratio
  ``P(t+5, a+1) / P(t, a)`` approximates the 5-year survival ratio. Ratios are averaged over the windows and
  capped at 1 (a ratio above 1 can only come from migration or register corrections, never from survival).
  The residual national migration stays in the estimated migration rates, so the projected cohort change of
  every area equals its observed average whatever split is chosen.
* Survival S from a **life table** (when one is given): ``S(a) = 5L(a+1) / 5L(a)``, and for the last closed
  group and the open group ``T(open) / (5L(n-2) + T(open))`` (Preston, Heuveline & Guillot 2001, Box 6.1);
  births survive to 0–4 with ``5L0 / (5·l0)``.
* Net migration rates M by the **residual method**: per window,
  ``M(a) = (P(t+5, a+1) − P(t, a)·S(a)) / P(t, a)`` and, for the two groups that end in the open group, one
  common rate ``(P(t+5, n-1) − P(t, n-2)·S(n-2) − P(t, n-1)·S(n-1)) / (P(t, n-2) + P(t, n-1))``.
  Rates are averaged over the windows (cells with an empty cohort are left out of the mean; 0 when all are
  empty); the per-window rates are returned too, for an uncertainty band.
* Child-woman ratio and 0–4 sex ratio from one (the latest) population.
* Hamilton–Perry **cohort change ratios** (for foreign residents): pooled over windows, ``Σ P(t+5, a+1) /
  Σ P(t, a)``, with a fallback table for cells whose pooled base is below ``min_base`` persons.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from projection.core import FEMALE, FERTILE, MALE


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num/den with NaN where den == 0 (no warnings)."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    out = np.full(np.broadcast_shapes(num.shape, den.shape), np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out


def cohort_change_ratios(p1: np.ndarray, p2: np.ndarray) -> np.ndarray:
    """Cohort change ratios of one window (any leading axes).

    Inputs: ``p1`` persons at t, ``p2`` persons at t+5, ``[..., 2, n]``.
    Output: ``[..., 2, n]`` dimensionless; ``[a] = p2[a+1] / p1[a]`` for a ≤ n-3, and
    ``[n-2] = [n-1] = p2[n-1] / (p1[n-2] + p1[n-1])`` (the open group). NaN where the base cohort is empty.
    """
    p1 = np.asarray(p1, dtype=float)
    p2 = np.asarray(p2, dtype=float)
    out = np.empty(np.broadcast_shapes(p1.shape, p2.shape))
    out[..., :-2] = _ratio(p2[..., 1:-1], p1[..., :-2])
    out[..., -2:] = _ratio(p2[..., -1], p1[..., -2] + p1[..., -1])[..., None]
    return out


def survival_from_ccr(p1s: np.ndarray, p2s: np.ndarray, cap: float = 1.0) -> np.ndarray:
    """Survival ratios S from national cohort change ratios (closed-population approximation, see module doc).

    Inputs: national populations at the start and end of K windows, ``[K, ..., 2, n]`` persons.
    Output: S, ``[..., 2, n]``: mean over windows of the cohort change ratios, capped at ``cap`` (1).
    """
    ccr = cohort_change_ratios(p1s, p2s)
    s = np.nanmean(ccr, axis=0) if ccr.shape[0] > 1 else ccr[0]
    return np.minimum(np.nan_to_num(s, nan=0.0), cap)


def survival_from_life_table(Lx: np.ndarray, radix: float = 100_000.0) -> tuple[np.ndarray, np.ndarray]:
    """Survival ratios from a life table's person-years.

    Inputs: ``Lx`` ``[..., 2, n]`` (or ``[..., n]``): 5Lx of each five-year group with the last entry the
        person-years of the open group (T of its lower bound); ``radix`` = l0 of the table.
    Outputs: ``(S, birth_survival)``: S as :func:`projection.core.project` expects (same shape as Lx), and
        ``5L0 / (5·l0)`` (share of births of a 5-year period alive aged 0–4 at its end), shape ``Lx[..., 0]``.
    """
    L = np.asarray(Lx, dtype=float)
    S = np.empty_like(L)
    S[..., :-2] = L[..., 1:-1] / L[..., :-2]
    S[..., -2:] = (L[..., -1] / (L[..., -2] + L[..., -1]))[..., None]
    return S, L[..., 0] / (5.0 * radix)


@dataclass(frozen=True)
class MigrationEstimate:
    """Residual net-migration rates (5-year, dimensionless; +0.01 = net gain of 1 % of the cohort).

    mean: ``[..., 2, n]`` average over windows; windows: ``[K, ..., 2, n]`` per window (NaN = empty cohort);
    low / high: ``[..., 2, n]`` cell-wise minimum / maximum over windows (NaN-free; equal to mean where no
    window had data).
    """

    mean: np.ndarray
    windows: np.ndarray
    low: np.ndarray
    high: np.ndarray


def residual_migration(p1s: np.ndarray, p2s: np.ndarray, survival: np.ndarray) -> MigrationEstimate:
    """Net migration rates by the residual method, averaged over windows (see module doc).

    Inputs: ``p1s``, ``p2s`` persons at the start/end of K windows ``[K, ..., 2, n]``; ``survival`` S
        broadcastable to ``[..., 2, n]``.
    Output: :class:`MigrationEstimate`. Projecting ``p1`` one step with ``S + M_window`` reproduces ``p2`` of
        that window exactly (except the 0–4 group, which comes from births).
    """
    p1 = np.asarray(p1s, dtype=float)
    p2 = np.asarray(p2s, dtype=float)
    S = np.asarray(survival, dtype=float)
    Sb = np.broadcast_to(S, np.broadcast_shapes(S.shape, p1.shape))
    w = np.empty(np.broadcast_shapes(p1.shape, p2.shape))
    w[..., :-2] = _ratio(p2[..., 1:-1] - p1[..., :-2] * Sb[..., :-2], p1[..., :-2])
    open_num = p2[..., -1] - p1[..., -2] * Sb[..., -2] - p1[..., -1] * Sb[..., -1]
    w[..., -2:] = _ratio(open_num, p1[..., -2] + p1[..., -1])[..., None]
    has = ~np.isnan(w)
    count = has.sum(axis=0)
    mean = np.divide(np.where(has, w, 0.0).sum(axis=0), count, out=np.zeros(count.shape), where=count > 0)
    low = np.where(count > 0, np.nanmin(np.where(has, w, np.inf), axis=0), mean)
    high = np.where(count > 0, np.nanmax(np.where(has, w, -np.inf), axis=0), mean)
    return MigrationEstimate(mean=mean, windows=w, low=low, high=high)


def residual_counts(p1s: np.ndarray, p2s: np.ndarray, survival: np.ndarray,
                    present: np.ndarray | None = None) -> np.ndarray:
    """Net migrant counts by the residual method, mean over the windows.

    Inputs: as :func:`residual_migration`, plus ``present`` bool ``[K, ...]`` (area has data at both ends of
        the window; None = all). Output: persons per 5-year step ``[..., 2, n]`` for the cohort aged a at the
        start (``p2[a+1] − p1[a]·S[a]``; an empty cohort that gains people counts, unlike rates); the open
        group's residual ``p2[n-1] − p1[n-2]·S[n-2] − p1[n-1]·S[n-1]`` is put in ``[n-1]`` and ``[n-2]`` is 0,
        which is what :func:`projection.core.project` expects for ``migration_counts``. 0 where no window is
        present.
    """
    p1 = np.asarray(p1s, dtype=float)
    p2 = np.asarray(p2s, dtype=float)
    S = np.asarray(survival, dtype=float)
    Sb = np.broadcast_to(S, np.broadcast_shapes(S.shape, p1.shape))
    w = np.zeros(np.broadcast_shapes(p1.shape, p2.shape))
    w[..., :-2] = p2[..., 1:-1] - p1[..., :-2] * Sb[..., :-2]
    w[..., -1] = p2[..., -1] - p1[..., -2] * Sb[..., -2] - p1[..., -1] * Sb[..., -1]
    ok = np.ones(w.shape[:-2], dtype=bool) if present is None else np.asarray(present, dtype=bool)
    ok = np.broadcast_to(ok[..., None, None], w.shape)
    count = ok.sum(axis=0)
    return np.divide(np.where(ok, w, 0.0).sum(axis=0), count, out=np.zeros(count.shape), where=count > 0)


def child_woman_ratio(pop: np.ndarray, fertile: tuple[int, int] = FERTILE, default: float = 0.0) -> np.ndarray:
    """Children aged 0–4 (both sexes) per woman aged 15–49.

    Input: persons ``[..., 2, n]``; ``fertile`` = [start, stop) indices of the women's groups.
    Output: ``[...]`` dimensionless; ``default`` where there are no women 15–49.
    """
    pop = np.asarray(pop, dtype=float)
    r = _ratio(pop[..., MALE, 0] + pop[..., FEMALE, 0], pop[..., FEMALE, fertile[0]:fertile[1]].sum(axis=-1))
    return np.where(np.isnan(r), default, r)


def sex_ratio_0_4(pop: np.ndarray, default: float = 1.05) -> np.ndarray:
    """Boys per girl aged 0–4. Input persons ``[..., 2, n]``; output ``[...]``; ``default`` where no girls."""
    pop = np.asarray(pop, dtype=float)
    r = _ratio(pop[..., MALE, 0], pop[..., FEMALE, 0])
    return np.where(np.isnan(r), default, r)


def pooled_ccr(p1s: np.ndarray, p2s: np.ndarray, fallback: np.ndarray | None = None,
               min_base: float = 1.0) -> np.ndarray:
    """Hamilton–Perry cohort change ratios pooled over K windows.

    Inputs: ``p1s``, ``p2s`` ``[K, ..., 2, n]`` persons; ``fallback`` ratios broadcastable to ``[..., 2, n]``
        (e.g. the national ratios) used where the pooled base cohort has fewer than ``min_base`` persons
        (None: use 1.0 = cohort unchanged).
    Output: ``[..., 2, n]`` dimensionless ratios ``Σ_k p2_k[a+1] / Σ_k p1_k[a]`` (open group as in
        :func:`cohort_change_ratios`).
    """
    p1 = np.asarray(p1s, dtype=float).sum(axis=0)
    p2 = np.asarray(p2s, dtype=float).sum(axis=0)
    ccr = cohort_change_ratios(p1, p2)
    base = np.empty_like(p1)
    base[..., :-2] = p1[..., :-2]
    base[..., -2:] = (p1[..., -2] + p1[..., -1])[..., None]
    fb = np.ones_like(ccr) if fallback is None else np.broadcast_to(np.asarray(fallback, dtype=float), ccr.shape)
    return np.where((base < min_base) | np.isnan(ccr), fb, ccr)


def approx_tfr_from_cwr(cwr: np.ndarray, child_survival: float = 0.995) -> np.ndarray:
    """Rough total fertility rate implied by a child-woman ratio (for display when no published TFR exists).

    Assumes women spread evenly over the 35 years 15–49, so births in 5 years ≈ TFR/35 · 5 · W and
    ``TFR ≈ 7 · CWR / child_survival``. Input ``[...]``; output ``[...]`` births per woman. Only an
    approximation (it ignores the age structure of women): scenarios scale the CWR by TFR(t)/TFR(base), so a
    change given in TFR points (``tfr_delta``) acts relatively more on a lower base level.
    """
    return 7.0 * np.asarray(cwr, dtype=float) / child_survival
