"""Chart images, handouts and slide decks made on this machine with vl-convert (no network, system CJK fonts).

PNG/SVG of any chart carry its title, source line and date on the image. A playlist becomes a PDF handout (A4
landscape: a cover with the agenda, then one slide per page with its area, sources wrapped under the chart, the date
in 令和 and 西暦 and the page number — all real text, searchable) or a PowerPoint deck (python-pptx: one picture and
the speaker notes per slide).
"""
from __future__ import annotations

import copy
import io
from datetime import date

import vl_convert as vlc
from pptx import Presentation
from pptx.util import Emu, Pt
from pypdf import PageObject, PdfReader, PdfWriter, Transformation

import formats
from charts import slides as cs

MARGIN = 28  # pt around a handout page's content


def stamped(spec: dict, title: str, lines: list[str], width: int = 1000, columns: int = 150) -> dict:
    """A copy of a Vega-Lite spec with `title` and `lines` (source, unit, date) as title and subtitle, each line
    wrapped to `columns` half-width characters (an image stays about as wide as its chart), and a fixed width (a
    browser chart is as wide as its container; an image needs a number)."""
    out = copy.deepcopy(spec)
    out.pop("usermeta", None)
    out["title"] = {"text": title, "subtitle": [w for s in lines if s for w in cs.wrap(s, columns)], "anchor": "start",
                    "fontSize": 20, "subtitleFontSize": 13, "subtitleColor": "#333"}
    if not any(k in out for k in ("facet", "hconcat", "vconcat", "concat", "repeat")):
        out["width"] = width
    out.setdefault("config", {})["background"] = "white"
    return out


def png(spec: dict, scale: float = 2.0) -> bytes:
    """PNG bytes of a Vega-Lite spec."""
    return vlc.vegalite_to_png(spec, scale=scale)


def svg(spec: dict) -> str:
    """SVG text of a Vega-Lite spec."""
    return vlc.vegalite_to_svg(spec)


def _a4(pdf: bytes) -> PageObject:
    """The first page of `pdf` scaled to fit an A4-landscape page with margins, centred."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    w, h = float(page.mediabox.width), float(page.mediabox.height)
    pw, ph = cs.A4_LANDSCAPE
    scale = min((pw - 2 * MARGIN) / w, (ph - 2 * MARGIN) / h, 1.6)
    sheet = PageObject.create_blank_page(width=pw, height=ph)
    x, y = (pw - w * scale) / 2, ph - MARGIN - h * scale  # top-aligned, as a printed page reads
    sheet.merge_transformed_page(page, Transformation().scale(scale).translate(x, y))
    return sheet


def _bare(spec: dict) -> dict:
    """A text spec as a part of a composed page (the page carries the config)."""
    return {k: v for k, v in spec.items() if k not in ("$schema", "config", "usermeta")} | {"view": {"stroke": None}}


def _footer(area: str, when: str, n: int, total: int, lang: str) -> str:
    page = f"{n} / {total}"
    return "　・　".join(p for p in (area, when, page) if p) if lang == "ja" else " · ".join(p for p in (area, when, page) if p)


def handout_pdf(slides: list[dict], title: str, lang: str, today: str | None = None,
                words: dict | None = None) -> bytes:
    """A4-landscape PDF: a cover (title, areas, date, agenda with page numbers), then one page per slide.

    `slides`: dicts with title, spec (Vega-Lite; None for a title slide), caption (source line), area (name) and
    kind ('chart' or 'title'). `words`: the cover's labels ({'agenda', 'areas', 'page'}) in `lang`."""
    if not slides:
        raise ValueError("no slides")
    words = words or {"agenda": "目次", "areas": "対象地域", "page": "ページ"}
    when = formats.dated(today or date.today().isoformat(), lang)
    total = len(slides) + 1
    areas = list(dict.fromkeys(s.get("area") for s in slides if s.get("area")))
    sep = "、" if lang == "ja" else ", "
    agenda = [(f"{i + 2:>3}  {s['title']}" + (f"（{s['area']}）" if s.get("area") and lang == "ja" else
                                             f" ({s['area']})" if s.get("area") else ""), 17, "normal")
              for i, s in enumerate(slides)]
    head = cs.text_spec([(title, 34, "bold"), (when, 20, "normal"), (f"{words['areas']}: {sep.join(areas)}", 18, "normal"),
                         ("", 10, "normal"), (f"{words['agenda']}（{words['page']}）" if lang == "ja"
                                              else f"{words['agenda']} ({words['page']})", 20, "bold")], 1000, 190)
    half = -(-len(agenda) // 2) if len(agenda) > 16 else len(agenda)  # a long agenda in two columns
    columns = [cs.text_spec(part, 490, 28 * max(half, 1) + 10) for part in (agenda[:half], agenda[half:]) if part]
    foot = cs.text_spec([(f"1 / {total}", 13, "bold")], 1000, 30)
    cover = {"vconcat": [_bare(head), {"hconcat": [_bare(c) for c in columns], "spacing": 20}, _bare(foot)],
             "config": head["config"]}
    writer = PdfWriter()
    writer.add_page(_a4(vlc.vegalite_to_pdf(cover)))
    for n, s in enumerate(slides, start=2):
        footer = _footer(s.get("area", ""), when, n, total, lang)
        if s.get("spec") is None:  # a title slide: a section page
            spec = cs.text_spec([(s["title"], 40, "bold")] + [(line, 22, "normal") for line in cs.wrap(s.get("caption", ""), 80)]
                                + [("", 200, "normal"), (footer, 13, "bold")], 1000, 620)
        else:
            spec = cs.for_print(s["spec"], s["title"], [s.get("caption", "")], footer)
        writer.add_page(_a4(vlc.vegalite_to_pdf(spec)))
    writer.add_metadata({"/Title": title})
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def pptx(slides: list[dict], title: str, lang: str, today: str | None = None) -> bytes:
    """A 16:9 PowerPoint deck: a title slide, then per slide its chart as a picture (title and wrapped sources on the
    image) and its speaker notes in the notes pane."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = Emu(12192000), Emu(6858000)  # 13.333 × 7.5 in (16:9)
    when = formats.dated(today or date.today().isoformat(), lang)
    cover = deck.slides.add_slide(deck.slide_layouts[0])
    cover.shapes.title.text = title
    cover.placeholders[1].text = when
    blank = deck.slide_layouts[6]
    for s in slides:
        if s.get("spec") is None:
            slide = deck.slides.add_slide(deck.slide_layouts[5])
            slide.shapes.title.text = s["title"]
            box = slide.shapes.add_textbox(Emu(600000), Emu(2400000), Emu(11000000), Emu(3000000))
            box.text_frame.text = s.get("caption", "")
            box.text_frame.paragraphs[0].runs[0].font.size = Pt(24) if s.get("caption") else Pt(12)
        else:
            slide = deck.slides.add_slide(blank)
            image = png(stamped(s["spec"], s["title"], [s.get("caption", ""), s.get("area", "")], width=1100,
                                columns=130), scale=2.0)
            pic = slide.shapes.add_picture(io.BytesIO(image), 0, 0)
            scale = min(deck.slide_width / pic.width, deck.slide_height / pic.height)
            pic.width, pic.height = int(pic.width * scale), int(pic.height * scale)
            pic.left, pic.top = (deck.slide_width - pic.width) // 2, (deck.slide_height - pic.height) // 2
        if s.get("notes"):
            slide.notes_slide.notes_text_frame.text = s["notes"]
    buf = io.BytesIO()
    deck.save(buf)
    return buf.getvalue()


def today() -> str:
    """Today's date for the image stamp (ISO)."""
    return date.today().isoformat()
