"""将来人口推計・シミュレーション / Projection and scenarios: three baselines, sliders, pyramid, inverse question."""
import pandas as pd
import streamlit as st

import formats
import projection as pj
from charts import projection as pcharts
from loaders.errors import LoaderError
from loaders.parameters import read_parameter_csv
from queries import outlook as qo
from queries import projections as qp
from queries import notes
from ui import state
from ui.download import download_csv, offer
from ui.frame import caption, frame
from indicators.glossary import size_band_labels
from ui.i18n import fmt_int, t
from ui.ipss import series_label, vintage_picker
from ui.show import chart_data

view = frame()
code, lang = view.code, view.lang
st.title(t("projection_title", name=view.name))
BASE = qp.base_year_or_none()
inputs = qp.inputs(code, BASE) if BASE is not None else None
if inputs is None:
    st.info(t("projection_unavailable", dates="2015–2022"))
    st.stop()
base_tfr = float(inputs.tfr_base)
if notes.evacuated(code) is not None:  # registered residents largely live elsewhere since 2011
    st.warning(t("evacuated_projection", name=view.name), icon=":material/warning:")
tfr_source = inputs.notes["tfr_base"].get(code, "")


def apply_kurume_preset() -> None:
    st.session_state.update(tfr=round(base_tfr + 0.1, 2), tfry=2060, mig=0.5, ages=(10, 30), fshare=qo.FOREIGN_SHARE_PRESET)


def apply_share_preset(value: float) -> None:
    st.session_state.update(fshare=value)


def ipss_unit_panel(vintage: str) -> None:
    """Where the IPSS line is missing: say so, or for a 浜通り member show the aggregate IPSS projected instead."""
    unit = qp.ipss_unit(code, vintage)
    if unit is None:
        st.caption(t("ipss_none", source=t("s_ipss_" + vintage)) + t("ipss_none_" + vintage))
    elif unit["is_group"]:
        group = unit["name_ja" if lang == "ja" else "name_en"]
        members = qp.ipss_group_members(unit["code"], lang)
        st.info(t("ipss_group_note", name=view.name, group=group, n=len(members)), icon=":material/info:")
        if view.presenter:
            return
        table = qp.ipss_table(code, vintage)
        cols = {"year": t("ipss_col_year"), "total": t("ipss_col_total"), "0-14": t("ipss_col_0_14"),
                "15-64": t("ipss_col_15_64"), "65+": t("ipss_col_65p")}
        st.markdown(f"**{t('ipss_group_table', group=group)}**")
        config = {v: st.column_config.NumberColumn(v, format="localized") for v in cols.values()}
        config[cols["year"]] = st.column_config.NumberColumn(cols["year"], format="%d")
        st.dataframe(table[list(cols)].rename(columns=cols), hide_index=True, column_config=config)
        caption(table["source_id"].unique(), "unit_persons", "period_date",
                t("ipss_group_members", group=group, members="、".join(members) if lang == "ja" else ", ".join(members)))


@st.fragment
def scenario_panel() -> None:
    c1, c2, c3 = st.columns(3)
    with c1:
        tfr = st.slider(t("sl_tfr"), 0.8, 2.5, round(base_tfr, 2), 0.01, key="tfr", bind="query-params",
                        help=t("sl_tfr_help", base=f"{base_tfr:.2f}", source=tfr_source))
        tfr_year = st.slider(t("sl_tfr_year"), 2030, 2070, 2060, 5, key="tfry", bind="query-params")
        births = st.segmented_control(t("sl_births"), ["cwr", "asfr"], format_func=lambda m: t("bm_" + m),
                                      key=state.url_widget("bm", ["cwr", "asfr"], "cwr"), required=True) or "cwr"
        state.write_url("bm")
    with c2:
        mig = st.slider(t("sl_mig"), -3.0, 3.0, 0.0, 0.1, key="mig", bind="query-params", help=t("sl_mig_help"))
        ages = st.slider(t("sl_ages"), 0, 90, (10, 30), 5, key="ages", bind="query-params")
        st.caption(t("mig_reading"))
    with c3:
        fshare = st.slider(t("sl_fshare"), 0.0, 20.0, qo.FOREIGN_SHARE_DEFAULT, 0.1, key="fshare", bind="query-params",
                           help=t("sl_fshare_help"))
        p1, p2 = st.columns(2)
        p1.button(t("preset_own_trend"), on_click=apply_share_preset, args=(qo.FOREIGN_SHARE_DEFAULT,), key="fs_trend")
        p2.button(t("preset_ipss_share"), on_click=apply_share_preset, args=(qo.FOREIGN_SHARE_PRESET,), key="fs_ipss")
        fmethod = st.segmented_control(t("sl_fmethod"), ["ccr", "counts"], format_func=lambda m: t("fm_" + m),
                                       key=state.url_widget("fm", ["ccr", "counts"], "ccr"), required=True) or "ccr"
        state.write_url("fm")
    b1, b2 = st.columns([1, 2], vertical_alignment="bottom")
    if not qp.city_improvement(code).empty:  # only where the city's published scenario applies
        b1.button(t("preset_kurume"), on_click=apply_kurume_preset, key="preset", icon=":material/tune:")
    vintage = vintage_picker(b2)
    scenario = pj.Scenario(steps=8, tfr_target=tfr, tfr_year=tfr_year, migration_points=mig,
                           migration_ages=(float(ages[0]), float(ages[1])),
                           foreign_share=fshare / 100 if fshare > 0 else None, foreign_method=fmethod, births=births)
    result = qp.run(code, BASE, scenario, st.session_state.get("_params"))
    summary = result["summary"]
    last = summary.iloc[-1]
    m1, m2, m3 = st.columns(3)
    m1.metric(t("m_pop_year", year=int(last["year"])), fmt_int(round(last["total"])),
              delta=formats.metric_delta(last["diff_total"]), delta_description=t("m_diff"), border=True)
    m2.metric(t("m_aging_year", year=int(last["year"])), f"{100 * last['share_65p']:.1f}%", border=True)
    m3.metric(t("m_foreign_year", year=int(last["year"])), f"{100 * last['foreign'] / last['total']:.1f}%", border=True)

    lines = qp.comparison_lines(code, summary, vintage)
    bands = [summary[["year", f"band{q}_low", f"band{q}_high"]].set_axis(["year", "low", "high"], axis=1).assign(
        series=f"band{q}") for q in (80, 50)]
    labels = tuple((k, series_label(vintage, None, lang) if k == "ipss" else t("s_" + k))
                   for k in pcharts.SERIES_COLOURS if k in set(lines["series"]))
    chart_data(pcharts.totals_chart, pd.concat([lines, *bands], ignore_index=True), labels, lang,
               t("chart_proj_total"), main=True)
    notes, plan, fan = inputs.notes, qp.base_plan(), qp.fan_info(summary)
    birth_note = t("bm_note_" + births, cwr_year=plan["cwr_year"], bs=inputs.birth_survival or 1.0)
    caption(lines["source_id"].unique(), "unit_persons", "period_date",
            t("proj_method", base=BASE, windows=notes["windows"], fmethod=t("fm_" + fmethod), births=birth_note) + " "
            + t("fan_note", band=size_band_labels(lang)[fan["size_class"]], w50=fan["w50"], w80=fan["w80"])
            + "  \n" + t("ipss_base_note"))
    ipss_unit_panel(vintage)
    compare = qp.improvement_comparison(code, BASE)
    if not compare.empty:
        st.caption(t("city_diff_title") + ": " + " · ".join(t("city_diff_row", year=int(r.year), city=r.city, ours=r.ours)
                                                           for r in compare.itertuples()) + " " + t("city_diff_why", base=BASE))
    if view.presenter:  # presenter mode: sliders, headline and the main chart only
        return
    left, right = st.columns(2)
    with left:
        chart_data(pcharts.age3_chart, summary, lang, t("chart_proj_age3"))
    with right:
        chart_data(pcharts.diff_bars, summary, lang, t("chart_diff"))
    year = st.select_slider(t("pyramid_year"), options=summary["year"].tolist(), value=int(last["year"]), key="pyr",
                            bind="query-params")
    chart_data(pcharts.pyramid, result["pyramid"], year, BASE, lang, t("chart_pyramid", year=year, base=BASE))
    caption(["juki_age"], "unit_persons", "period_date")

    st.subheader(t("results_table"))
    table = summary.assign(**{c: 100 * summary[c] for c in ("share_0_14", "share_15_64", "share_65p")})
    cols = {"year": t("col_year"), "total": t("col_total"), "japanese": t("col_japanese"), "foreign": t("col_foreign"),
            "baseline_total": t("col_baseline"), "diff_total": t("col_diff"), "share_0_14": t("col_share_0_14"),
            "share_15_64": t("col_share_15_64"), "share_65p": t("col_share_65p")}
    persons = ["total", "japanese", "foreign", "baseline_total", "diff_total"]
    table = table.assign(**{c: table[c].round() for c in persons})
    config = {cols[c]: st.column_config.NumberColumn(cols[c], format="localized") for c in persons}
    config |= {cols[c]: st.column_config.NumberColumn(cols[c], format="%.1f") for c in ("share_0_14", "share_15_64", "share_65p")}
    config[cols["year"]] = st.column_config.NumberColumn(cols["year"], format="%d")
    st.dataframe(table[list(cols)].rename(columns=cols), hide_index=True, width="stretch", column_config=config)
    params = {"param_base_year": BASE, "param_tfr_base": base_tfr, "param_tfr_target": tfr, "param_tfr_year": tfr_year,
              "param_migration_points": mig, "param_migration_ages": f"{ages[0]}-{ages[1]}",
              "param_foreign_share_2070_pct": fshare, "param_foreign_method": fmethod, "param_births": births}
    offer(summary.assign(**params), t("results_table"), "dl_projection", area=view.area, source_ids=["juki_age"])

    st.session_state["_scenario"] = scenario
    st.session_state["_last_year"] = int(last["year"])
    st.session_state["_baseline_last"] = int(round(last["baseline_total"], -3))


@st.fragment
def inverse_panel() -> None:
    """Solved on request (about 80 ms), so moving a scenario slider stays instant."""
    scenario = st.session_state["_scenario"]
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
    for what, key, fmt in (("tfr", "inv_tfr", "{:.2f}"), ("migration", "inv_mig", "{:+.2f}")):
        r = qp.solve(code, BASE, scenario, what, target, inv_year, st.session_state.get("_params"))
        value = fmt.format(r["value"]) if r["reachable"] else t("inv_unreachable", lo=r["bounds"][0], hi=r["bounds"][1],
                                                                   direction=t("inv_" + r["direction"]))
        ages = scenario.migration_ages
        st.markdown(t(key, value=value, tfr_year=scenario.tfr_year, ages=f"{int(ages[0])}–{int(ages[1]) - 1}"))


if view.presenter:
    scenario_panel()
    st.stop()
with st.expander(t("params_title")):
    st.caption(t("params_help"))
    download_csv(qp.parameter_table(code, BASE), code, view.area["name_ja"], "projection_parameters", key="dl_params")
    upload = st.file_uploader(t("params_upload"), type=["csv"], key="params_file")
    st.session_state["_params"] = None
    if upload is not None:
        try:
            st.session_state["_params"] = read_parameter_csv(upload.name, upload.getvalue(), base_year=BASE)
            st.success(t("params_applied", n=len(st.session_state["_params"])))
        except LoaderError as exc:
            st.error(exc.message(lang))

scenario_panel()
inverse_panel()
