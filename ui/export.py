"""Chart images and handouts made on this machine with vl-convert (no network, system CJK fonts).

PNG/SVG of any chart carry its title, source line and date on the image; a playlist becomes a PDF handout,
A4 landscape, one view per page (議会資料).
"""
from __future__ import annotations

import copy
import io
from datetime import date

import vl_convert as vlc
from PIL import Image

A4_LANDSCAPE_150DPI = (1754, 1240)


def stamped(spec: dict, title: str, lines: list[str], width: int = 1000) -> dict:
    """A copy of a Vega-Lite spec with `title` and `lines` (source, unit, date) as title and subtitle,
    and a fixed width (a browser chart is as wide as its container; an image needs a number)."""
    out = copy.deepcopy(spec)
    out["title"] = {"text": title, "subtitle": [s for s in lines if s], "anchor": "start", "fontSize": 20,
                    "subtitleFontSize": 13, "subtitleColor": "#333"}
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


def handout_pdf(pages: list[dict]) -> bytes:
    """A PDF with one A4-landscape page per view: each page dict has 'spec' (already stamped)."""
    images = []
    for page in pages:
        img = Image.open(io.BytesIO(png(page["spec"], scale=2.0))).convert("RGB")
        canvas = Image.new("RGB", A4_LANDSCAPE_150DPI, "white")
        margin = 60
        img.thumbnail((canvas.width - 2 * margin, canvas.height - 2 * margin))
        canvas.paste(img, ((canvas.width - img.width) // 2, (canvas.height - img.height) // 2))
        images.append(canvas)
    if not images:
        raise ValueError("no pages")
    buf = io.BytesIO()
    images[0].save(buf, format="PDF", save_all=True, append_images=images[1:], resolution=150.0)
    return buf.getvalue()


def today() -> str:
    """Today's date for the image stamp (ISO)."""
    return date.today().isoformat()
