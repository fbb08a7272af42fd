"""Foreign residents: Hamilton–Perry cohort-change-ratio projection, optionally held to a target share.

Hamilton–Perry uses the observed cohort change ratio ``CCR(a) = P(t+5, a+1) / P(t, a)`` (deaths and migration
together) as the 5-year rate of the cohort-component kernel, and the child-woman ratio of foreign women for
the 0–4 group. Foreign populations move fast (students, technical interns), so a town's own ratios are
pooled over the estimation windows and fall back to national ratios for thin cells (see
:func:`projection.estimate.pooled_ccr`).

Target share (e.g. the 久留米市 vision: foreign residents 10.8 % of the total in 2070). We look for one factor
``k`` per area that multiplies every cohort change ratio of every step, such that in the target year
``F / (J + F) = share`` with J the (given) Japanese population. F at a fixed step is a polynomial in k with
non-negative coefficients and F(0) = 0, so it is increasing in k and bisection on k finds the root; the
bracket is widened by doubling up to ``max_factor``. If even ``max_factor`` does not reach the share (e.g.
no foreign residents at all in the base) the area is reported as not reached and projected with k = 1.
The factor also applies after the target year (the ratios stay scaled). Births follow the child-woman ratio
of the projected foreign women and are not scaled separately.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from projection.core import Fertility, project


def project_hamilton_perry(base: np.ndarray, ccr: np.ndarray, steps: int, *, cwr, sex_ratio_0_4=1.05,
                           factor=1.0) -> np.ndarray:
    """Hamilton–Perry projection.

    Inputs: ``base`` persons ``[..., 2, n]``; ``ccr`` cohort change ratios ``[..., 2, n]`` (5-year,
        dimensionless, convention of :func:`projection.estimate.cohort_change_ratios`); ``cwr`` children 0–4
        per woman 15–49 ``[...]``; ``sex_ratio_0_4`` boys per girl ``[...]``; ``factor`` multiplier of all
        ratios ``[...]`` (1 = as observed).
    Output: persons ``[..., steps+1, 2, n]``.
    """
    k = np.asarray(factor, dtype=float)[..., None, None]
    return project(base, np.asarray(ccr, dtype=float) * k, steps,
                   fertility=Fertility(method="cwr", cwr=cwr, sex_ratio_0_4=sex_ratio_0_4))


@dataclass(frozen=True)
class ShareSolution:
    """Result of :func:`solve_share_factor` (arrays shaped like the areas ``[...]``).

    factor: multiplier of the cohort change ratios (1.0 where not reached); reached: bool;
    share: foreign share of the total in the target step obtained with ``factor`` (0–1).
    """

    factor: np.ndarray
    reached: np.ndarray
    share: np.ndarray


def solve_share_factor(base: np.ndarray, ccr: np.ndarray, *, cwr, sex_ratio_0_4, other_total: np.ndarray,
                       target_share: float, target_step: int, max_factor: float = 64.0,
                       rel_tol: float = 1e-6, max_iter: int = 60) -> ShareSolution:
    """Factor k on the cohort change ratios so that foreign / (other + foreign) = target_share at target_step.

    Inputs: ``base``, ``ccr``, ``cwr``, ``sex_ratio_0_4`` as in :func:`project_hamilton_perry`;
        ``other_total`` persons of the rest of the population (Japanese) at the target step ``[...]``;
        ``target_share`` in (0, 1); ``target_step`` ≥ 1 (years after base / 5).
    Output: :class:`ShareSolution`. Bisection (see module doc); stops when the bracket is within ``rel_tol``
        of k or after ``max_iter`` halvings.
    """
    if not 0.0 < target_share < 1.0:
        raise ValueError("target_share must be between 0 and 1 (exclusive)")
    if target_step < 1:
        raise ValueError("target_step must be at least 1")
    other = np.asarray(other_total, dtype=float)
    want = target_share / (1.0 - target_share) * other

    def foreign_at(k):
        return project_hamilton_perry(base, ccr, target_step, cwr=cwr, sex_ratio_0_4=sex_ratio_0_4,
                                      factor=k)[..., -1, :, :].sum(axis=(-1, -2))

    shape = np.broadcast_shapes(np.shape(base)[:-2], np.shape(ccr)[:-2], np.shape(cwr), other.shape)
    want = np.broadcast_to(want, shape)
    lo = np.zeros(shape)
    hi = np.ones(shape)
    f_hi = foreign_at(hi)
    while True:  # widen the bracket where F(hi) is still short of the target
        short = (f_hi < want) & (hi < max_factor)
        if not short.any():
            break
        hi = np.where(short, np.minimum(hi * 2.0, max_factor), hi)
        f_hi = foreign_at(hi)
    reached = f_hi >= want
    for _ in range(max_iter):
        mid = 0.5 * (lo + hi)
        f_mid = foreign_at(mid)
        above = f_mid >= want
        hi = np.where(above, mid, hi)
        lo = np.where(above, lo, mid)
        if np.all(hi - lo <= rel_tol * np.maximum(hi, 1e-12)):
            break
    factor = np.where(reached, hi, 1.0)
    f = foreign_at(factor)
    total = other + f
    share = np.divide(f, total, out=np.zeros(shape), where=total > 0)
    return ShareSolution(factor=factor, reached=reached, share=share)
