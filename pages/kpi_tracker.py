"""総合戦略 KPI 進捗 / Strategy KPIs: grades per plan and basic goal, a summary for the 推進会議, progress and trends,
actuals entered in the page or imported from the KPI sheet (kept in the user database, never in the published data)."""
import streamlit as st

from charts import kpi as kcharts
from kpi import periods
from kpi.rules import RULES
from kpi.tracker import detail as kpi_detail
from loaders import kpi as sheet
from loaders.errors import LoaderError
from queries import kpi as kq
from settings import default_user_name
from ui import state
from ui.download import download_csv, safe_filename
from ui.frame import caption, frame
from ui.i18n import t
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


plans = kq.plans()
ids = plans["plan_id"].tolist()
names = dict(zip(ids, plans["plan" if lang == "ja" else "plan_en"]))
# The area picker preselects that area's plan; every plan stays selectable (嘉麻市 is not an area of the demo data).
if st.session_state.get("_kpi_area") not in (None, view.code) and view.code in set(plans["municipality_code"]):
    st.session_state["plan"] = kq.default_plan(view.code)
    reset_view()
st.session_state["_kpi_area"] = view.code
plan_id = st.selectbox(t("kpi_plan"), ids, format_func=names.get, on_change=reset_view,
                       key=state.url_widget("plan", ids, kq.default_plan(view.code)))
plan = kq.plan(plan_id)
muni = plan["municipality_ja"] if lang == "ja" else plan["municipality_en"]
st.caption(t("kpi_plan_caption", muni=muni, start=periods.text(plan["plan_start"], lang),
             end=periods.text(plan["plan_end"], lang), publisher=plan["publisher"], title=plan["title"]))
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
    targets = table[shown["level"].ne("kpi").to_numpy()]
    if not targets.empty:
        st.markdown(f"**{t('kpi_targets_title')}**")
        sep = "。" if lang == "ja" else ". "
        why = [f"{r}{sep}{n}" if n else r for r, n in zip(targets["reason"], targets["pending"])]
        st.table(targets.assign(reason=why)[
            ["kpi", "baseline", "target", "latest", "latest_origin", "grade", "reason"]].rename(columns={
                "kpi": t("kpi_col_kpi"), "baseline": t("kpi_col_baseline"), "target": t("kpi_col_target"),
                "latest": t("kpi_col_latest"), "latest_origin": t("kpi_col_origin"), "grade": t("kpi_col_grade"),
                "reason": t("kpi_col_reason")}), hide_index=True)
    if int(total["n"]):
        st.markdown(f"**{t('kpi_attention')}**")
        attention = table[(shown["level"].eq("kpi") & shown["grade"].isin(["△", "×"])).to_numpy()]
        st.markdown("\n".join(f"- **{r.grade}** {r.kpi}（{r.department}）: {r.actual} ／ {r.target} — {r.reason}"
                              for r in attention.itertuples()) or t("kpi_attention_none"))
    caption([plan["source_id"]], "kpi_unit_each", "kpi_period_each", t("kpi_origin_legend"))
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

# ---------------------------------------------------------------- entering actuals
st.subheader(t("kpi_edit_title"))
st.caption(t("kpi_edit_help"))
origins = kq.origin_labels(lang)
base = sheet.editor_frame(defs[defs["kpi_id"].isin(kpis)], values, kq.published(plan_id), as_of,
                          dict(zip(table["kpi_id"], table["goal"])), origins)
cols = {"kpi_id": None, "goal": t("kpi_col_goal"), "kpi": t("kpi_col_kpi"), "unit": t("kpi_col_unit"),
        "period": st.column_config.TextColumn(t("kpi_col_period")), "published": t("kpi_col_published"),
        "value": st.column_config.TextColumn(t("kpi_col_value")), "note": st.column_config.TextColumn(t("kpi_col_note")),
        "judgement": st.column_config.SelectboxColumn(t("kpi_col_judgement"), options=["○", "△", "×"]),
        "origin": t("kpi_col_origin")}
if not st.session_state.get("saved_by"):
    st.session_state["saved_by"] = default_user_name()
st.text_input(t("kpi_saved_by"), key="saved_by", max_chars=80)
with st.form("kpi_form", border=False):
    edited = st.data_editor(base, key="kpi_edit", hide_index=True, width="stretch", num_rows="fixed", placeholder="",
                            disabled=["kpi_id", "goal", "kpi", "unit", "published", "origin"], column_config=cols)
    submitted = st.form_submit_button(t("kpi_save"), type="primary", icon=":material/save:")
if submitted:
    labels_ed = {k: t(f"kpi_col_{k}") for k in ("period", "value", "note", "judgement")} | {"kpi_id": "KPI ID"}
    try:
        rows, clear = sheet.editor_changes(base, edited, defs, t("kpi_editor_name"), labels_ed, values,
                                           origins["user"])
        n = kq.save(rows, clear, by=st.session_state.get("saved_by"))
        st.session_state["_kpi_flash"] = t("kpi_saved", n=n) if n else t("kpi_nothing")
        st.session_state.pop("kpi_edit", None)
        st.rerun()
    except LoaderError as exc:
        st.error(t("kpi_save_rejected", message=exc.message(lang)))
user = kq.user_values()
st.caption(t("kpi_userdb", path=kq.store_name(), n=len(user)))

# ---------------------------------------------------------------- the KPI sheet
st.subheader(t("kpi_io_title"))
st.caption(t("kpi_io_help"))
out = kq.sheet(plan_id, as_of, lang)
d1, d2, d3 = st.columns(3)
with d1:
    sheets = {sheet.SHEET_NAME[lang]: out, t("kpi_sheet_list"): kq.definitions_sheet(defs, lang)}
    st.download_button(t("kpi_dl_xlsx"), lambda: sheet.to_xlsx(sheets),
                       file_name=safe_filename(plan_id, "kpi_sheet", ext="xlsx"), key="dl_kpi_xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/download:")
with d2:
    download_csv(out, plan_id, "kpi_sheet", key="dl_kpi_csv")
with d3:
    if not user.empty:
        download_csv(kq.history(), "kpi_history", key="dl_kpi_history")
upload = st.file_uploader(t("kpi_upload"), type=["xlsx", "csv"], key="kpi_file")
if upload is not None:
    try:
        raw, file_labels, sheet_name = sheet.read_sheet(upload.name, upload.getvalue())
        rows = sheet.validate_rows(raw, defs, upload.name, file_labels, sheet_name, current=values)
        st.info(t("kpi_import_preview", n=len(rows)))
        if not rows.empty:
            preview = kq.import_preview(plan_id, rows, rule, as_of, lang)
            st.dataframe(preview, hide_index=True, width="stretch",
                         column_order=["_row", "kpi", "period", "current", "new", "grade", "status"],
                         column_config={c: t(f"kpi_imp_col_{c.strip('_')}") for c in preview.columns if c != "stale"})
            stale = preview["stale"].to_numpy()
            overwrite = False
            if stale.any():
                st.warning(t("kpi_imp_stale_warn", n=int(stale.sum())))
                overwrite = st.checkbox(t("kpi_imp_stale_ok", n=int(stale.sum())), key="kpi_import_overwrite")
            if st.button(t("kpi_import_save"), key="kpi_import_save", type="primary", icon=":material/save:"):
                keep = rows if overwrite else rows[~stale]
                n = kq.save(keep, by=st.session_state.get("saved_by"))
                skipped = len(rows) - len(keep)
                st.session_state["_kpi_flash"] = t("kpi_imp_saved", n=n, skipped=skipped) if skipped else t("kpi_saved", n=n)
                st.rerun()
    except LoaderError as exc:
        st.error(t("kpi_import_rejected", message=exc.message(lang)))
