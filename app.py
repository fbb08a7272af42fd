"""概要 / Overview: headline figures, population and age structure trends, progress toward the target."""
import streamlit as st

import formats
import queries
from queries import notes
from queries import succession
from charts import overview as charts
from queries import projections as qp
from ui.download import offer
from ui.frame import caption, frame
from ui.show import chart
from ui.i18n import fmt_date, fmt_int, fmt_period, t
from ui.ipss import vintage_picker
from ui import coverage as cov

view = frame()
code, lang = view.code, view.lang
st.title(t("overview_title", name=view.name))
st.caption(f"{t('kind_' + view.area['kind'])}　{view.pref_name}　{code}")
cov.evacuated_note(code, view.name)

h = queries.headline(code)
sources = queries.sources()
cols = st.columns(4)
with cols[0]:
    p = h["population"]
    if p:
        st.metric(t("card_population", date=fmt_date(p["date"])), fmt_int(p["total"]),
                  delta=None if p["prev_total"] is None else formats.metric_delta(p["total"] - p["prev_total"]),
                  delta_description=t("vs_prev_date", date=fmt_date(p["prev_date"])) if p["prev_total"] is not None else None,
                  help=t("card_population_help", jp=fmt_int(p["japanese"]), fr=fmt_int(p["foreign"]),
                         share="—" if p["foreign_share"] is None else f"{p['foreign_share']:.1f}%"),
                  border=True)
        st.caption(f"{t('nat_japanese')} {fmt_int(p['japanese'])}・{t('nat_foreign')} {fmt_int(p['foreign'])}")
    else:
        st.metric(t("card_population", date="—"), t("unavailable"), border=True)
for col, key, card in ((cols[1], "natural", "card_natural"), (cols[2], "social", "card_social")):
    with col:
        f = h[key]
        if f:
            st.metric(t(card, period=fmt_period(f["period"])), fmt_int(f["value"]),
                      delta=None if f["prev_value"] is None else formats.metric_delta(f["value"] - f["prev_value"]),
                      delta_description=None if f["prev_value"] is None else t("vs_prev_period", period=fmt_period(f["prev_period"])),
                      help=t("card_social_help") if key == "social" else None, border=True)
            st.caption(t("card_source", source=sources.loc[f["source_id"], "publisher"])
                       + ("" if f["nationality"] == "total" else f"（{t('scope_japanese_only')}）"))
        else:
            st.metric(t(card, period="—"), t("unavailable"), border=True)
with cols[3]:
    a = h["aging"]
    if a:
        st.metric(t("card_aging", date=fmt_date(a["date"])), f"{a['share']:.1f}%",
                  delta=None if a["prev_share"] is None else formats.metric_delta(a["share"] - a["prev_share"], 1, "pt"),
                  delta_description=None if a["prev_share"] is None else t("vs_prev_date", date=fmt_date(a["prev_date"])),
                  delta_color="off", help=t("card_aging_help"), border=True)
    else:
        st.metric(t("card_aging", date="—"), t("unavailable"), border=True)

cov.coverage([("cov_population", notes.latest_date(queries.population_trend(code))),
              ("cov_vital", h["natural"]), ("cov_migration", h["social"])])
left, right = st.columns(2) if not view.presenter else (st.container(), None)
with left:
    trend = queries.population_trend(code)
    if trend.empty:
        st.info(t("unavailable_long", what=t("what_population")))
    else:
        chart(charts.population_trend, trend, lang, succession.date_marks(code, trend, lang))
        caption(trend["source_id"].unique(), "unit_persons", "period_date", "  \n".join(filter(None, [
            t("chart_population_note"), cov.succession_note(code, trend)])))
        offer(trend, t("chart_population"), "dl_pop", area=view.area)
if view.presenter:  # presenter mode: one main chart per screen
    st.stop()
with right:
    age = queries.age3_trend(code)
    if age.empty:
        st.info(t("unavailable_long", what=t("what_age")))
    else:
        chart(charts.age3_trend, age, lang)
        caption(age["source_id"].unique(), "unit_percent", "period_date", t("chart_age3_note"))
        offer(age, t("chart_age3"), "dl_age", area=view.area)

targets = queries.targets(code)
target = targets[targets["linked_series"] == "population_total"]
if not target.empty:
    tg = target.iloc[0]
    actual = trend[(trend["nationality"] == "total")]
    vintage = vintage_picker()
    proj = qp.with_vintage(queries.projections_total(code), vintage)
    proj = proj[(proj["nationality"] == "total")]
    chart(charts.target_progress, actual, proj, tg.to_dict(), lang)
    last = actual.iloc[-1]
    gap = int(last["persons"] - tg["target_value"])
    st.markdown(t("target_gap", actual=fmt_int(last["persons"]), date=fmt_date(last["ref_date"]),
                  target=fmt_int(tg["target_value"]), gap=fmt_int(abs(gap)), dir=t("above" if gap >= 0 else "below")))
    caption([*actual["source_id"].unique(), tg["source_id"], *proj["source_id"].unique()], "unit_persons", "period_date",
            t("chart_target_note", kpi=tg["kpi"], target=fmt_int(tg["target_value"]), plan=tg["plan"]))
    offer(proj, t("chart_target"), "dl_proj", area=view.area)

diff = queries.published_vs_official(code)
if not diff.empty:
    with st.expander(t("published_vs_official")):
        st.caption(t("published_vs_official_note"))
        shown = diff.assign(period=diff["period"].map(fmt_period), measure=diff["measure"].map(lambda m: t("m_" + m)),
                            official_nationality=diff["official_nationality"].map(lambda n: t("nat_" + n)))
        st.dataframe(shown.drop(columns=["source_id"]), hide_index=True, column_config={
            "period": t("period"), "measure": t("measure"), "published": st.column_config.NumberColumn(t("published"), format="localized"),
            "official": st.column_config.NumberColumn(t("official"), format="localized"),
            "difference": st.column_config.NumberColumn(t("difference"), format="localized"),
            "official_nationality": t("scope")})
        offer(diff, t("published_vs_official"), "dl_diff", area=view.area)
