"""Issue 17 (charts that read right on a projector): axes in 人 with thousands separators (never d3 SI "14k"), dates
on axes as 1995年3月 / Mar 1995 (never ISO "1995-03"), legends wrapped in columns so long labels are not cut, the
outlook's small panels two to a row so they fit the page's ~900 px column at 1366 and 1440 px."""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO


def walk(spec, key: str):
    """Every value of `key` anywhere in a Vega-Lite spec (nested dicts and lists)."""
    if isinstance(spec, dict):
        for k, v in spec.items():
            if k == key:
                yield v
            yield from walk(v, key)
    elif isinstance(spec, list):
        for v in spec:
            yield from walk(v, key)


def page_specs(db, monkeypatch, page: str, **params) -> list[dict]:
    monkeypatch.setenv("POPDASH_DB", str(db))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page != "app.py":
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def vega_label(expr: str, value: str) -> str:
    """Evaluate a Vega labelExpr on datum.value (the few Vega functions it uses mapped to JavaScript)."""
    js = ("const slice=(s,a,b)=>s.slice(a,b), toNumber=Number; const datum={value:%s}; "
          "process.stdout.write(String(eval(%s)));") % (json.dumps(value), json.dumps(expr))
    return subprocess.run(["node", "-e", js], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("page", ["app.py", "pages/outlook.py", "pages/projection.py"])
def test_no_axis_is_written_in_si_units(national_db, monkeypatch, page):
    specs = page_specs(national_db, monkeypatch, page, area="40203")
    assert specs
    formats = [f for spec in specs for axis in walk(spec, "axis") if isinstance(axis, dict)
               for f in [axis.get("format")] if f is not None]
    assert formats and not [f for f in formats if f.strip("~,") in ("s", ".2s", ".3s")], formats
    assert all(f in (",d", "d", ",.0f", "%Y") or f.startswith(",") for f in formats), formats


def test_outlook_panels_fit_the_page_at_1366_and_1440(national_db, monkeypatch):
    specs = page_specs(national_db, monkeypatch, "pages/outlook.py", area="40203")
    facets = [s for s in specs if "facet" in s]
    assert len(facets) == 2  # the service-demand groups and the dependency ratios
    for spec in facets:
        # two panels to a row, each with ~80 px of axis and spacing, inside the ~900 px column (sidebar open)
        assert spec["columns"] == 2 and 2 * (spec["spec"]["width"] + 80) <= 900
        y = [enc["y"] for enc in walk(spec, "encoding") if "y" in enc][0]
        assert y.get("axis", {}).get("format") in (None, ",d")
    demand = facets[0]
    assert [enc["y"]["title"] for enc in walk(demand, "encoding") if "y" in enc][0] == "人口（人）"


def test_population_axis_reads_year_and_month(national_db, monkeypatch):
    monkeypatch.setenv("POPDASH_DB", str(national_db))
    import queries
    from charts import overview as oc

    trend = queries.population_trend("40203")
    first = str(trend["ref_date"].astype(str).min())
    assert first == "1995-03-31"  # 住民基本台帳 as of 31 March until 2012, 1 January after
    for lang, want in (("ja", "1995年3月"), ("en", "Mar 1995")):
        spec = oc.population_trend(trend, lang).to_dict()
        expr = next(a["labelExpr"] for a in walk(spec, "axis") if isinstance(a, dict) and "labelExpr" in a)
        if shutil.which("node"):
            assert vega_label(expr, first) == want
            assert vega_label(expr, "2025-01-01") == ("2025年1月" if lang == "ja" else "Jan 2025")
        assert "slice(datum.value, 0, 7)" not in expr  # not the ISO '1995-03'


def test_legends_wrap_in_columns(national_db, monkeypatch):
    monkeypatch.setenv("POPDASH_DB", str(national_db))
    import queries
    from charts import overview as oc

    spec = oc.age3_trend(queries.age3_trend("40203"), "ja").to_dict()
    legends = {ch: enc[ch]["legend"] for enc in walk(spec, "encoding") for ch in ("color", "strokeDash")
               if ch in enc and "legend" in enc[ch]}
    # one legend above, one below, each in two columns: never two long legends side by side past the edge
    assert legends["color"] == {"columns": 2, "orient": "top"} and legends["strokeDash"] == {"columns": 2, "orient": "bottom"}
    for page in ("pages/projection.py", "pages/outlook.py"):
        specs = page_specs(national_db, monkeypatch, page, area="40203")
        colours = [enc["color"] for s in specs for enc in walk(s, "encoding") if "color" in enc
                   and isinstance(enc["color"], dict) and enc["color"].get("field") in ("label", "source_label", "group")]
        assert colours and all(c.get("legend", {}).get("columns", 0) >= 1 for c in colours), page
        assert all(c["legend"]["columns"] <= 3 for c in colours)
        if page.endswith("projection.py"):  # the 年齢3区分 areas (half width): two columns, 老年人口 not cut off
            assert [c["legend"]["columns"] for c in colours if c["field"] == "group"] == [2]
