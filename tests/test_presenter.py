"""Presenter mode, playlists, image export and the completeness of the English UI."""
from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from store.user import UserStore
from tests.conftest import REPO

KANA = re.compile(r"[\u3040-\u30ff]")  # hiragana/katakana: text left in Japanese


CHART = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "title": "出生数・死亡数と自然動態",
         "data": {"values": [{"a": "2023年", "b": 2310}, {"a": "2024年", "b": 2204}]}, "mark": "bar",
         "encoding": {"x": {"field": "a", "type": "nominal"}, "y": {"field": "b", "type": "quantitative"}}}


@pytest.fixture()
def playlist(tmp_path, monkeypatch, bundled_db):
    path = tmp_path / "user.duckdb"
    UserStore(path).save_playlist([
        {"title": "はじめに", "url": "", "caption": "令和8年12月 総務委員会"},
        {"title": "自然動態", "url": "/natural_change?area=40203", "spec": CHART, "caption": "出典: 総務省",
         "notes": "出生が減っている点を強調"},
        {"title": "将来推計", "url": "/projection?area=40212&tfr=1.8", "spec": None},
    ])
    monkeypatch.setenv("POPDASH_USER_DB", str(path))
    monkeypatch.setenv("POPDASH_DB", str(bundled_db))
    return path


def _present(slide: int = 1) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params["area"] = "40203"
    at.query_params["presenter"] = "1"
    at.query_params["slide"] = str(slide)
    at.session_state["_viewport"] = (1920, 1080)  # what the browser reports (ui.keys); AppTest has no browser
    at.switch_page("pages/present.py")
    return at.run()


def test_presenter_steps_through_title_chart_and_live_slides(playlist):
    at = _present()
    assert not at.exception
    assert any("1 / 3" in m.value for m in at.markdown)
    specs = [c.proto.spec for c in at.get("vega_lite_chart")]
    assert len(specs) == 2  # the title slide, and the next one drawn off screen
    at.button(key="pl_next").click().run()
    assert not at.exception and any("2 / 3" in m.value for m in at.markdown)
    assert any("出生が減っている点を強調" in m.value for m in at.markdown)  # speaker notes under the slide
    at.button(key="pl_next").click().run()  # a live slide opens its page in presenter mode, with its scenario
    assert not at.exception
    assert at.title[0].value == "大川市の将来人口推計・シミュレーション"
    assert at.slider(key="tfr").value == pytest.approx(1.8)
    # (stepping back from a live slide is checked in the browser: AppTest does not deliver a click on a page it
    # reached through st.switch_page)


def test_leaving_presenter_mode_turns_the_toggle_off(playlist):
    """Defect: Esc left presenter mode but the sidebar toggle stayed on."""
    at = _present(2)
    at.button(key="pl_exit").click().run()
    assert not at.exception
    assert at.session_state["presenter"] is False and at.toggle(key="_w_presenter").value is False
    assert at.title[0].value == "久留米市の自然動態（出生・死亡）"  # back on the slide's own page


def test_an_empty_playlist_says_how_to_add_slides(tmp_path, monkeypatch, bundled_db):
    """Defect: the empty-playlist message in presenter mode pointed at the sidebar, which presenter mode hides."""
    monkeypatch.setenv("POPDASH_USER_DB", str(tmp_path / "u.duckdb"))
    monkeypatch.setenv("POPDASH_DB", str(bundled_db))
    at = _present()
    assert not at.exception
    message = at.info[0].value
    assert "スライドに追加" in message and "画像を保存" in message


def test_any_chart_of_a_page_can_be_added_as_a_slide(playlist):
    UserStore(playlist).save_playlist([])
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params["area"] = "40212"
    at.switch_page("pages/natural_change.py")
    at.run()
    adds = [b for b in at.button if (b.key or "").startswith("slide_")]
    assert len(adds) >= 2  # under every chart, not only the first
    adds[1].click().run()
    saved = UserStore(playlist).playlist()
    assert len(saved) == 1 and saved[0]["url"].startswith("/natural_change?") and "area=40212" in saved[0]["url"]
    assert saved[0]["caption"].startswith("出典:")
    # the chart's own title is kept (a playlist title no longer hides whose data it is)
    assert saved[0]["title"] == saved[0]["spec"]["title"]["text" ] if isinstance(saved[0]["spec"]["title"], dict) \
        else saved[0]["title"] == saved[0]["spec"]["title"]
    at.button(key="pl_add").click().run()  # the sidebar's 'add this view': the page's main chart
    saved = UserStore(playlist).playlist()
    assert len(saved) == 2 and saved[1]["spec"]["title"] == "出生数・死亡数と自然動態"


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


def test_the_slide_editor_adds_a_title_slide_and_offers_the_files(playlist):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params["area"] = "40203"
    at.switch_page("pages/slides.py")
    at.run()
    assert not at.exception
    assert at.text_input(key="deck_title").value == "久留米市・大川市 人口の現状と将来"
    labels = [b.label for b in at.get("download_button")]
    assert {"配布資料 PDF（A4横）", "PowerPoint（.pptx）", "ファイルに保存（USB 用）"} <= set(labels)
    form_title = next(w for w in at.text_input if w.label == "題名")
    form_title.input("第2部 将来の見通し")
    at.number_input[-1].set_value(3)  # the title slide's position
    next(b for b in at.get("form_submit_button") if b.label == "表題スライドを追加").click().run()
    assert not at.exception
    saved = UserStore(playlist).playlist()
    assert [s["title"] for s in saved] == ["はじめに", "自然動態", "第2部 将来の見通し", "将来推計"]
    assert saved[2]["url"] == "" and saved[2]["spec"] is None
