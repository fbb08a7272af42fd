"""データの取り込み / Import: upload an official file as published, see how it was read and mapped, check it, and
append it to the user database (kept apart from the official one) in one transaction."""
from datetime import date

import streamlit as st

from loaders import importer
from store import user as user_store
from loaders.errors import LoaderError
from loaders.importer_read import parse
from queries import explorer as ex
from ui.frame import frame
from ui.i18n import fmt_int, t

view = frame()
lang = view.lang
st.title(t("imp_title"))
st.caption(t("imp_intro"))
st.caption(t("imp_db_path", path=user_store.default().name()))

upload = st.file_uploader(t("imp_upload"), type=["csv", "txt", "gz", "xlsx", "xlsm", "xls"], key="imp_file")
if upload is not None:
    try:
        data = upload.getvalue()
        parsed = parse(upload.name, data, importer.TIDY_COLUMNS)
        st.subheader(t("imp_step_read"))
        st.markdown(t("imp_detected", layout=t(f"imp_layout_{parsed.layout}"), enc=parsed.encoding or t("imp_enc_none"),
                      row=parsed.header_row, sheet=t("imp_sheet", sheet=parsed.sheet) if parsed.sheet else ""))
        with st.expander(t("imp_raw"), expanded=parsed.layout != "juki_workbook"):
            st.dataframe(parsed.preview(12), height=300)
        st.subheader(t("imp_step_map"))
        suggested = importer.suggest_options(parsed)
        prepared = importer.prepare(parsed, ex.known_codes(), suggested)
        if prepared.options_used:  # only the choices that change this file's rows are asked for
            o1, o2 = st.columns(2)
            bases, days = ["estimate", "census", "juki", "other"], ["10-01", "01-01", "03-31"]
            basis = o1.selectbox(t("imp_basis"), bases, index=bases.index(suggested.basis), key="imp_basis",
                                 format_func=lambda b: t(f"xv_{b}")) if "basis" in prepared.options_used else suggested.basis
            ref_day = o2.selectbox(t("imp_ref_day"), days, index=days.index(suggested.ref_day), key="imp_day",
                                   help=t("imp_ref_day_help")) if "ref_day" in prepared.options_used else suggested.ref_day
            if (basis, ref_day) != (suggested.basis, suggested.ref_day):
                prepared = importer.prepare(parsed, ex.known_codes(), importer.Options(basis=basis, ref_day=ref_day))
        st.markdown(f"**{t('imp_mapping')}**")
        mapping = prepared.mapping.assign(role=prepared.mapping["role"].map(lambda r: t(f"imp_role_{r}")),
                                          categories=prepared.mapping["categories"].replace(
                                              {"@by_code": t("imp_by_code"), "@by_name": t("imp_by_name")}))
        st.dataframe(mapping, hide_index=True, column_config={
            "dimension": t("imp_col_dimension"), "role": t("imp_col_role"), "categories": t("imp_col_categories")})
        for ja, en in prepared.notes:
            st.caption(ja if lang == "ja" else en)
        st.caption(t("imp_note_default"))
        if not prepared.skipped.empty:
            with st.expander(t("imp_skipped") + f"（{len(prepared.skipped)}）"):
                skipped = prepared.skipped.assign(reason=prepared.skipped["reason"].map(lambda r: t(f"imp_skip_{r}")))
                st.dataframe(skipped, hide_index=True, column_config={
                    "what": t("imp_col_what"), "rows": t("imp_col_rows"), "reason": t("imp_col_reason")})
        summary = ", ".join(f"{t(f'tbl_{k}')} {fmt_int(len(v))}" for k, v in prepared.tables.items())
        st.success(t("imp_checked", tables=summary, n=fmt_int(prepared.rows)))
        tabs = st.tabs([t(f"tbl_{k}") for k in prepared.tables])
        for tab, (table, rows) in zip(tabs, prepared.tables.items()):
            with tab:
                st.caption(t("imp_preview_rows", table=table, n=fmt_int(len(rows))))
                shown = rows.drop(columns=["_row", "_col"]).head(100)
                shown = shown.drop(columns=["orig_source_id"]) if shown["orig_source_id"].isna().all() else shown
                st.dataframe(shown, hide_index=True, column_config={
                    m: st.column_config.NumberColumn(t(f"xc_{m}"), format="localized")
                    for m in importer.TARGETS[table].measures})

        st.subheader(t("imp_step_save"))
        src = importer.default_source(parsed)
        with st.form("imp_source"):
            f1, f2 = st.columns(2)
            publisher = f1.text_input(t("imp_publisher"), src["publisher"])
            title = f2.text_input(t("imp_src_title"), src["title"] or upload.name)
            table_id = f1.text_input(t("imp_table_id"), src["table_id"])
            url = f2.text_input(t("imp_url"), src["url"])
            retrieved = f1.date_input(t("imp_retrieved"), date.today())
            licence = f2.text_input(t("imp_licence"), src["licence"] or "政府標準利用規約（第2.0版）")
            note = st.text_input(t("imp_note"), src["note"])
            go = st.form_submit_button(t("imp_go"), type="primary", icon=":material/upload:")
        if go:
            if not publisher.strip() or not title.strip():
                st.warning(t("imp_need_publisher"))
            else:
                new_id = importer.append(prepared, dict(publisher=publisher, title=title, table_id=table_id, url=url,
                                                        retrieved=retrieved.isoformat(), licence=licence, note=note))
                st.success(t("imp_done", id=new_id, n=fmt_int(prepared.rows)))
    except Exception as exc:  # noqa: BLE001 - every failure is a message, never a traceback
        err = exc if isinstance(exc, LoaderError) else importer.unexpected(upload.name, exc)
        st.error(f"**{t('imp_rejected')}** — {err.message(lang)}  \n{t('imp_nothing_saved')}", icon=":material/block:")

st.subheader(t("imp_history"))
try:
    history = importer.list_imports()
    if history.empty:
        st.caption(t("imp_history_none"))
    else:
        st.dataframe(history, hide_index=True, column_config={c: t(f"imp_h_{c}") for c in history.columns})
        with st.expander(t("imp_delete")):
            victim = st.selectbox(t("imp_delete_pick"), history["import_id"].tolist(), key="imp_victim",
                                  format_func=lambda i: f"#{i} {history.loc[history['import_id'] == i, 'file_name'].iat[0]}")
            sure = st.checkbox(t("imp_delete_confirm"), key="imp_sure")
            if st.button(t("imp_delete"), disabled=not sure, icon=":material/delete:"):
                removed = importer.delete_import(victim)
                st.toast(t("imp_deleted", id=victim, n=fmt_int(removed)))
                st.rerun()
except Exception as exc:  # noqa: BLE001 - st.rerun's control flow is a BaseException and passes through
    err = exc if isinstance(exc, LoaderError) else importer.unexpected(user_store.default().name(), exc)
    st.error(err.message(lang), icon=":material/error:")
