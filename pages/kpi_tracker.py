"""総合戦略 KPI 進捗 / Strategy KPIs: grades per plan and basic goal, a summary for the 推進会議, progress and trends,
actuals entered in the page or imported from the KPI sheet (kept in the user database, never in the published data)."""
import streamlit as st

from charts import kpi as kcharts
from kpi import periods
from kpi.rules import RULES
from queries import kpi as kq
from queries.views import kpi_tracker as kv
from ui import state
from ui.frame import frame
from ui.i18n import t
from ui.kpi_forms import (actuals_editor, flash, kpi_table, plan_admin, plan_form, reset_view, sheet_section,
                          summary, sync_plan)
from ui.show import chart

view = frame(__file__)
lang = view.lang
st.title(t("kpi_title"))
flash()

ids, names, default = kv.plan_choices(view.code, view.name, lang)
sync_plan(view.code, default)
plan_id = st.selectbox(t("kpi_plan"), ids, format_func=names.get, on_change=reset_view,
                       key=state.widget("plan", ids, default))
if plan_id == kv.NEW:
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
                                key=state.widget("rule", list(RULES), plan["default_rule"])) or plan["default_rule"]
with c2:
    as_of = st.selectbox(t("kpi_as_of"), options, format_func=lambda p: periods.text(p, lang),
                         key=state.widget("asof", options, as_of_default))
goal_keys, departments = kv.filter_options(plan_id, rule, as_of, lang)
c3, c4 = st.columns(2)
with c3:
    goals = st.multiselect(t("kpi_goal_filter"), goal_keys, format_func=lambda k: kq.goal_label(k, lang),
                           placeholder=t("kpi_all"), key=state.widget("goal", goal_keys, [], multi=True))
with c4:
    depts = st.multiselect(t("kpi_dept_filter"), departments, placeholder=t("kpi_all"),
                           key=state.widget("dept", departments, [], multi=True))
st.caption(t("rule_help_" + rule))
v = kq.view(plan_id, rule, as_of, goals, depts, lang)
shown, table = v["shown"], v["table"]
if shown.empty:
    st.info(t("kpi_no_kpis"))
    st.stop()
summary(v, plan, names[plan_id], rule, as_of, lang)
kpi_table(table, plan, names[plan_id], as_of)
chart(kcharts.progress_bars, v["progress"], rule, lang)

kpis = shown["kpi_id"].tolist()
if st.session_state.get("kpi") not in kpis:  # the filters left the chosen indicator out
    st.session_state.pop("kpi", None)
pick = st.selectbox(t("kpi_detail_pick"), kpis, format_func=kv.pick_labels(table).get,
                    key=state.widget("kpi", kpis, kpis[0]))
d = kv.detail(shown, table, values, pick, lang)
chart(kcharts.detail, d["series"]["actual"], d["series"]["path"], d["series"]["projection"], d["title"], lang)
st.caption(d["note"])
actuals_editor(plan_id, defs[defs["kpi_id"].isin(kpis)], defs, values, table, as_of, lang)
sheet_section(plan_id, defs, values, rule, as_of, lang)
if plan["origin"] == "user":  # a plan made in the app: edit or delete
    plan_admin(plan_id, plan, names[plan_id], muni, lang)
