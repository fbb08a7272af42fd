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

Alternative (``method="counts"``): cohort-component with survival (by default the national Japanese table —
an approximation for foreign mortality) and constant net migrant *counts* by age (residual counts averaged
over the windows). Hamilton–Perry compounds: a town whose young foreign cohorts grew sevenfold in one
window keeps multiplying them every step, so its foreign population explodes within a few decades; constant
counts grow linearly instead, closer to how labour-driven inflows behave. With a target share the factor
then multiplies the counts (F is increasing in k when the net counts add people; where they do not, the
target is reported as not reached).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

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


def project_foreign_counts(base: np.ndarray, survival, net_counts: np.ndarray, steps: int, *, cwr,
                           sex_ratio_0_4=1.05, factor=1.0) -> np.ndarray:
    """Cohort-component projection of foreign residents with constant net migrant counts.

    Inputs: ``base`` persons ``[..., 2, n]``; ``survival`` 5-year ratios ``[..., 2, n]``; ``net_counts``
        persons per 5-year step by age at the start ``[..., 2, n]`` (see
        :func:`projection.estimate.residual_counts`); ``cwr``, ``sex_ratio_0_4`` as in
        :func:`project_hamilton_perry`; ``factor`` multiplier of the counts ``[...]``.
    Output: persons ``[..., steps+1, 2, n]``.
    """
    k = np.asarray(factor, dtype=float)[..., None, None]
    return project(base, survival, steps, migration_counts=np.asarray(net_counts, dtype=float) * k,
                   fertility=Fertility(method="cwr", cwr=cwr, sex_ratio_0_4=sex_ratio_0_4))


@dataclass(frozen=True)
class ShareSolution:
    """Result of :func:`solve_share_factor` (arrays shaped like the areas ``[...]``).

    factor: multiplier found (1.0 where not reached); reached: bool; share: foreign share of the total in
    the target step obtained with ``factor`` (0–1).
    """

    factor: np.ndarray
    reached: np.ndarray
    share: np.ndarray


def solve_share_factor(foreign_at: Callable[[np.ndarray], np.ndarray], other_total: np.ndarray, *,
                       target_share: float, max_factor: float = 64.0, rel_tol: float = 1e-6,
                       max_iter: int = 60) -> ShareSolution:
    """Factor k ≥ 0 so that foreign / (other + foreign) = target_share in the target year.

    Inputs: ``foreign_at(k)`` → foreign persons in the target year ``[...]`` for factors ``k`` ``[...]``
        (increasing in k, e.g. a Hamilton–Perry projection with scaled ratios); ``other_total`` persons of
        the rest of the population (Japanese) in that year ``[...]``; ``target_share`` in (0, 1).
    Output: :class:`ShareSolution`. Bisection (see module doc): the bracket [0, 1] is widened by doubling up
        to ``max_factor``; stops when it is within ``rel_tol`` of k or after ``max_iter`` halvings.
    """
    if not 0.0 < target_share < 1.0:
        raise ValueError("target_share must be between 0 and 1 (exclusive)")
    other = np.asarray(other_total, dtype=float)
    want = target_share / (1.0 - target_share) * other
    f_lo = np.asarray(foreign_at(np.zeros(other.shape)), dtype=float)
    shape = np.broadcast_shapes(f_lo.shape, want.shape)
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
    reached = (f_hi >= want) & (f_lo <= want)
    for _ in range(max_iter):
        active = hi - lo > rel_tol * np.maximum(hi, 1e-12)  # converged areas stay put: results do not depend
        if not active.any():                                # on which other areas share the call
            break
        mid = 0.5 * (lo + hi)
        above = foreign_at(mid) >= want
        hi = np.where(active & above, mid, hi)
        lo = np.where(active & ~above, mid, lo)
    factor = np.where(reached, hi, 1.0)
    f = foreign_at(factor)
    total = other + f
    share = np.divide(f, total, out=np.zeros(shape), where=total > 0)
    return ShareSolution(factor=factor, reached=reached, share=share)
