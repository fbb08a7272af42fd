"""Cross-page view state (area, language, presenter flag) and its mirror in the URL.

Streamlit drops a widget's state and the URL query string when the user changes page, so plain
`st.session_state` keys hold the truth: on a session's first run they are read from the URL, frame widgets
start from them and write back in `on_change`, and every run writes them to `st.query_params` so the
address bar always restores the view (a copied link reopens the same area, language and mode).
"""
from __future__ import annotations

import streamlit as st

DEFAULTS = {"area": "40203", "lang": "ja", "presenter": False}
_INIT = "_view_initialised"


def _parse(key: str, raw: str):
    if key == "presenter":
        return raw in ("1", "true", "True")
    return raw


def init() -> None:
    """On the first run of a session, take the view from the URL (falling back to defaults)."""
    if st.session_state.get(_INIT):
        return
    params = st.query_params
    for key, default in DEFAULTS.items():
        st.session_state[key] = _parse(key, params[key]) if key in params else default
    st.session_state[_INIT] = True


def get(key: str):
    """Current value of a view key."""
    return st.session_state.get(key, DEFAULTS[key])


def set(key: str, value) -> None:  # noqa: A001 - mirrors st.session_state semantics
    st.session_state[key] = value


def sync_url() -> None:
    """Write the view keys to the address bar (presenter only when on; page-local keys are left alone)."""
    for key in DEFAULTS:
        value = st.session_state.get(key, DEFAULTS[key])
        if key == "presenter":
            if value:
                st.query_params[key] = "1"
            elif key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get(key) != str(value):
            st.query_params[key] = str(value)


def url_widget(key: str, options: list, default, multi: bool = False) -> str:
    """Prepare a page widget whose value lives in the URL as a *code* (?key=code, repeated for lists).

    Streamlit's bind="query-params" writes the formatted label into the URL, so a link would differ by
    language. Call this before creating the widget with `key=key` and no default; call `write_url(key)` after.
    """
    if key not in st.session_state:
        if multi:
            chosen = [v for v in st.query_params.get_all(key) if v in options]
            st.session_state[key] = chosen or list(default)
        else:
            value = st.query_params.get(key)
            st.session_state[key] = value if value in options else default
    return key


def write_url(key: str) -> None:
    """Mirror a url_widget's current value (codes) into the address bar."""
    value = st.session_state.get(key)
    if isinstance(value, (list, tuple)):
        st.query_params[key] = [str(v) for v in value]
    elif value is None:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = str(value)


def start(key: str, allowed, default) -> None:
    """Page-local view state: a widget keyed `key` starts from ?key= of the URL on the page's first run and falls
    back to `default` whenever its value is no longer offered (e.g. after the area changed)."""
    if st.session_state.get(key) not in allowed:
        url = st.query_params.get(key)
        st.session_state[key] = url if key not in st.session_state and url in allowed else default


def to_url(**values) -> None:
    """Write page widget values to the address bar (None removes the key) so a copied link restores the view."""
    for key, value in values.items():
        if value is None:
            st.query_params.pop(key, None)
        elif st.query_params.get(key) != str(value):
            st.query_params[key] = str(value)
