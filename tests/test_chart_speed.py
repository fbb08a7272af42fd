"""Chart builders never reach Altair's `SchemaBase.from_dict`.

Altair turns a channel given as a shorthand string ("y:Q"), a dict (alt.value, alt.condition, alt.datum) or a list
of strings into a channel object with `from_dict`, whose `_FromDict.__init__` hashes every schema class on each
call (~4–5 ms, vega/altair#3547): tens of ms per chart on a cold cache. Builders therefore give every channel as a
typed object (alt.Y, alt.ColorValue(..., condition=...), alt.XDatum, …). This test builds every public Altair
builder in charts/ on real data of the bundled database and counts `_FromDict.__init__` calls.
"""
from __future__ import annotations

import inspect

import altair as alt
import pandas as pd
import pytest

from charts import dynamics, foreign, indicators, kpi, outlook, overview, projection

KURUME, FUKUOKA = "40203", "40000"
MODULES = (dynamics, foreign, indicators, kpi, outlook, overview, projection)
#: Builders allowed to call _FromDict.__init__ (name: calls), each with the reason it cannot avoid it. None so far.
ALLOWED: dict[str, int] = {}


def chart_calls(lang: str) -> dict[str, tuple]:
    """{'module.builder': (builder, args)} for every Altair builder, with the inputs the pages give them for 久留米市
    (queries on the database of $POPDASH_DB)."""
    import indicators as ind
    import projection as pj
    import queries
    from indicators import outlook as ol
    from kpi.tracker import detail as kpi_detail
    from queries import dynamics as dyn
    from queries import foreign as qf
    from queries import indicators as qi
    from queries import kpi as kq
    from queries import outlook as qo
    from queries import projections as qp
    from ui.i18n import period_text

    calls: dict[str, tuple] = {}

    def add(builder, *args):
        calls[f"{builder.__module__.split('.')[-1]}.{builder.__name__}"] = (builder, args)

    # dynamics (natural and social change pages, the comparison section)
    vital = dyn.select_series(queries.vital_series(KURUME), "juki_dynamics", "total")
    add(dynamics.flow_bars, vital, "births", "deaths", "natural_change",
        {"births": "b", "deaths": "d", "natural_change": "n"}, lang, "t")
    mig = dyn.select_series(queries.migration_series(KURUME), "juki_dynamics", "total")
    add(dynamics.split_bars, mig.dropna(subset=["in_domestic", "in_abroad"]), lang, "t")
    rates = dyn.select_series(dyn.rates((KURUME,)), "juki_dynamics", "total")
    add(dynamics.rate_lines, rates, {"birth_rate": "b", "death_rate": "d", "natural_rate": "n"}, lang, "t")
    add(dynamics.tfr_lines, dyn.tfr(KURUME), lang)
    r = dyn.rates(tuple(dict.fromkeys([KURUME, *dyn.comparison_default(KURUME)]))[:8])
    r = r[(r["nationality"] == "total") & (r["period_kind"] == "CY")].copy()
    r["name"] = r["area_code"]
    latest = r[r["period_end"] == r["period_end"].max()].assign(period_label=lambda d: d["period"].map(
        lambda p: period_text(p, lang)))
    add(dynamics.ranked_bar, latest[["area_code", "name", "natural_rate", "period_label"]], "natural_rate", KURUME,
        lang, "t")
    add(dynamics.small_multiples, r[["area_code", "name", "year", "natural_rate"]], "natural_rate", KURUME, lang, "t")
    add(dynamics.waterfall, dyn.waterfall(KURUME, "CY2021"), lang, "t")
    flows = dyn.partner_flows(FUKUOKA)
    shown = flows[~flows["is_group"] & flows["partner_code"].str.endswith("000")]
    add(dynamics.flows_net_bar, shown.nlargest(10, "net"), lang, "t")
    youth = dyn.youth_net(KURUME)
    add(dynamics.youth_bars, youth[(youth["sex"] == "total") & (youth["age_group"] != "15-29")], lang, "t")
    add(dynamics.residual_age, qp.residual_migration(KURUME), lang, "t")

    # foreign residents
    pop, fflows, pyr = qf.population(KURUME), qf.flows(KURUME), qf.pyramid(KURUME)
    add(foreign.population, pop, lang, "t")
    add(foreign.annual_change, qf.changes(pop), lang, "t")
    add(foreign.flows, fflows, lang, "t")
    add(foreign.net_share, qf.net_share(fflows), lang, "t")
    add(foreign.pyramid, pyr, "foreign", lang, "t", qf.pyramid_max(pyr))
    nat = qf.breakdown(qf.residents(FUKUOKA), FUKUOKA, "nationality_country", lang)
    add(foreign.breakdown, nat.head(10), lang, "t", ["sub"], "a", "b", True)

    # indicator comparison
    table = qi.table()
    universe = table[table["level"] == "municipality"]
    codes = qi.peers(universe, KURUME, "pref")
    peers = qi.ranked(universe, "aging_rate", codes)
    shown = ind.window(peers, KURUME)
    bars = shown.assign(label=shown["area_code"], value=shown["aging_rate"],
                        selected=shown["area_code"] == KURUME)[["label", "value", "selected", "rank"]]
    add(indicators.ranked_bar, bars, "x", 1, float(peers["aging_rate"].median()), qi.axis_range(peers["aging_rate"]),
        lang, "t")
    sc = qi.scatter_points(universe, KURUME, codes, "aging_rate", "net_migration_rate")
    add(indicators.scatter, sc["points"].assign(name=sc["points"]["area_code"])[["name", "x", "y", "role"]], "x", "y",
        sc["medians"], lang, "t")

    # KPI tracker
    plan_id = kq.default_plan(KURUME)
    values = kq.merged(plan_id)
    rule = "kama_ratio"
    graded = kq.graded(plan_id, rule, kq.evaluation_periods(plan_id, values)[1], values)
    add(kpi.grade_counts, kq.grade_bars(graded, lang), rule, lang)
    add(kpi.progress_bars, kq.progress_frame(graded, kq.display(graded, rule, lang)), rule, lang)
    s = kpi_detail(graded.iloc[0].to_dict(), values)
    add(kpi.detail, s["actual"], s["path"], s["projection"], "t", lang)

    # outlook
    base_tfr = float(qp.inputs(KURUME, qo.BASE).tfr_base)
    data = qo.tables(KURUME, qo.scenario_of(qo.scenario_values({"tfr": ["1.8"]}, {}, base_tfr)))
    sources = tuple((k, k) for k in qo.SOURCES if k in set(data["table"]["source"]))
    add(outlook.demand_panels, data["table"], sources, tuple((g, g) for g, _, _ in ol.GROUPS), lang, "t")
    add(outlook.ratio_panels, data["ratios"], sources, tuple((k, k) for k in ol.RATIOS), lang, "t")
    add(outlook.women_chart, data["women"], sources, -50.0, lang, "t")

    # overview
    trend = queries.population_trend(KURUME)
    add(overview.population_trend, trend, lang)
    add(overview.age3_trend, queries.age3_trend(KURUME), lang)
    target = queries.targets(KURUME)
    target = target[target["linked_series"] == "population_total"].iloc[0].to_dict()
    proj = queries.projections_total(KURUME)
    add(overview.target_progress, trend[trend["nationality"] == "total"], proj[proj["nationality"] == "total"], target,
        lang)

    # projection
    result = qp.run(KURUME, 2020, pj.Scenario(steps=8, tfr_target=1.8, tfr_year=2060, migration_points=0.5))
    summary = result["summary"]
    lines = qp.comparison_lines(KURUME, summary)
    band = summary[["year", "band_low", "band_high"]].rename(columns={"band_low": "low", "band_high": "high"})
    labels = tuple((k, k) for k in projection.SERIES_COLOURS if k in set(lines["series"]))
    add(projection.totals_chart, pd.concat([lines, band.assign(series="band")], ignore_index=True), labels, lang, "t")
    add(projection.age3_chart, summary, lang, "t")
    add(projection.diff_bars, summary, lang, "t")
    add(projection.pyramid, result["pyramid"], 2040, 2020, lang, "t")
    return calls


def build(builder, args):
    """The builder's chart as on a cold page render (no chart-level caches left from an earlier build)."""
    foreign._config.cache_clear()
    return builder(*args)


@pytest.fixture(scope="module")
def calls(bundled_db, tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("POPDASH_DB", str(bundled_db))
    mp.setenv("POPDASH_USER_DB", str(tmp_path_factory.mktemp("user") / "user.duckdb"))
    try:
        yield {lang: chart_calls(lang) for lang in ("ja", "en")}
    finally:
        mp.undo()


def test_every_altair_builder_is_covered(calls):
    """A new builder must be added to chart_calls (so it is checked here too)."""
    public = {f"{m.__name__.split('.')[-1]}.{name}" for m in MODULES for name, fn in vars(m).items()
              if inspect.isfunction(fn) and fn.__module__ == m.__name__ and not name.startswith("_")
              and "alt." in str(inspect.signature(fn).return_annotation)}
    assert set(calls["ja"]) == public, sorted(public ^ set(calls["ja"]))


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_builders_never_call_from_dict(calls, lang, monkeypatch):
    from altair.utils import schemapi

    count = {"n": 0}
    real = schemapi._FromDict.__init__

    def counting(self, *args, **kwargs):
        count["n"] += 1
        return real(self, *args, **kwargs)

    monkeypatch.setattr(schemapi._FromDict, "__init__", counting)
    alt.Chart(pd.DataFrame({"a": [1]})).mark_point().encode(x="a:Q")  # the counter sees a shorthand string
    assert count["n"] >= 1
    used = {}
    for name, (builder, args) in calls[lang].items():
        count["n"] = 0
        build(builder, args).to_dict(validate=False)  # what ui.show sends
        used[name] = count["n"]
    slow = {name: n for name, n in used.items() if n > ALLOWED.get(name, 0)}
    assert not slow, f"builders calling altair's _FromDict.__init__ ({lang}; builder: calls): {slow}"
