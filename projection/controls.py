"""The scenario controls of the projection and outlook pages, defined once (pure; no Streamlit).

ui.projection_view draws its sliders and choices from these specs; queries.outlook reads the same scenario from
the address bar (clipped to the same ranges and steps) and both build the same :class:`projection.Scenario`
(:func:`scenario`), so runs share one cache. Keys are the query parameters and session keys of the widgets;
label keys are catalogue keys (i18n/catalogue).

Units: tfr children per woman; tfry calendar year; mig percentage points on the 5-year net migration rate; ages
[lo, hi) years; fshare percent of the total population in the target year (0 = no target).
"""
from __future__ import annotations

from dataclasses import dataclass

from projection.scenario import Scenario

#: The base year and horizon of the outlook page's projection: 2020 … 2060 in 8 five-year steps.
BASE = 2020
STEPS = 8

#: The foreign-share preset (percent of the total population in 2070): the national assumption of IPSS 令和5年推計,
#: which the 久留米市 vision adopted. A labelled preset, never the default: for 大泉町 (21 % foreign today) it would pull
#: the projection down, for 浪江町 it would give 0 %. The one definition; the pages and the indicators import it.
FOREIGN_SHARE_PRESET = 10.8
#: The default foreign-share target: 0 = none, the area's own cohort-change trend (Hamilton–Perry).
FOREIGN_SHARE_DEFAULT = 0.0


@dataclass(frozen=True)
class Slider:
    """A numeric control: key, range [min, max], default (None: the area's own value, e.g. its base TFR), step,
    label and help catalogue keys. A tuple default makes a range slider (two values)."""

    key: str
    min: float
    max: float
    default: object
    step: float
    label_key: str
    help_key: str | None = None

    def clip(self, value: float):
        """`value` inside [min, max] on the slider's grid: a whole step (int) or the step's decimals."""
        v = min(self.max, max(self.min, float(value)))
        if float(self.step).is_integer():
            return int(round(v / self.step) * self.step)
        return round(v, len(repr(float(self.step)).split(".")[1]))


@dataclass(frozen=True)
class Choice:
    """A choice among codes (segmented control): key, options, default, label key."""

    key: str
    options: tuple[str, ...]
    default: str
    label_key: str


TFR = Slider("tfr", 0.8, 2.5, None, 0.01, "sl_tfr", "sl_tfr_help")
TFR_YEAR = Slider("tfry", 2030, 2070, 2060, 5, "sl_tfr_year")
MIGRATION = Slider("mig", -3.0, 3.0, 0.0, 0.1, "sl_mig", "sl_mig_help")
AGES = Slider("ages", 0, 90, (10, 30), 5, "sl_ages")
FOREIGN_SHARE = Slider("fshare", 0.0, 20.0, FOREIGN_SHARE_DEFAULT, 0.1, "sl_fshare", "sl_fshare_help")
BIRTHS = Choice("bm", ("cwr", "asfr"), "cwr", "sl_births")
FOREIGN_METHOD = Choice("fm", ("ccr", "counts"), "ccr", "sl_fmethod")

#: The controls a scenario link carries (the births method stays on the projection page).
SCENARIO_CONTROLS: tuple[Slider | Choice, ...] = (TFR, TFR_YEAR, MIGRATION, AGES, FOREIGN_SHARE, FOREIGN_METHOD)
SCENARIO_KEYS = tuple(c.key for c in SCENARIO_CONTROLS)


def defaults(base_tfr: float) -> dict:
    """The controls' defaults for an area whose base TFR is `base_tfr` (tfr = it, rounded to the slider's 0.01)."""
    return {c.key: (round(float(base_tfr), 2) if c is TFR else c.default) for c in SCENARIO_CONTROLS}


def scenario(values: dict, steps: int = STEPS, births: str = BIRTHS.default) -> Scenario:
    """The projection.Scenario of control values (tfr, tfry, mig, ages (lo, hi), fshare percent, fm)."""
    lo, hi = values["ages"]
    return Scenario(steps=steps, tfr_target=values["tfr"], tfr_year=int(values["tfry"]),
                    migration_points=values["mig"], migration_ages=(float(lo), float(hi)),
                    foreign_share=values["fshare"] / 100 if values["fshare"] > 0 else None,
                    foreign_method=values["fm"], births=births)
