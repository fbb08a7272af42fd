"""社会動態 / Migration: in- and out-migrants, domestic/abroad, rates, partners, waterfall, comparison."""
import streamlit as st

import queries
from charts import dynamics as dcharts
from queries.views import social_change as sv
from ui import coverage as cov
from ui import state
from ui.frame import frame
from ui.i18n import fmt_period, t
from ui.sections import comparison, period_key, section_tabs, series_controls
from ui.social_view import block, partner_tables

view = frame(__file__)
code, lang, area = view.code, view.lang, view.area
st.title(t("social_title", name=view.name))

series = queries.migration_series(code)
if series.empty:
    st.info(t("unavailable_long", what=t("what_migration")))
    st.stop()
cov.evacuated_note(code, view.name)
cov.coverage(sv.coverage(code, series))
opened, box = section_tabs(["trend", "partners", "age", "breakdown", "compare"])
with box:
    if opened == "trend":  # the source and nationality switches belong to this tab's series only
        source, nat = series_controls(series)
        tv = sv.trend(series, source, nat, lang)
        sel, title = tv["sel"], tv["title"]
        block(dcharts.flow_bars, (sel, "in_total", "out_total", "net", tv["names"], lang, title,
                                  cov.flow_marks(code, sel)),
              ([source], "unit_persons", period_key(sel), cov.notes_line(code, sel, tv["note"])),
              sel, title, "dl_mig", area)
        if view.presenter:  # presenter mode: one main chart per screen
            st.stop()
        if not (split := sv.split(sel)).empty:
            block(dcharts.split_bars, (split, lang, t("domestic_abroad")), ([source], "unit_persons",
                  period_key(split)), split, t("domestic_abroad"), "dl_split", area)
        if not (rates := (r := sv.rates(code, nat, lang))["rates"]).empty:
            block(dcharts.rate_lines, (rates, r["measures"], lang, r["title"], cov.flow_marks(code, rates)),
                  (["juki_dynamics"], "per_1000", period_key(rates), t("rates_note")),
                  rates, r["title"], "dl_mrates", area)
    elif opened == "partners":
        p = sv.partners(code, area["kind"], view.pref_name, lang)
        if p["fallback"]:
            st.info(p["fallback"])
        if p["flows"].empty:
            st.info(t("flows_unavailable"))
        else:
            partner_tables(p)
            block(dcharts.flows_net_bar, (p["shown"], lang, p["title"]),
                  (p["flows"]["source_id"].unique(), "unit_persons", p["period_key"], p["note"]),
                  p["flows"], p["title"], "dl_flows", p["area"])
    elif opened == "age":
        youth = sv.youth(code)
        if youth.empty:
            st.info(sv.youth_missing(code, area["kind"], lang))
        else:
            block(dcharts.youth_bars, (sv.youth_shown(youth), lang, t("youth_title")),
                  (youth["source_id"].unique(), "unit_persons", "period_cy", t("youth_note")),
                  youth, t("youth_title"), "dl_youth", area)
        if (res := sv.residual(code, lang)) is not None:
            block(dcharts.residual_age, (res["frame"], lang, res["title"]),
                  (["juki_age"], "unit_percent", "period_date", res["note"]),
                  res["frame"], res["title"], "dl_residual", area)
    elif opened == "breakdown":
        if periods := sv.waterfall_periods(series):
            period = st.selectbox(t("waterfall_period"), periods, format_func=fmt_period,
                                  key=state.widget("wf", periods, periods[0]))
            if (wf := sv.waterfall(code, period, periods[0], lang)) is None:
                st.info(t("waterfall_unavailable"))
            else:
                block(dcharts.waterfall, (wf["wf"], lang, wf["title"]),
                      (["juki_dynamics"], "unit_persons", wf["period_key"], wf["note"]),
                      wf["wf"], wf["title"], "dl_wf", area)
    else:
        comparison(view, "net_migration_rate", "net_migration_rate")
