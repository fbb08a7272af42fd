"""Playlists of slides, presenter mode and the shareable link of the current view.

A playlist (user store, table playlist_items) is a list of slides, each {title, url, spec, caption, notes}:
- a **chart slide**: one chart of a page, captured with its source line when it was added (画像を保存 →
  スライドに追加 under any chart, maps included as their still image); shown by pages/present.py full screen;
- a **live slide**: a page itself in presenter mode (the projection's sliders stay usable); marked in its spec's
  `usermeta` and opened on its page;
- a **title slide**: no URL and no chart; title and subtitle (its caption).
Slides are stepped with the keyboard (ui.keys: a clicker's PageDown/PageUp, N + Enter, B for black).
"""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import streamlit as st

from loaders.errors import LoaderError
from queries.views.slides import area_of, kind
from store import user as user_store
from ui import show, state
from ui.i18n import t
from ui.keys import keys

PRESENT = "pages/present.py"
EDITOR = "pages/slides.py"
LIVE = {"slide": "live"}
#: Pages whose slide is the page itself (a scenario the presenter moves in front of the council).
LIVE_PAGES = {"pages/projection.py"}
CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
html, body, [data-testid="stAppViewContainer"] { font-size: 22px; color: #000; background: #fff; }
[data-testid="stMainBlockContainer"] { padding: 0.6rem 1.2rem 0 1.2rem; max-width: 100%; }
[data-testid="stMetricValue"] { font-size: 2.4rem; }
[data-testid="stMetricLabel"] p { font-size: 1.05rem; white-space: normal; }
[data-testid="stCaptionContainer"] { font-size: 1.0rem; color: #222; }
h1 { display: none !important; }  /* the slide bar names the slide and its area */
@media (max-height: 820px) {  /* a laptop: compact headline cards, so the live chart keeps its height */
  [data-testid="stMetricValue"] { font-size: 1.6rem; }
  [data-testid="stMetric"] { padding: 0.2rem 0.6rem !important; }
  [data-testid="stMetricLabel"] p { font-size: 0.8rem; }
}
</style>
"""


@st.cache_data(show_spinner=False, max_entries=4)
def _playlist(url: str, stamp: tuple) -> list[dict]:
    return user_store.UserStore(url).playlist()


def load_playlist() -> list[dict]:
    """The saved slides (see the module docstring); read again only after the store changed."""
    store = user_store.default()
    try:
        return _playlist(store.url, store.stamp())
    except LoaderError:  # the user store is unreachable: the frame says so; pages work without a playlist
        return []


def save_playlist(items: list[dict]) -> None:
    """Replace the playlist in one transaction (a failed save keeps the previous one and says so)."""
    try:
        user_store.default().save_playlist(items, by=st.session_state.get("saved_by"))
    except LoaderError as exc:
        st.error(exc.message(st.session_state.get("lang", "ja")), icon=":material/error:")
        return
    _playlist.clear()


def view_url(page: str) -> str:
    """Path and query string that reopen the current view of `page` ('app.py' or 'pages/x.py')."""
    path = "/" if page == "app.py" else "/" + Path(page).stem
    params = {k: v for k, v in st.query_params.to_dict().items() if k not in ("pl", "presenter", "slide")}
    return path + ("?" + urlencode(params) if params else "")


def page_of(url: str) -> tuple[str, dict]:
    """('app.py' or 'pages/<stem>.py', query parameters) of a view URL."""
    parts = urlsplit(url)
    stem = parts.path.strip("/")
    return ("app.py" if not stem else f"pages/{stem}.py"), dict(parse_qsl(parts.query))


def go_to(index: int, items: list[dict]) -> None:
    """Show slide `index` (0-based) in presenter mode: a live slide on its page, any other on the slide page."""
    index = max(0, min(index, len(items) - 1))
    state.set("presenter", True)
    st.session_state["pl_index"] = index
    item = items[index]
    if kind(item) == "live":
        page, params = page_of(item["url"])
        for key in ("area", "lang"):  # the frame's view keys live in session state once a session started
            if key in params:
                state.set(key, params[key])
        st.switch_page(page, query_params={**params, "presenter": "1", "slide": str(index + 1)})
    st.switch_page(PRESENT, query_params={"presenter": "1", "slide": str(index + 1), "lang": state.get("lang")})


def exit_presenter() -> None:
    """Leave presenter mode (Esc or the button) and keep the toggle in step with it."""
    state.set("presenter", False)  # the frame's toggle follows it on the next run


def current_index(items: list[dict]) -> int:
    """The slide on screen: ?slide=N (1-based) of the URL, else the last one stepped to."""
    raw = st.query_params.get("slide")
    i = int(raw) - 1 if raw and raw.isdigit() else st.session_state.get("pl_index", 0)
    return max(0, min(i, len(items) - 1))


def step(action: str | None, i: int, items: list[dict]) -> None:
    """Follow a key action ('next', 'prev', 'first', 'last', 'jump:N', 'exit') from slide `i`."""
    if not action:
        return
    if action == "exit":
        exit_presenter()
        page, params = page_of(items[i]["url"]) if items and items[i].get("url") else ("app.py", {})
        st.switch_page(page, query_params={k: v for k, v in params.items() if k not in ("presenter", "slide")})
    target = {"next": i + 1, "prev": i - 1, "first": 0, "last": len(items) - 1}.get(action)
    if action.startswith("jump:") and action[5:].isdigit():
        target = int(action[5:]) - 1
    if target is not None and 0 <= target < len(items) and target != i:
        go_to(target, items)


def nav_bar(i: int, items: list[dict], where: str) -> None:
    """The slide's top line: position, title, previous/next and exit (mouse); keys do the same (ui.keys)."""
    cols = st.columns([0.7, 0.7, 8, 1.4], vertical_alignment="center")
    if cols[0].button("◀", key="pl_prev", disabled=i == 0, width="stretch", help=t("prev")):
        go_to(i - 1, items)
    if cols[1].button("▶", key="pl_next", disabled=i >= len(items) - 1, width="stretch", help=t("next")):
        go_to(i + 1, items)
    cols[2].markdown(f"**{i + 1} / {len(items)}**　{items[i]['title']}　<span style='color:#555'>{where}</span>",
                     unsafe_allow_html=True)
    if cols[3].button(t("exit_presenter"), key="pl_exit", width="stretch"):
        step("exit", i, items)


def presenter_bar(page: str) -> None:
    """On a live slide (a page in presenter mode): large type, no sidebar, the slide bar and the keys."""
    st.markdown(CSS, unsafe_allow_html=True)
    items = load_playlist()
    action, _ = keys()
    if not items:
        st.info(t("slides_empty"))
        if st.button(t("exit_presenter"), key="pl_exit"):
            exit_presenter()
            st.rerun()
        return
    i = current_index(items)
    step(action, i, items)
    nav_bar(i, items, area_of(items[i], st.session_state.get("lang", "ja")))


def link_popover(page: str) -> None:
    """'このビューのリンク': the address of the view as it is now, read in the browser when the popover opens (the
    page's own widgets write their state to the address bar after the sidebar is drawn), with a copy button."""
    with st.popover(t("view_link"), icon=":material/link:"):
        _link_component(key="view_link_box")
        st.caption(t("view_link_help"))


_link_component = st.components.v2.component("popdash_view_link", html=(
    "<div style='display:flex;gap:.4rem'><input id='u' readonly style='flex:1;font:13px monospace;padding:.3rem'>"
    "<button id='c' style='padding:.3rem .6rem'>⧉</button></div>"), js=r"""
export default function (component) {
  const root = component.parentElement;
  const box = root.querySelector('#u');
  const refresh = () => { box.value = window.location.href; };
  refresh();
  const timer = setInterval(refresh, 400);
  root.querySelector('#c').onclick = () => { refresh(); box.select(); navigator.clipboard && navigator.clipboard.writeText(box.value); };
  return () => clearInterval(timer);
}
""")


def add_slide(spec: dict | None, caption: str, title: str, url: str, live: bool = False) -> None:
    """Append a slide to the playlist (a callback: runs before the script, with the chart of the run on screen)."""
    items = load_playlist()
    if live and spec is not None:
        spec = {**spec, "usermeta": {**spec.get("usermeta", {}), **LIVE}}
    items.append({"title": title or url, "url": url, "spec": spec, "caption": caption, "notes": ""})
    save_playlist(items)
    st.toast(t("playlist_added", n=len(items)), icon=":material/slideshow:")


def _add_main(page: str) -> None:
    # A callback runs before the script, while the session still holds the charts of the run on screen.
    chart = show.main_chart()
    if chart is None:
        st.toast(t("slides_no_chart"), icon=":material/info:")
        return
    add_slide(chart["spec"], chart.get("caption") or "", _title(chart["spec"]), view_url(page),
              live=page in LIVE_PAGES)


def sidebar_section(page: str) -> None:
    """Sidebar: add this page's main chart as a slide (live for a scenario page), open the editor, present."""
    with st.expander(t("playlist"), icon=":material/slideshow:"):
        items = load_playlist()
        st.caption(t("playlist_hint", n=len(items)))
        if page != PRESENT:
            st.button(t("playlist_add_live") if page in LIVE_PAGES else t("playlist_add"), key="pl_add",
                      icon=":material/add:", on_click=_add_main, args=(page,))
        st.page_link(EDITOR, label=t("slides_editor"), icon=":material/edit_note:")
        if items and st.button(t("playlist_start"), key="pl_start", icon=":material/play_arrow:"):
            go_to(0, items)


def _title(spec: dict) -> str:
    title = spec.get("title") if spec else None
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(title)
    return str(title or "")


def export_file(items: list[dict], name: str) -> bytes:
    """The playlist as a JSON file (for a USB stick): slides with their charts, so it opens without the database."""
    return json.dumps({"format": "popdash-playlist", "version": 1, "title": name, "slides": items},
                      ensure_ascii=False, indent=1).encode("utf-8")
