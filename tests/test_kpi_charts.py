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
