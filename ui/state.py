"""The address bar as the view's state — the one owner of `st.query_params` writes.

- The frame's view keys (area, language, presenter): plain `st.session_state` keys hold the truth (Streamlit drops
  widget state and the query string on a page change); read from the URL on a session's first run (init), written
  back every run (sync_url).
- A page's choice widgets: `key=state.widget(key, options, default)` — codes in the URL, the same in either
  language, written as they change (and re-synced at the start of the next run by sync_widgets).
- Free-valued widgets (sliders, numbers, text): Streamlit's own `bind="query-params"`.
- Anything else a page puts in the URL (the open tab, a scenario carried from another page): `state.write`.
"""
from __future__ import annotations

import streamlit as st

DEFAULTS = {"area": "40203", "lang": "ja", "presenter": False}
_INIT = "_view_initialised"
_WIDGETS = "_url_widgets"  # page -> {key: the default left out of the URL, or None} of its widget() keys


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
        write(key, ("1" if value else None) if key == "presenter" else value)


def _codes(value) -> list[str] | str | None:
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return None if value is None else str(value)


def write(key: str, value, default=None) -> None:
    """Put `value` in the address bar as ?key= (a list as repeated keys); removed when it is None, empty or equal
    to `default` (a link leaves out what a fresh view would show anyway)."""
    if value is None or value == [] or value == () or (default is not None and value == default):
        st.query_params.pop(key, None)
    elif st.query_params.get_all(key) != (_codes(value) if isinstance(value, (list, tuple)) else [_codes(value)]):
        st.query_params[key] = _codes(value)


def widget(key: str, options, default, multi: bool = False, start=None, quiet_default: bool = False) -> str:
    """The one way a page widget keeps its value in the address bar, as a *code* (?key=code, repeated for a
    list), the same in either language. Call it as the widget's key — `st.selectbox(label, options,
    key=state.widget("pp", options, default))`, no default on the widget itself.

    The widget starts from the URL on its first use in the session (else from `start`, else `default`), falls back
    to `default` whenever its value is no longer offered (e.g. after the area changed; a list keeps what is still
    offered), and its value is written to the address bar now and, after the user changes it, by sync_url() at the
    start of the next run — so a copied link is never a step behind. (Free-valued widgets — sliders, numbers,
    text — use Streamlit's own bind="query-params", which writes their value as is.) The value is written even when
    it is the default (a link pins the view, e.g. a KPI page's evaluation year), unless `quiet_default` (the data
    explorer, the IPSS vintage: short links where the default never changes)."""
    allowed = list(options)
    text = {str(o): o for o in allowed}
    if key not in st.session_state:
        raw = st.query_params.get_all(key)
        if multi:
            chosen = [text[v] for v in raw if v in text]
            st.session_state[key] = chosen if raw else list(default if start is None else start)
        else:
            value = text.get(raw[-1]) if raw else None
            fallback = start if start in allowed else default
            st.session_state[key] = value if value is not None else fallback
    current = st.session_state[key]
    if multi:
        kept = [v for v in (current or []) if v in allowed]
        if kept != list(current or []):
            st.session_state[key] = kept
    elif current not in allowed:
        st.session_state[key] = default
    page = st.session_state.get("_page", "app.py")
    quiet = default if quiet_default else None
    st.session_state.setdefault(_WIDGETS, {}).setdefault(page, {})[key] = quiet
    write(key, st.session_state[key], quiet)
    return key


def sync_widgets() -> None:
    """At the start of a run: the address bar takes the values the user just gave the page's url widgets (their
    keys, registered by widget(), hold the new values before the script runs)."""
    page = st.session_state.get("_page", "app.py")
    for key, quiet in st.session_state.get(_WIDGETS, {}).get(page, {}).items():
        if key in st.session_state:
            write(key, st.session_state[key], quiet)
