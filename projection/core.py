"""Cohort-component kernel: 5-year steps, sexes × age groups, vectorised over any leading (area) axes.

Array conventions used throughout `projection/`:

* Population arrays are persons (人) shaped ``[..., 2, n]``: ``...`` are any leading axes (areas, scenarios,
  estimation windows …), axis -2 is sex in the fixed order ``SEXES = ("male", "female")`` (index 0 = male,
  1 = female), axis -1 is the age group. For Japan ``n = 19``: ``AGES = ('0-4', '5-9', …, '85-89', '90+')``;
  the last group is always open. The kernel itself works for any ``n >= 3`` (the textbook test uses 18 groups).
* Projection results are shaped ``[..., T+1, 2, n]``: axis -3 is time, index 0 = base population, index k =
  base year + 5·k.
* Rates are per 5-year step and dimensionless. ``S[..., s, a]`` (survival) and ``M[..., s, a]`` (net migration
  rate) belong to the cohort aged ``a`` at the start of the step, so
  ``P(t+5, a+1) = P(t, a) · (S(a) + M(a))``; the open group receives the survivors of the last two groups:
  ``P(t+5, n-1) = P(t, n-2)·(S+M)(n-2) + P(t, n-1)·(S+M)(n-1)``.
* A parameter may vary over the projection: pass a Python ``list`` (or tuple) of arrays, one per step (if the
  list is shorter than the number of steps its last element is reused). A plain ndarray means "constant".
  Every array broadcasts against the population's leading axes, e.g. one national survival table ``[2, n]``
  for all areas ``[A, 2, n]``.
* No negative population ever: after the survival/migration part of every step, cells are clipped at 0
  (``np.maximum(·, 0)``). Clipping only acts when net out-migration (a strongly negative rate or a negative
  count) exceeds the cohort; the excess out-migration is then dropped, so totals are not conserved in that case.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence, Union

import numpy as np

SEXES: tuple[str, str] = ("male", "female")
MALE, FEMALE = 0, 1
AGES: tuple[str, ...] = tuple(f"{5 * i}-{5 * i + 4}" for i in range(18)) + ("90+",)
N_AGES = len(AGES)  # 19
STEP_YEARS = 5
#: Index range [start, stop) of women 15–49 (groups '15-19' … '45-49') used by the child-woman ratio.
FERTILE = (3, 10)

Param = Union[np.ndarray, float, Sequence[np.ndarray], None]


def age_lower_bounds(n: int = N_AGES) -> np.ndarray:
    """Lower bound in years of each of ``n`` five-year age groups (0, 5, …, 5·(n-1)); int array of length n."""
    return np.arange(n) * STEP_YEARS


def age_mask(lo: float, hi: float, n: int = N_AGES) -> np.ndarray:
    """Boolean mask of the age groups lying inside ``[lo, hi)`` years (a group counts when its lower bound is in).

    Example: ``age_mask(10, 30)`` selects '10-14', '15-19', '20-24', '25-29'. Output shape ``[n]``.
    """
    low = age_lower_bounds(n)
    return (low >= lo) & (low < hi)


def _at(x: Param, k: int):
    """Value of a (possibly step-varying, see module doc) parameter for step k (0-based)."""
    if isinstance(x, (list, tuple)):
        return x[min(k, len(x) - 1)]
    return x


def _lead_shape(x: Param, core: int) -> tuple:
    if x is None:
        return ()
    if isinstance(x, (list, tuple)):
        return np.broadcast_shapes(*(np.shape(v)[: max(np.ndim(v) - core, 0)] for v in x))
    return np.shape(x)[: max(np.ndim(x) - core, 0)]


@dataclass(frozen=True)
class Fertility:
    """How the 0–4 group at the end of each step is produced (one of two methods).

    Child-woman ratio (``method="cwr"``, the municipal method of IPSS):
        ``P(t+5, 0-4, both sexes) = cwr(t+5) · W15–49(t+5)`` where W are women 15–49 at the end of the step,
        split into boys and girls with ``sex_ratio_0_4`` (boys per girl aged 0–4):
        boys = total·r/(1+r), girls = total/(1+r).
        ``cwr`` is children aged 0–4 (both sexes) per woman aged 15–49, shaped ``[...]`` (scalar per area);
        ``fertile`` is the [start, stop) index range of the women's age groups (default 15–49 = (3, 10)).
    Age-specific fertility rates (``method="asfr"``):
        births over the step = ``5 · Σ_a asfr(a) · (W(t, a) + W(t+5, a)) / 2`` (women by age at both ends),
        boys = births·srb/(1+srb)·birth_survival[male], girls = births/(1+srb)·birth_survival[female].
        ``asfr`` are annual births per woman, shaped ``[..., n]`` over all age groups (zero outside 15–49);
        ``birth_survival`` is the share of births alive in the 0–4 group at the end of the step
        (``5L0 / (5·l0)`` of a life table), scalar or ``[..., 2]``; ``srb`` = boys per girl at birth.
    Either may be a per-step list (see module doc).
    """

    method: str = "cwr"
    cwr: Param = None
    sex_ratio_0_4: Param = 1.05
    asfr: Param = None
    srb: Param = 1.05
    birth_survival: Param = 1.0
    fertile: tuple[int, int] = FERTILE

    def lead_shape(self) -> tuple:
        if self.method == "cwr":
            return np.broadcast_shapes(_lead_shape(self.cwr, 0), _lead_shape(self.sex_ratio_0_4, 0))
        return np.broadcast_shapes(_lead_shape(self.asfr, 1), _lead_shape(self.srb, 0),
                                   _lead_shape(self.birth_survival, 1 if np.ndim(_at(self.birth_survival, 0)) else 0))


@dataclass(frozen=True)
class Components:
    """Result of :func:`project_components`.

    population: persons ``[..., T+1, 2, n]`` (as :func:`project` returns).
    births: ``[..., T, 2]`` births during step k by sex of the child (male, female). With ASFR fertility these
        are births (before survival to the end of the step); with the child-woman ratio the method has no
        births, only survivors, so they are the children aged 0–4 at the end of the step (``births_kind``).
    births_by_age: ``[..., T, n]`` the same (both sexes of the child) by the mother's age group: ASFR
        ``5·asfr(a)·(W(t,a) + W(t+5,a))/2``; CWR ``cwr·W(t+5,a)`` for the fertile groups (the ratio treats every
        woman 15–49 alike). Sums over the last axis equal ``births.sum(-1)``.
    births_kind: ``'births'`` (ASFR), ``'children_0_4'`` (CWR) or ``'none'`` (no fertility).
    """

    population: np.ndarray
    births: np.ndarray
    births_by_age: np.ndarray
    births_kind: str


def project(base: np.ndarray, survival: Param, steps: int, *, migration: Param = None,
            migration_counts: Param = None, migration_timing: str = "end", fertility: Fertility | None = None,
            clip: bool = True) -> np.ndarray:
    """Cohort-component projection of a population over ``steps`` 5-year steps (see module doc for conventions).

    Inputs
        base: persons at the base date, ``[..., 2, n]``.
        survival: S, 5-year survival ratios of the cohort aged a at the start of the step, ``[..., 2, n]``
            (broadcastable; or a per-step list). ``S[..., n-2]`` moves the last closed group into the open group,
            ``S[..., n-1]`` keeps the open group.
        migration: M, 5-year net migration *rates* (net migrants of the cohort over the step / cohort at the
            start), same shape rules as S; added to S. None = 0.
        migration_counts: net migrants (persons per 5-year step) ``[..., 2, n]``; how they enter is set by
            ``migration_timing``. None = 0.
        migration_timing: ``'end'`` (default): ``migration_counts[a]`` are the net migrants of the cohort aged a
            at the start, added at the end of the step (they arrive aged a+1; the last two go to the open
            group); they are not exposed to mortality or fertility during the step, and 0–4 comes from births
            only. ``'even'`` (Preston, Heuveline & Guillot 2001, ch. 6: ``N(t+5) = L·(N(t) + M/2) + M/2``):
            ``migration_counts[a]`` are the net migrants of age group a during the step; half join group a at
            the start (they survive, age and are exposed to fertility like residents), half join group a at
            the end — so migrants may enter 0–4. Births are counted before the end half arrives.
        fertility: how the 0–4 group is filled (:class:`Fertility`); None = no births (0–4 becomes 0, plus the
            end half of 0–4 migrants under ``'even'``).
        clip: clip negative cells at 0 after every step (default True; see module doc); under ``'even'`` also
            after adding the start half.
    Output
        persons, ``[..., steps+1, 2, n]`` (float64); index 0 on axis -3 is ``base``.
    """
    return _project(base, survival, steps, migration, migration_counts, migration_timing, fertility, clip,
                    record=False).population


def project_components(base: np.ndarray, survival: Param, steps: int, *, migration: Param = None,
                       migration_counts: Param = None, migration_timing: str = "end",
                       fertility: Fertility | None = None, clip: bool = True) -> Components:
    """:func:`project` that also returns the births of every step, total and by the mother's age group.

    Same inputs as :func:`project`. Output: :class:`Components` (persons; births per 5-year step).
    """
    return _project(base, survival, steps, migration, migration_counts, migration_timing, fertility, clip,
                    record=True)


def _project(base, survival, steps, migration, migration_counts, timing, fertility, clip, record) -> Components:
    if timing not in ("end", "even"):
        raise ValueError(f"unknown migration_timing {timing!r} (use 'end' or 'even')")
    base = np.asarray(base, dtype=float)
    n = base.shape[-1]
    if base.shape[-2] != 2 or n < 3:
        raise ValueError(f"population must be shaped [..., 2, n>=3], got {base.shape}")
    lead = np.broadcast_shapes(base.shape[:-2], _lead_shape(survival, 2), _lead_shape(migration, 2),
                               _lead_shape(migration_counts, 2),
                               fertility.lead_shape() if fertility is not None else ())
    out = np.empty(lead + (steps + 1, 2, n))
    out[..., 0, :, :] = base
    births = np.zeros(lead + (steps, 2)) if record else None
    by_age = np.zeros(lead + (steps, n)) if record else None
    fert = fertility
    for k in range(steps):
        prev = out[..., k, :, :]
        new = out[..., k + 1, :, :]
        rate = np.asarray(_at(survival, k), dtype=float)
        m = _at(migration, k)
        if m is not None:
            rate = rate + m
        c = _at(migration_counts, k)
        if c is not None:
            c = np.broadcast_to(np.asarray(c, dtype=float), lead + (2, n))
        start = prev
        if c is not None and timing == "even":
            start = prev + 0.5 * c
            if clip:
                np.maximum(start, 0.0, out=start)
        moved = start * rate
        new[..., 1:] = moved[..., :-1]
        new[..., -1] += moved[..., -1]
        if c is not None and timing == "end":
            new[..., 1:] += c[..., :-1]
            new[..., -1] += c[..., -1]
        new[..., 0] = 0.0
        if clip:
            np.maximum(new, 0.0, out=new)
        if fert is not None:
            got = _births(start, new, fert, k)
            if record:
                births[..., k, :], by_age[..., k, :] = got
        if c is not None and timing == "even":
            new += 0.5 * c
            if clip:
                np.maximum(new, 0.0, out=new)
    if not record:
        return Components(population=out, births=None, births_by_age=None, births_kind="")
    kind = "none" if fert is None else ("births" if fert.method == "asfr" else "children_0_4")
    return Components(population=out, births=births, births_by_age=by_age, births_kind=kind)


def _births(prev: np.ndarray, new: np.ndarray, fert: Fertility, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Fill new[..., :, 0] (the 0–4 group at the end of step k) in place.

    Returns (births by sex of the child ``[..., 2]``, births by mother's age ``[..., n]``), see :class:`Components`.
    """
    if fert.method == "cwr":
        lo, hi = fert.fertile
        cwr = np.asarray(_at(fert.cwr, k), dtype=float)
        women = new[..., FEMALE, lo:hi]
        children = cwr * women.sum(axis=-1)
        r = np.asarray(_at(fert.sex_ratio_0_4, k), dtype=float)
        new[..., MALE, 0] = children * r / (1.0 + r)
        new[..., FEMALE, 0] = children / (1.0 + r)
        by_age = np.zeros(new.shape[:-2] + new.shape[-1:])
        by_age[..., lo:hi] = cwr[..., None] * women
        by_sex = np.stack([new[..., MALE, 0], new[..., FEMALE, 0]], axis=-1)
    elif fert.method == "asfr":
        asfr = np.asarray(_at(fert.asfr, k), dtype=float)
        by_age = 5.0 * asfr * 0.5 * (prev[..., FEMALE, :] + new[..., FEMALE, :])
        births = by_age.sum(axis=-1)
        srb = np.asarray(_at(fert.srb, k), dtype=float)
        bs = np.asarray(_at(fert.birth_survival, k), dtype=float)
        bs_m, bs_f = (bs[..., MALE], bs[..., FEMALE]) if bs.ndim else (bs, bs)
        boys, girls = births * srb / (1.0 + srb), births / (1.0 + srb)
        new[..., MALE, 0] = boys * bs_m
        new[..., FEMALE, 0] = girls * bs_f
        by_sex = np.stack(np.broadcast_arrays(boys, girls), axis=-1)
    else:
        raise ValueError(f"unknown fertility method {fert.method!r} (use 'cwr' or 'asfr')")
    np.maximum(new[..., 0], 0.0, out=new[..., 0])
    return by_sex, by_age
