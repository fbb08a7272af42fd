"""Server-side render time of a Streamlit page, measured around ScriptRunner._run_script.

AppTest adds its own polling and component discovery (~300 ms) around each run; that is test-harness time,
not what a user waits for. Wrapping `_run_script` measures the script run as the server executes it.
"""
from __future__ import annotations

import functools
import time

import streamlit as st

from streamlit.runtime.scriptrunner import script_runner

TIMES_MS: list[float] = []
_original = script_runner.ScriptRunner._run_script


def _timed(self, rerun_data):
    t0 = time.perf_counter()
    try:
        return _original(self, rerun_data)
    finally:
        TIMES_MS.append((time.perf_counter() - t0) * 1000)


script_runner.ScriptRunner._run_script = _timed

#: Wall time of each fragment body (name, ms): a slider inside a fragment reruns only that body on a server.
FRAGMENT_MS: list[tuple[str, float]] = []
_original_fragment = st.fragment


def _timed_fragment(func=None, **kwargs):
    def decorate(f):
        @functools.wraps(f)
        def body(*a, **k):
            t0 = time.perf_counter()
            try:
                return f(*a, **k)
            finally:
                FRAGMENT_MS.append((f.__name__, (time.perf_counter() - t0) * 1000))
        return _original_fragment(body, **kwargs)
    return decorate(func) if func is not None else decorate


st.fragment = _timed_fragment


def run_page(app: str, params: dict, page: str | None = None, timeout: float = 60) -> tuple[float, object]:
    """Run `page` (a pages/ script, or the main app when None) once in a fresh AppTest session of `app`
    with URL `params`; return (server ms, AppTest)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(app, default_timeout=timeout)
    for k, v in params.items():
        at.query_params[k] = v
    if page:
        at.switch_page(page)
    before = len(TIMES_MS)
    at.run()
    return sum(TIMES_MS[before:]), at
