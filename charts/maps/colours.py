"""Colours and classes of the maps: Okabe–Ito blue (inflow / gain) and vermillion (outflow / loss), which stay
distinct with the common colour-vision deficiencies; class thresholds of flows (persons, from the data) and of
net migration rates (per 1,000 residents, fixed so years and areas compare)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

RGB = tuple[int, int, int]

BLUE = (0, 114, 178)
VERMILLION = (213, 94, 0)
NEUTRAL = (238, 238, 238)
NO_DATA = (214, 214, 214)
NO_RATE = (185, 185, 185)  # choropleth: darker than the neutral class (−1 … +1 per 1,000) so the two never mix
INK = (34, 34, 34)
#: Fixed class breaks of the net migration rate (per 1,000 residents), so years and areas compare.
RATE_BREAKS = (-10.0, -6.0, -3.0, -1.0, 1.0, 3.0, 6.0, 10.0)


def ramp(rgb: RGB, n: int) -> list[RGB]:
    """`n` shades of `rgb`, light to dark (the darkest slightly darker than `rgb`)."""
    out = []
    for i in range(n):
        f = 0.3 + 0.7 * i / max(n - 1, 1)
        dark = 0.78 if i == n - 1 and n > 2 else 1.0
        out.append(tuple(int(round((255 * (1 - f) + c * f) * dark)) for c in rgb))
    return out


def _nice(x: float) -> int:
    if x <= 1:
        return 1
    e = 10 ** math.floor(math.log10(x))
    m = min((1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10), key=lambda c: abs(c - x / e))
    return int(m * e)


def count_breaks(values, n: int = 5) -> list[int]:
    """Up to n−1 increasing class thresholds (nice round counts) for the magnitudes of `values` (persons).

    Quantile-based (35/65/85/95 %), because flows are very skewed (東京都 dwarfs the rest). Class i holds values in
    [t[i−1], t[i]); class 0 below t[0].
    """
    vals = np.abs(np.asarray([v for v in values if v is not None and not pd.isna(v) and v != 0], dtype=float))
    if vals.size == 0:
        return [1]
    qs = np.quantile(vals, [0.35, 0.65, 0.85, 0.95][: n - 1]) if vals.size > 1 else vals
    out: list[int] = []
    for q in qs:
        v = _nice(q)
        if not out or v > out[-1]:
            out.append(v)
    return out


def count_class(value: float, breaks) -> int:
    """Class of a count's magnitude |value| among count_breaks thresholds (0 = below the first)."""
    return int(np.searchsorted(np.asarray(breaks), abs(value), side="right"))


def flow_classes(flows: pd.DataFrame, mode: str, exclude: tuple[str, ...] = ()) -> dict:
    """Class thresholds and colours of a flow map: dict(breaks, pos (colours of gains/inflow, light → dark),
    neg (losses/outflow), column (the flows column shown)). `exclude`: partner codes left out of the classes (the
    area's own prefecture)."""
    col = {"in": "in_movers", "out": "out_movers"}.get(mode, "net")
    vals = flows.loc[~flows["partner_code"].isin(exclude), col].dropna().tolist() if col in flows else []
    breaks = count_breaks(vals)
    n = len(breaks) + 1
    return dict(breaks=breaks, pos=ramp(BLUE, n), neg=ramp(VERMILLION, n), column=col)


def rate_colours() -> list[RGB]:
    """Colours of the RATE_BREAKS classes, most negative first: vermillion (loss) … neutral … blue (gain)."""
    k = (len(RATE_BREAKS) - 2) // 2  # classes on each side of the neutral one
    return ramp(VERMILLION, k + 1)[::-1][:k + 1] + [NEUTRAL] + ramp(BLUE, k + 1)


def rate_class(rate: float) -> int:
    """Class of a net migration rate (per 1,000) among RATE_BREAKS (0 = below the first)."""
    return int(np.searchsorted(np.asarray(RATE_BREAKS), rate, side="right"))
