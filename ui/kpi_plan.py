"""The plan form of the KPI tracker page: create a municipality's own strategy plan, or edit one made in the app —
name, plan period, grading rule and the KPI definitions, typed in a table or imported from a KPI一覧 sheet (xlsx/CSV).

Layout only: validation is loaders.kpi (validate_plan_meta / validate_plan_rows), saving is queries.kpi.save_plan.
"""
from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from kpi import periods
from kpi.rules import RULES
from loaders import kpi as sheet
from loaders.errors import LoaderError
from queries import kpi as kq
from ui.i18n import t

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
