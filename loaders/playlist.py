"""A playlist file (exported by the slide editor, carried on a USB stick) read back: validated, bounded, every problem
named by file, slide number (row) and field (column) in Japanese and English. Nothing is stored here; the editor
replaces the playlist only with a file that reads whole.
"""
from __future__ import annotations

import json

from loaders.errors import LoaderError

FORMAT = "popdash-playlist"
MAX_BYTES = 20 * 2**20  # a playlist of ~100 charts with their data is a few MB
MAX_SLIDES = 200
TEXT_LIMITS = {"title": 300, "url": 4_000, "caption": 4_000, "notes": 20_000}


def read_playlist_file(data: bytes, file: str) -> tuple[str, list[dict]]:
    """(the playlist's title, its slides as {title, url, spec, caption, notes}) of an exported playlist file."""
    if len(data) > MAX_BYTES:
        raise LoaderError(file, f"ファイルが大きすぎます（{len(data) / 2**20:.1f} MB、上限 {MAX_BYTES // 2**20} MB）。",
                          f"The file is too large ({len(data) / 2**20:.1f} MB; limit {MAX_BYTES // 2**20} MB).")
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise LoaderError(file, "プレイリストのファイル（JSON）として読めません。スライド編集の「ファイルに保存」で作ったファイルを選んでください。",
                          "This is not a playlist file (JSON). Choose a file saved with 'Save to file' in the slide editor.",
                          row=line) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("slides"), list):
        raise LoaderError(file, "プレイリストのファイルではありません（format が popdash-playlist ではない）。",
                          "Not a playlist file (format is not popdash-playlist).", column="format")
    slides = doc["slides"]
    if len(slides) > MAX_SLIDES:
        raise LoaderError(file, f"スライドが多すぎます（{len(slides)} 枚、上限 {MAX_SLIDES} 枚）。",
                          f"Too many slides ({len(slides)}; limit {MAX_SLIDES}).", column="slides")
    out = []
    for n, s in enumerate(slides, start=1):
        if not isinstance(s, dict):
            raise LoaderError(file, f"スライド {n} の形式が正しくありません。", f"Slide {n} is malformed.", row=n)
        item = {}
        for field, limit in TEXT_LIMITS.items():
            value = s.get(field, "")
            if value is None:
                value = ""
            if not isinstance(value, str):
                raise LoaderError(file, f"スライド {n} の「{field}」が文字列ではありません。",
                                  f"Slide {n}: '{field}' is not text.", row=n, column=field)
            if len(value) > limit:
                raise LoaderError(file, f"スライド {n} の「{field}」が長すぎます（{len(value):,} 文字、上限 {limit:,}）。",
                                  f"Slide {n}: '{field}' is too long ({len(value):,} characters; limit {limit:,}).",
                                  row=n, column=field)
            item[field] = value
        if not item["title"].strip():
            raise LoaderError(file, f"スライド {n} に題名がありません。", f"Slide {n} has no title.", row=n, column="title")
        if item["url"] and not item["url"].startswith("/"):
            raise LoaderError(file, f"スライド {n} の URL はこのダッシュボードの画面（/ で始まる）ではありません。",
                              f"Slide {n}: the URL is not a view of this dashboard (it must start with /).",
                              row=n, column="url")
        spec = s.get("spec")
        if spec is not None and not (isinstance(spec, dict) and any(k in spec for k in (
                "mark", "layer", "facet", "hconcat", "vconcat", "concat", "repeat"))):
            raise LoaderError(file, f"スライド {n} のグラフ（spec）が Vega-Lite の形式ではありません。",
                              f"Slide {n}: the chart (spec) is not a Vega-Lite specification.", row=n, column="spec")
        item["spec"] = spec
        out.append(item)
    title = doc.get("title") if isinstance(doc.get("title"), str) else ""
    return title[:TEXT_LIMITS["title"]], out
