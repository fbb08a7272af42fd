"""The slide show (pages/present.py): one slide of the playlist full screen, its source under it, the speaker notes
below the fold (the presenter scrolls; the projector shows the slide), the next slide drawn off screen so stepping
to it is immediate. Sizes come from the browser's viewport (ui.keys)."""
from __future__ import annotations

import streamlit as st

from charts import slides as cs
from queries.views import slides as vs
from ui import presenter as pr
from ui.i18n import lang, t
from ui.keys import keys

SLIDE_CSS = """
<style>
.st-key-slide_next { position: absolute !important; left: -30000px; top: 0; height: 0; overflow: hidden; }
.st-key-slide_source p { font-size: 20px; line-height: 1.35; color: #222; margin: 0; }
.st-key-slide_notes { margin-top: 40vh; }
</style>
"""
NAV_PX, PAD_PX = 136, 40  # the slide bar with the page's top margin (measured: a slide starts at 134 px); sides


def _spec(item: dict, width: int, height: int) -> dict:
    if vs.kind(item) == "title":
        return cs.title_slide(item["title"], item.get("caption", ""), [], width, height)
    return cs.for_slide(item["spec"], width, height)


def show_slide(item: dict, width: int, height: int, key: str | None = None) -> None:
    """One slide as the projector shows it, at `width` × `height` (the editor's preview)."""
    if vs.kind(item) == "live" and item.get("spec") is None:
        st.info(t("slides_live_page", url=item["url"]))
        return
    st.vega_lite_chart(spec=_spec(item, width, height), width="content", key=key)


def show() -> None:
    """Render the current slide and follow the presenter's keys."""
    st.markdown(pr.CSS + SLIDE_CSS, unsafe_allow_html=True)
    items = pr.load_playlist()
    action, size = keys()
    if not items:
        st.info(t("slides_empty"), icon=":material/slideshow:")
        st.page_link(pr.EDITOR, label=t("slides_editor"), icon=":material/edit_note:")
        if st.button(t("exit_presenter"), key="pl_exit"):
            pr.step("exit", 0, [{}])
        return
    i = pr.current_index(items)
    pr.step(action, i, items)
    item = items[i]
    if vs.kind(item) == "live":
        pr.go_to(i, items)
    pr.nav_bar(i, items, vs.area_of(item, lang()))
    if size is None:  # the first run of a session: the browser reports its window, then the slide is drawn to fit
        return
    vw, vh = size
    width = max(480, vw - 2 * PAD_PX - 16)
    source = "" if vs.kind(item) == "title" else item.get("caption") or ""
    lines = -(-cs.display_width(source) * 11 // width) if source else 0  # 20 px type: ~11 px a half-width column
    height = max(320, vh - NAV_PX - 28 * lines - 36)  # 36: the gaps between slide and source, and below it
    with st.container(key="slide"):
        st.vega_lite_chart(spec=_spec(item, width, height), width="content", key=f"slide_{i}")
    with st.container(key="slide_source"):
        st.markdown(source)
    if i + 1 < len(items) and vs.kind(items[i + 1]) != "live":
        with st.container(key="slide_next"):  # drawn off screen: the browser has it ready
            st.vega_lite_chart(spec=_spec(items[i + 1], width, height), width="content",
                               key=f"slide_{i + 1}")
    with st.container(key="slide_notes"):
        st.markdown(f"**{t('speaker_notes')}**")
        st.markdown(item.get("notes") or t("speaker_notes_none"))
