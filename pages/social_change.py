"""社会動態 / Migration: in- and out-migrants, domestic/abroad, rates, partners, waterfall, comparison."""
import pandas as pd
import streamlit as st

import queries
from charts import dynamics as dcharts
from queries import dynamics as dyn
from queries import projections as qp
from ui import state
from ui.download import offer
from ui.frame import caption, frame
from ui.i18n import fmt_period, t
from ui.sections import comparison, period_key, section_tabs, series_controls
from ui.show import chart
from queries import notes
from ui import coverage as cov

view = frame()
code, lang = view.code, view.lang
st.title(t("social_title", name=view.name))

series = queries.migration_series(code)
if series.empty:
    st.info(t("unavailable_long", what=t("what_migration")))
    st.stop()
cov.evacuated_note(code, view.name)
official = series[series["source_id"] == "juki_dynamics"]
cov.coverage([("cov_migration", notes.latest_period(official)),
              ("cov_population", notes.latest_date(queries.latest_population(code)))])
source, nat = series_controls(series)
opened, box = section_tabs(["trend", "partners", "age", "breakdown", "compare"])
with box:
    if opened == "trend":
        sel = dyn.select_series(series, source, nat)
        names = {"in_total": t("in_total"), "out_total": t("out_total"), "net": t("net_migration")}
        chart(dcharts.flow_bars, sel, "in_total", "out_total", "net", names, lang, t("chart_in_out"), cov.flow_marks(code, sel))
        caption([source], "unit_persons", period_key(sel), cov.notes_line(
            code, sel, t("japanese_only_note") if (sel["scope"] == "japanese_only").any() else None))
        offer(sel, t("chart_in_out"), "dl_mig", area=view.area)
        if view.presenter:  # presenter mode: one main chart per screen
            st.stop()

        split = sel.dropna(subset=["in_domestic", "in_abroad"])
        if not split.empty:
            chart(dcharts.split_bars, split, lang, t("domestic_abroad"))
            caption([source], "unit_persons", period_key(split))
            offer(split, t("domestic_abroad"), "dl_split", area=view.area)

        rates = dyn.select_series(dyn.rates((code,)), "juki_dynamics", nat)
        if not rates.empty:
            measures = {"in_rate": t("in_rate"), "out_rate": t("out_rate"), "net_migration_rate": t("net_migration_rate")}
            chart(dcharts.rate_lines, rates, measures, lang, t("chart_migration_rates"), cov.flow_marks(code, rates))
            caption(["juki_dynamics"], "per_1000", period_key(rates), t("rates_note"))
            offer(rates, t("chart_migration_rates"), "dl_mrates", area=view.area)

    elif opened == "partners":
        flows, flows_area = dyn.partner_flows(code), code
        if flows.empty and view.area["kind"] not in ("nation", "prefecture"):
            flows_area = code[:2] + "000"
            flows = dyn.partner_flows(flows_area)
            st.info(t("od_prefecture_instead", pref=view.pref_name))
        if flows.empty:
            st.info(t("flows_unavailable"))
        else:
            published = not flows["source_id"].eq("idou_2025_table2").all()
            period = fmt_period(flows["period"].iat[0])
            ranks = dyn.published_rankings(flows)
            name_col = "partner_ja" if lang == "ja" else "partner_en"
            config = {"rank": "#", name_col: t("partner"),
                      "in_movers": st.column_config.NumberColumn(t("in_total"), format="localized"),
                      "out_movers": st.column_config.NumberColumn(t("out_total"), format="localized"),
                      "net": st.column_config.NumberColumn(t("net_movers"), format="localized")}
            cols = ["rank", name_col, "in_movers", "out_movers", "net"]
            st.markdown(f"**{t('flows_title' if published else 'od_title', period=period)}**")
            left, right = st.columns(2)
            for col, key in ((left, "in"), (right, "out")):
                with col:
                    st.markdown(t("rank_" + key))
                    st.dataframe(ranks[key][cols].head(10), hide_index=True, column_config=config, width="stretch")
            st.markdown(f"**{t('metro_table')}**")
            st.dataframe(ranks["metro"][cols].drop(columns="rank"), hide_index=True, column_config=config)
            shown = flows[~flows["is_group"] & flows["partner_code"].str.endswith("000")]
            shown = pd.concat([shown.nlargest(10, "net"), shown.nsmallest(10, "net")]).drop_duplicates("partner_code")
            chart(dcharts.flows_net_bar, shown, lang, t("flows_title" if published else "od_title", period=period))
            caption(flows["source_id"].unique(), "unit_persons", "period_fy" if published else "period_cy",
                    t("flows_note" if published else "od_note"))
            offer(flows, t("flows_title" if published else "od_title", period=period), "dl_flows", area=flows_area)

    elif opened == "age":
        youth = dyn.youth_net(code)
        st.subheader(t("youth_title"))
        if youth.empty:
            st.info(t("youth_unavailable"))
        else:
            chart(dcharts.youth_bars, youth[(youth["sex"] == "total") & (youth["age_group"] != "15-29")], lang, t("youth_title"))
            caption(youth["source_id"].unique(), "unit_persons", "period_cy", t("youth_note"))
            offer(youth, t("youth_title"), "dl_youth", area=view.area)

        residual = qp.residual_migration(code)
        if residual is not None:
            notes = qp.inputs(code).notes
            chart(dcharts.residual_age, residual, lang, t("residual_title"))
            caption(["juki_age"], "unit_percent", "period_date",
                    t("residual_note", windows=notes["windows"], survival=t("survival_assumption")))
            offer(residual, t("residual_title"), "dl_residual", area=view.area)

    elif opened == "breakdown":
        official = series[series["source_id"] == "juki_dynamics"].sort_values("period_end")
        periods = list(dict.fromkeys(official["period"]))[::-1]
        if periods:
            period = st.selectbox(t("waterfall_period"), periods, format_func=fmt_period,
                                  key=state.url_widget("wf", periods, periods[0]))
            state.write_url("wf")
            wf = dyn.waterfall(code, period or periods[0])
            if wf is None:
                st.info(t("waterfall_unavailable"))
            else:
                chart(dcharts.waterfall, wf, lang, t("waterfall_title", period=fmt_period(period or periods[0])))
                caption(["juki_dynamics"], "unit_persons", "period_fy" if str(period).startswith("FY") else "period_cy",
                        t("waterfall_note") + (f" {t('scope_japanese_only')}" if wf["nationality"].iat[0] == "japanese" else ""))
                offer(wf, t("waterfall_title", period=fmt_period(period or periods[0])), "dl_wf", area=view.area)

    else:
        st.subheader(t("compare"))
        comparison(view, "net_migration_rate", "net_migration_rate")
