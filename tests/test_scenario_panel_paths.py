"""The scenario panel's per-rerun paths after the CPU work of issue 20 (benchmarks/bench_load.py measures the time):
each fast path must give exactly what the straightforward construction gave — the city's published improvement
(久留米市 人口ビジョン: +12,026 persons in 2060), the comparison and fan-chart frame, the pyramid's long frame and the
records a chart's spec carries (playlists and the image export reuse that spec, so it stays complete JSON)."""
from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

import projection as pj

KURUME = "40203"


@pytest.fixture()
def national(national_db, monkeypatch):
    monkeypatch.setenv("POPDASH_DB", str(national_db))
    return national_db


def test_city_improvement_is_the_published_difference(national):
    from queries import projections as qp

    city = qp.city_improvement(KURUME).set_index("year")["city_diff"]
    assert city[2060] == 12_026  # 253,680 improved − 241,654 baseline (人口ビジョン 2025)
    assert city[2030] == 295_530 - 294_044
    city_again = qp.city_improvement(KURUME)
    city_again.loc[:, "city_diff"] = 0  # a caller's change must not reach the next slider move (cached per area)
    assert qp.city_improvement(KURUME).set_index("year")["city_diff"][2060] == 12_026
    assert qp.city_improvement("40131").empty  # 福岡市東区 publishes no improvement scenario
    compare = qp.improvement_comparison(KURUME, qp.base_year())
    assert compare["year"].tolist() == [2030, 2035, 2060] and compare["city"].tolist() == [1486, 3081, 12_026]
    assert compare["ours"].iloc[-1] > 0  # this app's reading of the same scenario also gains people


def _reference_totals(qp, vp, code, summary, vintage):
    """The comparison and fan frame as it was built before: concat of the parts, then the two bands."""
    actual, published = qp._fixed_lines(code, qp.official.cache_key(), vintage)
    app = [pd.DataFrame({"year": summary["year"], "persons": summary["baseline_total"], "series": "app_baseline",
                         "source_id": "juki_age"}),
           pd.DataFrame({"year": summary["year"], "persons": summary["total"], "series": "app_scenario",
                         "source_id": "juki_age"})]
    lines = pd.concat([actual, *app, published], ignore_index=True).astype({"year": int, "persons": float})
    bands = [summary[["year", f"band{q}_low", f"band{q}_high"]].set_axis(["year", "low", "high"], axis=1).assign(
        series=f"band{q}") for q in (80, 50)]
    return lines, pd.concat([lines, *bands], ignore_index=True)


@pytest.mark.parametrize("code", [KURUME, "40448", "13101", "07547"])  # city (own scenarios), village, ward, 浜通り
def test_comparison_and_fan_frame_equal_the_concat(national, code):
    from queries import projections as qp
    from queries.views import projection as vp

    base = qp.base_year()
    summary = qp.run(code, base, vp.scenario(1.7, 2060, 0.5, (10, 30), 0.0, "ccr", "cwr"))["summary"]
    for vintage in ("2023", "2018"):
        lines, data = _reference_totals(qp, vp, code, summary, vintage)
        got = qp.comparison_lines(code, summary, vintage)
        pd.testing.assert_frame_equal(got, lines)
        totals = vp.totals(code, summary, vintage, "ja")
        pd.testing.assert_frame_equal(totals["data"], data)
        assert list(totals["source_ids"]) == list(lines["source_id"].unique())
    assert set(lines["series"]) >= {"actual", "app_baseline", "app_scenario"}
    actual = lines[lines["series"] == "actual"]
    assert actual["persons"].gt(0).all() and actual["year"].is_monotonic_increasing


@pytest.mark.parametrize("shape, codes", [((9, 2, 19), None), ((3, 9, 2, 19), ["40203", "40131", "13101"]),
                                          ((2, 2, 5), None)])
def test_long_frame_equals_the_product_index(shape, codes):
    pop = np.random.default_rng(7).random(shape) * 1000
    years = list(range(2020, 2020 + 5 * shape[-3], 5))
    got = pj.long_frame(pop, years, codes)
    n = shape[-1]
    ages = pj.AGES if n == len(pj.AGES) else tuple(f"{5 * i}-{5 * i + 4}" for i in range(n - 1)) + (f"{5 * (n - 1)}+",)
    idx = {"year": years, "sex": list(pj.SEXES), "age_group": list(ages)}
    if codes is not None:
        idx = {"area_code": codes, **idx}
    expected = pd.DataFrame({"persons": pop.reshape(-1)},
                            index=pd.MultiIndex.from_product(list(idx.values()), names=list(idx))).reset_index()
    pd.testing.assert_frame_equal(got, expected)
    assert got.loc[1, ["sex", "age_group"]].tolist() == ["male", ages[1]]


def _chart_spec(monkeypatch, builder, data, *static):
    import ui.show as show

    seen = []
    monkeypatch.setattr(show.st, "vega_lite_chart", lambda spec, **kwargs: seen.append(spec))
    show.chart_data(builder, data, *static)
    (spec,) = seen
    return spec


def test_chart_records_are_what_to_json_writes(monkeypatch):
    """NaN and ±inf become null, missing strings null, datetimes epoch ms; the spec stays plain JSON."""
    from charts import projection as pcharts

    frame = pd.DataFrame({"year": [2020, 2025, 2030], "persons": [1.5, np.nan, np.inf],
                          "series": pd.array(["actual", None, "ipss"], dtype="str"),
                          "source_id": ["juki", "juki", None], "low": [np.nan, 2.25, -np.inf],
                          "high": [np.nan, 3.0, 4.0], "flag": [True, False, True],
                          "when": pd.to_datetime(["2020-01-01", None, "2030-03-31"]),
                          "n": pd.array([1, None, 3], dtype="Int64")})
    spec = _chart_spec(monkeypatch, pcharts.totals_chart, frame, (("actual", "実績"),), "ja", "t")
    (name,) = spec["datasets"]
    records = spec["datasets"][name]
    with pytest.warns(Warning):  # pandas announces ISO dates for to_json; the values are still epoch ms
        expected = json.loads(frame.to_json(orient="records"))
    assert records == expected
    assert records[1]["persons"] is None and records[2]["persons"] is None and records[2]["low"] is None
    assert records[0]["when"] == 1577836800000 and records[1]["n"] is None
    assert json.loads(json.dumps(spec)) == spec  # complete Vega-Lite JSON: data included, nothing but JSON types
    assert spec["data"] == {"name": name} and len(spec["layer"]) == 3  # the layers read the named dataset


def test_chart_spec_keeps_full_precision_of_real_projection(national, monkeypatch):
    from charts import projection as pcharts
    from queries import projections as qp
    from queries.views import projection as vp

    summary = qp.run(KURUME, qp.base_year(), vp.scenario(1.8, 2060, 0.0, (10, 30), 0.0, "ccr", "cwr"))["summary"]
    spec = _chart_spec(monkeypatch, pcharts.age3_chart, summary, "ja", "t")
    (records,) = spec["datasets"].values()
    assert len(records) == len(summary) == 9
    assert [r["year"] for r in records] == summary["year"].tolist()
    for r, (_, row) in zip(records, summary.iterrows()):
        assert r["total"] == row["total"] and r["pop_65p"] == row["pop_65p"]
        assert (r["births"] is None) == math.isnan(row["births"])  # the base year has no births of its own
    assert records[0]["births"] is None and records[-1]["births"] > 0


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_results_table_equals_assign_and_rename(national, lang):
    from queries import projections as qp
    from queries.views import projection as vp

    summary = qp.run(KURUME, qp.base_year(), vp.scenario(1.6, 2050, -0.5, (20, 40), 5.0, "counts", "asfr"))["summary"]
    got, config = vp.results_table(summary, lang)
    table = summary.assign(**{c: 100 * summary[c] for c in vp.SHARES})
    table = table.assign(**{c: table[c].round() for c in vp.PERSONS})
    names = list(config)  # display names: the persons, the shares, then the year
    expected = table[["year", "total", "japanese", "foreign", "baseline_total", "diff_total", *vp.SHARES]]
    expected = expected.set_axis([names[-1], *names[:-1]], axis=1)
    pd.testing.assert_frame_equal(got, expected)
    assert got.iloc[0, 1] == round(summary["total"].iloc[0]) > 300_000  # 久留米市 in 2025: about 300,000 people
    assert 25 < got.iloc[0, -1] < 35  # aged 65+ in percent
