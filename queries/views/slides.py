"""The slide editor's and the slide show's display-ready data: each slide's area, kind and the table the editor
edits (order, title, notes), and the slides as the handout and the PowerPoint export take them."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pandas as pd

import queries
from queries.views import text

KINDS = ("chart", "live", "title")


def kind(item: dict) -> str:
    """'title' (no URL), 'live' (the page itself; a view saved without a chart, or marked live) or 'chart'."""
    if not item.get("url"):
        return "title"
    spec = item.get("spec")
    return "live" if spec is None or spec.get("usermeta", {}).get("slide") == "live" else "chart"


def area_code(item: dict) -> str | None:
    return dict(parse_qsl(urlsplit(item.get("url") or "").query)).get("area")


def area_of(item: dict, lang: str) -> str:
    """The name of the area a slide is about (from its URL), '' for a title slide or an unknown code."""
    code = area_code(item)
    if not code:
        return ""
    areas = queries.areas()
    row = areas.loc[areas["area_code"] == code]
    if row.empty:
        return code
    r = row.iloc[0]
    return r["name_en"] if lang == "en" and isinstance(r.get("name_en"), str) and r["name_en"] else r["name_ja"]


def editor_rows(items: list[dict], lang: str) -> pd.DataFrame:
    """One row per slide: order (1…), kind (words), title, area, notes, source line; `slide` keeps the position."""
    return pd.DataFrame({
        "slide": range(len(items)),
        "order": range(1, len(items) + 1),
        "kind": [text("slide_kind_" + kind(i), lang) for i in items],
        "title": [i.get("title") or "" for i in items],
        "area": [area_of(i, lang) for i in items],
        "notes": [i.get("notes") or "" for i in items],
        "caption": [i.get("caption") or "" for i in items],
    }, columns=["slide", "order", "kind", "title", "area", "notes", "caption"])


def apply_edits(items: list[dict], edited: pd.DataFrame) -> list[dict]:
    """The playlist after the editor's table: rows deleted are dropped, titles/notes/captions taken, slides sorted by
    `order` (ties keep their previous order); rows added in the table without a slide behind them are ignored."""
    rows = edited.dropna(subset=["slide"]).copy()
    rows["slide"] = rows["slide"].astype(int)
    rows = rows[rows["slide"].between(0, len(items) - 1)].drop_duplicates("slide")
    rows["order"] = pd.to_numeric(rows["order"], errors="coerce").fillna(len(items) + 1)
    rows = rows.sort_values(["order", "slide"], kind="stable")
    out = []
    for r in rows.to_dict("records"):
        item = dict(items[r["slide"]])
        for field in ("title", "notes", "caption"):
            value = r.get(field)
            item[field] = "" if value is None or (isinstance(value, float) and value != value) else str(value)
        item["title"] = item["title"] or items[r["slide"]].get("title") or ""
        out.append(item)
    return out


def title_slide(title: str, subtitle: str) -> dict:
    """A title slide (no URL, no chart): its title and subtitle (kept as the caption)."""
    return {"title": title.strip(), "url": "", "spec": None, "caption": subtitle.strip(), "notes": ""}


def for_export(items: list[dict], lang: str) -> list[dict]:
    """Every slide as ui.export's handout and deck take them: title, spec (None for a title page), caption, area,
    notes. A live slide is exported with the chart it had when it was added; one saved without a chart becomes a
    page naming the view's address (never dropped)."""
    out = []
    for i in items:
        spec = i.get("spec")
        if spec is not None:
            spec = {k: v for k, v in spec.items() if k != "usermeta"}
        caption = i.get("caption") or ""
        if i.get("url") and spec is None:  # a live view saved without its chart: a page that says where it is
            caption = text("slides_live_page", lang, url=i["url"])
        out.append({"title": i.get("title") or "", "spec": spec if i.get("url") else None, "caption": caption,
                    "area": area_of(i, lang), "notes": i.get("notes") or "", "kind": kind(i)})
    return out


def default_title(items: list[dict], lang: str) -> str:
    """A handout title from the slides' areas: 「久留米市 人口の現状と将来」."""
    areas = list(dict.fromkeys(a for a in (area_of(i, lang) for i in items) if a))
    return text("handout_default_title", lang, areas=("・" if lang == "ja" else ", ").join(areas[:3]))
