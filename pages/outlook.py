"""地域の未来予測 / Outlook 2025–2060: the age groups behind service demand (保育, school age, working age, 65–74,
75+, 85+), dependency ratios, women aged 20–39 and the 人口戦略会議 criterion, a generated plain-language summary.
The scenario is the projection page's (same query parameters / session keys); IPSS beside it: 2018 where sex and
5-year ages are needed, the chosen vintage (default 2023, ?ipss=2018) for the dependency ratios."""
import streamlit as st

from charts import outlook as ocharts
from indicators import criterion_text
from indicators import outlook as ol
from indicators.definitions import VANISHING_THRESHOLD
from queries import outlook as qo
from queries import projections as qp
from queries.views import outlook as vo
from ui import outlook_view as ov
from ui import state
from ui.download import offer
from ui.frame import caption, frame
from ui.i18n import t
from ui.ipss import series_label, vintage_picker
from ui.show import chart_data

view = frame(__file__)
code, lang = view.code, view.lang
st.title(t("ol_title", name=view.name))
inputs = qp.inputs(code, qo.BASE)
if inputs is None:
    st.info(t("projection_unavailable", dates="2015–2022"))
    st.stop()
url = {k: st.query_params.get_all(k) for k in qo.SCENARIO_KEYS if k in st.query_params}
sc = vo.scenario(url, st.session_state, float(inputs.tfr_base), lang)
for key, value in [*sc["put"].items(), *((k, None) for k in sc["drop"])]:  # only values that differ
    state.write(key, value)
c1, c2 = st.columns([4, 1], vertical_alignment="center")
c1.markdown(sc["text"])
c2.page_link("pages/projection.py", label=t("ol_change_scenario"), icon=":material/tune:",
             query_params={"area": code, "lang": lang, **sc["link"]})

vintage = vintage_picker()
data = qo.tables(code, sc["scenario"], vintage)
table, women, unit = data["table"], data["women"], qp.ipss_unit(code, vintage)
ch = vo.choices(data, sc["trend"], vintage, unit, lang, series_label)
sources, groups, codes, name = ch["sources"], ch["groups"], ch["codes"], dict(ch["sources"])
s1, s2 = st.columns([3, 2])
if st.session_state.get("osrc") not in codes:  # another area may not have the source chosen before
    st.session_state.pop("osrc", None)
source = s1.segmented_control(t("ol_source"), codes, format_func=lambda k: name[k],
                              key=state.widget("osrc", codes, codes[0]), required=True) or codes[0]
years, last, start = vo.years(table, source, st.session_state.get("oy", 2040))
year = min(s2.select_slider(t("ol_year"), options=years, value=start, key="oy", bind="query-params"), last)
# ---------------------------------------------------------------- headline and generated summary
f, crit = ol.summary_facts(table, data["ratios_5y"], source, qo.BASE, year), vo.criteria(women, sources)
ov.headline(vo.metrics(f, crit.get(source), year, lang), vo.summary(f, crit, sources, source, year, lang))
chart_data(ocharts.demand_panels, table, sources, groups, lang, t("ol_chart_groups"), main=True)
ov.caption_5y("unit_persons", "ol_groups_note")
if view.presenter:  # presenter mode: the headline, summary and main chart only
    st.stop()
# ---------------------------------------------------------------- young women and the 人口戦略会議 criterion
st.subheader(t("ol_women_title"))
left, right = st.columns([3, 2])
with left:
    chart_data(ocharts.women_chart, women, sources, VANISHING_THRESHOLD, lang, t("ol_chart_women"))
with right:
    for line in vo.criterion_lines(crit, sources, lang):
        st.markdown(line)
    if "ipss" not in name:
        st.caption(t("ol_no_ipss"))
    st.info(criterion_text(lang), icon=":material/info:")
ov.caption_5y("unit_percent", "ol_women_note")
# ---------------------------------------------------------------- dependency ratios and the table
chart_data(ocharts.ratio_panels, data["ratios"], ch["ratio_sources"], ch["names"], lang, t("ol_chart_ratios"))
caption(["juki_age", qp.IPSS_SOURCE_ID[vintage]], "ol_unit_per_100", "period_date",
        vo.ratio_note(unit, view.name, lang))
st.subheader(t("ol_table_title", source=name[source]))
ov.table_tabs(vo.wide_tables(table, source, groups, lang))
st.caption(t("ol_table_note"))
offer(vo.download(table, sc["values"], groups), t("ol_table_title", source=name[source]), "dl_outlook", area=view.area)
