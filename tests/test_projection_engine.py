"""Published worked examples for the engine's new outputs: births by mother's age, the Leslie matrix with its
dominant eigenvalue / intrinsic growth rate / stable distribution, and net migrants with the "even" convention.

Source of every number (transcribed, not computed by us):
* Preston, Heuveline & Guillot (2001), *Demography*, Box 6.1 — Sweden 1993 females (inputs in
  tests/test_projection_textbook.py, from grodri.github.io/datasets/sweden93.dat).
* Leslie matrix, eigenvalue and stable distribution — Germán Rodríguez, Princeton Pop 502 computing log
  "Population Projections" (https://grodri.github.io/demography/project, section "The Stable Equivalent"):
  first eigenvalue 1.00111253, ``log(λ)/5`` = .000222383, stable distribution .0619116748, .0617994881, …,
  .035580346 (18 groups). The first row of the same matrix (net maternity contributions by age of the
  woman) is printed in the blog post "Cohort component projection — a simple example using R and
  matrices" replicating Box 6.1: 0.014550 0.124596 0.291792 0.318128 0.189858 0.062447 0.009340 0.000364
  (ages 10–14 … 45–49), NRR 1.01.
* Net migrants — Box 6.1 (part 3) of Preston et al., female net migrant counts of Sweden 1993–98 by age as
  transcribed in the R package demoproj (Guy Abel, GitHub guyabel/demoproj, data-raw/sweden1993_v0.csv,
  column Mx_f, documented "@source Box 6.1 (part 2), Box 6.1 (part 3) in Preston, S. H., Heuveline, P. and
  Guillot, M. (2001)"), with the projection ``N(t+5) = L·(N(t) + M/2) + M/2`` of that package's fccp_net0.
  The projected population with migration is not printed in any source we found, so the test checks
  (a) that formula cell by cell against the published Leslie matrix and (b) two cells worked by hand.
"""
from __future__ import annotations

import numpy as np
import pytest

import projection as pj
from tests.test_projection_textbook import P98, SWEDEN93

POP, LX, ASFR = SWEDEN93[:, 1], SWEDEN93[:, 2], SWEDEN93[:, 3]
LESLIE_ROW = np.array([0.014550, 0.124596, 0.291792, 0.318128, 0.189858, 0.062447, 0.009340, 0.000364])
STABLE = np.array([.0619116748, .0617994881, .0617013816, .0615869203, .061440548, .0612814302, .0610952699,
                   .0608479527, .0604950315, .0599554177, .0591567528, .0579994637, .056223923, .0534997799,
                   .0493506342, .0428804537, .0331935317, .035580346])
MIG_F = np.array([6840, 4150, 3365, 5270, 9240, 8230, 5470, 3155, 1770, 1115, 1075, 845, 645, 530, 465, 300, 250, 175],
                 dtype=float)


def _sweden_inputs():
    S, bs = pj.survival_from_life_table(LX)
    fert = pj.Fertility(method="asfr", asfr=ASFR, srb=1.05, birth_survival=bs, fertile=(3, 10))
    return S, bs, fert


def test_leslie_matrix_first_row_eigenvalue_and_stable_distribution():
    S, bs, _ = _sweden_inputs()
    L = pj.leslie_matrix(S, ASFR, srb=1.05, birth_survival=bs)
    np.testing.assert_allclose(L[0, 2:10], LESLIE_ROW, atol=5e-7)
    assert L[0, :2].sum() == 0 and L[0, 10:].sum() == 0
    st = pj.stable_population(L)
    assert st.lam == pytest.approx(1.00111253, abs=5e-9)
    assert st.r == pytest.approx(0.000222383, abs=5e-10)
    np.testing.assert_allclose(st.stable, STABLE, atol=5e-10)
    assert round(float(st.nrr), 2) == 1.01
    # the matrix is the kernel: L·P93 is the published 1998 population
    assert np.max(np.abs(L @ POP - P98)) <= 0.5


def test_two_sex_matrix_keeps_the_female_eigenvalue_and_vectorises():
    S, bs, _ = _sweden_inputs()
    two = pj.leslie_matrix(S, ASFR, srb=1.05, birth_survival=bs, male_survival=S * 0.99)
    assert two.shape == (36, 36)
    assert pj.stable_population(two, n_female=18).lam == pytest.approx(1.00111253, abs=5e-9)
    stacked = pj.leslie_matrix(np.stack([S, S]), np.stack([ASFR, 2 * ASFR]), srb=1.05, birth_survival=bs)
    lam = pj.stable_population(stacked).lam
    assert lam[0] == pytest.approx(1.00111253, abs=5e-9) and lam[1] > 1.1  # doubled fertility grows


def test_births_by_age_of_mother_match_the_box_and_the_leslie_row():
    """Births by mother's age ``5·f(a)·(W(a,93) + W(a,98))/2``; girls survived to 0–4 are the published 293,574
    of 1998, and the women-based split (published first row × women of 1993) gives the same total."""
    S, bs, fert = _sweden_inputs()
    comp = pj.project_components(np.stack([POP, POP]), np.stack([S, S]), 1, fertility=fert)
    by_age = comp.births_by_age[0]
    assert comp.births_kind == "births" and comp.births.shape == (1, 2)  # [steps, sex of child]
    w98 = comp.population[1, pj.FEMALE]
    np.testing.assert_allclose(by_age, 5 * ASFR * (POP + w98) / 2)
    girls = comp.births[0, pj.FEMALE]
    assert girls * bs == pytest.approx(P98[0], abs=0.5)                   # published 0–4 of 1998
    assert (LESLIE_ROW * POP[2:10]).sum() == pytest.approx(P98[0], abs=2)  # published row × women
    assert by_age.sum() == pytest.approx(comp.births[0].sum())
    assert by_age[[3, 4, 5, 6, 7, 8, 9]].round(0).tolist() == [
        round(5 * ASFR[a] * (POP[a] + w98[a]) / 2) for a in range(3, 10)]
    # the 25–29 women bear the most: 5 · 0.1499 · (314388 + 284787)/2
    assert by_age[5] == pytest.approx(5 * 0.1499 * (314388 + P98[5]) / 2, rel=2e-6)


def test_even_migration_is_preston_formula_with_the_published_matrix():
    S, bs, fert = _sweden_inputs()
    out = pj.project(np.stack([POP, POP]), np.stack([S, S]), 2, migration_counts=np.stack([MIG_F, MIG_F]),
                     migration_timing="even", fertility=fert)[:, pj.FEMALE]
    L = pj.leslie_matrix(S, ASFR, srb=1.05, birth_survival=bs)
    n98 = L @ (POP + MIG_F / 2) + MIG_F / 2
    np.testing.assert_allclose(out[1], n98, rtol=1e-12)
    np.testing.assert_allclose(out[2], L @ (n98 + MIG_F / 2) + MIG_F / 2, rtol=1e-12)
    # by hand: 5–9 in 1998 = (293,395 + 6,840/2) · 5L5/5L0 + 4,150/2
    assert out[1, 1] == pytest.approx((293395 + 3420) * 497138 / 497487 + 2075, abs=1e-6)
    # migrants enter 0–4: half of the 6,840 are there at the end, on top of the births
    closed0 = pj.project(np.stack([POP, POP]), np.stack([S, S]), 1, fertility=fert)[1, pj.FEMALE, 0]
    assert out[1, 0] - closed0 == pytest.approx(3420 + (L[0] @ (MIG_F / 2)), rel=1e-12)
    assert out[1].sum() - P98.sum() == pytest.approx(MIG_F.sum() / 2 + (L @ (MIG_F / 2)).sum(), abs=10)


def test_end_convention_is_unchanged_default():
    S, _, fert = _sweden_inputs()
    base = np.stack([POP, POP])
    c = np.stack([MIG_F, MIG_F])
    default = pj.project(base, np.stack([S, S]), 1, migration_counts=c, fertility=fert)
    end = pj.project(base, np.stack([S, S]), 1, migration_counts=c, migration_timing="end", fertility=fert)
    np.testing.assert_array_equal(default, end)
    assert default[1, pj.FEMALE, 1] == pytest.approx(293395 * 497138 / 497487 + 6840)
    with pytest.raises(ValueError):
        pj.project(base, np.stack([S, S]), 1, migration_counts=c, migration_timing="start")


def test_cwr_births_by_age_split_the_children_over_women():
    pop = np.stack([POP, POP])
    comp = pj.project_components(pop, np.ones((2, 18)), 1,
                                 fertility=pj.Fertility(method="cwr", cwr=0.25, sex_ratio_0_4=1.05))
    assert comp.births_kind == "children_0_4"
    np.testing.assert_allclose(comp.births_by_age[0, 3:10], 0.25 * comp.population[1, pj.FEMALE, 3:10])
    assert comp.births[0].sum() == pytest.approx(comp.population[1, :, 0].sum())


def test_fertility_shape_is_the_published_mhlw_breakdown():
    shape = pj.fertility_shape(2018)
    assert shape.sum() == pytest.approx(1.0) and shape[:3].sum() == 0 and shape[10:].sum() == 0
    assert shape[6] == pytest.approx(0.5118 / 1.4159)  # 30–34 of 平成30年, TFR 1.42
    assert 31 < pj.mean_age_of_schedule(shape) < 32
    np.testing.assert_allclose(pj.asfr_from_tfr(1.4159, shape)[3:10] * 5, pj.TFR_BY_AGE_MHLW[2018])


def test_migration_schedule_shape_times_level():
    counts = np.zeros((2, 19))
    counts[:, 4], counts[:, 6] = -300, 100
    shape = pj.migration_shape(counts)
    assert shape.sum() == pytest.approx(1.0) and shape[0, 4] == pytest.approx(0.75)
    np.testing.assert_allclose(pj.migration_schedule(shape, -400), counts)
    cancel = np.zeros((2, 19))
    cancel[:, 4], cancel[:, 6] = -100, 100  # net zero: the shape falls back to where people move
    assert pj.migration_shape(cancel)[0, 4] == pytest.approx(0.25)
    period = pj.cohort_to_period(counts)
    assert period[0, 5] == -300 and period[0, 0] == 0


def test_the_baseline_drops_the_changes_and_keeps_horizon_foreign_and_methods():
    """Scenario.baseline(): the trend the projection and outlook pages compare a scenario with (defined once)."""
    sc = pj.Scenario(steps=6, tfr_target=1.8, tfr_year=2050, migration_points=0.5, migration_ages=(15, 35),
                     migration_phase_in_years=10, foreign_share=0.1, foreign_share_year=2060, foreign_method="counts",
                     births="asfr", migration_method="schedule", migration_level=100.0)
    assert sc.baseline() == pj.Scenario(steps=6, foreign_share=0.1, foreign_share_year=2060, foreign_method="counts",
                                        births="asfr", migration_method="schedule", migration_level=100.0)
    assert pj.Scenario(tfr_delta=0.1).baseline() == pj.Scenario()
