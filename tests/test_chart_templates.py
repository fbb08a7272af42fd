"""ui.show.chart_data builds a chart's spec once per (builder, columns, static arguments) from the first data it
sees and afterwards only swaps the data in. For every builder the pages draw this way, across areas and scenarios,
the swapped spec must equal the spec built from the data itself (else a chart would keep another area's scale,
title or layers)."""
from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO

PAGES = {"pages/projection.py": {"tfr": "1.8"}, "pages/outlook.py": {}, "pages/indicators.py": {}}
AREAS = ["40203", "40448", "40131", "40000", "13101"]  # city, village, ward, prefecture, special ward


def _split(spec: dict) -> tuple[str, list]:
    """(the spec without its data, with the dataset's name replaced; the data records)."""
    (name,) = spec["datasets"]
    rest = json.dumps({k: v for k, v in spec.items() if k != "datasets"}, sort_keys=True, ensure_ascii=False)
    return rest.replace(name, "DATA"), spec["datasets"][name]


def _same_records(a: list, b: list) -> bool:
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        if x.keys() != y.keys():
            return False
        for k in x:
            if isinstance(x[k], float) or isinstance(y[k], float):
                if x[k] is None or y[k] is None or abs(x[k] - y[k]) > 1e-9 * max(1.0, abs(y[k])):
                    if not (x[k] is None and y[k] is None):
                        return False
            elif x[k] != y[k]:
                return False
    return True


@pytest.fixture(scope="module")
def calls(national_db):
    """Every chart_data call the pages make, in order: (builder, data, static arguments)."""
    import ui.show as show

    seen = []
    real = show.chart_data

    def record(builder, data, *static, **kwargs):
        seen.append((builder, data.copy(), static))
        return real(builder, data, *static, **kwargs)

    mp = pytest.MonkeyPatch()
    mp.setattr(show, "chart_data", record)
    mp.setenv("POPDASH_DB", str(national_db))
    try:
        for page, params in PAGES.items():
            for code in AREAS:
                at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
                for key, value in {"area": code, **params}.items():
                    at.query_params[key] = value
                at.switch_page(page)
                at.run()
                assert not at.exception, (page, code, [e.value for e in at.exception])
    finally:
        mp.undo()
    return seen


def test_every_page_drew_through_templates(calls):
    names = {builder.__name__ for builder, _, _ in calls}
    assert {"totals_chart", "age3_chart", "pyramid", "demand_panels", "ratio_panels", "scatter"} <= names


def test_swapped_spec_equals_the_spec_built_from_the_data(calls):
    from ui.show import _template_key

    first = {}
    compared = reused = 0
    for builder, data, static in calls:
        key = (builder.__module__, builder.__name__, _template_key(data), static)
        sample = first.setdefault(repr(key), data.head(1))
        reused += not sample.equals(data.head(1))  # the template came from other data
        skeleton = builder(sample, *static).to_dict(validate=False)
        (name,) = skeleton["datasets"]
        swapped = {**skeleton, "datasets": {name: json.loads(data.to_json(orient="records"))}}
        full = builder(data, *static).to_dict(validate=False)
        (swapped_spec, swapped_data), (full_spec, full_data) = _split(swapped), _split(full)
        assert swapped_spec == full_spec, builder.__name__
        assert _same_records(swapped_data, full_data), builder.__name__
        compared += 1
    assert compared >= 3 * len(AREAS)
    assert reused >= len(AREAS), reused  # templates really were shared between areas
