"""Model inputs, scenarios and the full run (Japanese by cohort-component + foreign by Hamilton–Perry).

Scenario definitions (all changes apply to Japanese residents only; foreign residents follow their own
cohort change ratios, optionally held to a target share):

* **TFR path.** The total fertility rate moves linearly from its base value ``tfr_base`` (in
  ``tfr_start_year``, default the base year) to the target (``tfr_target``, or ``tfr_base + tfr_delta``) in
  ``tfr_year`` and stays there. The 0–4 group of each step comes from the child-woman ratio, scaled by
  ``TFR(m) / TFR(base)`` where m is the middle of the step (the children aged 0–4 at t+5 were born during
  (t, t+5]). Example 久留米市: ``tfr_delta=+0.1, tfr_year=2060``.
* **Net-migration change in percentage points.** ``migration_points = +0.5`` adds 0.5 percentage points
  (+0.005) to the **5-year** net migration rate M of every cohort whose age group *at the start of the step*
  lies in ``migration_ages = [lo, hi)`` years (default 10–29: '10-14' … '25-29', i.e. the cohorts that are
  in their teens and twenties during the step), for the sexes in ``migration_sexes``. It is not an annual
  rate: +0.5 points means 5 more net in-migrants per 1,000 of the cohort over five years. The change is
  phased in linearly over ``migration_phase_in_years`` from ``migration_start_year`` (default base year),
  evaluated at the middle of each step (0 years = full change from the first step).
* **Births** (``births``): ``'cwr'`` (default, the municipal method of IPSS) — the 0–4 group from the
  child-woman ratio scaled by the TFR path; ``'asfr'`` — births from age-specific fertility rates
  ``TFR(mid-step) · shape(a) / 5`` (shape: ``inputs.asfr_shape``, by default the published national breakdown
  of the TFR by mother's age, :func:`projection.schedules.fertility_shape`), survived to 0–4 with
  ``inputs.birth_survival``. Both report births per step (:attr:`Projection.births`).
* **Net migration** (``migration_method``): ``'rates'`` (default) — the residual 5-year rates of the cohorts
  plus the points above; ``'schedule'`` — net migrant *counts* ``level × shape`` by age and sex
  (``inputs.migration_shape``, persons per 5 years; ``migration_level`` None = the observed mean level
  ``inputs.migration_level``) entering with the **even** convention (half at the start of the step, exposed
  to mortality and fertility, half at the end; migrants may enter 0–4). The points scenario still adds its
  rate change on top.
* **Foreign share target**: see :mod:`projection.foreign` (``foreign_share``, ``foreign_share_year``).

Scenario fields ``tfr_target``, ``tfr_delta`` and ``migration_points`` may be arrays shaped like the areas
``[...]`` (used by the inverse solvers to try many values at once).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
import numpy as np

from projection.core import FEMALE, MALE, N_AGES, STEP_YEARS, Fertility, _at, age_mask, project_components
from projection.estimate import MigrationEstimate
from projection.foreign import ShareSolution, project_foreign_counts, project_hamilton_perry, solve_share_factor
from projection.schedules import asfr_from_tfr, fertility_shape, migration_schedule


@dataclass(frozen=True)
class ModelInputs:
    """Everything a run needs, for A areas (or any leading shape ``[...]``); persons and 5-year rates.

    base_year: calendar year of the base population (results at base_year + 5·k).
    japanese: base Japanese persons ``[..., 2, n]``.
    survival: S ``[..., 2, n]`` or ``[2, n]`` (e.g. one national table), or a per-step list.
    migration: :class:`~projection.estimate.MigrationEstimate` (``mean`` is used; ``windows`` for bands), or
        a plain rate array / per-step list (then no band).
    cwr: child-woman ratio of Japanese ``[...]``; sex_ratio_0_4: boys per girl 0–4 ``[...]``.
    tfr_base: base TFR ``[...]`` (births per woman), needed only to convert TFR targets into CWR ratios.
    foreign, foreign_ccr, foreign_cwr, foreign_sex_ratio_0_4: foreign residents for Hamilton–Perry
        (persons, cohort change ratios, CWR, 0–4 sex ratio); ``foreign=None`` projects Japanese only.
    foreign_net_counts: net migrant persons per 5-year step of foreign residents by age at the start
        (for ``Scenario.foreign_method="counts"``); foreign_survival: their survival (None = ``survival``).
    asfr_shape: share of the TFR by mother's age ``[n]`` or ``[..., n]`` (sums to 1) for ``births='asfr'``;
        None = :func:`projection.schedules.fertility_shape` (MHLW 2018). birth_survival: share of births
        alive aged 0–4 at the end of the step, scalar or ``[..., 2]`` (None = 1). srb: boys per girl at birth.
    migration_shape: net-migration shape by sex and age group ``[..., 2, n]`` (sums to 1) and
        migration_level: net migrants per 5-year step ``[...]`` (persons), for ``migration_method='schedule'``.
    area_codes: labels of the leading (area) axis, optional.
    notes: free-text provenance of each input (e.g. ``{"tfr_base": "published 2023"}``).
    """

    base_year: int
    japanese: np.ndarray
    survival: object
    migration: object
    cwr: np.ndarray
    sex_ratio_0_4: np.ndarray
    tfr_base: np.ndarray
    foreign: np.ndarray | None = None
    foreign_ccr: np.ndarray | None = None
    foreign_cwr: np.ndarray | None = None
    foreign_sex_ratio_0_4: np.ndarray | None = None
    foreign_net_counts: np.ndarray | None = None
    foreign_survival: object = None
    asfr_shape: np.ndarray | None = None
    birth_survival: object = None
    srb: float = 1.05
    migration_shape: np.ndarray | None = None
    migration_level: np.ndarray | None = None
    area_codes: tuple[str, ...] | None = None
    notes: dict = field(default_factory=dict)

    @property
    def migration_rates(self):
        """The mean 5-year net migration rates (array or per-step list)."""
        m = self.migration
        return m.mean if isinstance(m, MigrationEstimate) else m

    def area(self, code_or_index) -> "ModelInputs":
        """Inputs of one area (by code in ``area_codes`` or by integer index), leading axes dropped."""
        i = self.area_codes.index(code_or_index) if isinstance(code_or_index, str) else int(code_or_index)
        return self.take(i)

    def take(self, index) -> "ModelInputs":
        """Inputs of the areas selected by ``index`` (int, slice or integer array) on the first area axis."""
        lead = self.japanese.ndim - 2

        def sel(x, core):
            if x is None:
                return None
            if isinstance(x, (list, tuple)):
                return [sel(v, core) for v in x]
            x = np.asarray(x)
            return x[index] if x.ndim >= lead + core and lead > 0 else x

        mig = self.migration
        if isinstance(mig, MigrationEstimate):
            mig = MigrationEstimate(mean=sel(mig.mean, 2), windows=np.asarray(mig.windows)[:, index],
                                    low=sel(mig.low, 2), high=sel(mig.high, 2))
        else:
            mig = sel(mig, 2)
        codes = self.area_codes
        if codes is not None:
            picked = np.asarray(codes, dtype=object)[index]
            codes = (picked,) if isinstance(picked, str) else tuple(picked)
        return replace(self, japanese=sel(self.japanese, 2), survival=sel(self.survival, 2), migration=mig,
                       cwr=sel(self.cwr, 0), sex_ratio_0_4=sel(self.sex_ratio_0_4, 0),
                       tfr_base=sel(self.tfr_base, 0), foreign=sel(self.foreign, 2),
                       foreign_ccr=sel(self.foreign_ccr, 2), foreign_cwr=sel(self.foreign_cwr, 0),
                       foreign_sex_ratio_0_4=sel(self.foreign_sex_ratio_0_4, 0),
                       foreign_net_counts=sel(self.foreign_net_counts, 2),
                       foreign_survival=sel(self.foreign_survival, 2),
                       asfr_shape=sel(self.asfr_shape, 1) if np.ndim(self.asfr_shape) > 1 else self.asfr_shape,
                       birth_survival=sel(self.birth_survival, 1) if np.ndim(self.birth_survival) > 1
                       else self.birth_survival,
                       migration_shape=sel(self.migration_shape, 2), migration_level=sel(self.migration_level, 0),
                       area_codes=codes)


@dataclass(frozen=True)
class Scenario:
    """A what-if (see module doc for exact definitions). Defaults = baseline trend projection.

    steps: number of 5-year steps (8 = 40 years).
    tfr_target: TFR reached in tfr_year (births per woman), or None; tfr_delta: change vs base instead.
    tfr_year, tfr_start_year: end and start of the linear TFR path (start None = base year).
    migration_points: percentage points added to the 5-year net migration rate (0.5 = +0.005).
    migration_ages: [lo, hi) years, age group at the start of the step; migration_sexes: subset of SEXES.
    migration_start_year (None = base year), migration_phase_in_years (0 = at once).
    foreign_share: target foreign share of the total (0–1) in foreign_share_year, or None (observed ratios).
    foreign_method: 'ccr' (Hamilton–Perry, default) or 'counts' (survival + constant net migrant counts);
        see :mod:`projection.foreign`.
    births: 'cwr' (default) or 'asfr'; migration_method: 'rates' (default) or 'schedule'; migration_level:
        net migrants per 5-year step for the schedule (None = observed). See the module doc.
    """

    steps: int = 8
    tfr_target: object = None
    tfr_delta: object = None
    tfr_year: int = 2060
    tfr_start_year: int | None = None
    migration_points: object = 0.0
    migration_ages: tuple[float, float] = (10, 30)
    migration_sexes: tuple[str, ...] = ("male", "female")
    migration_start_year: int | None = None
    migration_phase_in_years: float = 0.0
    foreign_share: float | None = None
    foreign_share_year: int = 2070
    foreign_method: str = "ccr"
    births: str = "cwr"
    migration_method: str = "rates"
    migration_level: object = None

    def baseline(self) -> "Scenario":
        """The trend baseline this scenario is compared with: no fertility or migration change; the same horizon,
        foreign-resident settings, births method and migration method and level."""
        return Scenario(steps=self.steps, foreign_share=self.foreign_share, foreign_share_year=self.foreign_share_year,
                        foreign_method=self.foreign_method, births=self.births, migration_method=self.migration_method,
                        migration_level=self.migration_level)


@dataclass(frozen=True)
class Projection:
    """Result of :func:`run`: years ``[T+1]``; japanese and foreign persons ``[..., T+1, 2, n]``.

    foreign is None when the inputs have no foreign residents; share is the foreign-share solution when a
    target share was asked for (else None). births ``[..., T, 2]`` (by sex of the child) and births_by_age
    ``[..., T, n]`` (by mother's age) of the Japanese population per 5-year step, births_kind as in
    :class:`projection.core.Components` ('births' for ASFR, 'children_0_4' for CWR).
    """

    years: np.ndarray
    japanese: np.ndarray
    foreign: np.ndarray | None
    share: ShareSolution | None = None
    births: np.ndarray | None = None
    births_by_age: np.ndarray | None = None
    births_kind: str = ""

    @property
    def total(self) -> np.ndarray:
        """Japanese + foreign persons ``[..., T+1, 2, n]``."""
        return self.japanese if self.foreign is None else self.japanese + self.foreign


def step_years(base_year: int, steps: int) -> np.ndarray:
    """Calendar years of the results: ``base_year + 5·k`` for k = 0 … steps (int array ``[steps+1]``)."""
    return base_year + STEP_YEARS * np.arange(steps + 1)


def tfr_ratio_path(inputs: ModelInputs, scenario: Scenario) -> list[np.ndarray] | None:
    """Per-step multipliers TFR(mid-step)/TFR(base) of the child-woman ratio (list of ``[...]``), or None."""
    if scenario.tfr_target is None and scenario.tfr_delta is None:
        return None
    tfr0 = np.asarray(inputs.tfr_base, dtype=float)
    target = (tfr0 + np.asarray(scenario.tfr_delta, dtype=float) if scenario.tfr_target is None
              else np.asarray(scenario.tfr_target, dtype=float))
    start = inputs.base_year if scenario.tfr_start_year is None else scenario.tfr_start_year
    span = max(scenario.tfr_year - start, 1e-9)
    out = []
    for k in range(1, scenario.steps + 1):
        mid = inputs.base_year + STEP_YEARS * k - STEP_YEARS / 2
        frac = min(max((mid - start) / span, 0.0), 1.0)
        tfr = tfr0 + (target - tfr0) * frac
        out.append(np.divide(tfr, tfr0, out=np.ones(np.broadcast_shapes(tfr.shape, tfr0.shape)),
                             where=tfr0 > 0))
    return out


def migration_shift_path(inputs: ModelInputs, scenario: Scenario, n: int = N_AGES) -> list[np.ndarray] | None:
    """Per-step additions to the 5-year net migration rates (list of ``[..., 2, n]``), or None when zero."""
    pts = np.asarray(scenario.migration_points, dtype=float)
    if not np.any(pts):
        return None
    cell = np.zeros((2, n))
    ages = age_mask(*scenario.migration_ages, n=n)
    for s, name in ((MALE, "male"), (FEMALE, "female")):
        if name in scenario.migration_sexes:
            cell[s, ages] = 1.0
    start = inputs.base_year if scenario.migration_start_year is None else scenario.migration_start_year
    out = []
    for k in range(1, scenario.steps + 1):
        mid = inputs.base_year + STEP_YEARS * k - STEP_YEARS / 2
        if scenario.migration_phase_in_years > 0:
            frac = min(max((mid - start) / scenario.migration_phase_in_years, 0.0), 1.0)
        else:
            frac = 1.0 if mid > start else 0.0
        out.append((pts * frac / 100.0)[..., None, None] * cell)
    return out


def run(inputs: ModelInputs, scenario: Scenario = Scenario(), *, migration=None) -> Projection:
    """Project Japanese (cohort-component; births by CWR or ASFR, ``scenario.births``; migration as rates or a
    schedule of counts, ``scenario.migration_method``) and foreign residents (``scenario.foreign_method``:
    Hamilton–Perry by default, or constant net counts) for a scenario.

    Inputs: :class:`ModelInputs`; :class:`Scenario`; ``migration`` optional override of the base 5-year net
        migration rates (e.g. one estimation window, for bands).
    Output: :class:`Projection` (persons, years base_year … base_year + 5·steps).
    """
    steps = scenario.steps
    n = np.shape(inputs.japanese)[-1]
    base_m = inputs.migration_rates if migration is None else migration
    if scenario.migration_method == "schedule":
        base_m = None  # the schedule's counts replace the residual rates
    shift = migration_shift_path(inputs, scenario, n)
    if shift is None:
        mig = base_m
    else:
        mig = [(_at(base_m, k) if base_m is not None else 0.0) + shift[k] for k in range(steps)]
    comp = project_components(inputs.japanese, inputs.survival, steps, migration=mig,
                              migration_counts=_schedule_counts(inputs, scenario),
                              migration_timing="even", fertility=_fertility(inputs, scenario))
    jp = comp.population
    years = step_years(inputs.base_year, steps)
    births = dict(births=comp.births, births_by_age=comp.births_by_age, births_kind=comp.births_kind)
    if inputs.foreign is None:
        return Projection(years=years, japanese=jp, foreign=None, **births)
    if scenario.foreign_method == "ccr":
        def foreign(k, n_steps):
            return project_hamilton_perry(inputs.foreign, inputs.foreign_ccr, n_steps, cwr=inputs.foreign_cwr,
                                          sex_ratio_0_4=inputs.foreign_sex_ratio_0_4, factor=k)
    elif scenario.foreign_method == "counts":
        if inputs.foreign_net_counts is None:
            raise ValueError("foreign_method='counts' needs inputs.foreign_net_counts")
        surv = inputs.survival if inputs.foreign_survival is None else inputs.foreign_survival

        def foreign(k, n_steps):
            return project_foreign_counts(inputs.foreign, surv, inputs.foreign_net_counts, n_steps,
                                          cwr=inputs.foreign_cwr, sex_ratio_0_4=inputs.foreign_sex_ratio_0_4,
                                          factor=k)
    else:
        raise ValueError(f"unknown foreign_method {scenario.foreign_method!r} (use 'ccr' or 'counts')")
    sol = None
    factor = 1.0
    if scenario.foreign_share is not None:
        target_step = int(round((scenario.foreign_share_year - inputs.base_year) / STEP_YEARS))
        if target_step < 1:
            raise ValueError("foreign_share_year must be at least 5 years after the base year")
        if target_step <= steps:
            other = jp[..., target_step, :, :].sum(axis=(-1, -2))
        else:  # the target lies beyond the horizon: project the Japanese far enough to know J there
            other = run(inputs, replace(scenario, steps=target_step, foreign_share=None),
                        migration=migration).japanese[..., -1, :, :].sum(axis=(-1, -2))
        sol = solve_share_factor(lambda k: foreign(k, target_step)[..., -1, :, :].sum(axis=(-1, -2)), other,
                                 target_share=scenario.foreign_share)
        factor = sol.factor
    fo = foreign(factor, steps)
    lead = np.broadcast_shapes(jp.shape[:-3], fo.shape[:-3])
    return Projection(years=years, japanese=np.broadcast_to(jp, lead + jp.shape[-3:]),
                      foreign=np.broadcast_to(fo, lead + fo.shape[-3:]), share=sol, **births)


def _fertility(inputs: ModelInputs, scenario: Scenario) -> Fertility:
    """The Japanese births of a scenario: CWR scaled by the TFR path, or ASFR = TFR path × shape / 5."""
    ratio = tfr_ratio_path(inputs, scenario)
    if scenario.births == "cwr":
        cwr = inputs.cwr if ratio is None else [np.asarray(_at(inputs.cwr, k)) * r for k, r in enumerate(ratio)]
        return Fertility(method="cwr", cwr=cwr, sex_ratio_0_4=inputs.sex_ratio_0_4)
    if scenario.births != "asfr":
        raise ValueError(f"unknown births method {scenario.births!r} (use 'cwr' or 'asfr')")
    shape = fertility_shape() if inputs.asfr_shape is None else np.asarray(inputs.asfr_shape, dtype=float)
    tfr0 = np.asarray(inputs.tfr_base, dtype=float)
    asfr = (asfr_from_tfr(tfr0, shape) if ratio is None
            else [asfr_from_tfr(tfr0 * r, shape) for r in ratio])
    bs = 1.0 if inputs.birth_survival is None else inputs.birth_survival
    return Fertility(method="asfr", asfr=asfr, srb=inputs.srb, birth_survival=bs)


def _schedule_counts(inputs: ModelInputs, scenario: Scenario):
    """Net migrant counts ``level × shape`` for ``migration_method='schedule'`` (None for 'rates')."""
    if scenario.migration_method == "rates":
        return None
    if scenario.migration_method != "schedule":
        raise ValueError(f"unknown migration_method {scenario.migration_method!r} (use 'rates' or 'schedule')")
    if inputs.migration_shape is None:
        raise ValueError("migration_method='schedule' needs inputs.migration_shape (and migration_level)")
    level = inputs.migration_level if scenario.migration_level is None else scenario.migration_level
    return migration_schedule(inputs.migration_shape, 0.0 if level is None else level)


@dataclass(frozen=True)
class Band:
    """Spread of total persons across estimation windows: low / high ``[..., T+1]``, per-window ``[K, ..., T+1]``.

    Each window's residual net migration rates are used as one coherent variant (cells empty in a window take
    the mean rate); low/high are the minimum/maximum over windows of the total (Japanese + foreign). This is
    the spread of recent experience, not a probability interval.
    """

    years: np.ndarray
    low: np.ndarray
    high: np.ndarray
    windows: np.ndarray


def migration_band(inputs: ModelInputs, scenario: Scenario = Scenario()) -> Band:
    """Run the scenario once per estimation window (vectorised: windows stacked on a new leading axis).

    Input: inputs whose ``migration`` is a :class:`~projection.estimate.MigrationEstimate`; a scenario.
    Output: :class:`Band` of total persons by year.
    """
    mig = inputs.migration
    if not isinstance(mig, MigrationEstimate):
        raise ValueError("a band needs migration estimated over windows (MigrationEstimate)")
    w = np.where(np.isnan(mig.windows), mig.mean, mig.windows)
    res = run(inputs, scenario, migration=w)
    totals = res.total.sum(axis=(-1, -2))
    return Band(years=res.years, low=totals.min(axis=0), high=totals.max(axis=0), windows=totals)

