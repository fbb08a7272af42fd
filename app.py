"""概要 / Overview: headline figures, population and age structure trends, progress toward the target."""
import streamlit as st

import queries
from queries import notes
from queries import succession
from charts import overview as charts
from queries import projections as qp
from queries.views import overview as ov
from ui.show import render
from ui.download import offer
from ui.frame import caption, frame
from ui.show import chart
from ui.i18n import t
from ui.ipss import vintage_picker
from ui import coverage as cov

view = frame(__file__)
code, lang = view.code, view.lang
st.title(t("overview_title", name=view.name))
st.caption(f"{t('kind_' + view.area['kind'])}　{view.pref_name}　{code}")
cov.evacuated_note(code, view.name)

h = queries.headline(code)
for col, blocks in zip(st.columns(4), ov.cards(h, queries.sources(lang), lang)):
    with col:
        render(st, blocks)

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
    vintage = vintage_picker()
    tv = ov.target(trend, tg, qp.with_vintage(queries.projections_total(code), vintage))
    chart(charts.target_progress, tv["actual"], tv["proj"], tg.to_dict(), lang)
    st.markdown(ov.target_gap(tv["actual"], tg, lang))
    caption(tv["source_ids"], "unit_persons", "period_date", ov.target_note(tg, lang))
    offer(tv["proj"], t("chart_target"), "dl_proj", area=view.area)

diff = queries.published_vs_official(code)
if not diff.empty:
    with st.expander(t("published_vs_official")):
        st.caption(t("published_vs_official_note"))
        pv = ov.published_vs_official(diff, lang)
        st.dataframe(pv["frame"], hide_index=True, column_config={
            c: st.column_config.NumberColumn(label, format="localized") if c in ov.NUMBERS else label
            for c, label in pv["labels"].items()})
        offer(diff, t("published_vs_official"), "dl_diff", area=view.area)
