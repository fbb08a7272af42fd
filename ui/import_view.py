"""The import page's repeated rendering blocks (pages/import_data.py is layout only): the reading options asked for
only when they change the file's rows, and the per-table previews in tabs (queries.views.import_data shapes both)."""
from __future__ import annotations

from datetime import date

import streamlit as st

from loaders import importer
from queries import explorer as ex
from queries.views import import_data as vi
from ui.i18n import t


def options(parsed, prepared, suggested):
    """The basis and reference-day choices this file's rows depend on; the file prepared again if they changed."""
    if prepared.options_used:  # only the choices that change this file's rows are asked for
        o1, o2 = st.columns(2)
        bases, days = vi.BASES, vi.REF_DAYS
        basis = o1.selectbox(t("imp_basis"), bases, index=bases.index(suggested.basis), key="imp_basis",
                             format_func=lambda b: t(f"xv_{b}")) \
            if "basis" in prepared.options_used else suggested.basis
        ref_day = o2.selectbox(t("imp_ref_day"), days, index=days.index(suggested.ref_day), key="imp_day",
                               help=t("imp_ref_day_help")) if "ref_day" in prepared.options_used else suggested.ref_day
        if (basis, ref_day) != (suggested.basis, suggested.ref_day):
            prepared = importer.prepare(parsed, ex.known_codes(), importer.Options(basis=basis, ref_day=ref_day))
    return prepared


def previews(prepared, lang: str) -> None:
    """One tab per table: its row count and its first rows, measures as localized numbers."""
    tabs = st.tabs(vi.tab_labels(prepared, lang))
    for tab, (table, rows) in zip(tabs, prepared.tables.items()):
        with tab:
            item = vi.preview(table, rows, lang)
            st.caption(item["caption"])
            st.dataframe(item["frame"], hide_index=True, column_config={
                m: st.column_config.NumberColumn(label, format="localized") for m, label in item["measures"].items()})


def source_form(src: dict) -> tuple[bool, dict]:
    """The source form, pre-filled from `src` (queries.views.import_data.source_defaults): whether it was submitted,
    and the source fields as importer.append takes them."""
    with st.form("imp_source"):
        f1, f2 = st.columns(2)
        publisher = f1.text_input(t("imp_publisher"), src["publisher"])
        title = f2.text_input(t("imp_src_title"), src["title"])
        table_id = f1.text_input(t("imp_table_id"), src["table_id"])
        url = f2.text_input(t("imp_url"), src["url"])
        retrieved = f1.date_input(t("imp_retrieved"), date.today())
        licence = f2.text_input(t("imp_licence"), src["licence"])
        note = st.text_input(t("imp_note"), src["note"])
        go = st.form_submit_button(t("imp_go"), type="primary", icon=":material/upload:")
    return go, dict(publisher=publisher, title=title, table_id=table_id, url=url, retrieved=retrieved.isoformat(),
                    licence=licence, note=note)
