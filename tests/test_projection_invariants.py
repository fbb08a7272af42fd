"""Invariants and definitions of the projection engine on synthetic data (no database needed)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import projection as pj
from projection import AGES, FEMALE, MALE, Fertility, project

N = len(AGES)
RNG = np.random.default_rng(20240601)


def _pop(*lead, scale=1000.0):
    return RNG.uniform(0.2, 1.0, size=lead + (2, N)) * scale


def _inputs(areas: int = 4) -> pj.ModelInputs:
    """Random but plausible inputs for `areas` areas (two estimation windows)."""
    jp = _pop(areas, scale=5000.0)
    surv = np.clip(1.0 - np.linspace(0.001, 0.5, N), 0, 1) * np.ones((2, N))
    windows = RNG.normal(0.0, 0.03, size=(2, areas, 2, N))
    mig = pj.MigrationEstimate(mean=windows.mean(axis=0), windows=windows, low=windows.min(axis=0),
                               high=windows.max(axis=0))
    return pj.ModelInputs(
        base_year=2020, japanese=jp, survival=surv, migration=mig, cwr=RNG.uniform(0.15, 0.3, areas),
        sex_ratio_0_4=RNG.uniform(1.0, 1.1, areas), tfr_base=RNG.uniform(1.2, 1.6, areas),
        foreign=_pop(areas, scale=50.0), foreign_ccr=RNG.uniform(0.8, 1.3, (areas, 2, N)),
        foreign_cwr=RNG.uniform(0.05, 0.2, areas), foreign_sex_ratio_0_4=np.full(areas, 1.05),
        foreign_net_counts=RNG.normal(5.0, 3.0, (areas, 2, N)), area_codes=tuple(f"A{i}" for i in range(areas)))


# ------------------------------------------------------------------ kernel invariants

def test_pure_ageing_shifts_groups_and_conserves_totals():
    base = _pop(3)
    out = project(base, np.ones((2, N)), 4, migration=np.zeros((2, N)), fertility=None)
    for k in range(1, 5):
        prev, new = out[:, k - 1], out[:, k]
        np.testing.assert_allclose(new[..., 1:N - 1], prev[..., 0:N - 2])        # every closed group moves up
        np.testing.assert_allclose(new[..., N - 1], prev[..., N - 2] + prev[..., N - 1])  # open group accumulates
        assert np.all(new[..., 0] == 0)                                            # no births
        np.testing.assert_allclose(new.sum(axis=-1), prev.sum(axis=-1))           # totals conserved by sex
    np.testing.assert_allclose(out[:, 4].sum(axis=-1), base.sum(axis=-1))


def test_pure_ageing_counts_zero_is_identity_of_rates():
    base = _pop(2)
    a = project(base, np.ones((2, N)), 3)
    b = project(base, np.ones((2, N)), 3, migration_counts=np.zeros((2, N)))
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("kwargs", [
    {"migration": np.full((2, N), -5.0)},                 # rates far below −100 %
    {"migration_counts": np.full((2, N), -1e6)},          # counts far above the cohorts
    {"migration": [np.full((2, N), 0.5), np.full((2, N), -3.0)]},
])
def test_never_negative(kwargs):
    base = _pop(5)
    fert = Fertility(method="cwr", cwr=np.full(5, -0.5), sex_ratio_0_4=1.05)  # even a nonsense negative CWR
    out = project(base, np.full((2, N), 0.9), 6, fertility=fert, **kwargs)
    assert np.all(out >= 0)
    assert np.all(np.isfinite(out))


def test_clip_can_be_switched_off_to_show_it_matters():
    base = _pop(1)
    out = project(base, np.full((2, N), 0.9), 1, migration=np.full((2, N), -5.0), clip=False)
    assert np.any(out < 0)


def test_vectorised_equals_single_area_calls():
    inp = _inputs(6)
    sc = pj.Scenario(steps=8, tfr_delta=0.2, tfr_year=2050, migration_points=0.7, migration_phase_in_years=10,
                     foreign_share=0.08, foreign_share_year=2060)
    allres = pj.run(inp, sc)
    for i, code in enumerate(inp.area_codes):
        one = pj.run(inp.area(code), sc)
        np.testing.assert_allclose(allres.japanese[i], one.japanese, rtol=1e-12)
        np.testing.assert_allclose(allres.foreign[i], one.foreign, rtol=1e-9)
    # the plain kernel too, with per-area survival and a per-step migration list
    base, S = _pop(5), RNG.uniform(0.8, 1.0, (5, 2, N))
    M = [RNG.normal(0, 0.05, (5, 2, N)) for _ in range(3)]
    fert = Fertility(method="asfr", asfr=np.r_[0, 0, 0, RNG.uniform(0, 0.1, 7), np.zeros(N - 10)],
                     srb=1.05, birth_survival=np.array([0.99, 0.995]))
    many = project(base, S, 3, migration=M, fertility=fert)
    for i in range(5):
        one = project(base[i], S[i], 3, migration=[m[i] for m in M], fertility=fert)
        np.testing.assert_allclose(many[i], one, rtol=1e-12)


def test_cwr_births_and_sex_split():
    base = _pop(2)
    cwr, r = np.array([0.2, 0.3]), np.array([1.05, 1.0])
    out = project(base, np.ones((2, N)), 1, fertility=Fertility(method="cwr", cwr=cwr, sex_ratio_0_4=r))
    women = out[:, 1, FEMALE, 3:10].sum(axis=-1)
    np.testing.assert_allclose(out[:, 1, :, 0].sum(axis=-1), cwr * women)
    np.testing.assert_allclose(out[:, 1, MALE, 0] / out[:, 1, FEMALE, 0], r)


def test_asfr_births_formula():
    base = _pop(1)[0]
    asfr = np.zeros(N)
    asfr[5] = 0.1  # 25-29 only
    out = project(base, np.ones((2, N)), 1,
                  fertility=Fertility(method="asfr", asfr=asfr, srb=1.0, birth_survival=1.0))
    births = 5 * 0.1 * (base[FEMALE, 5] + base[FEMALE, 4]) / 2  # start W(25-29), end W(25-29) = start W(20-24)
    assert out[1, :, 0].sum() == pytest.approx(births)
    assert out[1, MALE, 0] == pytest.approx(out[1, FEMALE, 0])


# ------------------------------------------------------------------ estimation invariants

def test_residual_migration_reproduces_each_window():
    p1 = _pop(3, 4)
    p2 = _pop(3, 4)
    S = RNG.uniform(0.7, 1.0, (2, N))
    est = pj.residual_migration(p1, p2, S)
    for w in range(3):
        out = project(p1[w], S, 1, migration=est.windows[w])
        np.testing.assert_allclose(out[:, 1, :, 1:], p2[w][..., 1:], rtol=1e-12)
    np.testing.assert_allclose(est.mean, est.windows.mean(axis=0))
    assert np.all(est.low <= est.mean + 1e-15) and np.all(est.mean <= est.high + 1e-15)


def test_residual_migration_skips_empty_cohorts():
    p1 = _pop(2, 1)
    p2 = _pop(2, 1)
    p1[0, 0, MALE, 4] = 0.0  # window 0 has no men aged 20-24 at the start
    est = pj.residual_migration(p1, p2, np.ones((2, N)))
    assert np.isnan(est.windows[0, 0, MALE, 4])
    assert est.mean[0, MALE, 4] == pytest.approx(est.windows[1, 0, MALE, 4])


def test_residual_counts_reproduce_window():
    p1, p2 = _pop(1, 3), _pop(1, 3)
    p1[0, 0, MALE, 6] = 0.0  # an empty cohort that gains people still counts
    S = RNG.uniform(0.7, 1.0, (2, N))
    counts = pj.residual_counts(p1, p2, S)
    out = project(p1[0], S, 1, migration_counts=counts)
    np.testing.assert_allclose(out[:, 1, :, 1:], p2[0][..., 1:], rtol=1e-12)


def test_hamilton_perry_reproduces_window():
    p1, p2 = _pop(1, 3), _pop(1, 3)
    ccr = pj.pooled_ccr(p1, p2)
    out = pj.project_hamilton_perry(p1[0], ccr, 1, cwr=pj.child_woman_ratio(p2[0]),
                                    sex_ratio_0_4=pj.sex_ratio_0_4(p2[0]))
    np.testing.assert_allclose(out[:, 1], p2[0], rtol=1e-12)


def test_survival_from_ccr_closed_population():
    """Without migration the national cohort change ratios are the survival ratios (capped at 1)."""
    S_true = np.clip(1.0 - np.linspace(0.0, 0.6, N), 0.05, 1.0) * np.ones((2, N))
    S_true[:, -2] = S_true[:, -1]  # the open group pools 85-89 and 90+: one ratio for both is identifiable
    p1 = _pop(2)
    p2 = project(p1, S_true, 1)[:, 1]
    np.testing.assert_allclose(pj.survival_from_ccr(p1, p2), S_true, rtol=1e-12)
    assert np.all(pj.survival_from_ccr(p1, p2 * 1.1) <= 1.0)


# ------------------------------------------------------------------ scenarios and outputs

def test_zero_scenario_equals_baseline():
    inp = _inputs(3)
    a = pj.run(inp, pj.Scenario())
    b = pj.run(inp, pj.Scenario(tfr_delta=0.0, migration_points=0.0))
    np.testing.assert_allclose(a.total, b.total)


def test_tfr_path_is_linear_at_mid_step():
    inp = _inputs(1).area(0)
    inp = pj.ModelInputs(**{**inp.__dict__, "tfr_base": 1.5})
    path = pj.tfr_ratio_path(inp, pj.Scenario(steps=10, tfr_target=1.8, tfr_year=2040))
    mids = 2020 + 5 * np.arange(1, 11) - 2.5
    want = (1.5 + 0.3 * np.clip((mids - 2020) / 20, 0, 1)) / 1.5
    np.testing.assert_allclose(np.array(path, dtype=float), want)


def test_migration_points_definition():
    """+0.5 points = +0.005 on the 5-year rate of cohorts aged 10–29 at the start of the step."""
    inp = _inputs(1).area(0)
    sc = pj.Scenario(steps=1, migration_points=0.5, migration_ages=(10, 30))
    shift = pj.migration_shift_path(inp, sc)[0]
    assert shift.shape == (2, N)
    assert np.all(shift[:, 2:6] == 0.005) and shift.sum() == pytest.approx(0.005 * 8)
    base, scen = pj.run(inp, pj.Scenario(steps=1)), pj.run(inp, sc)
    gain = scen.japanese[1] - base.japanese[1]
    np.testing.assert_allclose(gain[:, 3:7], 0.005 * inp.japanese[:, 2:6])  # arrive aged 15–34
    assert pj.totals(scen.japanese)[1] - pj.totals(base.japanese)[1] == pytest.approx(
        0.005 * inp.japanese[:, 2:6].sum() + (scen.japanese[1, :, 0] - base.japanese[1, :, 0]).sum())


def test_phase_in():
    inp = _inputs(1).area(0)
    sc = pj.Scenario(steps=3, migration_points=1.0, migration_phase_in_years=10)
    fracs = [s.max() / 0.01 for s in pj.migration_shift_path(inp, sc)]
    np.testing.assert_allclose(fracs, [0.25, 0.75, 1.0])


def test_scenario_raises_population_monotonically():
    inp = _inputs(3)
    base = pj.totals(pj.run(inp).total)[:, -1]
    up = pj.totals(pj.run(inp, pj.Scenario(tfr_delta=0.1, migration_points=0.5)).total)[:, -1]
    more = pj.totals(pj.run(inp, pj.Scenario(tfr_delta=0.3, migration_points=1.0)).total)[:, -1]
    assert np.all(up > base) and np.all(more > up)


def test_age3_and_shares():
    pop = _pop(2, 3)
    g = pj.age3(pop)
    np.testing.assert_allclose(g.sum(axis=-1), pj.totals(pop))
    np.testing.assert_allclose(g[..., 0], pop[..., 0:3].sum(axis=(-1, -2)))
    np.testing.assert_allclose(g[..., 2], pop[..., 13:].sum(axis=(-1, -2)))
    np.testing.assert_allclose(pj.age3_shares(pop).sum(axis=-1), 1.0)


def test_foreign_share_target_is_met():
    inp = _inputs(4)
    res = pj.run(inp, pj.Scenario(steps=10, foreign_share=0.108, foreign_share_year=2070))
    k = list(res.years).index(2070)
    share = pj.totals(res.foreign)[:, k] / pj.totals(res.total)[:, k]
    np.testing.assert_allclose(share[res.share.reached], 0.108, rtol=1e-5)
    assert res.share.reached.all()
    # beyond the horizon: solved on a longer internal run, the shown horizon is unchanged
    short = pj.run(inp, pj.Scenario(steps=4, foreign_share=0.108, foreign_share_year=2070))
    np.testing.assert_allclose(short.share.factor, res.share.factor, rtol=1e-5)
    counts = pj.run(inp, pj.Scenario(steps=10, foreign_share=0.108, foreign_share_year=2070,
                                     foreign_method="counts"))
    share = pj.totals(counts.foreign)[:, k] / pj.totals(counts.total)[:, k]
    np.testing.assert_allclose(share[counts.share.reached], 0.108, rtol=1e-5)


def test_foreign_share_unreachable_without_foreigners():
    inp = _inputs(2)
    inp = pj.ModelInputs(**{**inp.__dict__, "foreign": np.zeros_like(inp.foreign)})
    res = pj.run(inp, pj.Scenario(foreign_share=0.1, foreign_share_year=2060))
    assert not res.share.reached.any()
    assert np.all(pj.totals(res.foreign) == 0)


def test_inverse_tfr_and_migration():
    inp = _inputs(2).area(1)
    sc = pj.Scenario(steps=8, tfr_year=2040)
    target = pj.totals(pj.run(inp, pj.Scenario(steps=8, tfr_target=1.9, tfr_year=2040)).total)[-1]
    sol = pj.solve_tfr(inp, sc, target, 2060)
    assert sol.reachable and sol.value == pytest.approx(1.9, abs=1e-3)
    assert sol.achieved == pytest.approx(target, rel=1e-5)
    never = pj.solve_tfr(inp, sc, target * 10, 2060)
    assert not never.reachable and np.isnan(never.value) and never.direction == "above"
    assert never.achieved == pytest.approx(never.at_high)
    tm = pj.totals(pj.run(inp, pj.Scenario(steps=8, migration_points=1.3)).total)[-1]
    msol = pj.solve_migration(inp, pj.Scenario(steps=8), tm, 2060)
    assert msol.reachable and msol.value == pytest.approx(1.3, abs=1e-3)
    with pytest.raises(ValueError):
        pj.solve_tfr(inp, sc, target, 2062)


def test_inverse_is_vectorised():
    inp = _inputs(3)
    targets = pj.totals(pj.run(inp, pj.Scenario(tfr_target=np.array([1.4, 1.8, 2.2]))).total)[:, -1]
    sol = pj.solve_tfr(inp, pj.Scenario(), targets, 2060)
    np.testing.assert_allclose(sol.value, [1.4, 1.8, 2.2], atol=1e-3)


def test_migration_band_brackets_windows():
    inp = _inputs(3)
    band = pj.migration_band(inp, pj.Scenario())
    assert band.windows.shape == (2, 3, 9)
    assert np.all(band.low <= band.high)
    for w in range(2):
        one = pj.run(inp, pj.Scenario(), migration=inp.migration.windows[w])
        np.testing.assert_allclose(band.windows[w], pj.totals(one.total))


def test_parameter_table_round_trip_and_override():
    inp = _inputs(3)
    table = pj.parameter_table(inp, "A1")
    assert set(table["parameter"]) >= {"survival", "migration", "cwr", "tfr_base", "foreign_ccr"}
    same = pj.apply_parameter_table(inp, table)
    np.testing.assert_allclose(pj.run(same).total, pj.run(inp).total)
    over = pd.DataFrame({"parameter": ["cwr", "migration"], "sex": [None, "female"],
                         "age_group": [None, "20-24"], "value": [0.5, 0.1], "area_code": ["A1", None]})
    new = pj.apply_parameter_table(inp, over)
    assert new.cwr[1] == 0.5 and new.cwr[0] == inp.cwr[0]
    assert np.all(np.asarray(new.migration)[:, FEMALE, 4] == 0.1)
    yearly = pd.DataFrame({"parameter": ["survival"] * 2, "sex": ["male"] * 2, "age_group": ["60-64"] * 2,
                           "value": [0.5, 0.4], "year": [2030, 2040]})
    tv = pj.apply_parameter_table(inp, yearly, steps=8)
    got = [float(np.asarray(s)[..., MALE, 12].max()) for s in tv.survival]
    assert got == pytest.approx([inp.survival[MALE, 12], 0.5, 0.5, 0.4, 0.4, 0.4, 0.4, 0.4])
    for bad in ({"parameter": ["nope"], "value": [1]},
                {"parameter": ["survival"], "sex": ["x"], "age_group": ["0-4"], "value": [1]},
                {"parameter": ["cwr"], "value": [1], "area_code": ["Z9"]}):
        with pytest.raises(ValueError):
            pj.apply_parameter_table(inp, pd.DataFrame(bad))


def test_long_and_summary_frames():
    inp = _inputs(2)
    res = pj.run(inp)
    df = pj.long_frame(res.total, res.years, inp.area_codes)
    assert len(df) == 2 * 9 * 2 * N and df["persons"].sum() == pytest.approx(res.total.sum())
    one = pj.run(inp.area("A0"))
    s = pj.summary_frame(one, pj.run(inp.area("A0"), pj.Scenario()))
    assert list(s["year"]) == list(range(2020, 2061, 5)) and (s["diff_total"] == 0).all()
