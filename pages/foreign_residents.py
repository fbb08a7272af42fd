"""外国人住民 / Foreign residents: register population and share, flows, net-migration share, pyramids,
nationality and residence status (prefecture level), the city's published statements."""
import pandas as pd
import streamlit as st

import formats

from charts import foreign as fcharts
from queries import foreign as qf
from ui.download import offer
from ui.frame import caption, frame
from ui.i18n import fmt_date, fmt_int, t
from ui.sections import section_tabs
from ui.show import chart
from queries import notes
from ui import coverage as cov

view = frame()
code, lang, name_ja = view.code, view.lang, view.area["name_ja"]
st.title(t("foreign_title", name=view.name))
st.caption(t("fr_intro"))
cov.evacuated_note(code, view.name)
_reg = qf.population(code)
cov.coverage([("cov_foreign", notes.latest_date(_reg[_reg["basis"] == "juki"])),
              ("cov_foreign_flows", notes.latest_period(qf.flows(code)))])


def month_end(d) -> str:
    d = pd.Timestamp(d)
    return t("fr_month_end", y=d.year, m=d.month)


opened, box = section_tabs(["population", "flows", "age", "nationality"])
with box:
    if opened == "population":
        # ---- population and share (住民基本台帳)
        pop = qf.population(code)
        reg = pop[pop["basis"] == "juki"]
        if reg.empty:
            st.info(t("unavailable_long", what=t("fr_what_population")))
        else:
            first, last = reg.iloc[0], reg.iloc[-1]
            since = t("fr_since", date=fmt_date(first["ref_date"]))
            c1, c2, c3 = st.columns(3)
            c1.metric(t("fr_card_foreign", date=fmt_date(last["ref_date"])), fmt_int(last["foreign"]),
                      delta=formats.metric_delta(last["foreign"] - first["foreign"]), delta_description=since, border=True)
            c2.metric(t("fr_card_share", date=fmt_date(last["ref_date"])), f"{last['foreign_share_pct']:.2f}%",
                      delta=formats.metric_delta(last["foreign_share_pct"] - first["foreign_share_pct"], 2, "pt"),
                      delta_description=since,
                      delta_color="off", border=True)
            c3.metric(t("fr_card_japanese", date=fmt_date(last["ref_date"])), fmt_int(last["japanese"]),
                      delta=formats.metric_delta(last["japanese"] - first["japanese"]), delta_description=since, border=True)
            left, right = st.columns(2)
            with left:
                chart(fcharts.population, pop, lang, t("fr_chart_population"))
                city = (pop["basis"] == "city_register").any()
                caption(pop["source_id"].unique(), "unit_persons", "period_date",
                        t("fr_population_note") + (" " + t("fr_city_note") if city else ""))
                offer(pop, t("fr_chart_population"), "dl_fr_pop", area=view.area)
            if view.presenter:  # presenter mode: one main chart per screen
                st.stop()
            with right:
                chg = qf.changes(pop)
                chart(fcharts.annual_change, chg, lang, t("fr_chart_change"))
                caption(chg["source_id"].unique(), "unit_persons", "period_date", t("fr_change_note"))
                offer(chg, t("fr_chart_change"), "dl_fr_chg", area=view.area)

        # ---- the city's own published statements
        said = qf.statements(code)
        if not said.empty:
            st.subheader(t("fr_statements_heading", name=view.name))
            with st.container(border=True):
                for r in said.itertuples():
                    when = "〜".join(fmt_date(p) for p in r.period.split("/"))
                    st.markdown(f"- {r.statement_ja if lang == 'ja' else r.statement_en}　（{t('fr_statement_period', period=when)}）")
            caption(said["source_id"].unique(), "fr_unit_as_printed", "fr_period_fy_end", t("fr_statements_note"))
            offer(said, t("fr_statements_heading", name=view.name), "dl_fr_said", area=view.area)
    elif opened == "flows":
        # ---- flows and the foreign share of net migration (暦年)
        flows = qf.flows(code)
        if flows.empty:
            st.info(t("unavailable_long", what=t("fr_what_flows")))
        else:
            left, right = st.columns(2)
            with left:
                chart(fcharts.flows, flows, lang, t("fr_chart_flows"))
                caption(flows["source_id"].unique(), "unit_persons", "period_cy", t("fr_flows_note"))
                offer(flows, t("fr_chart_flows"), "dl_fr_flows", area=view.area)
            with right:
                share = qf.net_share(flows)
                chart(fcharts.net_share, share, lang, t("fr_chart_netshare"))
                caption(share["source_id"].unique(), "unit_persons", "period_cy", t("fr_netshare_note"))
                offer(share, t("fr_chart_netshare"), "dl_fr_share", area=view.area)
    elif opened == "age":
        # ---- age pyramids
        pyr = qf.pyramid(code)
        if pyr.empty:
            st.info(t("unavailable_long", what=t("fr_what_age")))
        else:
            date = fmt_date(pyr["ref_date"].iat[0])
            st.subheader(t("fr_pyramid_heading", date=date))
            same = st.toggle(t("fr_same_scale"), value=False, key="fscale", bind="query-params", help=t("fr_same_scale_help"))
            half = qf.pyramid_max(pyr) if same else None
            note = t("fr_pyramid_note", date=date) + " " + t("fr_scale_same" if same else "fr_scale_own")
            for col, nat in zip(st.columns(2), ("japanese", "foreign")):
                with col:
                    chart(fcharts.pyramid, pyr, nat, lang, t("fr_pyramid_title", nat=t("nat_" + nat)), half)
                    caption(pyr["source_id"].unique(), "unit_persons", "period_date", note)
                    offer(pyr[pyr["nationality"] == nat], t("fr_pyramid_title", nat=t("nat_" + nat)), f"dl_fr_pyr_{nat}", area=view.area)
    else:
        # ---- nationality and residence status (在留外国人統計: prefectures and 全国 only)
        st.subheader(t("fr_moj_heading"))
        pref, level = qf.scope(code, view.area["kind"])
        rows = qf.residents(pref)
        nat = qf.breakdown(rows, pref, "nationality_country", lang)
        status = qf.breakdown(rows, pref, "residence_status", lang)
        if nat.empty and status.empty:
            st.info(t("unavailable_long", what=t("fr_what_moj")))
        else:
            place = t("fr_place_nation") if level == "nation" else (view.name if level == "prefecture" else view.pref_name)
            fallback = t("fr_fallback", pref=place) if level == "prefecture_fallback" else ""
            if fallback:
                st.warning(fallback, icon=":material/info:")
            tot = qf.totals(rows, pref)
            cards = st.columns(2 if level != "nation" else 1)
            for col, lv, where in zip(cards, ("area", "nation"), (place, t("fr_place_nation"))):
                s = tot[tot["level"] == lv].sort_values("ref_date")
                cur, prev = s.iloc[-1], s[s["ref_date"] < s["ref_date"].iloc[-1] - pd.Timedelta(days=300)].iloc[-1]
                col.metric(t("fr_card_moj", place=where, date=month_end(cur["ref_date"])), fmt_int(cur["persons"]),
                           delta=formats.metric_delta(cur["persons"] - prev["persons"]),
                           delta_description=t("vs_prev_date", date=month_end(prev["ref_date"])), border=True)
            ref = nat if not nat.empty else status
            prev_label, latest_label = month_end(ref["prev_date"].iat[0]), month_end(ref["latest_date"].iat[0])
            dates = t("fr_subtitle", prev=prev_label)
            left, right = st.columns(2)
            for col, frame_, key, title_key, extra, n in ((left, nat, "nationality", "fr_chart_nationality", "fr_moj_note", 10),
                                                          (right, status, "status", "fr_chart_status", "fr_status_note", 11)):
                if frame_.empty:
                    continue
                with col:
                    top = frame_.head(n)
                    more = t("fr_top", n=len(top), total=len(frame_)) if len(top) < len(frame_) else ""
                    subtitle = [s for s in (fallback, dates, more) if s]
                    chart(fcharts.breakdown, top, lang, t(title_key, place=place), subtitle, prev_label, latest_label,
                          bool(fallback))
                    caption(frame_["source_id"].unique(), "unit_persons", "period_date",
                            t("fr_dates_note", prev=prev_label, latest=latest_label) + t(extra))
                    offer(frame_, t(title_key, place=place), f"dl_fr_{key}", area=pref)
            with st.expander(t("fr_table")):
                for frame_, head in ((nat, "fr_col_nationality"), (status, "fr_col_status")):
                    if frame_.empty:
                        continue
                    st.dataframe(frame_[["label", "prev", "latest", "change", "change_pct", "share_pct", "nation_latest",
                                         "nation_share_pct"]], hide_index=True, width="stretch", column_config={
                        "label": t(head), "prev": st.column_config.NumberColumn(prev_label, format="localized"),
                        "latest": st.column_config.NumberColumn(latest_label, format="localized"),
                        "change": st.column_config.NumberColumn(t("fr_change_persons"), format="localized"),
                        "change_pct": st.column_config.NumberColumn(t("fr_change_pct"), format="%.1f"),
                        "share_pct": st.column_config.NumberColumn(t("fr_col_share"), format="%.1f"),
                        "nation_latest": st.column_config.NumberColumn(t("fr_col_nation", date=latest_label), format="localized"),
                        "nation_share_pct": st.column_config.NumberColumn(t("fr_col_nation_share"), format="%.1f")})

