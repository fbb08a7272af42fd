"""The areas table: kinds, names, readings, parents; 郡 subtotals absent; area groups."""
from __future__ import annotations

from store.official import open_readonly
import pandas as pd
import pytest

from loaders.areas import MUNICIPAL_KINDS, area_groups, area_kind, build_areas, romanise

KURUME_METRO = ["40203", "40212", "40216", "40225", "40503", "40522"]


def _areas(db) -> pd.DataFrame:
    with open_readonly(db) as con:
        return con.execute("SELECT * FROM areas").df().set_index("area_code")


@pytest.fixture(scope="module")
def national_areas(national_db) -> pd.DataFrame:
    return _areas(national_db)


# ---------------------------------------------------------------- classification (no data needed)

@pytest.mark.parametrize("code, name, kind", [
    ("00000", "全国", "nation"),
    ("40000", "福岡県", "prefecture"),
    ("40130", "福岡市", "designated_city"),
    ("40131", "福岡市東区", "ward"),
    ("13101", "千代田区", "special_ward"),
    ("40203", "久留米市", "city"),
    ("40503", "大刀洗町", "town"),
    ("20602", "泰阜村", "village"),
    ("02300", "東津軽郡", "district"),
    ("13300", "西多摩郡", "district"),
    ("13360", "島しょ", "district"),   # Tokyo's island subtotal: summing it would count ~25,000 people twice
    ("07203", "郡山市", "city"),       # 郡 inside a name is not a district
    ("40216", "小郡市", "city"),
])
def test_area_kind(code, name, kind):
    assert area_kind(code, name) == kind


@pytest.mark.parametrize("kana, roman", [
    ("くるめし", "Kurume-shi"),
    ("さっぽろし ちゅうおうく", "Sapporo-shi Chuo-ku"),
    ("たちあらいまち", "Tachiarai-machi"),
    ("", None),
])
def test_romanise(kana, roman):
    assert romanise(kana) == roman


def test_build_areas_drops_subtotals_and_takes_latest_name():
    names = pd.DataFrame({
        "area_code": ["00000", "40000", "40203", "40203", "40500", "13360", "13361"],
        "pref_name": ["合計", "福岡県", "福岡県", "福岡県", "福岡県", "東京都", "東京都"],
        "muni_name": ["", "", "久留米", "久留米市", "三井郡", "島しょ", "大島町"],
        "ref_date": ["2022-01-01"] * 2 + ["2000-03-31", "2022-01-01"] + ["2022-01-01"] * 3,
    })
    areas = build_areas(names).set_index("area_code")
    assert "40500" not in areas.index and "13360" not in areas.index
    assert areas.loc["40203", "name_ja"] == "久留米市"
    assert areas.loc["13361", "kind"] == "town"
    assert areas.loc["00000", "parent_code"] is None or pd.isna(areas.loc["00000", "parent_code"])


def test_area_groups_table():
    groups = area_groups()
    assert sorted(groups.loc[groups["group_code"] == "kurume_metro", "area_code"]) == KURUME_METRO
    assert not groups.duplicated(["group_code", "area_code"]).any()


# ---------------------------------------------------------------- the national database

def test_kurume_row(national_areas):
    r = national_areas.loc["40203"]
    assert (r["kind"], r["name_ja"], r["name_kana"], r["name_en"], r["parent_code"], r["pref_code"]) == \
        ("city", "久留米市", "くるめし", "Kurume-shi", "40000", "40")
    assert bool(r["current"])
    assert 33.2 < r["lat"] < 33.4 and 130.4 < r["lon"] < 130.6


def test_fukuoka_designated_city_and_ward(national_areas):
    city, ward = national_areas.loc["40130"], national_areas.loc["40131"]
    assert (city["name_ja"], city["kind"], city["parent_code"]) == ("福岡市", "designated_city", "40000")
    assert (ward["name_ja"], ward["kind"], ward["parent_code"]) == ("福岡市東区", "ward", "40130")


def test_special_ward_nation_and_prefecture(national_areas):
    assert (national_areas.loc["13101", "name_ja"], national_areas.loc["13101", "kind"]) == ("千代田区", "special_ward")
    assert national_areas.loc["13101", "parent_code"] == "13000"
    assert (national_areas.loc["00000", "name_ja"], national_areas.loc["00000", "kind"]) == ("全国", "nation")
    assert national_areas.loc["40000", "kind"] == "prefecture" and national_areas.loc["40000", "parent_code"] == "00000"
    assert (national_areas["kind"] == "prefecture").sum() == 47


def test_subtotal_rows_are_not_areas(national_areas):
    # 02300 東津軽郡, 13300 西多摩郡 and 13360 島しょ are printed subtotals in the source tables.
    for code in ("02300", "13300", "13360", "40500"):
        assert code not in national_areas.index
    assert not national_areas["name_ja"].isin(["東津軽郡", "島しょ"]).any()
    assert set(national_areas["kind"]) == {"nation", "prefecture", *MUNICIPAL_KINDS, "ward"}


def test_current_municipality_count(national_areas):
    """1,741 municipalities (1,718 市町村 + 23 特別区) on the latest reference date (2025-01-01)."""
    current = national_areas[national_areas["current"] & national_areas["kind"].isin(MUNICIPAL_KINDS)]
    assert len(current) == 1741
    assert (current["kind"] == "designated_city").sum() == 20
    assert (current["kind"] == "special_ward").sum() == 23


def test_every_ward_belongs_to_a_designated_city(national_areas):
    wards = national_areas[national_areas["kind"] == "ward"]
    parents = national_areas.loc[wards["parent_code"], "kind"]
    assert (parents == "designated_city").all()
    assert (wards.index.str[:2] == wards["parent_code"].str[:2]).all()
    per_city = wards.groupby("parent_code").size()
    assert len(per_city) == 20 and per_city["40130"] == 7 and per_city["27100"] == 24


def test_area_groups_in_both_databases(national_db, bundled_db):
    for db in (national_db, bundled_db):
        with open_readonly(db) as con:
            members = [r[0] for r in con.execute(
                "SELECT area_code FROM area_groups WHERE group_code = 'kurume_metro' ORDER BY area_code").fetchall()]
            assert members == KURUME_METRO
            names = dict(con.execute("SELECT area_code, name_ja FROM areas WHERE area_code IN "
                                     "('40203','40212','40216','40225','40503','40522')").fetchall())
            assert names == {"40203": "久留米市", "40212": "大川市", "40216": "小郡市", "40225": "うきは市",
                             "40503": "大刀洗町", "40522": "大木町"}
