"""データの取り込み / Import: upload an official file as published, see how it was read and mapped, check it, and
append it to the user database (kept apart from the official one) in one transaction."""
import streamlit as st

from loaders import importer
from store import user as user_store
from loaders.errors import LoaderError
from loaders.importer_read import parse
from queries import explorer as ex
from queries.views import import_data as vi
from ui import import_view
from ui.frame import frame
from ui.i18n import fmt_int, t

view = frame(__file__)
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
        st.markdown(vi.detected(parsed, lang))
        with st.expander(t("imp_raw"), expanded=parsed.layout != "juki_workbook"):
            st.dataframe(parsed.preview(12), height=300)
        st.subheader(t("imp_step_map"))
        suggested = importer.suggest_options(parsed)
        prepared = import_view.options(parsed, importer.prepare(parsed, ex.known_codes(), suggested), suggested)
        st.markdown(f"**{t('imp_mapping')}**")
        mapping, labels = vi.mapping(prepared, lang)
        st.dataframe(mapping, hide_index=True, column_config=labels)
        for note in vi.notes(prepared, lang):
            st.caption(note)
        st.caption(t("imp_note_default"))
        if not prepared.skipped.empty:
            with st.expander(vi.skipped_label(prepared, lang)):
                skipped, labels = vi.skipped(prepared, lang)
                st.dataframe(skipped, hide_index=True, column_config=labels)
        st.success(vi.checked(prepared, lang))
        import_view.previews(prepared, lang)

        st.subheader(t("imp_step_save"))
        go, source = import_view.source_form(vi.source_defaults(parsed, upload.name))
        if go:
            if not source["publisher"].strip() or not source["title"].strip():
                st.warning(t("imp_need_publisher"))
            else:
                new_id = importer.append(prepared, source)
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
        st.dataframe(history, hide_index=True, column_config=vi.history_labels(history, lang))
        with st.expander(t("imp_delete")):
            victim = st.selectbox(t("imp_delete_pick"), history["import_id"].tolist(), key="imp_victim",
                                  format_func=vi.victim_label(history))
            sure = st.checkbox(t("imp_delete_confirm"), key="imp_sure")
            if st.button(t("imp_delete"), disabled=not sure, icon=":material/delete:"):
                removed = importer.delete_import(victim)
                st.toast(t("imp_deleted", id=victim, n=fmt_int(removed)))
                st.rerun()
except Exception as exc:  # noqa: BLE001 - st.rerun's control flow is a BaseException and passes through
    err = exc if isinstance(exc, LoaderError) else importer.unexpected(user_store.default().name(), exc)
    st.error(err.message(lang), icon=":material/error:")
