"""The forms of the KPI tracker page (pages/kpi_tracker.py): entering actuals, the KPI sheet (export, import with
preview), the plan form — create a municipality's own strategy plan or edit one made in the app (name, plan
period, grading rule and the KPI definitions, typed in a table or imported from a KPI一覧 sheet, xlsx/CSV) — and
the page's blocks: the plan selection state, the summary for the 推進会議, the KPI table and the edit/delete
expander of an app-made plan.

Layout only: validation is loaders.kpi, saving is queries.kpi (save, save_plan).
"""
from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from charts import kpi as kcharts
from kpi import periods
from kpi.rules import RULES
from loaders import kpi as sheet
from loaders.errors import LoaderError
from queries import kpi as kq
from queries.views import kpi_tracker as kv
from settings import default_user_name
from ui.download import download_csv, offer, safe_filename
from ui.frame import caption
from ui.i18n import t
from ui.show import chart

#: session key the page reads before its plan selector: the plan to show after a save.
GOTO = "_kpi_goto"


def _columns(lang: str) -> dict:
    choice = {c: st.column_config.SelectboxColumn(t(f"kpi_pf_{c}"), options=[w[lang] for w in sheet.PLAN_CHOICES[c].values()])
              for c in sheet.PLAN_CHOICES}
    return {"kpi_id": None, "goal_no": st.column_config.NumberColumn(t("kpi_pf_goal_no"), min_value=0, step=1),
            "goal": t("kpi_pf_goal"), "kpi": st.column_config.TextColumn(t("kpi_pf_kpi"), width="large", required=True),
            "unit": t("kpi_pf_unit"), "baseline_value": t("kpi_pf_baseline_value"),
            "baseline_period": t("kpi_pf_baseline_period"), "target_value": t("kpi_pf_target_value"),
            "target_period": t("kpi_pf_target_period"), "department": t("kpi_pf_department"), **choice}


def plan_form(area_code: str, area_name: str, lang: str, plan_id: str | None = None) -> None:
    """The form creating a plan for `area_code` (plan_id None) or editing the app-made plan `plan_id`; on a valid
    save the page shows the plan (GOTO) with a message; on an error nothing is saved and the error names the row
    and column."""
    current = kq.plan(plan_id) if plan_id else None
    rows = kq.plan_editor_rows(plan_id, lang) if plan_id else kq.new_plan_rows(area_code, lang)
    this_fy = periods.fiscal_year(date.today())
    suffix = plan_id or "new"
    with st.form(f"kpi_plan_form_{suffix}", border=True):
        name = st.text_input(t("kpi_pf_name"), value=current["plan"] if current else t("kpi_pf_name_default", area=area_name),
                             key=f"kpi_pf_name_{suffix}", max_chars=200)
        c1, c2, c3 = st.columns(3)
        start = c1.text_input(t("kpi_pf_start"), value=current["plan_start"] if current else periods.fy(this_fy),
                              key=f"kpi_pf_start_{suffix}")
        end = c2.text_input(t("kpi_pf_end"), value=current["plan_end"] if current else periods.fy(this_fy + 4),
                            key=f"kpi_pf_end_{suffix}")
        rules = list(RULES)
        rule = c3.selectbox(t("kpi_rule"), rules, format_func=lambda r: t("rule_" + r), key=f"kpi_pf_rule_{suffix}",
                            index=rules.index(current["default_rule"]) if current else rules.index("trajectory"))
        st.caption(t("kpi_pf_table_help"))
        edited = st.data_editor(rows, key=f"kpi_pf_rows_{suffix}", hide_index=True, width="stretch", num_rows="dynamic",
                                column_config=_columns(lang), column_order=kq.PLAN_EDITOR_COLUMNS[1:])
        upload = st.file_uploader(t("kpi_pf_upload"), type=["xlsx", "csv"], key=f"kpi_pf_file_{suffix}")
        submitted = st.form_submit_button(t("kpi_pf_save"), type="primary", icon=":material/save:")
    if not submitted:
        return
    try:
        meta = sheet.validate_plan_meta({"plan_id": plan_id, "plan": name, "municipality_code": area_code,
                                         "municipality_ja": current["municipality_ja"] if current else area_name,
                                         "municipality_en": current["municipality_en"] if current else area_name,
                                         "plan_start": start, "plan_end": end, "default_rule": rule},
                                        t("kpi_pf_form_name"))
        if upload is not None:
            raw, labels, sheet_name = sheet.read_plan_sheet(upload.name, upload.getvalue())
            defs = sheet.validate_plan_rows(raw, upload.name, labels, sheet_name)
        else:
            typed = pd.DataFrame(edited).reset_index(drop=True).assign(_row=lambda d: range(1, len(d) + 1))
            labels = {c: t(f"kpi_pf_{c}") for c in kq.PLAN_EDITOR_COLUMNS[1:]}
            defs = sheet.validate_plan_rows(typed, t("kpi_pf_table_name"), labels)
        new_id = kq.save_plan(meta, defs, by=st.session_state.get("saved_by"))
    except LoaderError as exc:
        st.error(t("kpi_pf_rejected", message=exc.message(lang)))
        return
    st.session_state[GOTO] = new_id
    st.session_state["_kpi_flash"] = t("kpi_pf_saved", plan=meta["plan"], n=len(defs))
    st.rerun()


def actuals_editor(plan_id: str, shown_defs: pd.DataFrame, defs: pd.DataFrame, values: pd.DataFrame,
                   table: pd.DataFrame, as_of: str, lang: str) -> None:
    """The table where departments type the actuals of the KPIs shown (`shown_defs`) for evaluation year `as_of`,
    saved to the user store on submit (validated against every definition of the plan, `defs`); `values`: the
    merged values, `table`: the display rows (goal labels)."""
    st.subheader(t("kpi_edit_title"))
    st.caption(t("kpi_edit_help"))
    origins = kq.origin_labels(lang)
    base = sheet.editor_frame(shown_defs, values, kq.published(plan_id), as_of,
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


def sheet_section(plan_id: str, defs: pd.DataFrame, values: pd.DataFrame, rule: str, as_of: str, lang: str) -> None:
    """The KPI sheet: xlsx (actuals and the KPI一覧 definitions) and CSV downloads, the entry history, and the
    import of a filled-in sheet with a preview of every change (grades now → after) before saving."""
    st.subheader(t("kpi_io_title"))
    st.caption(t("kpi_io_help"))
    out = kq.sheet(plan_id, as_of, lang)
    user = kq.user_values()
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


def flash() -> None:
    """The message a save or delete left for the next run."""
    if "_kpi_flash" in st.session_state:
        st.success(st.session_state.pop("_kpi_flash"))


def sync_plan(area_code: str, default: str) -> None:
    """Another area picked preselects its plan (`default`); a plan just saved or deleted (GOTO) is shown; either
    way the view starts from the plan's defaults."""
    if st.session_state.get("_kpi_area") not in (None, area_code):
        st.session_state["plan"] = default
        reset_view()
    if GOTO in st.session_state:  # a plan was just saved or deleted
        st.session_state["plan"] = st.session_state.pop(GOTO) or default
        reset_view()
    st.session_state["_kpi_area"] = area_code


def reset_view() -> None:
    """A new plan starts from its own defaults (rule, evaluation year, filters, chosen indicator)."""
    for k in kv.PAGE_KEYS:
        st.session_state.pop(k, None)
        st.query_params.pop(k, None)


def _table_columns() -> dict:
    return {
        "goal": t("kpi_col_goal"), "level": t("kpi_col_level"),
        "kpi": st.column_config.TextColumn(t("kpi_col_kpi"), width="large"),
        "department": t("kpi_col_dept"), "baseline": t("kpi_col_baseline"), "target": t("kpi_col_target"),
        "actual": st.column_config.TextColumn(t("kpi_col_actual"), width="medium"), "origin": t("kpi_col_origin"),
        "progress": st.column_config.ProgressColumn(t("kpi_col_progress"), help=t("kpi_col_progress_help"), min_value=0,
                                                    max_value=100, format="%d%%"),
        "grade": st.column_config.TextColumn(t("kpi_col_grade")),
        "reason": st.column_config.TextColumn(t("kpi_col_reason"), width="medium"),
        "trend": st.column_config.LineChartColumn(t("kpi_col_trend"), help=t("kpi_col_trend_help"), width="small"),
        "recorded": st.column_config.TextColumn(t("kpi_col_recorded"), width="small"),
        "note": st.column_config.TextColumn(t("kpi_col_note"), width="large")}


def summary(v: dict, plan: dict, plan_name: str, rule: str, as_of: str, lang: str) -> None:
    """One page for the 推進会議: counts per grade and basic goal, the targets, what needs attention, the source
    and the xlsx download; `v`: queries.kpi.view."""
    shown, table = v["shown"], v["table"]
    labels = kcharts.grade_labels(rule, lang)
    with st.container(border=True):
        st.subheader(t("kpi_summary_title", plan=plan_name, as_of=periods.text(as_of, lang)))
        counts, total = v["counts"], v["summary"]
        if int(total["n"]):
            m = st.columns(5)
            m[0].metric(t("kpi_n"), int(total["n"]), border=True)
            for col, code in zip(m[1:4], ("good", "short", "other")):
                col.metric(labels[code], int(total[code]), delta=t("kpi_share", pct=int(total[code + "_pct"])),
                           delta_color="off", delta_arrow="off", border=True)
            m[4].metric(t("kpi_grade_none"), int(total["ungraded"]), border=True)
            st.markdown(f"**{t('kpi_counts_table')}**")
            st.table(kv.counts_table(counts, rule, lang), hide_index=True)
            chart(kcharts.grade_counts, v["grade_bars"], rule, lang)
        targets = kq.targets_frame(shown, table, lang)
        if not targets.empty:
            st.markdown(f"**{t('kpi_targets_title')}**")
            st.table(targets, hide_index=True)
        if int(total["n"]):
            st.markdown(f"**{t('kpi_attention')}**")
            st.markdown(kq.attention_text(shown, table) or t("kpi_attention_none"))
        caption([plan["source_id"]], "kpi_unit_each", "kpi_period_each", kv.origin_legend(plan, lang))
        st.download_button(t("kpi_dl_summary"), lambda: sheet.to_xlsx(kq.summary_sheets(counts, table, lang)),
                           file_name=safe_filename(plan_name, as_of, "summary", ext="xlsx"), key="dl_kpi_summary",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           icon=":material/download:")


def kpi_table(table: pd.DataFrame, plan: dict, plan_name: str, as_of: str) -> None:
    """Every KPI: grade, trend, progress — the table and its download."""
    st.subheader(t("kpi_table_title"))
    st.dataframe(table, hide_index=True, width="stretch", row_height=44, height=44 * (len(table) + 1) + 12,
                 column_order=kv.TABLE_ORDER, column_config=_table_columns())
    offer(table.drop(columns=["trend", "latest", "latest_origin", "pending"]), t("kpi_table_title"), "dl_kpi_table",
          name=plan_name, period=as_of, source_ids=[plan["source_id"]])


def plan_admin(plan_id: str, plan: dict, plan_name: str, muni: str, lang: str) -> None:
    """A plan made in the app: edit it (plan_form) or delete it."""
    with st.expander(t("kpi_pf_edit")):
        plan_form(plan["municipality_code"], muni, lang, plan_id)
        if st.button(t("kpi_pf_delete"), key="kpi_plan_delete", icon=":material/delete:"):
            kq.delete_plan(plan_id)
            st.session_state[GOTO] = None
            st.session_state["_kpi_flash"] = t("kpi_pf_deleted", plan=plan_name)
            st.rerun()
