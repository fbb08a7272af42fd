"""Chart of the 精度 (projection accuracy) page: the back-test errors of one size class with the area marked."""
from __future__ import annotations

import altair as alt
import pandas as pd

from charts import ACCENT, GREY, style


def error_strip(frame: pd.DataFrame, own_pe: float | None, lang: str, title: str, axis_title: str) -> alt.LayerChart:
    """Histogram of percentage errors (frame column pe, percent; one row per municipality of the class) with a
    vertical rule at the area's own error ``own_pe`` (None = no rule). Unit: percent."""
    bars = alt.Chart(frame).mark_bar(color=GREY, opacity=0.8).encode(
        x=alt.X("pe:Q", bin=alt.Bin(maxbins=40), title=axis_title),
        y=alt.Y("count():Q", title=None),
        tooltip=[alt.Tooltip("count():Q", title="n")])
    layers = [bars]
    if own_pe is not None:
        layers.append(alt.Chart(pd.DataFrame({"pe": [own_pe]})).mark_rule(color=ACCENT, strokeWidth=3).encode(
            x="pe:Q", tooltip=[alt.Tooltip("pe:Q", format="+.2f", title=axis_title)]))
    return style(alt.layer(*layers).properties(height=260, title=title), lang)
