"""Presenter mode, playlists, image export and the completeness of the English UI."""
from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from store.user import UserStore
from tests.conftest import REPO
from ui import export

KANA = re.compile(r"[\u3040-\u30ff]")  # hiragana/katakana: text left in Japanese


@pytest.fixture()
def playlist(tmp_path, monkeypatch, bundled_db):
    path = tmp_path / "user.duckdb"
    UserStore(path).save_playlist([
        {"title": "人口", "url": "/?area=40203"},
        {"title": "自然動態", "url": "/natural_change?area=40203"},
        {"title": "将来推計", "url": "/projection?area=40212&tfr=1.8"},
    ])
    monkeypatch.setenv("POPDASH_USER_DB", str(path))
    monkeypatch.setenv("POPDASH_DB", str(bundled_db))
    return path


def test_presenter_steps_through_the_playlist(playlist):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params["area"] = "40203"
    at.query_params["presenter"] = "1"
    at.run()
    assert not at.exception
    assert any("1 / 3" in m.value for m in at.markdown)
    at.button(key="pl_next").click().run()
    assert not at.exception
    assert at.title[0].value == "久留米市の自然動態（出生・死亡）"
    at.button(key="pl_next").click().run()
    assert not at.exception
    assert at.title[0].value == "大川市の将来人口推計・シミュレーション"  # the view's own area
    assert at.slider(key="tfr").value == pytest.approx(1.8)  # and its scenario
    at.button(key="pl_prev").click().run()
    assert at.title[0].value == "久留米市の自然動態（出生・死亡）"  # back to the view as saved (its own area)


def test_presenter_shows_one_main_chart(playlist):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params["area"] = "40203"
    at.query_params["presenter"] = "1"
    at.switch_page("pages/social_change.py")
    at.run()
    assert not at.exception and len(at.get("vega_lite_chart")) == 1


def test_adding_the_current_view_saves_url_and_chart(playlist):
    UserStore(playlist).save_playlist([])
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params["area"] = "40212"
    at.switch_page("pages/natural_change.py")
    at.run()
    at.text_input(key="pl_title").input("大川市の出生").run()
    at.button(key="pl_add").click().run()
    saved = UserStore(playlist).playlist()
    assert saved[0]["title"] == "大川市の出生" and saved[0]["url"].startswith("/natural_change?")
    assert "area=40212" in saved[0]["url"] and saved[0]["spec"]["title"] == "出生数・死亡数と自然動態"
    assert saved[0]["caption"].startswith("出典:")


def test_png_svg_and_handout_pdf():
    spec = {"data": {"values": [{"a": "久留米市", "b": 3}, {"a": "大川市", "b": 5}]}, "mark": "bar",
            "encoding": {"x": {"field": "a", "type": "nominal"}, "y": {"field": "b", "type": "quantitative"}},
            "config": {"font": "Noto Sans CJK JP"}}
    image = export.stamped(spec, "人口の推移", ["出典: 総務省", "2026-11-25"])
    png = Image.open(io.BytesIO(export.png(image))).convert("L")
    assert png.width > 1000 and png.getextrema()[0] < 100  # dark pixels drawn on white
    assert "人口の推移" in export.svg(image) and "出典: 総務省" in export.svg(image)
    pdf = export.handout_pdf([{"spec": image}, {"spec": image}, {"spec": image}])
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type /Page/") >= 3


@pytest.mark.parametrize("page", [None, "pages/natural_change.py", "pages/social_change.py", "pages/projection.py"])
def test_english_leaves_no_japanese_ui_text(bundled_db, monkeypatch, page):
    monkeypatch.setenv("POPDASH_DB", str(bundled_db))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params["area"] = "40203"
    at.query_params["lang"] = "en"
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception
    texts = [e.value for e in [*at.title, *at.header, *at.subheader]]
    texts += [m.label for m in at.metric] + [b.label for b in at.button]
    texts += [w.label for w in [*at.slider, *at.select_slider, *at.multiselect, *at.toggle, *at.number_input]]
    texts += [w.label for w in at.selectbox if w.key != "_w_area"]
    left = [s for s in texts if KANA.search(s or "")]
    assert left == [], left
