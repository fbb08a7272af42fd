"""Events on the time charts of an area (issue 17): the 2011 earthquake, the 2020 state of emergency and the
strategy's target date, placed on fiscal-year, calendar-year, date and year axes, never on other charts."""
from __future__ import annotations

import pandas as pd

from charts import events as ev
from charts import overview

QUAKE = {"event_date": "2011-03-11", "kind": "disaster", "label_ja": "東日本大震災", "label_en": "Great East Japan Earthquake"}
COVID = {"event_date": "2020-04-07", "kind": "pandemic", "label_ja": "緊急事態宣言（新型コロナ）", "label_en": "COVID-19 emergency"}


def _bars(labels):
    return {"data": {"values": [{"label": s, "v": 1} for s in labels]}, "mark": "bar",
            "encoding": {"x": {"field": "label", "type": "ordinal", "title": "期間"}, "y": {"field": "v", "type": "quantitative"}}}


def _rules(spec):
    return [layer for layer in spec.get("layer", [])
            if (layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]) == "rule"]


def test_fiscal_years_place_march_2011_in_fy2010_and_keep_the_axis_title():
    spec = _bars(["2009年度", "2010年度", "2011年度", "2019年", "2020年", "2021年"])
    out = ev.annotate(spec, [QUAKE, COVID], "ja")
    (rule,) = _rules(out)
    assert [r["label"] for r in rule["data"]["values"]] == ["2010年度", "2020年"]
    assert rule["encoding"]["x"]["title"] == "期間" and "layer" not in spec  # the input is not modified


def test_events_outside_the_axis_are_not_drawn_and_no_axis_is_extended():
    spec = _bars(["2013年度", "2014年度"])
    assert ev.annotate(spec, [QUAKE], "ja") is spec
    pyramid = {"data": {"values": [{"signed": -3, "age": "0〜4歳"}]}, "mark": "bar",
               "encoding": {"x": {"field": "signed", "type": "quantitative"}, "y": {"field": "age", "type": "nominal"}}}
    assert ev.annotate(pyramid, [QUAKE], "ja") is pyramid


def test_reference_dates_and_years():
    trend = pd.DataFrame({"ref_date": pd.to_datetime(["2010-03-31", "2011-03-31", "2012-03-31"] * 2),
                          "nationality": ["japanese"] * 3 + ["foreign"] * 3, "persons": [300000] * 3 + [2000] * 3})
    spec = overview.population_trend(trend, "ja").to_dict()
    (rule,) = _rules(ev.annotate(spec, [QUAKE], "ja"))
    assert rule["data"]["values"][0]["date"] == "2011-03-31"  # the first reference date after the quake
    summary = pd.DataFrame({"year": [2020, 2025, 2030, 2035], "total": [303000, 300000, 295000, 290000]})
    years = {"data": {"values": summary.to_dict("records")}, "mark": "line",
             "encoding": {"x": {"field": "year", "type": "quantitative"}, "y": {"field": "total", "type": "quantitative"}}}
    target = {"event_date": "2031-03-31", "kind": "target", "label_ja": "目標 295,000", "label_en": "Target 295,000"}
    (rule,) = _rules(ev.annotate(years, [QUAKE, target], "en"))
    (row,) = rule["data"]["values"]
    assert (row["year"], row["text"]) == (2031, "Target 295,000")
    assert row["right"]  # near the right edge, written to the left of its rule


def test_a_label_the_chart_already_writes_is_not_repeated():
    spec = _bars(["2010年度", "2011年度"])
    spec = {"layer": [spec, {"data": {"name": "marks"}, "mark": "text", "encoding": {"text": {"field": "t"}}}],
            "datasets": {"marks": [{"t": "東日本大震災"}]}}
    assert ev.annotate(spec, [QUAKE], "ja") is spec


def test_the_area_events_include_the_national_ones_and_its_target(bundled_db, monkeypatch):
    monkeypatch.setenv("POPDASH_DB", str(bundled_db))
    import queries

    kurume = queries.events("40203")
    assert {e["label_ja"] for e in kurume} >= {"東日本大震災", "緊急事態宣言（新型コロナ）", "目標 295,000"}
    assert next(e for e in kurume if e["kind"] == "target")["event_date"] == "2031-03-31"
    assert all(e["kind"] != "target" for e in queries.events("40000"))


def test_every_time_chart_of_a_page_carries_the_events(bundled_db, monkeypatch):
    from tests.playlists import page_charts

    charts = page_charts(bundled_db, "pages/natural_change.py", "40203")
    first = charts[0]["spec"]
    texts = [v.get("text") for layer in first["layer"] for v in (layer.get("data") or {}).get("values", [])
             if isinstance(v, dict)]
    assert "東日本大震災" in texts
