"""将来人口推計・シミュレーション / Projection and scenarios: three baselines, sliders, pyramid, inverse question."""
import streamlit as st

from charts import projection as pcharts
from queries import notes
from queries import projections as qp
from queries.views import projection as vp
from ui import projection_view as pv
from ui.download import offer
from ui.frame import caption, frame
from ui.i18n import t
from ui.show import chart_data

view = frame(__file__)
code, lang = view.code, view.lang
st.title(t("projection_title", name=view.name))
BASE = qp.base_year_or_none()
inputs = qp.inputs(code, BASE) if BASE is not None else None
if inputs is None:
    st.info(t("projection_unavailable", dates="2015–2022"))
    st.stop()
if notes.evacuated(code) is not None:  # registered residents largely live elsewhere since 2011
    st.warning(t("evacuated_projection", name=view.name), icon=":material/warning:")


@st.fragment
def scenario_panel() -> None:
    s = pv.live_controls(code, inputs) if view.presenter else pv.scenario_controls(code, inputs)
    result = qp.run(code, BASE, s["scenario"], st.session_state.get("_params"))
    summary = result["summary"]
    for col, metric in zip(st.columns(3), vp.metrics(summary, lang)):
        col.metric(**metric, border=True)
    totals = vp.totals(code, summary, s["vintage"], lang)
    chart_data(pcharts.totals_chart, totals["data"], totals["labels"], lang, t("chart_proj_total"), main=True)
    caption(totals["source_ids"], "unit_persons", "period_date",
            vp.method_note(inputs, summary, BASE, s["births"], s["fmethod"], lang))
    pv.ipss_unit_panel(code, s["vintage"], view)
    if (city := vp.city_diff(code, BASE, lang)) is not None:
        st.caption(city)
    if view.presenter:  # presenter mode: sliders, headline and the main chart only
        return
    for col, chart, title in zip(st.columns(2), (pcharts.age3_chart, pcharts.diff_bars),
                                 ("chart_proj_age3", "chart_diff")):
        with col:
            chart_data(chart, summary, lang, t(title))
    year = st.select_slider(t("pyramid_year"), options=summary["year"].tolist(), value=int(summary["year"].iloc[-1]),
                            key="pyr", bind="query-params")
    chart_data(pcharts.pyramid, result["pyramid"], year, BASE, lang, t("chart_pyramid", year=year, base=BASE))
    caption(["juki_age"], "unit_persons", "period_date")
    st.subheader(t("results_table"))
    pv.table(*vp.results_table(summary, lang), width="stretch")
    offer(summary.assign(**vp.download_params(BASE, inputs, s)), t("results_table"), "dl_projection",
          area=view.area, source_ids=["juki_age"])
    st.session_state.update(vp.session_after(summary, s["scenario"]))


@st.fragment
def inverse_panel() -> None:
    """Solved on request (about 80 ms), so moving a scenario slider stays instant."""
    st.subheader(t("inverse_title"))
    i1, i2, i3 = st.columns([2, 2, 1], vertical_alignment="bottom")
    target = i1.number_input(t("inv_target"), min_value=0, value=st.session_state["_baseline_last"], step=1000,
                             key="inv_n", bind="query-params")
    years = list(range(BASE + 5, st.session_state["_last_year"] + 1, 5))
    inv_year = i2.select_slider(t("inv_year"), options=years, value=years[-1], key="inv_y", bind="query-params")
    asked = i3.button(t("inv_solve"), key="inv_go", type="primary", icon=":material/calculate:")
    if not (asked or "inv_n" in st.query_params):
        st.caption(t("inv_hint"))
        return
    for line in vp.inverse_lines(code, BASE, st.session_state["_scenario"], target, inv_year,
                                 st.session_state.get("_params"), lang):
        st.markdown(line)


if view.presenter:
    scenario_panel()
    st.stop()
pv.parameters_panel(code, view.area["name_ja"], BASE, lang)
scenario_panel()
inverse_panel()
