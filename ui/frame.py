"""The frame every page starts with: page config, localized navigation, area picker, language, presenter toggle.

Pages call `view = frame(__file__)` first. A deep link to any page renders the whole frame, since Streamlit's
`pages/` mechanism runs only the page's own script (not app.py) on a direct visit.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

import queries
from queries import succession
from ui import chrome_ja, export, state
from ui.download import safe_filename
from ui import presenter, show
from ui.presenter import link_popover, presenter_bar
from ui.i18n import LANGS, fmt_date, lang, t
from store import official
from store import user as user_store

ROOT = Path(__file__).resolve().parents[1]
#: (script path, i18n key of its label, icon). Later pages add themselves here.
PAGES = [
    ("app.py", "nav_overview", ":material/dashboard:"),
    ("pages/natural_change.py", "nav_natural", ":material/child_care:"),
    ("pages/social_change.py", "nav_social", ":material/move_down:"),
    ("pages/projection.py", "nav_projection", ":material/trending_down:"),
    ("pages/accuracy.py", "nav_accuracy", ":material/query_stats:"),
    # <<maps page>>
    ("pages/migration_map.py", "nav_map", ":material/map:"),
    # <<foreign page>>
    ("pages/kpi_tracker.py", "nav_kpi", ":material/flag:"),
    ("pages/foreign_residents.py", "nav_foreign", ":material/public:"),
    ("pages/data_explorer.py", "nav_explorer", ":material/table:"),
    ("pages/import_data.py", "nav_import", ":material/upload_file:"),
    ("pages/sql_console.py", "nav_sql", ":material/terminal:"),
    ("pages/outlook.py", "nav_outlook", ":material/visibility:"),
    ("pages/indicators.py", "nav_indicators", ":material/leaderboard:"),
    ("pages/slides.py", "nav_slides", ":material/slideshow:"),
    ("pages/metadata.py", "nav_metadata", ":material/info:"),
    ("pages/about.py", "nav_about", ":material/history:"),
]

@dataclass(frozen=True)
class View:
    """What a page needs to know about the current view."""

    area: pd.Series  # a row of queries.areas(): area_code, name_ja, name_kana, name_en, kind, …
    lang: str
    presenter: bool

    @property
    def code(self) -> str:
        return self.area["area_code"]

    @property
    def pref_name(self) -> str:
        if self.area["kind"] == "nation":
            return ""
        en = self.area.get("pref_name_en")
        return en if self.lang == "en" and isinstance(en, str) else (self.area["pref_name"] or "")

    @property
    def name(self) -> str:
        return self.area["name_ja"] if self.lang == "ja" or not self.area["name_en"] else self.area["name_en"]


def area_label(row) -> str:
    """Picker label carrying every searchable form: kanji, kana, romaji, code (and the prefecture), and for a name
    with ヶ or ケ (official names mix them: 青ヶ島村, 袖ケ浦市) the other spelling at the end, so either one typed
    finds it (the selectbox filters by substring of the label)."""
    pref = f"（{row['pref_name']}）" if row["kind"] not in ("nation", "prefecture") else ""
    kana = row["name_kana"] if isinstance(row["name_kana"], str) else ""
    en = row["name_en"] if isinstance(row["name_en"], str) else ""
    name = row["name_ja"]
    other = name.translate(str.maketrans("ヶケ", "ケヶ")) if "ヶ" in name or "ケ" in name else ""
    return f"{name}{pref} {kana} {en} {row['area_code']} {other}".replace("  ", " ").strip()


@dataclass(frozen=True)
class _Picker:
    """The area picker's data, built once per database file and shared by all sessions (read-only)."""

    areas: pd.DataFrame  # queries.areas()
    codes: list[str]
    labels: dict[str, str]  # area_code -> area_label
    position: dict[str, int]  # area_code -> row of `areas`


@st.cache_resource(show_spinner=False, max_entries=4)
def _picker(db_key: tuple) -> _Picker:
    # Keyed by the database identity, not by the areas frame: hashing ~2,000 rows cost ~4 ms on every run.
    areas = queries.areas()
    codes = areas["area_code"].tolist()
    return _Picker(areas, codes, {r["area_code"]: area_label(r) for r in areas.to_dict("records")},
                   {c: i for i, c in enumerate(codes)})


def _on_area_change() -> None:
    state.set("area", st.session_state["_w_area"])


def _on_lang_change() -> None:
    state.set("lang", st.session_state["_w_lang"])


def _on_presenter_change() -> None:
    state.set("presenter", st.session_state["_w_presenter"])


def frame(script: str) -> View:
    """Render the frame for the page whose file is `script` (a page passes its own `__file__`) and return the
    current View (area row, language, presenter flag)."""
    # No page_icon: a :material: icon is fetched from a Google CDN, and the chamber has no internet.
    st.set_page_config(page_title="地域人口ダッシュボード", layout="wide")
    path = Path(script)
    page = "app.py" if path.parent.name != "pages" else f"pages/{path.name}"
    st.session_state[show.RUN_CHARTS] = []
    st.session_state["_export_n"] = 0
    st.session_state["_page"] = page
    state.init()
    picker = _picker(official.cache_key())
    areas, codes, labels = picker.areas, picker.codes, picker.labels
    succ = None if state.get("area") in picker.position else succession.successor(str(state.get("area")))
    if succ is not None and succ["area_code"] in picker.position:  # a defunct code opens its successor, with a note
        st.info(t("defunct_area", code=state.get("area"), old=succ["old_name"], new=succ["name_ja"],
                  new_code=succ["area_code"], date=fmt_date(succ["first_seen"])), icon=":material/history:")
        state.set("area", succ["area_code"])
    if state.get("area") not in picker.position:
        fallback = state.DEFAULTS["area"] if state.DEFAULTS["area"] in codes else codes[0]
        st.warning(t("unknown_area", code=state.get("area"),
                     name=areas.loc[areas["area_code"] == fallback, "name_ja"].iat[0]))
        state.set("area", fallback)
    with st.sidebar:
        st.markdown(f"### {t('app_title')}")
        for path, key, icon in PAGES:
            if (ROOT / path).exists():  # a page listed before its file exists would break every page
                st.page_link(path, label=t(key), icon=icon)
        st.divider()
        st.selectbox(t("area"), codes, index=picker.position[state.get("area")], format_func=labels.get,
                     key="_w_area", on_change=_on_area_change)
        st.segmented_control(t("language"), LANGS, default=lang(), key="_w_lang", on_change=_on_lang_change,
                             format_func={"ja": "日本語", "en": "English"}.get, required=True)
        st.session_state["_w_presenter"] = bool(state.get("presenter"))  # the toggle shows the mode, however left
        st.toggle(t("presenter"), key="_w_presenter", on_change=_on_presenter_change)
        link_popover(page)
        presenter.sidebar_section(page)
        problem = _store_problem(user_store.default().url, lang())
        if problem:
            st.warning(problem, icon=":material/cloud_off:")
        info = queries.build_info()
        st.caption(t("db_national", built=fmt_date(info.get("built_at", "")[:10])) if info.get("kind") == "national"
                   else t("db_bundled"))
    state.sync_url()
    state.sync_widgets()
    chrome_ja.apply(lang())
    if state.get("presenter") and page != presenter.PRESENT:
        if "slide" not in st.query_params:  # presenter mode shows the playlist's slides, from the current one
            items = presenter.load_playlist()
            if items:
                presenter.go_to(presenter.current_index(items), items)
        presenter_bar(page)
    st.session_state[show.EVENTS] = queries.events(state.get("area"))
    row = areas.iloc[picker.position[state.get("area")]]  # a copy: the shared frame is not touched
    return View(area=row, lang=lang(), presenter=bool(state.get("presenter")))


@st.cache_data(show_spinner=False, ttl=10)
def _store_problem(url: str, language: str) -> str | None:
    """Why the user store cannot be reached (checked at most every 10 s), in `language`; None if it can."""
    exc = user_store.UserStore(url).problem()
    return exc.message(language) if exc else None


def caption(source_ids, unit_key: str, period_key: str, note: str | None = None) -> None:
    """Caption under a chart: sources (publisher『title』table), unit and period kind, plus an optional note."""
    src = queries.sources(lang())
    names = []
    for sid in dict.fromkeys(s for s in source_ids if isinstance(s, str)):
        if sid in src.index:
            r = src.loc[sid]  # publisher and title in the session's language (queries.sources(lang))
            table = r["table_id"] if isinstance(r["table_id"], str) and r["table_id"] else ""
            if lang() == "en":
                names.append(f"{r['publisher']}, “{r['title']}”" + (f" ({table})" if table else ""))
            else:
                names.append(f"{r['publisher']}『{r['title']}』" + (f"（{table}）" if table else ""))
    text = t("caption", sources="; ".join(names) or t("unavailable"), unit=t(unit_key), period=t(period_key))
    ids = ",".join(dict.fromkeys(s for s in source_ids if isinstance(s, str) and s in src.index))
    link = f"  [{t('meta_caption_link')}](metadata?src={ids}&lang={lang()})" if ids else ""
    st.caption(text + link + (f"  \n{note}" if note else ""))
    pending = [c for c in show.drawn() if c["caption"] is None]
    if pending:  # the chart drawn just above this caption
        pending[-1]["caption"] = text
        export_buttons(pending[-1], text)


def _page_of_run() -> str:
    """The page script of this run ('app.py' or 'pages/x.py'), as frame() was told."""
    return st.session_state.get("_page", "app.py")


def _spec_title(spec: dict) -> str:
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    return title if isinstance(title, str) and title else t("app_title")


def export_buttons(chart: dict, source_line: str) -> None:
    """画像を保存: PNG and SVG of a chart with its title, source and date stamped on the image (made on click), and
    スライドに追加 (this chart, with its source line, as a slide of the playlist)."""
    spec = chart["spec"]
    title = _spec_title(spec)
    lines = [source_line, t("exported_on", date=export.today())]
    n = st.session_state["_export_n"] = st.session_state.get("_export_n", 0) + 1  # unique keys within a run
    with st.popover(t("export_image"), icon=":material/image:"):
        st.download_button("PNG", lambda: export.png(export.stamped(spec, title, lines)),
                           file_name=safe_filename(title, ext="png"), mime="image/png", key=f"png_{n}", on_click="ignore")
        st.download_button("SVG", lambda: export.svg(export.stamped(spec, title, lines)),
                           file_name=safe_filename(title, ext="svg"), mime="image/svg+xml", key=f"svg_{n}",
                           on_click="ignore")
        st.button(t("slides_add_chart"), key=f"slide_{n}", icon=":material/add_to_queue:", on_click=presenter.add_slide,
                  args=(spec, source_line, title, presenter.view_url(_page_of_run())))
