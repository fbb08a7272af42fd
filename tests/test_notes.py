"""Notes and names that are right (issue 17, defect 8): the 15–29 note says why a table has no row for the area,
a partner table's title names the area and publisher it is for, sources are named in English in English mode, and
the area picker finds names spelt with ヶ or ケ."""
from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest

from store.official import open_readonly
from tests.conftest import run_sections

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
MIC = "Ministry of Internal Affairs and Communications"


@pytest.fixture()
def national(national_db, monkeypatch):
    monkeypatch.setenv("POPDASH_DB", str(national_db))
    import queries
    from queries.views import social_change as sv
    return queries, sv


# ---------------------------------------------------------------- 1. the 15–29 note only where it is true

def _youth_infos(db, monkeypatch, area: str, lang: str = "ja") -> list[str]:
    at = run_sections(db, monkeypatch, "pages/social_change.py", ["age"], area=area, lang=lang)
    return [i.value for i in at.info]


@pytest.mark.parametrize("area, says, lang", [
    ("13104", "特別区部（23区）の合計のみ公表", "ja"),  # 新宿区: the report has 東京都特別区部 as one row
    ("40000", "市部・郡部に分けた合計のみ公表", "ja"),  # 福岡県: only 福岡県市部 / 福岡県郡部
    ("40131", "福岡市全体の値のみ公表", "ja"),  # 福岡市東区: designated cities as a whole
    ("13104", "only the 23 wards together are published", "en"),
])
def test_youth_note_names_the_real_gap(national_db, monkeypatch, area, says, lang):
    infos = _youth_infos(national_db, monkeypatch, area, lang)
    assert any(says in i for i in infos), infos
    assert not any("郡の合計" in i or "district (gun) totals" in i for i in infos), infos


def test_youth_note_of_a_town_says_county_totals(national_db, monkeypatch):
    # 篠栗町 is one of the 7 towns of 糟屋郡: the report prints 糟屋郡 only
    infos = _youth_infos(national_db, monkeypatch, "40342")
    assert any("町村は郡" in i for i in infos), infos


def test_youth_gap_reasons():
    from queries import notes

    assert [notes.youth_gap(k) for k in ("town", "village", "special_ward", "ward", "prefecture", "nation", "city")] \
        == ["county", "county", "tokubu", "ward", "prefecture", "prefecture", "other"]


# ---------------------------------------------------------------- 2./3. partner titles name the area and publisher

def test_prefecture_table_title_names_its_area(national):
    _, sv = national
    p = sv.partners("01209", "city", "北海道", "ja")  # 夕張市 has no partner table of its own
    assert p["area"] == "01000" and set(p["flows"]["source_id"]) == {"idou_2025_table2"}
    assert p["title"] == "北海道と都道府県・大都市圏との移動（2025年、夕張市の表は未公表）"
    en = sv.partners("01209", "city", "Hokkaido", "en")
    assert en["title"] == ("Hokkaido: moves with prefectures and metropolitan areas (CY2025; no table published for "
                           "Yubari-shi)")
    # the prefecture's own page: its own table, no fallback wording
    assert sv.partners("01000", "prefecture", "北海道", "ja")["title"] == "都道府県・大都市圏との移動（2025年）"


def test_city_table_title_names_its_publisher(national):
    _, sv = national
    p = sv.partners("40203", "city", "福岡県", "ja")  # 久留米市: the city's own table of the 人口ビジョン
    assert set(p["flows"]["source_id"]) == {"kurume_vision_2025"}
    assert p["title"] == "転入超過・転出超過の相手先（2020年度〜2024年度、久留米市の公表値）"
    assert sv.partners("40203", "city", "Fukuoka-ken", "en")["title"].endswith("as published by Kurume City)")


def test_partner_pages_show_the_source_shown(national_db, monkeypatch):
    ja = run_sections(national_db, monkeypatch, "pages/social_change.py", ["partners"], area="01209")
    assert any("北海道と都道府県・大都市圏との移動（2025年、夕張市の表は未公表）" in m.value for m in ja.markdown)
    assert any(c.value.startswith("出典: 総務省統計局『住民基本台帳人口移動報告 2025年") for c in ja.caption)
    kurume = run_sections(national_db, monkeypatch, "pages/social_change.py", ["partners"], area="40203", lang="en")
    assert any("as published by Kurume City" in m.value for m in kurume.markdown)
    caps = [c.value for c in kurume.caption if c.value.startswith("Source:")]
    assert any("Kurume City, “3rd Kurume City Regional Revitalization" in c for c in caps), caps


# ---------------------------------------------------------------- 4. sources in English

@pytest.fixture(scope="module", params=["national", "bundled"])
def any_db(request):
    return request.getfixturevalue(f"{request.param}_db")


def test_every_source_has_english_names(any_db):
    with open_readonly(any_db) as con:
        src = con.execute("SELECT source_id, publisher_en, title_en, table_id_en FROM sources").df().set_index("source_id")
    assert len(src) >= 8
    assert src.notna().all().all(), src[src.isna().any(axis=1)]
    for sid, r in src.iterrows():
        assert r["publisher_en"] and r["title_en"], sid
        assert not JAPANESE.search(r["publisher_en"] + r["title_en"] + r["table_id_en"]), (sid, r.to_dict())
    assert src.loc["juki_dynamics", "title_en"] == ("Population, Demographics and Households based on the Basic "
                                                    "Resident Register")
    assert src.loc["juki_dynamics", "publisher_en"].startswith(MIC)


def test_english_names_of_generated_ids():
    from loaders.sources import english, with_english

    assert english("moj_zairyu_2025_06")[1] == ("Statistics on Foreign Residents (number of foreign residents as of "
                                                "the end of June 2025, press release)")
    assert english("idou_2019_table2")[1].endswith("2019 annual report, table 2: inter-prefectural movers")
    assert english("no_such_source") is None
    rows = with_english(pd.DataFrame([dict(source_id="juki_age", publisher="総務省", title="t"),
                                      dict(source_id="kept", publisher="x", title="y", publisher_en="Own",
                                           title_en="Own title")]))
    assert rows["publisher_en"].tolist()[1] == "Own" and rows["publisher_en"].iat[0].startswith(MIC)


def test_english_captions_and_metadata_name_sources_in_english(national_db, monkeypatch):
    from tests.conftest import open_page

    at = open_page(national_db, monkeypatch, area="40203", lang="en")
    caps = [c.value for c in at.caption if c.value.startswith("Source:")]
    assert len(caps) >= 3 and not any(JAPANESE.search(c.split("| Unit")[0]) for c in caps), caps  # names, tables
    assert any(f"{MIC}, Local Administration Bureau, Resident Registration Division, “Population, Demographics and "
               "Households based on the Basic Resident Register”" in c for c in caps), caps
    meta = open_page(national_db, monkeypatch, page="pages/metadata.py", src="juki_dynamics", lang="en")
    shown = meta.dataframe[0].value
    assert shown.iloc[0].tolist()[1].startswith(MIC), shown.iloc[0].tolist()
    assert any(c.value.startswith(f"Source: {MIC}, “Population, Demographics and Households") for c in meta.code)
    ja = open_page(national_db, monkeypatch, page="pages/metadata.py", src="juki_dynamics")
    assert any(c.value.startswith("出典：総務省「住民基本台帳に基づく人口、人口動態及び世帯数」") for c in ja.code)


def test_database_without_english_columns_keeps_japanese(bundled_db, tmp_path, monkeypatch):
    import duckdb

    old = tmp_path / "old.duckdb"
    shutil.copy(bundled_db, old)
    con = duckdb.connect(str(old))
    con.execute("ALTER TABLE sources DROP COLUMN publisher_en")
    con.execute("ALTER TABLE sources DROP COLUMN title_en")
    con.close()
    monkeypatch.setenv("POPDASH_DB", str(old))
    import queries

    assert queries.sources("en").loc["juki_dynamics", "publisher"] == "総務省 自治行政局 住民制度課"


def test_english_citation_names_the_ministry():
    from ui.download import citation

    src = pd.DataFrame(dict(publisher=[f"{MIC}, Local Administration Bureau, Resident Registration Division",
                                       "Summed by this app (municipal figures)"],
                            title=["Population, Demographics and Households based on the Basic Resident Register",
                                   "Sums"]))
    assert citation(src, "en") == (f"Source: {MIC}, “Population, Demographics and Households based on the Basic "
                                   "Resident Register” (processed by the user)")


# ---------------------------------------------------------------- 5. ヶ and ケ in the area picker

def test_picker_label_finds_either_ke_spelling(national):
    queries, _ = national
    from ui.frame import area_label

    labels = {r["area_code"]: area_label(r) for r in queries.areas().to_dict("records")}
    for typed in ("青ケ島", "青ヶ島"):
        assert [c for c, lab in labels.items() if typed in lab] == ["13402"]
    for typed in ("袖ヶ浦", "袖ケ浦"):
        assert [c for c, lab in labels.items() if typed in lab] == ["12229"]
    assert "保土ヶ谷" in labels["14106"] and "茅ケ崎" in labels["14207"]
    assert labels["40203"] == "久留米市（福岡県） くるめし Kurume-shi 40203"  # no clutter where there is no ヶ/ケ
    assert labels["13402"] == "青ヶ島村（東京都） あおがしまむら Aogashima-mura 13402 青ケ島村"


def test_evacuated_note_names_its_source_in_english(national_db, monkeypatch):
    from tests.conftest import open_page

    en = open_page(national_db, monkeypatch, area="07211", lang="en")  # 田村市, one of the 12 municipalities
    note = next(i.value for i in en.info if "evacuation order" in i.value)
    assert "(Fukushima Prefecture, “the 12 municipalities under evacuation orders”" in note
    assert not JAPANESE.search(note.replace("Tamura-shi", "")), note
    ja = open_page(national_db, monkeypatch, area="07211")
    assert any("（福島県「避難指示等の対象となった12市町村」" in i.value for i in ja.info)


def test_partner_tab_says_whose_table_it_is(national_db, monkeypatch):
    # Defect: 久留米市's 相手先 tab showed the city's table while the source switch above the tabs said 総務省. The
    # switch now belongs to the 推移 tab only, and the partner table names its own source.
    at = run_sections(national_db, monkeypatch, "pages/social_change.py", ["partners"], area="40203")
    assert "この表の出典: 久留米市" in [c.value for c in at.caption]
    assert not [w for w in at.runs["partners"].segmented_control if w.key == "src"]  # no switch that does not apply
    trend = run_sections(national_db, monkeypatch, "pages/social_change.py", ["trend"], area="40203")
    assert [w.key for w in trend.runs["trend"].segmented_control if w.key == "src"] == ["src"]
    en = run_sections(national_db, monkeypatch, "pages/social_change.py", ["partners"], area="01209", lang="en")
    assert any(c.value.startswith("Source of this table: Statistics Bureau of Japan") for c in en.caption)
