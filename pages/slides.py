"""スライド編集 / Slide editor: order, titles, speaker notes, title slides; the playlist to and from a file (USB stick);
the handout (PDF, A4) and a PowerPoint deck; start presenting."""
import streamlit as st

from loaders.errors import LoaderError
from loaders.playlist import read_playlist_file
from queries.views import slides as vs
from ui import export
from ui import presenter as pr
from ui.download import safe_filename
from ui.frame import frame
from ui.i18n import t
from ui.slideshow import show_slide

view = frame(__file__)
lang = view.lang
st.title(t("slides_title"))
items = pr.load_playlist()
name = st.text_input(t("slides_deck_title"), value=vs.default_title(items, lang), key="deck_title")
if not items:
    st.info(t("slides_empty"), icon=":material/slideshow:")
else:
    st.caption(t("slides_editor_help"))
    edited = st.data_editor(vs.editor_rows(items, lang), key="slides_table", hide_index=True, num_rows="delete",
                            width="stretch", disabled=["kind", "area"], column_order=[
                                "order", "kind", "title", "area", "notes", "caption"], column_config={
                                "order": st.column_config.NumberColumn(t("slides_col_order"), min_value=1, step=1, width="small"),
                                "kind": st.column_config.TextColumn(t("slides_col_kind"), width="small"),
                                "title": st.column_config.TextColumn(t("slides_col_title"), max_chars=300, width="large"),
                                "area": st.column_config.TextColumn(t("slides_col_area")),
                                "notes": st.column_config.TextColumn(t("slides_col_notes"), max_chars=20_000, width="large"),
                                "caption": st.column_config.TextColumn(t("slides_col_caption"), max_chars=4_000)})
    c1, c2, c3 = st.columns([1, 1, 1], vertical_alignment="bottom")
    if c1.button(t("playlist_save"), key="slides_save", type="primary", icon=":material/save:"):
        pr.save_playlist(vs.apply_edits(items, edited))
        st.rerun()
    if c2.button(t("playlist_start"), key="slides_start", icon=":material/play_arrow:"):
        pr.go_to(0, items)
    n = c3.number_input(t("slides_preview"), min_value=1, max_value=len(items), value=1, step=1, key="slides_n")
    show_slide(items[n - 1], 1100, 520)
    slides = vs.for_export(items, lang)
    d1, d2, d3 = st.columns(3)
    d1.download_button(t("handout_pdf"), lambda: export.handout_pdf(slides, name, lang, words={
        "agenda": t("handout_agenda"), "areas": t("handout_areas"), "page": t("handout_page")}),
        file_name=safe_filename(name, ext="pdf"), mime="application/pdf", key="slides_pdf", on_click="ignore",
        icon=":material/picture_as_pdf:", disabled=not slides)
    d2.download_button(t("slides_pptx"), lambda: export.pptx(slides, name, lang), key="slides_pptx",
                       file_name=safe_filename(name, ext="pptx"), on_click="ignore", icon=":material/co_present:",
                       mime="application/vnd.openxmlformats-officedocument.presentationml.presentation", disabled=not slides)
    d3.download_button(t("slides_export"), pr.export_file(items, name), file_name=safe_filename(name, ext="json"),
                       mime="application/json", key="slides_json", on_click="ignore", icon=":material/save_alt:")

with st.expander(t("slides_add_title"), icon=":material/title:"):
    with st.form("title_slide", clear_on_submit=True):
        title = st.text_input(t("slides_col_title"), max_chars=300)
        subtitle = st.text_area(t("slides_subtitle"), max_chars=1_000)
        at = st.number_input(t("slides_position"), min_value=1, max_value=len(items) + 1, value=1, step=1)
        if st.form_submit_button(t("slides_add_title"), icon=":material/add:") and title.strip():
            pr.save_playlist(items[:at - 1] + [vs.title_slide(title, subtitle)] + items[at - 1:])
            st.rerun()

with st.expander(t("slides_import"), icon=":material/upload_file:"):
    upload = st.file_uploader(t("slides_import_help"), type=["json"], key="slides_file")
    if upload is not None:
        try:
            file_title, loaded = read_playlist_file(upload.getvalue(), upload.name)
        except LoaderError as exc:
            st.error(exc.message(lang), icon=":material/error:")
        else:
            st.success(t("slides_import_read", n=len(loaded), title=file_title or upload.name))
            if st.button(t("slides_import_replace", n=len(items)), key="slides_replace", type="primary"):
                pr.save_playlist(loaded)
                st.rerun()
