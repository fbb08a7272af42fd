"""Age schedules: fertility by mother's age (published national shape) and net migration by age (shape × level).

Fertility. No age-specific fertility table is among the IPSS national projection files of the raw data
(``national_fertility_mortality_projections/PROVENANCE.md``: "No life table and no ASFR data file").
Fitting a schedule to the register instead (births ÷ TFR regressed on women by age across the 47
prefectures, or across ~1,860 municipalities with the prefecture TFR, a gamma-shaped curve) is not
identified: the prefecture fit puts the mean age at childbearing at 28.7 and the municipal fit at 33.8
years (both with the spread at its lower bound), because the areas' own schedules differ in the same
direction as their age structures. So the engine uses the **published national breakdown of the period
TFR by mother's 5-year age group**: 厚生労働省「令和5年(2023)人口動態統計月報年計(概数)の概況」,
「期間合計特殊出生率の年次推移（年齢階級別内訳）」 (https://www.mhlw.go.jp/toukei/saikin/hw/jinkou/geppo/
nengai23/index.html), columns 平成30年 (2018; the middle of the 2015–2022 estimation windows) and
令和5年 (2023). Each value is Σ of the single-year rates of the group, i.e. 5 × the group's annual ASFR;
the **shape** is value / TFR (sums to 1), and an area's ASFR of a step is ``TFR(step) · shape(a) / 5``.
"""
from __future__ import annotations

import numpy as np

from projection.core import N_AGES

#: 期間合計特殊出生率の年齢階級別内訳 (15–19 … 45–49), 厚生労働省 人口動態統計 (see module doc).
TFR_BY_AGE_MHLW = {
    2018: (0.0153, 0.1329, 0.4038, 0.5118, 0.2895, 0.0609, 0.0017),
    2023: (0.0082, 0.0834, 0.3246, 0.4544, 0.2651, 0.0635, 0.0021),
}
#: Index of the '15-19' group; the seven groups 15–49 follow.
_FIRST_FERTILE = 3


def fertility_shape(year: int = 2018, n: int = N_AGES) -> np.ndarray:
    """Share of the TFR contributed by each 5-year age group (MHLW breakdown of ``year``), ``[n]``, sums to 1.

    Output: dimensionless; zero outside 15–49. Multiply by TFR/5 for annual ASFRs (births per woman).
    """
    parts = np.asarray(TFR_BY_AGE_MHLW[year], dtype=float)
    out = np.zeros(n)
    out[_FIRST_FERTILE:_FIRST_FERTILE + len(parts)] = parts / parts.sum()
    return out


def asfr_from_tfr(tfr, shape: np.ndarray) -> np.ndarray:
    """Annual age-specific fertility rates ``TFR · shape / 5``: ``tfr`` ``[...]`` (births per woman),
    ``shape`` ``[..., n]`` (sums to 1) → ``[..., n]`` births per woman per year."""
    return np.asarray(tfr, dtype=float)[..., None] * np.asarray(shape, dtype=float) / 5.0


def mean_age_of_schedule(shape: np.ndarray) -> np.ndarray:
    """Mean age at childbearing (years) of a shape over 5-year groups (group midpoints 2.5, 7.5, …)."""
    shape = np.asarray(shape, dtype=float)
    mid = 5.0 * np.arange(shape.shape[-1]) + 2.5
    return (shape * mid).sum(axis=-1) / shape.sum(axis=-1)


def migration_shape(counts: np.ndarray) -> np.ndarray:
    """Age-sex shape of net migration from net migrant counts ``[..., 2, n]`` (persons per 5 years).

    The shape keeps the sign pattern of the counts and sums to 1: ``counts / Σ counts``. Where the total is
    small against the gross age pattern (|Σ| < 5 % of Σ|counts|, gains and losses nearly cancel, so the ratio
    would blow up), the shape is ``|counts| / Σ|counts|`` (net movement concentrated where people move).
    Output ``[..., 2, n]``; all zeros where every count is 0.
    """
    c = np.asarray(counts, dtype=float)
    tot = c.sum(axis=(-1, -2), keepdims=True)
    gross = np.abs(c).sum(axis=(-1, -2), keepdims=True)
    signed = np.divide(c, tot, out=np.zeros_like(c), where=np.abs(tot) >= 0.05 * gross)
    absolute = np.divide(np.abs(c), gross, out=np.zeros_like(c), where=gross > 0)
    return np.where(np.abs(tot) >= 0.05 * gross, signed, absolute)


def migration_schedule(shape: np.ndarray, level) -> np.ndarray:
    """Net migrant counts by age and sex = ``level · shape``: ``shape`` ``[..., 2, n]`` (sums to 1), ``level``
    ``[...]`` net migrants per 5-year step (persons). Output persons ``[..., 2, n]``."""
    return np.asarray(level, dtype=float)[..., None, None] * np.asarray(shape, dtype=float)


def cohort_to_period(counts: np.ndarray) -> np.ndarray:
    """Net migrant counts of cohorts (index a = age group at the start, arriving at a+1; the open group's
    residual in the last two cells, as :func:`projection.estimate.residual_counts` and the ``'end'``
    convention use) re-indexed by the age group at the end of the step, as the ``'even'`` convention takes
    them: ``out[a+1] = c[a]``, the open group gets ``c[n-2] + c[n-1]``, ``out[0] = 0`` (migrants born during
    the step are not identified by the residual method). Input/output ``[..., 2, n]`` persons."""
    c = np.asarray(counts, dtype=float)
    out = np.zeros_like(c)
    out[..., 1:] = c[..., :-1]
    out[..., -1] += c[..., -1]
    return out
