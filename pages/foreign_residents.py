"""外国人住民 / Foreign residents: register population and share, flows, net-migration share, pyramids,
nationality and residence status (prefecture level), the city's published statements."""
import streamlit as st

from charts import foreign as fcharts
from queries import foreign as qf
from queries import notes
from queries.views import foreign_residents as vf
from ui import coverage as cov
from ui.foreign_view import breakdown_tables, breakdowns, cards, pyramids, series, statements
from ui.frame import frame
from ui.i18n import t
from ui.sections import section_tabs

view = frame(__file__)
code, lang = view.code, view.lang
st.title(t("foreign_title", name=view.name))
st.caption(t("fr_intro"))
cov.evacuated_note(code, view.name)
_reg = qf.population(code)
cov.coverage([("cov_foreign", notes.latest_date(_reg[_reg["basis"] == "juki"])),
              ("cov_foreign_flows", notes.latest_period(qf.flows(code)))])

opened, box = section_tabs(["population", "flows", "age", "nationality"])
with box:
    if opened == "population":
        pop = qf.population(code)  # ---- population and share (住民基本台帳)
        reg = pop[pop["basis"] == "juki"]
        if reg.empty:
            st.info(t("unavailable_long", what=t("fr_what_population")))
        else:
            cards(vf.population_cards(reg, lang))
            left, right = st.columns(2)
            with left:
                series(fcharts.population, pop, t("fr_chart_population"), "period_date",
                       vf.population_note(pop, lang), "dl_fr_pop", view.area)
            if view.presenter:  # presenter mode: one main chart per screen
                st.stop()
            with right:
                series(fcharts.annual_change, qf.changes(pop), t("fr_chart_change"), "period_date",
                       t("fr_change_note"), "dl_fr_chg", view.area)
        said = qf.statements(code)  # ---- the city's own published statements
        if not said.empty:
            statements(said, t("fr_statements_heading", name=view.name), vf.statement_lines(said, lang), view.area)
    elif opened == "flows":
        flows = qf.flows(code)  # ---- flows and the foreign share of net migration (暦年)
        if flows.empty:
            st.info(t("unavailable_long", what=t("fr_what_flows")))
        else:
            left, right = st.columns(2)
            with left:
                series(fcharts.flows, flows, t("fr_chart_flows"), "period_cy", t("fr_flows_note"), "dl_fr_flows",
                       view.area)
            with right:
                series(fcharts.net_share, qf.net_share(flows), t("fr_chart_netshare"), "period_cy",
                       t("fr_netshare_note"), "dl_fr_share", view.area)
    elif opened == "age":
        pyr = qf.pyramid(code)  # ---- age pyramids
        if pyr.empty:
            st.info(t("unavailable_long", what=t("fr_what_age")))
        else:
            st.subheader(vf.pyramid_texts(pyr, False, lang)["heading"])
            same = st.toggle(t("fr_same_scale"), value=False, key="fscale", bind="query-params",
                             help=t("fr_same_scale_help"))
            pyramids(pyr, vf.pyramid_texts(pyr, same, lang), view.area)
    else:
        st.subheader(t("fr_moj_heading"))  # ---- nationality and residence status (在留外国人統計)
        moj = vf.nationality(code, view.area["kind"], view.name, view.pref_name, lang)
        if moj["empty"]:
            st.info(t("unavailable_long", what=t("fr_what_moj")))
        else:
            if moj["fallback"]:
                st.warning(moj["fallback"], icon=":material/info:")
            cards(moj["cards"])
            breakdowns(moj)
            with st.expander(t("fr_table")):
                breakdown_tables(moj)
