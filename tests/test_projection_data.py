"""The projection on real register data: the national database built from the raw files (session fixture).

久留米市 (40203): baseline from the data and the city vision's improvement scenario (TFR +0.1 points by 2060,
net migration of Japanese in their teens and twenties +0.5 points). The city publishes +12,026 persons in 2060
against its own baseline (まち・ひと・しごと創生 人口ビジョン, base 2025, seed document 001); we only require the same
order of magnitude and print our number — it is not tuned to the city's.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

import projection as pj
from store.official import open_readonly
from estimates.projection_inputs import build_inputs, load_age_sex

KURUME = "40203"
CITY_PUBLISHED_GAIN_2060 = 12_026


@pytest.fixture(scope="module")
def con(national_db):
    c = open_readonly(national_db)
    yield c
    c.close()


@pytest.fixture(scope="module")
def all_inputs(con):
    return build_inputs(con)


@pytest.fixture(scope="module")
def kurume(con):
    return build_inputs(con, areas=[KURUME]).area(KURUME)


def test_panel_japanese_is_total_minus_foreign(con):
    panel = load_age_sex(con, [dt.date(2020, 1, 1)], [KURUME, "00000"])
    k = panel.area_codes.index(KURUME)
    jp = panel.japanese[0, k].sum()
    fo = panel.foreign[0, k].sum()
    # register totals of 2020-01-01 (sex 'total', age 'total'): all 305,311, foreign 4,490, Japanese 300,821
    assert (jp, fo) == (300_821, 4_490)
    assert panel.japanese.shape[-2:] == (2, 19)
    with pytest.raises(ValueError):
        load_age_sex(con, [dt.date(2014, 1, 1)], [KURUME])


def test_inputs_are_sane(all_inputs):
    inp = all_inputs
    a = len(inp.area_codes)
    assert a > 1700 and "00000" in inp.area_codes and KURUME in inp.area_codes
    assert inp.japanese.shape == (a, 2, 19) and inp.survival.shape == (2, 19)
    assert np.all((inp.survival > 0) & (inp.survival <= 1))
    assert np.all(np.diff(inp.survival[:, 8:], axis=-1) <= 1e-12)  # falls with age from 40 (younger: emigration)
    assert inp.migration.windows.shape == (3, a, 2, 19)
    assert np.all(np.isfinite(inp.migration.mean))
    nat = inp.area_codes.index("00000")
    assert np.abs(inp.migration.mean[nat]).max() < 0.02  # closed-population approximation holds nationally
    assert np.all((inp.cwr >= 0) & (inp.cwr < 1)) and np.all(np.isfinite(inp.foreign_ccr))


def test_residual_rates_reproduce_2022_from_2017(con, kurume):
    """Window 3 (2017→2022) rates projected from 2017 give back the 2022 register (ages 5+)."""
    panel = load_age_sex(con, [dt.date(2017, 1, 1), dt.date(2022, 1, 1)], [KURUME])
    out = pj.project(panel.japanese[0, 0], kurume.survival, 1, migration=kurume.migration.windows[2])
    np.testing.assert_allclose(out[1, :, 1:], panel.japanese[1, 0][:, 1:], rtol=1e-9)


def test_all_areas_one_call(all_inputs):
    res = pj.run(all_inputs, pj.Scenario(steps=8))
    assert res.total.shape == (len(all_inputs.area_codes), 9, 2, 19)
    assert np.all(np.isfinite(res.total)) and np.all(res.total >= 0)
    one = pj.run(all_inputs.area(KURUME), pj.Scenario(steps=8))
    i = all_inputs.area_codes.index(KURUME)
    np.testing.assert_allclose(res.total[i], one.total, rtol=1e-12)


def test_kurume_vision_scenario(kurume):
    base = pj.run(kurume, pj.Scenario(steps=8))
    vision = pj.Scenario(steps=8, tfr_delta=0.1, tfr_year=2060, migration_points=0.5, migration_ages=(10, 30))
    scen = pj.run(kurume, vision)
    assert base.years[-1] == 2060
    gain = pj.totals(scen.total) - pj.totals(base.total)
    jp_base = pj.totals(base.japanese)
    print(f"\n久留米市 baseline Japanese 2020→2060: {jp_base[0]:,.0f} → {jp_base[-1]:,.0f} "
          f"(city baseline, base 2025: 294,031 → 220,449)")
    print("久留米市 scenario − baseline by year: "
          + ", ".join(f"{y}: {g:+,.0f}" for y, g in zip(base.years, gain)))
    print(f"久留米市 2060 gain: ours {gain[-1]:+,.0f} vs city published {CITY_PUBLISHED_GAIN_2060:+,}")
    annual = pj.run(kurume, pj.Scenario(steps=8, tfr_delta=0.1, tfr_year=2060, migration_points=2.5))
    print("for information, reading '+0.5 %' as per year (≈ +2.5 points per 5 years): "
          f"{pj.totals(annual.total)[-1] - pj.totals(base.total)[-1]:+,.0f}")
    assert np.all(np.diff(gain) > 0)          # the gain grows every step
    assert 3_000 < gain[-1] < 40_000          # same order of magnitude as +12,026
    assert np.all(pj.totals(scen.foreign) == pj.totals(base.foreign))  # foreign residents untouched
    assert kurume.tfr_base == pytest.approx(1.35)  # published 2023 value (seed 001) used as the base TFR


def test_kurume_foreign_share_target(kurume):
    res = pj.run(kurume, pj.Scenario(steps=10, foreign_share=0.108, foreign_share_year=2070))
    assert res.share.reached
    k = list(res.years).index(2070)
    assert pj.totals(res.foreign)[k] / pj.totals(res.total)[k] == pytest.approx(0.108, rel=1e-5)


def test_kurume_band_and_inverse(kurume):
    band = pj.migration_band(kurume, pj.Scenario(steps=8))
    base = pj.totals(pj.run(kurume, pj.Scenario(steps=8)).total)
    assert band.low[-1] < base[-1] < band.high[-1]
    sol = pj.solve_tfr(kurume, pj.Scenario(steps=8, tfr_year=2040), base[-1] + 10_000, 2060)
    assert sol.reachable and 1.35 < sol.value < 3.0
    print(f"\n久留米市: TFR reached in 2040 needed for baseline+10,000 in 2060: {sol.value:.3f}; "
          f"migration band 2060: {band.low[-1]:,.0f} – {band.high[-1]:,.0f}")
