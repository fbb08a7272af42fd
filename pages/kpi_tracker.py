"""総合戦略 KPI 進捗 / Strategy KPIs: grades per plan and basic goal, a summary for the 推進会議, progress and trends,
actuals entered in the page or imported from the KPI sheet (kept in the user database, never in the published data)."""
import streamlit as st

from charts import kpi as kcharts
from kpi import periods
from kpi.rules import RULES
from kpi.tracker import detail as kpi_detail
from loaders import kpi as sheet
from queries import kpi as kq
from ui import state
from ui.download import download_csv, safe_filename
from ui.frame import caption, frame
from ui.i18n import t
from ui.kpi_forms import GOTO, actuals_editor, plan_form, sheet_section
from ui.show import chart

view = frame()
lang = view.lang
st.title(t("kpi_title"))
if "_kpi_flash" in st.session_state:
    st.success(st.session_state.pop("_kpi_flash"))

PAGE_KEYS = ("rule", "asof", "goal", "dept", "kpi")


def reset_view() -> None:
    """A new plan starts from its own defaults (rule, evaluation year, filters, chosen indicator)."""
    for k in PAGE_KEYS:
        st.session_state.pop(k, None)
        st.query_params.pop(k, None)


# The area picker preselects that area's plan — or, for an area without one, the invitation to create it (never
# another municipality's plan); every plan stays selectable.
NEW = "new"
plans = kq.plans()
ids = plans["plan_id"].tolist() + [NEW]
names = dict(zip(plans["plan_id"], plans["plan" if lang == "ja" else "plan_en"])) | {NEW: t("kpi_plan_new", area=view.name)}
default = kq.default_plan(view.code) or NEW
if st.session_state.get("_kpi_area") not in (None, view.code):
    st.session_state["plan"] = default
    reset_view()
if GOTO in st.session_state:  # a plan was just saved or deleted
    st.session_state["plan"] = st.session_state.pop(GOTO) or default
    reset_view()
st.session_state["_kpi_area"] = view.code
plan_id = st.selectbox(t("kpi_plan"), ids, format_func=names.get, on_change=reset_view,
                       key=state.url_widget("plan", ids, default))
state.write_url("plan")
if plan_id == NEW:
    st.info(t("kpi_no_plan", area=view.name))
    plan_form(view.code, view.name, lang)
    st.stop()
plan = kq.plan(plan_id)
muni = plan["municipality_ja"] if lang == "ja" else plan["municipality_en"]
st.caption(kq.plan_caption(plan, lang))
if plan["municipality_code"] != view.code:
    st.caption(t("kpi_other_area", muni=muni, area=view.name))

defs = kq.definitions(plan_id)
values = kq.merged(plan_id)
options, as_of_default = kq.evaluation_periods(plan_id, values)
c1, c2 = st.columns([3, 1])
with c1:
    rule = st.segmented_control(t("kpi_rule"), list(RULES), format_func=lambda r: t("rule_" + r), required=True,
                                key=state.url_widget("rule", list(RULES), plan["default_rule"])) or plan["default_rule"]
with c2:
    as_of = st.selectbox(t("kpi_as_of"), options, format_func=lambda p: periods.text(p, lang),
                         key=state.url_widget("asof", options, as_of_default))
graded = kq.view(plan_id, rule, as_of, lang=lang)["graded"]
goal_keys = list(dict.fromkeys(graded.apply(kq.goal_key, axis=1)))
departments = sorted({d for d in graded["department"] if isinstance(d, str)})
c3, c4 = st.columns(2)
with c3:
    goals = st.multiselect(t("kpi_goal_filter"), goal_keys, format_func=lambda k: kq.goal_label(k, lang),
                           placeholder=t("kpi_all"), key=state.url_widget("goal", goal_keys, [], multi=True))
with c4:
    depts = st.multiselect(t("kpi_dept_filter"), departments, placeholder=t("kpi_all"),
                           key=state.url_widget("dept", departments, [], multi=True))
for k in ("plan", "rule", "asof", "goal", "dept"):
    state.write_url(k)
st.caption(t("rule_help_" + rule))
v = kq.view(plan_id, rule, as_of, goals, depts, lang)
shown = v["shown"]
if shown.empty:
    st.info(t("kpi_no_kpis"))
    st.stop()
table = v["table"]
labels = kcharts.grade_labels(rule, lang)
COLUMNS = {
    "goal": t("kpi_col_goal"), "level": t("kpi_col_level"), "kpi": st.column_config.TextColumn(t("kpi_col_kpi"), width="large"),
    "department": t("kpi_col_dept"), "baseline": t("kpi_col_baseline"), "target": t("kpi_col_target"),
    "actual": st.column_config.TextColumn(t("kpi_col_actual"), width="medium"), "origin": t("kpi_col_origin"),
    "progress": st.column_config.ProgressColumn(t("kpi_col_progress"), help=t("kpi_col_progress_help"), min_value=0,
                                                max_value=100, format="%d%%"),
    "grade": st.column_config.TextColumn(t("kpi_col_grade")),
    "reason": st.column_config.TextColumn(t("kpi_col_reason"), width="medium"),
    "trend": st.column_config.LineChartColumn(t("kpi_col_trend"), help=t("kpi_col_trend_help"), width="small"),
    "recorded": st.column_config.TextColumn(t("kpi_col_recorded"), width="small"),
    "note": st.column_config.TextColumn(t("kpi_col_note"), width="large")}

# ---------------------------------------------------------------- one page for the 推進会議
with st.container(border=True):
    st.subheader(t("kpi_summary_title", plan=names[plan_id], as_of=periods.text(as_of, lang)))
    counts, total = v["counts"], v["summary"]
    if int(total["n"]):
        m = st.columns(5)
        m[0].metric(t("kpi_n"), int(total["n"]), border=True)
        for col, code in zip(m[1:4], ("good", "short", "other")):
            col.metric(labels[code], int(total[code]), delta=t("kpi_share", pct=int(total[code + "_pct"])),
                       delta_color="off", delta_arrow="off", border=True)
        m[4].metric(t("kpi_grade_none"), int(total["ungraded"]), border=True)
        st.markdown(f"**{t('kpi_counts_table')}**")
        st.table(counts.rename(columns={"goal": t("kpi_col_goal"), "n": t("kpi_n"), "good": labels["good"],
                                        "short": labels["short"], "other": labels["other"],
                                        "ungraded": t("kpi_grade_none"), "numeric": t("kpi_col_numeric")}),
                 hide_index=True)
        chart(kcharts.grade_counts, v["grade_bars"], rule, lang)
    targets = kq.targets_frame(shown, table, lang)
    if not targets.empty:
        st.markdown(f"**{t('kpi_targets_title')}**")
        st.table(targets, hide_index=True)
    if int(total["n"]):
        st.markdown(f"**{t('kpi_attention')}**")
        st.markdown(kq.attention_text(shown, table) or t("kpi_attention_none"))
    caption([plan["source_id"]], "kpi_unit_each", "kpi_period_each",
            t("kpi_origin_legend") + ("" if plan["origin"] != "user" else "  \n" + t("kpi_user_plan_source")))
    st.download_button(t("kpi_dl_summary"), lambda: sheet.to_xlsx(kq.summary_sheets(counts, table, lang)),
                       file_name=safe_filename(names[plan_id], as_of, "summary", ext="xlsx"), key="dl_kpi_summary",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/download:")

# ---------------------------------------------------------------- every KPI: grade, trend, progress
st.subheader(t("kpi_table_title"))
st.dataframe(table, hide_index=True, width="stretch", row_height=44, height=44 * (len(table) + 1) + 12,
             column_order=["goal", "kpi", "grade", "progress", "trend", "actual", "target", "baseline", "reason", "origin",
                           "department", "recorded", "note"], column_config=COLUMNS)
download_csv(table.drop(columns=["trend", "latest", "latest_origin", "pending"]), plan_id, as_of, rule, key="dl_kpi_table")
chart(kcharts.progress_bars, v["progress"], rule, lang)

kpis = shown["kpi_id"].tolist()
if st.session_state.get("kpi") not in kpis:  # the filters left the chosen indicator out
    st.session_state.pop("kpi", None)
pick = st.selectbox(t("kpi_detail_pick"), kpis, format_func=dict(zip(table["kpi_id"], table["goal"] + "｜" + table["kpi"])).get,
                    key=state.url_widget("kpi", kpis, kpis[0]))
state.write_url("kpi")
row = shown[shown["kpi_id"] == pick].iloc[0].to_dict()
series = kpi_detail(row, values)
unit = row["unit"] if isinstance(row["unit"], str) and row["unit"] else "—"
chart(kcharts.detail, series["actual"], series["path"], series["projection"],
      t("kpi_chart_detail", kpi=table.loc[table["kpi_id"] == pick, "kpi"].iat[0], unit=unit), lang)
st.caption(t("kpi_detail_note", link=kq.link_text(row, lang)))

# ---------------------------------------------------------------- entering actuals, the KPI sheet
actuals_editor(plan_id, defs[defs["kpi_id"].isin(kpis)], defs, values, table, as_of, lang)
sheet_section(plan_id, defs, values, rule, as_of, lang)

# ---------------------------------------------------------------- a plan made in the app: edit or delete
if plan["origin"] == "user":
    with st.expander(t("kpi_pf_edit")):
        plan_form(plan["municipality_code"], muni, lang, plan_id)
        if st.button(t("kpi_pf_delete"), key="kpi_plan_delete", icon=":material/delete:"):
            kq.delete_plan(plan_id)
            st.session_state[GOTO] = None
            st.session_state["_kpi_flash"] = t("kpi_pf_deleted", plan=names[plan_id])
            st.rerun()
