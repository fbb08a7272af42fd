"""Chart builders and display tables of the KPI tracker for every plan, rule and indicator (schema-validated)."""
from __future__ import annotations

import pytest

from charts import kpi as kcharts
from kpi.tracker import detail


@pytest.fixture()
def kq(bundled_db, monkeypatch, tmp_path):
    monkeypatch.setenv("POPDASH_DB", str(bundled_db))
    monkeypatch.setenv("POPDASH_USER_DB", str(tmp_path / "user.duckdb"))
    from queries import kpi

    return kpi


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("rule", ["kama_ratio", "trajectory"])
def test_every_plan_renders(kq, rule, lang):
    for plan_id in kq.plans()["plan_id"]:
        values = kq.merged(plan_id)
        options, as_of = kq.evaluation_periods(plan_id, values)
        assert as_of in options
        graded = kq.graded(plan_id, rule, as_of, values)
        table = kq.display(graded, rule, lang)
        assert len(table) == len(graded) and table["kpi"].str.len().gt(0).all()
        assert table["reason"].str.len().gt(0).all()
        kcharts.grade_counts(kq.grade_bars(graded, lang), rule, lang).to_dict()
        spec = kcharts.progress_bars(kq.progress_frame(graded, table), rule, lang).to_dict()
        assert len(spec["datasets"]) >= 1
        for row in graded.to_dict("records"):
            s = detail(row, values)
            kcharts.detail(s["actual"], s["path"], s["projection"], row["kpi"], lang).to_dict()
        kq.counts(graded, lang)


def test_display_words(kq):
    g = kq.graded("kama2", "kama_ratio", "FY2024")
    t = kq.display(g, "kama_ratio", "ja").set_index("kpi_id")
    assert t.loc["kama2_k01", "actual"] == "19件（2020年度〜2024年度の累計）"
    assert t.loc["kama2_k01", "reason"] == "実績/目標 127%"
    assert t.loc["kama2_k09", ["grade", "reason"]].tolist() == ["× その他", "実績なし"]
    assert t.loc["kama2_k11", "reason"] == "文言の実績: 記録された評価"
    assert t.loc["kama2_g2_net_migration", "baseline"] == "▲2,071（平成22年⇒平成27年）"
    assert kq.fmt_value(-1833, "人", "ja") == "△1,833人" and kq.fmt_value(34.26, "%", "en") == "34.26%"


def test_census_and_register_are_two_lines_with_the_change_marked():
    """嘉麻市 目標人口: census 38,743 (2015) and 35,473 (2020), then the register's 34,143 (2025-01-01). The register
    counts more people than the census; joined into one line the gap looked like a change. Each basis is its own
    series and a rule marks where the basis changes."""
    import pandas as pd

    from kpi import tracker
    from tests.test_kpi_rules import seed_frames

    defs, values = seed_frames()
    linked = pd.DataFrame([{"kpi_id": "kama2_population", "period": "2025-01-01", "value": 34143.0,
                            "source_id": "juki_totals_2013_2025", "link": "2025-01-01", "basis": "juki"}])
    merged = tracker.merge_values(values[values["kpi_id"] == "kama2_population"], pd.DataFrame(), linked)
    row = defs[defs["kpi_id"] == "kama2_population"].iloc[0].to_dict()
    s = detail(row, merged)
    assert s["actual"][["value", "basis"]].values.tolist() == [[38743, "census"], [35473, "census"], [34143, "juki"]]
    spec = kcharts.detail(s["actual"], s["path"], s["projection"], "目標人口", "ja").to_dict()
    data = [r for d in spec["datasets"].values() for r in d]
    by_series = {}
    for r in data:
        if "series" in r:
            by_series.setdefault(r["series"], []).append(r["value"])
    assert by_series["実績（国勢調査）"] == [38743, 35473] and by_series["実績（住民基本台帳）"] == [34143]
    assert "実績" not in by_series  # no line joins the two bases
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]]
    assert "rule" in marks
    assert any(r.get("label") == "基準の変更: 国勢調査→住民基本台帳（差は人口の変化ではない）" for r in data)
    # one basis: one actual line as before
    one = kcharts.detail(s["actual"].iloc[:2], s["path"], s["projection"], "目標人口", "ja").to_dict()
    assert len(one["layer"]) == 1
