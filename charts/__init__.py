"""Pure chart builders: DataFrame (+ language) -> altair.Chart / pydeck.Deck. No Streamlit calls here.

Every encoding channel is a typed object (alt.Y("v:Q"), alt.Detail(...), alt.ColorValue("#333"), alt.XDatum(0),
alt.ColorValue(GREY, condition={"test": alt.datum.selected, "value": ACCENT}) for a condition), never a shorthand
string, a dict, alt.value, alt.datum(...) or alt.condition: Altair turns those into channels with `from_dict`, which
rebuilds its schema lookup table on every call (~4–5 ms each, vega/altair#3547). tests/test_chart_speed.py checks it.
"""
from __future__ import annotations

from i18n import tr as _tr

FONT = "Noto Sans CJK JP, Noto Sans JP, Hiragino Sans, Yu Gothic, Meiryo, sans-serif"
#: Okabe–Ito colours (colour-blind safe).
JAPANESE, FOREIGN, ACCENT, GREY = "#0072B2", "#E69F00", "#D55E00", "#999999"
AGE_COLOURS = ["#009E73", "#0072B2", "#D55E00"]


def tr(key: str, lang: str, **fmt) -> str:
    """UI string `key` in `lang`, formatted with `fmt` (charts are pure: the language is passed in, not read from
    the session)."""
    return _tr(key, lang, **fmt)


def style(chart, lang: str):
    """Common look: CJK-capable fonts, readable sizes, legends on top.

    Streamlit fits charts to their `height` including axes and legend, so heights here are whole-chart heights.
    """
    return (chart.configure(font=FONT)
            .configure_axis(labelFontSize=13, titleFontSize=14)
            .configure_legend(labelFontSize=13, titleFontSize=13, orient="top", labelLimit=0)
            .configure_title(fontSize=16, anchor="start"))
