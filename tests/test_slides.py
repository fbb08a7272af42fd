"""Slides, handouts and playlist files (issue 17): projector type sizes in the spec, sources wrapped, A4 handout pages
with area names, 令和/西暦 dates and page numbers in the text layer (pdftotext), every page drawn (pdftoppm), a
PowerPoint deck with notes, the playlist file read back or refused with the slide and field named."""
from __future__ import annotations

import io
import json
import re
import shutil
import subprocess

import pytest
from PIL import Image
from pptx import Presentation

from charts import slides as cs
from loaders.errors import LoaderError
from loaders.playlist import read_playlist_file
from queries.views import slides as vs
from ui import export
from ui.presenter import export_file

SOURCE = ("出典: 総務省『住民基本台帳に基づく人口、人口動態及び世帯数調査』（00200241）; 厚生労働省『人口動態統計』; "
          "単位: 人; 期間: 年度（4月〜翌3月）。2013年度以前は3月31日現在、2014年度以降は1月1日現在の住民基本台帳による。")


def _fonts(node, found=None):
    found = [] if found is None else found
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("fontSize", "labelFontSize", "titleFontSize", "subtitleFontSize") and isinstance(v, (int, float)):
                found.append(v)
            else:
                _fonts(v, found)
    elif isinstance(node, list):
        for v in node:
            _fonts(v, found)
    return found


def _spec():
    return {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "title": "久留米市の出生数と死亡数",
            "data": {"values": [{"y": "2023年度", "v": 2310, "k": "出生"}, {"y": "2023年度", "v": 3512, "k": "死亡"},
                                {"y": "2024年度", "v": 2204, "k": "出生"}, {"y": "2024年度", "v": 3530, "k": "死亡"}]},
            "mark": {"type": "bar", "tooltip": True},
            "encoding": {"x": {"field": "y", "type": "nominal", "title": "年度"},
                         "y": {"field": "v", "type": "quantitative", "title": "人"},
                         "xOffset": {"field": "k", "type": "nominal"},
                         "color": {"field": "k", "type": "nominal", "title": None}},
            "config": {"axis": {"labelFontSize": 13, "titleFontSize": 14}, "legend": {"labelFontSize": 13},
                       "title": {"fontSize": 16}}}


def test_a_slide_has_projector_type_and_fills_the_screen():
    """Defect: presenter charts kept ~13 px type."""
    spec = _spec()
    spec["layer"] = [{"mark": {"type": "text", "fontSize": 11}}]  # a mark's own small type is raised too
    out = cs.for_slide(spec, 1840, 900)
    assert min(_fonts(out)) >= cs.SLIDE_MIN_FONT == 24
    assert out["width"] == 1840 and out["height"] <= 900 and out["autosize"]["type"] == "fit"
    assert out["usermeta"]["embedOptions"]["renderer"] == "svg"
    assert min(_fonts(spec["config"])) == 13  # the page's chart is left as it was


def test_faceted_charts_are_sized_panel_by_panel():
    spec = {"facet": {"field": "g", "type": "nominal"}, "columns": 3, "data": {"values": [{"g": i} for i in range(6)]},
            "spec": {"mark": "point", "width": 300, "height": 170}}
    out = cs.for_slide(spec, 1800, 900)
    assert 3 * out["spec"]["width"] < 1800 and 2 * out["spec"]["height"] < 900 and "width" not in out


def test_source_lines_are_wrapped_not_one_long_line():
    """Defect: the source stamp was one unwrapped line, so images became 9022×1220 px."""
    lines = cs.wrap(SOURCE * 2, 100)
    assert len(lines) >= 3 and all(cs.display_width(s) <= 100 for s in lines)
    assert "".join(lines) == SOURCE * 2
    image = Image.open(io.BytesIO(export.png(export.stamped(_spec(), "久留米市の出生数と死亡数", [SOURCE * 2]), scale=1)))
    assert image.width <= 1300, image.size


def _slides():
    return [{"title": "はじめに", "spec": None, "caption": "総務委員会", "area": "", "kind": "title"},
            {"title": "久留米市の出生数と死亡数", "spec": _spec(), "caption": SOURCE, "area": "久留米市", "notes": "出生減を強調",
             "kind": "chart"},
            {"title": "福岡県の出生数と死亡数", "spec": _spec(), "caption": SOURCE, "area": "福岡県", "notes": "",
             "kind": "chart"}]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (make system-deps) not installed")
def test_handout_has_cover_agenda_areas_dates_and_page_numbers(tmp_path):
    pdf = export.handout_pdf(_slides(), "久留米市 人口の現状と将来", "ja", today="2026-12-06")
    path = tmp_path / "handout.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           4" in info and "842 x 595 pts (A4)" in info  # cover + 3 slides, A4 landscape
    pages = [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"], capture_output=True, text=True,
                            check=True).stdout for n in range(1, 5)]
    cover = pages[0]
    assert "令和8年12月6日（2026年12月6日）" in cover and "久留米市、福岡県" in cover
    assert "目次" in cover and "久留米市の出生数と死亡数" in cover and re.search(r"1\s*/\s*4", cover)
    assert "久留米市" in pages[2] and re.search(r"3\s*/\s*4", pages[2]) and "令和8年12月6日" in pages[2]
    assert "福岡県" in pages[3] and re.search(r"4\s*/\s*4", pages[3])
    assert "人口動態統計" in pages[2] and "1月1日現在" in pages[2]  # the whole source, wrapped under the chart
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "p")], check=True)
    images = sorted(tmp_path.glob("p-*.png"))
    assert len(images) == 4
    for image in images:
        lo, hi = Image.open(image).convert("L").getextrema()
        assert lo < 80 and hi > 240  # something drawn on white on every page


def test_pptx_has_one_picture_and_the_notes_per_slide():
    deck = Presentation(io.BytesIO(export.pptx(_slides(), "議会資料", "ja", today="2026-12-06")))
    slides = list(deck.slides)
    assert len(slides) == 4  # the deck's title slide + 3
    assert "令和8年12月6日" in slides[0].placeholders[1].text
    pictures = [s for s in slides[2].shapes if s.shape_type == 13]
    assert len(pictures) == 1 and pictures[0].width <= deck.slide_width
    assert slides[2].notes_slide.notes_text_frame.text == "出生減を強調"


def test_playlist_file_round_trip_and_refusals():
    items = [{"title": "はじめに", "url": "", "spec": None, "caption": "総務委員会", "notes": ""},
             {"title": "自然動態", "url": "/natural_change?area=40203", "spec": _spec(), "caption": SOURCE, "notes": "n"}]
    title, back = read_playlist_file(export_file(items, "議会資料"), "slides.json")
    assert title == "議会資料" and back == items
    with pytest.raises(LoaderError) as e:
        read_playlist_file(b"\xff\xfe not json", "slides.json")
    assert "slides.json" in e.value.message("ja")
    bad = json.loads(export_file(items, "x"))
    bad["slides"][1]["url"] = "https://example.com/"
    with pytest.raises(LoaderError) as e:
        read_playlist_file(json.dumps(bad).encode(), "slides.json")
    assert e.value.row == 2 and e.value.column == "url" and "2行目" in e.value.message("ja")
    bad["slides"][1] = {**items[1], "spec": {"not": "a chart"}}
    with pytest.raises(LoaderError) as e:
        read_playlist_file(json.dumps(bad).encode(), "slides.json")
    assert e.value.column == "spec"
    with pytest.raises(LoaderError):
        read_playlist_file(b"x" * (21 * 2**20), "big.json")


def test_the_editor_reorders_deletes_and_keeps_edits(bundled_db, monkeypatch):
    monkeypatch.setenv("POPDASH_DB", str(bundled_db))
    items = [{"title": f"s{i}", "url": f"/natural_change?area={code}", "spec": _spec(), "caption": "", "notes": ""}
             for i, code in enumerate(["40203", "40212", "40000"], start=1)]
    rows = vs.editor_rows(items, "ja")
    assert rows["area"].tolist() == ["久留米市", "大川市", "福岡県"]
    rows.loc[0, "order"] = 9  # first to last
    rows.loc[1, "notes"] = "強調"
    rows = rows.drop(index=2)  # deleted
    out = vs.apply_edits(items, rows)
    assert [i["title"] for i in out] == ["s2", "s1"] and out[0]["notes"] == "強調"


def test_a_handout_page_keeps_the_chart_title_under_the_slide_title():
    """Defect: the playlist title replaced the chart's own and hid that 「外国人の国籍」 was 福岡県 data."""
    spec = {**_spec(), "title": "外国人の国籍（福岡県の数値）"}
    page = cs.for_print(spec, "外国人住民の国籍", [SOURCE], "久留米市 ・ 2 / 3")
    assert page["title"]["text"] == "外国人住民の国籍"
    assert page["vconcat"][0]["title"]["text"] == "外国人の国籍（福岡県の数値）"
    same = cs.for_print(spec, "外国人の国籍（福岡県の数値）", [SOURCE], "")
    assert "title" not in same["vconcat"][0]  # not written twice


def test_no_slide_is_dropped_from_the_handout(bundled_db, monkeypatch):
    """Defect: a view in the playlist without a chart image was silently dropped (6 views → 5 pages)."""
    monkeypatch.setenv("POPDASH_DB", str(bundled_db))
    items = [{"title": "表紙", "url": "", "spec": None, "caption": "", "notes": ""},
             {"title": "人口", "url": "/?area=40203", "spec": _spec(), "caption": SOURCE, "notes": ""},
             {"title": "推計", "url": "/projection?area=40203&tfr=1.8", "spec": None, "caption": "", "notes": ""}]
    out = vs.for_export(items, "ja")
    assert len(out) == 3 and out[2]["spec"] is None and "/projection?area=40203&tfr=1.8" in out[2]["caption"]
    assert out[1]["area"] == "久留米市"
