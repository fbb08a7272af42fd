"""自然動態 / Natural change: births, deaths, rates, TFR, the city's published table, comparison."""
import streamlit as st

import queries
from charts import dynamics as dcharts
from queries import dynamics as dyn
from ui.download import offer
from ui.frame import caption, frame
from ui.i18n import fmt_int, period_text, t
from ui.sections import comparison, period_key, section_tabs, series_controls
from ui.show import chart
from queries import notes
from ui import coverage as cov

view = frame(__file__)
code, lang = view.code, view.lang
st.title(t("natural_title", name=view.name))

series = queries.vital_series(code)
if series.empty:
    st.info(t("unavailable_long", what=t("what_vital")))
    st.stop()
cov.evacuated_note(code, view.name)
official = series[series["source_id"] == "juki_dynamics"]
cov.coverage([("cov_vital", notes.latest_period(official)),
              ("cov_population", notes.latest_date(queries.latest_population(code)))])
source, nat = series_controls(series)
published = [s for s in dyn.sources_of(series) if not s.startswith("juki")]
opened, box = section_tabs(["trend", "tfr", *(["published"] if published else []), "compare"])
with box:
    if opened == "trend":
        sel = dyn.select_series(series, source, nat)
        names = {"births": t("births"), "deaths": t("deaths"), "natural_change": t("natural_change")}
        marks = cov.flow_marks(code, sel)
        chart(dcharts.flow_bars, sel, "births", "deaths", "natural_change", names, lang, t("chart_births_deaths"), marks)
        caption([source], "unit_persons", period_key(sel), cov.notes_line(
            code, sel, t("japanese_only_note") if (sel["scope"] == "japanese_only").any() else None))
        offer(sel, t("chart_births_deaths"), "dl_nat", area=view.area)
        if view.presenter:  # presenter mode: one main chart per screen
            st.stop()

        rates = dyn.select_series(dyn.rates((code,)), "juki_dynamics", nat)
        if rates.empty:
            st.info(t("rates_unavailable"))
        else:
            measures = {"birth_rate": t("birth_rate"), "death_rate": t("death_rate"), "natural_rate": t("natural_rate")}
            chart(dcharts.rate_lines, rates, measures, lang, t("chart_vital_rates"), cov.flow_marks(code, rates))
            caption(["juki_dynamics"], "per_1000", period_key(rates), t("rates_note"))
            offer(rates, t("chart_vital_rates"), "dl_rates", area=view.area)
    elif opened == "tfr":
        tfr = dyn.tfr(code)
        if not tfr.empty:
            chart(dcharts.tfr_lines, tfr, lang)
            caption(tfr["source_id"].unique(), "tfr", "period_cy", t("tfr_note"))
            if not (tfr["level"] == "area").any():
                st.caption(t("tfr_area_unavailable"))
            offer(tfr, t("sec_tfr"), "dl_tfr", area=view.area)
        else:
            st.info(t("unavailable_long", what=t("sec_tfr")))
    elif opened == "published":
        for pub in published:
            publisher = queries.sources(lang).loc[pub, "publisher"]
            st.subheader(t("published_table", publisher=publisher))
            table = dyn.published_table(series, pub, {"births": t("m_births"), "deaths": t("m_deaths"),
                                                      "natural_change": t("natural_change")})
            table.columns = [period_text(c, lang) for c in table.columns]
            st.dataframe(table.map(fmt_int), width="stretch")
            caption([pub], "unit_persons", "period_fy")
            offer(table.reset_index(names=t("measure")), t("published_table", publisher=publisher), f"dl_pub_{pub}",
                  area=view.area)
    else:
        comparison(view, "natural_rate", "natural_rate")
