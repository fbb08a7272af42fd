"""IPSS 令和5年推計 (2023): the loader against the published file, its validation, 浜通り地域, the bundled extract,
and 2023 as the default official baseline on the pages (projection, outlook, overview) with 2018 still selectable."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from loaders import ipss2023
from loaders.errors import LoaderError
from store.official import open_readonly
from tests.conftest import REPO, open_page

FILE = Path(ipss2023.FOLDER) / ipss2023.FILE


@pytest.fixture(scope="module")
def loaded(raw_dir) -> pd.DataFrame:
    return ipss2023.read_projection(raw_dir / FILE)


def persons(frame: pd.DataFrame, code: str, year: int, age: str = "total") -> int:
    row = frame[(frame["area_code"] == code) & (frame["year"] == year) & (frame["age_group"] == age)]
    assert len(row) == 1, (code, year, age)
    return int(row["persons"].iat[0])


# ---------------------------------------------------------------- the loader against the file

@pytest.mark.parametrize("code, year, age, expected", [
    ("01209", 2020, "total", 7_334), ("01209", 2050, "total", 2_154),      # 夕張市 (PROVENANCE spot check)
    ("01209", 2050, "0-14", 82), ("01209", 2050, "15-64", 798), ("01209", 2050, "65+", 1_274),
    ("13000", 2020, "total", 14_047_594), ("13000", 2050, "65+", 4_258_778),  # 東京都
    ("01100", 2020, "total", 1_973_395),                                     # 札幌市 (designated-city total)
    ("01101", 2050, "total", 255_587),                                       # 札幌市中央区 (ward)
    ("13101", 2020, "total", 66_680), ("13101", 2050, "total", 79_828),      # 千代田区 (special ward)
    ("40203", 2020, "total", 303_316), ("40203", 2050, "total", 260_912),    # 久留米市
    ("07999", 2020, "total", 452_508), ("07999", 2050, "total", 307_228),    # 浜通り地域 (aggregate)
])
def test_published_figures(loaded, code, year, age, expected):
    assert persons(loaded, code, year, age) == expected


def test_every_record_read_as_published(raw_dir, loaded):
    """All 1,951 records × 7 years × 4 figures, read independently from the JSON, equal the loader's rows."""
    doc = json.loads((raw_dir / FILE).read_text(encoding="utf-8"))
    expected = {(r["code"], year, age): v for r in doc["records"] for year, cells in zip(doc["years"], r["values"])
                for age, v in zip(ipss2023.AGE_GROUPS, cells)}
    got = dict(zip(zip(loaded["area_code"], loaded["year"], loaded["age_group"]), loaded["persons"]))
    assert len(doc["records"]) == 1951 and len(got) == len(expected) == 1951 * 7 * 4
    assert got == expected
    assert set(loaded["source"]) == {"ipss_2023"} and set(loaded["sex"]) == set(loaded["nationality"]) == {"total"}
    prefs = loaded[loaded["area_code"].str.endswith("000") & (loaded["age_group"] == "total")]
    assert prefs.groupby("year")["persons"].sum().to_dict()[2020] == 126_146_099   # = 2020 Census
    assert prefs.groupby("year")["persons"].sum().to_dict()[2050] == 104_686_386


def _write(tmp_path: Path, doc: dict) -> Path:
    path = tmp_path / ipss2023.FILE
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def _small() -> dict:
    """A valid small file: 鳥取県 with two cities, 福島県 with only its 浜通り地域 aggregate."""
    a = [[100, 10, 60, 30] for _ in range(7)]   # a fresh list per year: the tests damage single cells
    b = [[50, 5, 30, 15] for _ in range(7)]
    total = [[150, 15, 90, 45] for _ in range(7)]
    recs = [dict(code="31000", kind="a", prefecture="鳥取県", municipality="", values=total),
            dict(code="31201", kind="2", prefecture="鳥取県", municipality="鳥取市", values=a),
            dict(code="31202", kind="2", prefecture="鳥取県", municipality="米子市", values=b),
            dict(code="07999", kind="9", prefecture="福島県", municipality="浜通り地域", values=[list(v) for v in a]),
            dict(code="07000", kind="a", prefecture="福島県", municipality="", values=[list(v) for v in a])]
    return dict(years=list(ipss2023.YEARS), metrics=list(ipss2023.METRICS), records=recs)


def test_small_valid_file_loads(tmp_path):
    out = ipss2023.read_projection(_write(tmp_path, _small()))
    assert len(out) == 5 * 7 * 4 and persons(out, "31202", 2050, "65+") == 15


@pytest.mark.parametrize("change, row, column, words", [
    (lambda d: d["records"][1]["values"][3].__setitem__(0, 101), 2, "2035:population", "0～14歳・15～64歳・65歳以上の合計"),
    (lambda d: d["records"][1]["values"].pop(), 2, "values", "年が欠けています"),
    (lambda d: d["records"][2].__setitem__("code", "31201"), 3, "code", "重複"),
    (lambda d: d["records"][2].__setitem__("code", "3120"), 3, "code", "不明な地域コード"),
    (lambda d: d["records"][1]["values"][0].__setitem__(1, "10"), 2, "2020:under15", "人数ではない値"),
    (lambda d: d["records"][1].__setitem__("kind", "a"), 2, "kind", "市などの別"),
    (lambda d: d["records"].append(dict(code="07204", kind="2", prefecture="福島県", municipality="いわき市",
                                        values=[[1, 0, 1, 0]] * 7)), 6, "code", "浜通り地域の市町村"),
    # the prefecture's own total still equals its three groups; it is the sum of its cities that fails
    (lambda d: d["records"][0]["values"].__setitem__(6, [151, 15, 90, 46]), 1, "2050:population", "構成地域の和"),
])
def test_damaged_file_names_row_and_column(tmp_path, change, row, column, words):
    doc = _small()
    change(doc)
    with pytest.raises(LoaderError) as err:
        ipss2023.read_projection(_write(tmp_path, doc))
    assert (err.value.row, err.value.column) == (row, column) and words in err.value.problem_ja
    assert err.value.file.endswith(ipss2023.FILE) and err.value.problem_en


def test_header_and_json_errors(tmp_path):
    doc = _small()
    doc["years"] = doc["years"][:-1]
    with pytest.raises(LoaderError) as err:
        ipss2023.read_projection(_write(tmp_path, doc))
    assert err.value.column == "years"
    path = tmp_path / "broken.json"
    path.write_text('{"years": [2020,\n', encoding="utf-8")
    with pytest.raises(LoaderError) as err:
        ipss2023.read_projection(path)
    assert err.value.row == 2 and "JSON" in err.value.problem_ja


def test_unknown_code_against_areas(tmp_path):
    areas = pd.DataFrame(dict(area_code=["31000", "31201", "07000", *ipss2023.HAMADORI], current=True,
                              kind=["prefecture", "city", "prefecture", *["city"] * 13]))
    with pytest.raises(LoaderError) as err:
        ipss2023.read_projection(_write(tmp_path, _small()), areas)
    assert (err.value.row, err.value.column) == (3, "code") and "31202" in err.value.problem_ja


# ---------------------------------------------------------------- 浜通り地域 and the databases

def test_hamadori_in_the_national_database(national_db):
    con = open_readonly(national_db)
    members = con.execute("SELECT area_code FROM area_groups WHERE group_code = '07999' ORDER BY 1").fetchall()
    assert [m[0] for m in members] == sorted(ipss2023.HAMADORI)
    names = dict(con.execute("SELECT area_code, name_ja FROM areas WHERE area_code IN (SELECT area_code FROM "
                             "area_groups WHERE group_code = '07999')").fetchall())
    assert names == ipss2023.HAMADORI
    rows = dict(con.execute("SELECT year, persons FROM projections WHERE area_code = '07999' AND source = 'ipss_2023' "
                            "AND age_group = 'total'").fetchall())
    assert rows[2020] == 452_508 and rows[2050] == 307_228
    n = con.execute("SELECT count(DISTINCT area_code) FROM projections WHERE source = 'ipss_2023'").fetchone()[0]
    assert n == 1951
    src = con.execute("SELECT publisher, title, retrieved FROM sources WHERE source_id = 'ipss_r5_municipal'").fetchone()
    assert src == ("国立社会保障・人口問題研究所", "日本の地域別将来推計人口（令和5（2023）年推計）", "2026-10-05")
    assert con.execute("SELECT count(*) FROM projections WHERE source = 'ipss_2023' AND area_code IN "
                       "(SELECT area_code FROM area_groups WHERE group_code = '07999')").fetchone()[0] == 0


def test_bundled_extract_holds_the_demo_rows(raw_dir, loaded):
    """The committed extract's IPSS 2023 rows are the file's rows of the demo areas (全国 has none: IPSS publishes
    prefectures only)."""
    from loaders.build import DEMO_CODES

    ext = pd.read_csv(REPO / "data/bundled/extract/projections.csv", dtype={"area_code": str})
    ext = ext[ext["source"] == "ipss_2023"]
    want = loaded[loaded["area_code"].isin(DEMO_CODES)]
    key = ["area_code", "year", "age_group"]
    merged = want.merge(ext, on=key, suffixes=("", "_ext"), how="outer")
    assert len(merged) == len(want) == 7 * 28 and (merged["persons"] == merged["persons_ext"]).all()


# ---------------------------------------------------------------- the pages


def chart(at: AppTest, title: str) -> tuple[dict, pd.DataFrame]:
    for c in at.get("vega_lite_chart"):
        spec = json.loads(c.proto.spec)
        t = spec.get("title")
        if (t.get("text") if isinstance(t, dict) else t) == title:
            frames = [pa.ipc.open_stream(d.data.data).read_pandas() for d in c.proto.datasets]
            return spec, pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    raise AssertionError(f"no chart {title!r}")


def legend(spec: dict) -> list[str]:
    found = []

    def walk(o):
        if isinstance(o, dict):
            if "domain" in o and isinstance(o["domain"], list):
                found.extend(o["domain"])
            for v in o.values():
                walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)
    walk(spec)
    return found


PROJ = "pages/projection.py"
TOTALS = "総人口の推計（3つの基準とシナリオ）"


def test_projection_page_defaults_to_ipss_2023(bundled_db, monkeypatch):
    at = open_page(bundled_db, monkeypatch, PROJ, area="40203")
    assert at.segmented_control(key="ipss").value == "2023" and "ipss" not in at.query_params
    spec, data = chart(at, TOTALS)
    assert "社人研 令和5年推計" in legend(spec) and "社人研 平成30年推計" not in legend(spec)
    ipss = data[data["series"] == "ipss"].set_index("year")["persons"]
    assert ipss[2020] == 303_316 and ipss[2050] == 260_912 and 2015 not in ipss.index
    assert any("令和5（2023）年推計" in c.value for c in at.caption)


def test_projection_page_2018_still_selectable(bundled_db, monkeypatch):
    at = open_page(bundled_db, monkeypatch, PROJ, area="40203")
    at.segmented_control(key="ipss").set_value("2018").run()
    assert not at.exception and at.query_params["ipss"] == "2018"
    spec, data = chart(at, TOTALS)
    assert "社人研 平成30年推計" in legend(spec)
    ipss = data[data["series"] == "ipss"].set_index("year")["persons"]
    assert ipss[2015] == 304_552 and ipss[2045] == 279_310 and 2050 not in ipss.index
    linked = open_page(bundled_db, monkeypatch, PROJ, area="40203", ipss="2018", lang="en")  # a copied link
    assert linked.segmented_control(key="ipss").value == "2018"
    assert "IPSS 2018 projection" in legend(chart(linked, "Total population: three baselines and the scenario")[0])


def test_hamadori_member_shows_the_aggregate(national_db, monkeypatch):
    at = open_page(national_db, monkeypatch, PROJ, area="07548")  # 葛尾村
    note = " ".join(i.value for i in at.info)
    assert "葛尾村を単独では推計していません" in note and "浜通り地域" in note and "13市町村" in note
    spec, data = chart(at, TOTALS)
    assert "ipss" not in set(data["series"])  # the aggregate is not drawn as if it were the village
    table = [d.value for d in at.dataframe if "総人口" in d.value.columns][0]
    assert table["総人口"].tolist()[0] == 452_508 and table["総人口"].tolist()[-1] == 307_228
    assert any("いわき市" in c.value and "飯舘村" in c.value for c in at.caption)
    older = open_page(national_db, monkeypatch, PROJ, area="07548", ipss="2018")
    assert any("社人研 平成30年推計は、この地域については公表されていません" in c.value for c in older.caption)


def test_ward_has_ipss_2023_but_not_2018(national_db, monkeypatch):
    at = open_page(national_db, monkeypatch, PROJ, area="40131")  # 福岡市東区
    ipss = chart(at, TOTALS)[1].query("series == 'ipss'").set_index("year")["persons"]
    assert ipss[2020] == 322_503 and ipss[2050] == 336_456


def test_outlook_ratios_use_2023_and_say_which_vintage(national_db, monkeypatch, loaded):
    at = open_page(national_db, monkeypatch, "pages/outlook.py", area="40203")
    spec, data = chart(at, "年少・老年・従属人口指数の見通し")
    assert "社人研 令和5年推計" in legend(spec)
    old = data[(data["source"] == "ipss") & (data["ratio"] == "old")].set_index("year")["value"]
    want = 100 * persons(loaded, "40203", 2050, "65+") / persons(loaded, "40203", 2050, "15-64")
    assert old[2050] == pytest.approx(want) and 2015 not in old.index
    women_spec, _ = chart(at, "20〜39歳女性人口の増減率（推計の基準年比）")
    assert "社人研 平成30年推計" in legend(women_spec)
    assert any("平成30年推計（2018年）を使っています" in c.value for c in at.caption)
    older = open_page(national_db, monkeypatch, "pages/outlook.py", area="40203", ipss="2018")
    old18 = chart(older, "年少・老年・従属人口指数の見通し")[1]
    assert 2015 in set(old18.loc[old18["source"] == "ipss", "year"])


def test_overview_target_chart_labels_the_vintage(bundled_db, monkeypatch):
    at = open_page(bundled_db, monkeypatch, None, area="40203")
    spec, data = chart(at, "目標人口への進捗")
    assert "社人研 令和5年推計" in legend(spec) and "社人研 平成30年推計" not in legend(spec)
    assert (data["series"] == "社人研 令和5年推計").sum() == 7
    at.segmented_control(key="ipss").set_value("2018").run()
    assert "社人研 平成30年推計" in legend(chart(at, "目標人口への進捗")[0])


def test_indicator_of_ipss_2023(national_db, loaded):
    """将来人口増減率（社人研 令和5年推計）2020→2050, recomputed from the file; 2018's indicator kept beside it."""
    from estimates import indicators as qi
    from store.official import open_readonly

    with open_readonly(national_db) as con:
        values = qi.compute_all(con)
    for code in ("01209", "40203", "40131", "13101", "07201"):  # 夕張市, 久留米市, 福岡市東区, 千代田区, 福島市
        want = 100 * (persons(loaded, code, 2050) / persons(loaded, code, 2020) - 1)
        assert values.at[code, "ipss_change_2050"] == pytest.approx(want), code
    assert values.at["01209", "ipss_change_2050"] == pytest.approx(100 * (2_154 / 7_334 - 1))  # −70.6%
    assert values.loc[list(ipss2023.HAMADORI), "ipss_change_2050"].isna().all()  # projected only as 浜通り地域
    assert values.loc[["01209", "40203"], "ipss_change_2045"].notna().all()     # the 2018 vintage stays


def test_outlook_of_a_hamadori_member_names_the_aggregate(national_db, monkeypatch, loaded):
    at = open_page(national_db, monkeypatch, "pages/outlook.py", area="07204")  # いわき市
    spec, data = chart(at, "年少・老年・従属人口指数の見通し")
    assert "社人研 令和5年推計（浜通り地域）" in legend(spec)
    old = data[(data["source"] == "ipss") & (data["ratio"] == "old")].set_index("year")["value"]
    assert old[2050] == pytest.approx(100 * persons(loaded, "07999", 2050, "65+") / persons(loaded, "07999", 2050, "15-64"))
    assert any("いわき市を単独では推計していません" in c.value for c in at.caption)
