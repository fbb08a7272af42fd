"""Presenter mode, the shareable link of the current view, and playlists of saved views.

A playlist is a list of views kept in the user store (store.user, table playlist_items): title, the view's
URL (page path + query string) and, for the handout, the main chart's spec and source line captured when the
view was added. In presenter mode a bar steps through it with buttons and the keys a clicker sends
(PageDown / PageUp) or the arrow keys.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import streamlit as st

from loaders.errors import LoaderError
from store import user as user_store
from ui import export, state
from ui.i18n import t


CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
html, body, [data-testid="stAppViewContainer"] { font-size: 22px; color: #000; background: #fff; }
[data-testid="stMainBlockContainer"] { padding-top: 1.2rem; max-width: 100%; }
[data-testid="stMetricValue"] { font-size: 3.2rem; }
[data-testid="stMetricLabel"] p { font-size: 1.05rem; white-space: normal; }
[data-testid="stCaptionContainer"] { font-size: 1.0rem; color: #222; }
h1 { font-size: 2.6rem !important; }
</style>
"""


@st.cache_data(show_spinner=False, max_entries=4)
def _playlist(url: str, stamp: tuple) -> list[dict]:
    return user_store.UserStore(url).playlist()


def load_playlist() -> list[dict]:
    """The saved views (user store, table playlist_items): list of {title, url, spec, caption, notes}; read again
    only after the store changed."""
    store = user_store.default()
    try:
        return _playlist(store.url, store.stamp())
    except LoaderError:  # the user store is unreachable: the frame says so; pages work without a playlist
        return []


def save_playlist(items: list[dict]) -> None:
    """Replace the playlist in one transaction (a failed save keeps the previous one)."""
    user_store.default().save_playlist(items, by=st.session_state.get("saved_by"))


def view_url(page: str) -> str:
    """Path and query string that reopen the current view of `page` ('app.py' or 'pages/x.py')."""
    path = "/" if page == "app.py" else "/" + Path(page).stem
    params = {k: v for k, v in st.query_params.to_dict().items() if k != "pl"}
    return path + ("?" + urlencode(params) if params else "")


def page_of(url: str) -> tuple[str, dict]:
    """('app.py' or 'pages/<stem>.py', query parameters) of a view URL."""
    parts = urlsplit(url)
    stem = parts.path.strip("/")
    return ("app.py" if not stem else f"pages/{stem}.py"), dict(parse_qsl(parts.query))


def go_to(index: int, items: list[dict]) -> None:
    """Open view `index` of the playlist, keeping presenter mode."""
    page, params = page_of(items[index]["url"])
    for key in ("area", "lang"):  # the frame's view keys live in session state once a session started
        if key in params:
            state.set(key, params[key])
    st.session_state["pl_index"] = index
    st.switch_page(page, query_params={**params, "presenter": "1"})


def link_popover(page: str) -> None:
    """'このビューのリンク': the URL of this view, with a copy button (st.code)."""
    with st.popover(t("view_link"), icon=":material/link:"):
        base = ""
        url = getattr(st.context, "url", None)
        if url:
            p = urlsplit(url)
            base = f"{p.scheme}://{p.netloc}"
        st.code(base + view_url(page), language=None, wrap_lines=True)
        st.caption(t("view_link_help"))


def presenter_bar(page: str) -> None:
    """Top bar in presenter mode: position in the playlist, previous/next (PageUp/PageDown, ←/→), exit."""
    st.markdown(CSS, unsafe_allow_html=True)
    items = load_playlist()
    cols = st.columns([1.8, 1.8, 5, 0.9, 0.9, 1.3], vertical_alignment="center")
    if items:
        cur_page, cur_params = page_of(view_url(page))
        here = [k for k, item in enumerate(items)
                if page_of(item["url"])[0] == cur_page
                and all(cur_params.get(key) == value for key, value in page_of(item["url"])[1].items())]
        i = here[0] if here else min(st.session_state.get("pl_index", 0), len(items) - 1)
        with cols[2]:
            st.markdown(f"**{i + 1} / {len(items)}**　{items[i]['title']}")
        if cols[0].button(t("prev"), key="pl_prev", shortcut="PageUp", disabled=i == 0, width="stretch"):
            go_to(i - 1, items)
        if cols[1].button(t("next"), key="pl_next", shortcut="PageDown", disabled=i >= len(items) - 1, width="stretch"):
            go_to(i + 1, items)
        if cols[3].button("◀", key="pl_left", shortcut="Left", disabled=i == 0, width="stretch"):
            go_to(i - 1, items)
        if cols[4].button("▶", key="pl_right", shortcut="Right", disabled=i >= len(items) - 1, width="stretch"):
            go_to(i + 1, items)
    else:
        cols[2].caption(t("playlist_empty"))
    if cols[5].button(t("exit_presenter"), key="pl_exit", shortcut="Esc", width="stretch"):
        state.set("presenter", False)
        st.rerun()


def _add_current(page: str) -> None:
    # A callback runs before the script, while the session still holds the main chart of the view on screen.
    items = load_playlist()
    items.append({"title": st.session_state.get("pl_title") or view_url(page), "url": view_url(page),
                  "spec": st.session_state.get("_main_chart"), "caption": st.session_state.get("_main_caption", "")})
    save_playlist(items)
    st.toast(t("playlist_added"))


def playlist_editor(page: str) -> None:
    """Sidebar section: add this view, edit titles/order, step into presenter mode, download the handout."""
    with st.expander(t("playlist"), icon=":material/slideshow:"):
        items = load_playlist()
        st.text_input(t("playlist_title"), key="pl_title", placeholder=t("playlist_title_hint"))
        st.button(t("playlist_add"), key="pl_add", icon=":material/add:", on_click=_add_current, args=(page,))
        if items:
            edited = st.data_editor([{"title": i["title"], "url": i["url"]} for i in items], key="pl_editor",
                                    num_rows="dynamic", hide_index=True, width="stretch")
            if st.button(t("playlist_save"), key="pl_save"):
                by_url = {i["url"]: i for i in items}
                save_playlist([{**by_url.get(r["url"], {}), "title": r["title"], "url": r["url"]}
                               for r in edited if r.get("url")])
                st.rerun()
            if st.button(t("playlist_start"), key="pl_start", icon=":material/play_arrow:"):
                state.set("presenter", True)
                go_to(0, items)
            pages = [{"spec": export.stamped(i["spec"], i["title"], [i.get("caption", ""), export.today()])}
                     for i in items if i.get("spec")]
            if pages:
                st.download_button(t("handout_pdf"), lambda: export.handout_pdf(pages), file_name="handout.pdf",
                                   mime="application/pdf", key="pl_pdf", on_click="ignore", icon=":material/picture_as_pdf:")
