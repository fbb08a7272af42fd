"""The migration page's partner tables (pages/social_change.py is layout only): the top 10 partners in and out side
by side, then the metropolitan areas — counts localized, columns labelled in the session's language."""
from __future__ import annotations

import streamlit as st

from ui.download import offer
from ui.frame import caption
from ui.i18n import t
from ui.show import chart


def partner_tables(p: dict) -> None:
    """Render the rankings of queries.views.social_change.partners (`p`)."""
    number = lambda key: st.column_config.NumberColumn(t(key), format="localized")  # noqa: E731
    config = {"rank": "#", p["name_col"]: t("partner"), "in_movers": number("in_total"),
              "out_movers": number("out_total"), "net": number("net_movers")}
    st.markdown(f"**{p['title']}**")
    st.caption(p["source_line"])
    left, right = st.columns(2)
    for col, key in ((left, "in"), (right, "out")):
        with col:
            st.markdown(t("rank_" + key))
            st.dataframe(p["ranks"][key][p["cols"]].head(10), hide_index=True, column_config=config, width="stretch")
    st.markdown(f"**{t('metro_table')}**")
    st.dataframe(p["ranks"]["metro"][p["cols"]].drop(columns="rank"), hide_index=True, column_config=config)


def block(builder, args: tuple, cap: tuple, data, title: str, dl: str, area) -> None:
    """One chart of the page: `builder(*args)`, its caption (ui.frame.caption(*cap)) and the download of `data`."""
    chart(builder, *args)
    caption(*cap)
    offer(data, title, dl, area=area)
