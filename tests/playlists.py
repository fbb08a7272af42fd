"""Playlists of real slides for the tests: every chart each page draws for an area (as ui.show registered it,
with the caption written under it), collected by running the pages with AppTest on a database."""
from __future__ import annotations

import os

from streamlit.testing.v1 import AppTest

from tests.conftest import REPO

#: page → how many of its charts go on slides (None: all of them).
PAGES = {"app.py": None, "pages/natural_change.py": 2, "pages/social_change.py": 1,
         "pages/foreign_residents.py": 1, "pages/migration_map.py": None}


def page_charts(db, page: str, area: str, lang: str = "ja") -> list[dict]:
    """The charts `page` draws for `area`: {id, spec, caption, main} in order."""
    before = os.environ.get("POPDASH_DB")
    os.environ["POPDASH_DB"] = str(db)
    try:
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=180)
        at.query_params["area"] = area
        at.query_params["lang"] = lang
        if page != "app.py":
            at.switch_page(page)
        at.run()
    finally:
        if before is None:
            os.environ.pop("POPDASH_DB", None)
        else:
            os.environ["POPDASH_DB"] = before
    assert not at.exception, (page, area, at.exception)
    return [c for c in at.session_state["_charts"] if c["spec"] is not None]


def slides_for(db, areas: list[str], pages: dict | None = None, live: bool = True) -> list[dict]:
    """A playlist: a title slide, then for each area the charts of `pages` (and its live projection slide)."""
    items = [{"title": "人口の現状と将来", "url": "", "spec": None, "caption": "総務委員会資料", "notes": ""}]
    for area in areas:
        for page, n in (pages or PAGES).items():
            stem = "" if page == "app.py" else page.split("/")[-1][:-3]
            for chart in page_charts(db, page, area)[:n]:
                title = chart["spec"].get("title")
                title = title.get("text") if isinstance(title, dict) else title
                items.append({"title": str(title or stem), "url": f"/{stem}?area={area}", "spec": chart["spec"],
                              "caption": chart["caption"] or "", "notes": f"{area} {stem}"})
        if live:
            items.append({"title": "将来推計（操作可）", "url": f"/projection?area={area}&tfr=1.6", "spec": None,
                          "caption": "", "notes": ""})
    return items
