"""The one URL-state API of the pages (ui.state.widget / write): a widget starts from its code in the URL, falls
back to its default when the value is no longer offered, and the address bar follows every change (issue 21)."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _script():
    import streamlit as st

    from ui import state

    options = ["in", "out", "net"] if not st.session_state.get("few") else ["net"]
    st.selectbox("flow", options, key=state.widget("flow", options, options[0]))
    st.multiselect("areas", ["40203", "40202", "40000"], key=state.widget("xa", ["40203", "40202", "40000"], ["40203"],
                                                                         multi=True))
    st.selectbox("table", ["a", "b"], key=state.widget("tbl", ["a", "b"], "a", quiet_default=True))


def _q(at, key) -> list[str]:
    value = at.query_params[key]
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _run(**params) -> AppTest:
    at = AppTest.from_function(_script, default_timeout=30)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def test_a_widget_starts_from_its_code_in_the_url():
    at = _run(flow="out", xa=["40000", "99999"], tbl="b")
    assert at.selectbox(key="flow").value == "out" and at.multiselect(key="xa").value == ["40000"]
    assert at.selectbox(key="tbl").value == "b"
    assert _q(at, "xa") == ["40000"]  # a code no longer offered is dropped from the link too


def test_the_address_follows_each_change_and_defaults_are_kept_unless_quiet():
    at = _run()
    assert _q(at, "flow") == ["in"] and "tbl" not in at.query_params  # the link pins the view
    at.selectbox(key="flow").set_value("net").run()
    assert _q(at, "flow") == ["net"]
    at.selectbox(key="tbl").set_value("b").run()
    assert _q(at, "tbl") == ["b"]


def test_a_value_no_longer_offered_falls_back_to_the_default():
    at = _run(flow="out")
    at.session_state["few"] = True
    at.run()
    assert at.selectbox(key="flow").value == "net" and _q(at, "flow") == ["net"]
