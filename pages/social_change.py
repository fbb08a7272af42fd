"""社会動態 / Migration: in- and out-migrants, domestic/abroad, rates, partners, waterfall, comparison."""
import streamlit as st

import queries
from charts import dynamics as dcharts
from queries import dynamics as dyn
from ui.download import download_csv
from ui.frame import caption, frame
from ui.i18n import fmt_int, fmt_period, t
from ui.sections import comparison, period_key, series_controls
from ui.show import chart

view = frame()
code, lang = view.code, view.lang
st.title(t("social_title", name=view.name))

series = queries.migration_series(code)
if series.empty:
    st.info(t("unavailable_long", what=t("what_migration")))
    st.stop()
source, nat = series_controls(series)
sel = dyn.select_series(series, source, nat)
names = {"in_total": t("in_total"), "out_total": t("out_total"), "net": t("net_migration")}
chart(dcharts.flow_bars, sel, "in_total", "out_total", "net", names, lang, t("chart_in_out"))
caption([source], "unit_persons", period_key(sel),
        t("japanese_only_note") if (sel["scope"] == "japanese_only").any() else None)
download_csv(sel.drop(columns=["order"]), code, view.area["name_ja"], "migration", source, key="dl_mig")

split = sel.dropna(subset=["in_domestic", "in_abroad"])
if not split.empty:
    chart(dcharts.split_bars, split, lang, t("domestic_abroad"))
    caption([source], "unit_persons", period_key(split))
    download_csv(split.drop(columns=["order"]), code, view.area["name_ja"], "migration_domestic_abroad", key="dl_split")

rates = dyn.select_series(dyn.rates((code,)), "juki_dynamics", nat)
if not rates.empty:
    measures = {"in_rate": t("in_rate"), "out_rate": t("out_rate"), "net_migration_rate": t("net_migration_rate")}
    chart(dcharts.rate_lines, rates, measures, lang, t("chart_migration_rates"))
    caption(["juki_dynamics"], "per_1000", period_key(rates), t("rates_note"))
    download_csv(rates.drop(columns=["order"]), code, view.area["name_ja"], "migration_rates", key="dl_mrates")

flows = dyn.flows_published(code)
st.subheader(t("flows_title", period=fmt_period(flows["period"].iat[0])) if not flows.empty else t("partner"))
if flows.empty:
    st.info(t("flows_unavailable"))
else:
    ranks = dyn.published_rankings(flows)
    name_col = "partner_ja" if lang == "ja" else "partner_en"
    config = {"rank": "#", name_col: t("partner"),
              "in_movers": st.column_config.NumberColumn(t("in_total"), format="localized"),
              "out_movers": st.column_config.NumberColumn(t("out_total"), format="localized"),
              "net": st.column_config.NumberColumn(t("net_movers"), format="localized")}
    cols = ["rank", name_col, "in_movers", "out_movers", "net"]
    left, right = st.columns(2)
    for col, key in ((left, "in"), (right, "out")):
        with col:
            st.markdown(f"**{t('rank_' + key)}**")
            st.dataframe(ranks[key][cols], hide_index=True, column_config=config, width="stretch")
    st.markdown(f"**{t('metro_table')}**")
    st.dataframe(ranks["metro"][cols].drop(columns="rank"), hide_index=True, column_config=config)
    chart(dcharts.flows_net_bar, flows[~flows["is_group"]], lang, t("flows_title", period=fmt_period(flows["period"].iat[0])))
    caption(flows["source_id"].unique(), "unit_persons", "period_fy", t("flows_note"))
    download_csv(flows, code, view.area["name_ja"], "migration_partners", key="dl_flows")

official = series[series["source_id"] == "juki_dynamics"].sort_values("period_end")
periods = list(dict.fromkeys(official["period"]))[::-1]
if periods:
    period = st.selectbox(t("waterfall_period"), periods, format_func=fmt_period, key="wf", bind="query-params")
    wf = dyn.waterfall(code, period or periods[0])
    if wf is None:
        st.info(t("waterfall_unavailable"))
    else:
        chart(dcharts.waterfall, wf, lang, t("waterfall_title", period=fmt_period(period or periods[0])))
        caption(["juki_dynamics"], "unit_persons", "period_fy" if str(period).startswith("FY") else "period_cy",
                t("waterfall_note") + (f" {t('scope_japanese_only')}" if wf["nationality"].iat[0] == "japanese" else ""))
        download_csv(wf, code, view.area["name_ja"], "waterfall", period or "", key="dl_wf")

st.subheader(t("compare"))
comparison(view, "net_migration_rate", "net_migration_rate")
