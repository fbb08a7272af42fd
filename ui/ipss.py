"""The IPSS vintage picker and labels shared by the pages that show the official baseline (概要, 将来推計, 地域の未来予測).

The vintage lives in the URL as ?ipss=2018 (absent = the default, 令和5年推計 2023) and in a plain session key, so it
survives a page change (Streamlit drops a widget's state and the query string on navigation; see ui.state).
"""
from __future__ import annotations

import streamlit as st

from queries import projections as qp
from ui import state
from ui.i18n import t

_KEPT = "_ipss_vintage"  # plain session key: the vintage picked on any page


def vintage_picker(container=None) -> str:
    """Draw the vintage control (segmented, in `container` or the page) and return '2023' or '2018'."""
    options = list(qp.IPSS_VINTAGES)
    key = state.widget("ipss", options, qp.IPSS_DEFAULT, start=st.session_state.get(_KEPT), quiet_default=True)
    value = (container or st).segmented_control(t("ipss_vintage"), options, format_func=lambda v: t("ipss_v_" + v),
                                                key=key, required=True, help=t("ipss_vintage_help"))
    value = qp.vintage(value)
    st.session_state[_KEPT] = value
    return value


def series_label(vintage: str, unit: dict | None, lang: str) -> str:
    """Legend label of the IPSS line: '社人研 令和5年推計', or for an area group '社人研 令和5年推計（浜通り地域…）'."""
    if unit and unit["is_group"]:
        return t("s_ipss_group", group=unit["name_ja" if lang == "ja" else "name_en"])
    return t("s_ipss_" + vintage)
