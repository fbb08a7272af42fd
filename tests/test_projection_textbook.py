"""Textbook reproduction: Preston, Heuveline & Guillot (2001), *Demography: Measuring and Modeling Population
Processes*, Box 6.1 — projection of the female population of Sweden 1993 → 1998 (and → 2003 with the same
rates), closed population, births by age-specific fertility rates, 1.05 boys per girl at birth.

Where the numbers come from (transcribed here, not computed by us):
* inputs — Germán Rodríguez (Princeton, Pop 502), data file `sweden93.dat` of the Box 6.1 example:
  https://grodri.github.io/datasets/sweden93.dat (GitHub grodri/grodri.github.io, datasets/sweden93.dat):
  age, female population 1993, nLx of the female life table (radix 100,000; last row = T85 of the open
  group 85+), annual age-specific fertility rate (both sexes).
* published results — the same author's computing log "Population Projections"
  https://grodri.github.io/demography/project (grodri/grodri.github.io, demography/project.html), which
  prints p98 and p03 and states "These results agree exactly with Box 6.1 (part 2) in the text".
  Totals there: 4,397,428 (1993), 4,449,570 (1998), 4,478,712 (2003).

Method of the box mapped onto ours: survival ``S(a) = 5L(a+5)/5L(a)``; the last closed group (80–84) and the
open group (85+) both use ``T85 / (5L80 + T85)`` (the combined treatment the box uses); births =
``5 · Σ f(a) · (W(a, t) + W(a, t+5)) / 2``, girls = births / 2.05, survived to 0–4 by ``5L0 / (5·l0)``.
Tolerance: the published values are rounded to whole persons, so |ours − published| ≤ 0.5.
"""
from __future__ import annotations

import numpy as np
import pytest

from projection import FEMALE, Fertility, project, survival_from_life_table

# age, female population 1993, nLx (l0 = 100,000; last = T85), ASFR  — sweden93.dat
SWEDEN93 = np.array([
    (0, 293395, 497487, 0.0), (5, 248369, 497138, 0.0), (10, 240012, 496901, 0.0),
    (15, 261346, 496531, 0.012), (20, 285209, 495902, 0.0908), (25, 314388, 495168, 0.1499),
    (30, 281290, 494213, 0.1125), (35, 286923, 492760, 0.0441), (40, 304108, 490447, 0.0074),
    (45, 324946, 486613, 0.0003), (50, 247613, 480665, 0.0), (55, 211351, 471786, 0.0),
    (60, 215140, 457852, 0.0), (65, 221764, 436153, 0.0), (70, 223506, 402775, 0.0),
    (75, 183654, 350358, 0.0), (80, 141990, 271512, 0.0), (85, 112424, 291707, 0.0),
])
# published projection (persons, rounded): 1998 and 2003
P98 = np.array([293574, 293189, 248251, 239833, 261015, 284787, 313782, 280463, 285576, 301731, 320974,
                243039, 205109, 204944, 204793, 194419, 142324, 131768])
P03 = np.array([280121, 293368, 293049, 248066, 239529, 260629, 284238, 312859, 279147, 283344, 298043,
                315045, 235861, 195388, 189260, 178141, 150666, 141960])
TOTALS = (4_397_428, 4_449_570, 4_478_712)


def _project_sweden(srb: float = 1.05, open_group_combined: bool = True) -> np.ndarray:
    pop, Lx, asfr = SWEDEN93[:, 1], SWEDEN93[:, 2], SWEDEN93[:, 3]
    S, birth_survival = survival_from_life_table(Lx)
    if not open_group_combined:  # a plausible but different treatment of 80–84 → 85+, used as a negative control
        S = S.copy()
        S[-2] = Lx[-1] / Lx[-2]
    # female-only example: both sex rows carry the female data; only the female row is compared
    base = np.stack([pop, pop])
    fert = Fertility(method="asfr", asfr=asfr, srb=srb, birth_survival=birth_survival, fertile=(3, 10))
    return project(base, np.stack([S, S]), 2, fertility=fert)[:, FEMALE, :]


def test_sweden_1993_box_6_1_number_for_number():
    out = _project_sweden()
    np.testing.assert_array_equal(out[0], SWEDEN93[:, 1])
    assert np.max(np.abs(out[1] - P98)) <= 0.5, np.round(out[1] - P98, 2)
    assert np.max(np.abs(out[2] - P03)) <= 0.5, np.round(out[2] - P03, 2)
    assert tuple(int(round(t)) for t in out.sum(axis=1)) == TOTALS


@pytest.mark.parametrize("kwargs", [{"srb": 1.06}, {"open_group_combined": False}])
def test_reproduction_is_sensitive(kwargs):
    """Negative control: a different sex ratio at birth or open-group rule must break the match."""
    out = _project_sweden(**kwargs)
    assert np.max(np.abs(np.concatenate([out[1] - P98, out[2] - P03]))) > 0.5


def test_life_table_survival_values():
    """Survival ratios of the box (spot checks computed by hand from the printed nLx)."""
    S, bs = survival_from_life_table(SWEDEN93[:, 2])
    assert S[0] == pytest.approx(497138 / 497487)
    assert S[-2] == S[-1] == pytest.approx(291707 / (271512 + 291707))
    assert bs == pytest.approx(497487 / 500000)
