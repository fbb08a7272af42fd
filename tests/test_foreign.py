"""Foreign residents (外国人住民): the MOJ press-release workbooks read as published, cross-checked against the
derived CSVs; malformed workbooks; the databases; queries; chart builders; the page for three kinds of area."""
from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from loaders import foreign_residents as fr
from loaders.errors import LoaderError
from store.official import open_readonly
from tests.conftest import run_sections

WB_2024 = "moj_zairyu_2024-06_press_tables_001425982.xlsx"
WB_2025 = "moj_zairyu_2025-06_press_tables_001447922.xlsx"
CSV_COUNTRY = "zairyu_pref_country_2024-06_2025-06.csv"
CSV_STATUS = "zairyu_pref_status_2024-06_2025-06.csv"
FUKUOKA, NATION, KURUME = "40000", "00000", "40203"


@pytest.fixture(scope="module")
def folder(raw_dir: Path) -> Path:
    return raw_dir / "foreign_residents"


@pytest.fixture(scope="module")
def books(folder: Path) -> dict[str, pd.DataFrame]:
    """Each workbook read on its own: {'2024-06-30': rows, '2025-06-30': rows}."""
    out = {}
    for name in (WB_2024, WB_2025):
        rows, src = fr.read_workbook(folder / name)
        out[{"moj_zairyu_2024_06": "2024-06-30", "moj_zairyu_2025_06": "2025-06-30"}[src["source_id"]]] = rows
    return out


def cell(rows: pd.DataFrame, area: str, date: str, nat: str = "total", status: str = "total"):
    r = rows[(rows["area_code"] == area) & (rows["ref_date"].astype(str) == date)
             & (rows["nationality_country"] == nat) & (rows["residence_status"] == status)]
    assert len(r) == 1, (area, date, nat, status, len(r))
    return r["persons"].iat[0]


def split(rows: pd.DataFrame, area: str, date: str, dim: str) -> pd.Series:
    other = "residence_status" if dim == "nationality_country" else "nationality_country"
    r = rows[(rows["area_code"] == area) & (rows["ref_date"].astype(str) == date) & (rows[other] == "total")
             & (rows[dim] != "total")]
    return r.set_index(dim)["persons"]


# ---------------------------------------------------------------- the workbooks as published

def test_national_totals_equal_the_press_release(books, folder):
    assert cell(books["2025-06-30"], NATION, "2025-06-30") == 3_956_619  # press release 令和7年6月末
    total_2024 = cell(books["2024-06-30"], NATION, "2024-06-30")
    assert total_2024 == 3_588_956  # 第1表/第4表/第5表/第6表 of the 2024 workbook
    csv = pd.read_csv(folder / CSV_COUNTRY)
    by_csv = csv[(csv["都道府県"] == "総数") & (csv["国籍"] == "総数")].set_index("時点")["人口"]
    assert by_csv["2024/06"] == total_2024 and by_csv["2025/06"] == 3_956_619


def test_prefecture_rows_sum_to_its_total(books):
    rows = books["2025-06-30"]
    assert cell(rows, FUKUOKA, "2025-06-30") == 119_392
    assert split(rows, FUKUOKA, "2025-06-30", "nationality_country").sum() == 119_392
    assert split(rows, FUKUOKA, "2025-06-30", "residence_status").sum() == 119_392
    # and every prefecture, both dates, both dimensions
    for date, r in books.items():
        for code in fr.PREF_CODE.values():
            total = cell(r, code, date)
            assert split(r, code, date, "nationality_country").sum() == total
            assert split(r, code, date, "residence_status").sum() == total


def test_korea_and_chosen_stay_separate_and_sum_to_the_csv(books, folder):
    rows = books["2025-06-30"]
    assert cell(rows, FUKUOKA, "2025-06-30", "韓国") == 14_617
    assert cell(rows, FUKUOKA, "2025-06-30", "朝鮮") == 923
    csv = pd.read_csv(folder / CSV_COUNTRY)
    assert not csv["国籍"].isin(["韓国", "朝鮮"]).any()  # the derived CSV merged them
    merged = csv.set_index(["都道府県", "国籍", "時点"])["人口"]
    assert merged[("福岡県", "韓国・朝鮮", "2025/06")] == 15_540 == 14_617 + 923
    # Every prefecture and date: workbook = CSV, with 韓国 + 朝鮮 = 韓国・朝鮮.
    names = {v: k for k, v in fr.PREF_CODE.items()} | {NATION: "総数"}
    for date, r in books.items():
        when = date[:4] + "/" + date[5:7]
        for code, name in names.items():
            wb = split(r, code, date, "nationality_country")
            assert wb["韓国"] + wb["朝鮮"] == merged[(name, "韓国・朝鮮", when)], (name, date)
            others = wb.drop(["韓国", "朝鮮"])
            assert all(others[c] == merged[(name, c, when)] for c in others.index), (name, date)


def test_residence_status_equals_the_derived_csv(books, folder):
    csv = pd.read_csv(folder / CSV_STATUS).set_index(["都道府県", "在留資格", "時点"])["人口"]
    names = {v: k for k, v in fr.PREF_CODE.items()} | {NATION: "総数"}
    for date, r in books.items():
        when = date[:4] + "/" + date[5:7]
        for code, name in names.items():
            wb = split(r, code, date, "residence_status")
            assert set(wb.index) == set(fr.STATUSES)
            assert all(wb[s] == csv[(name, s, when)] for s in wb.index), (name, date)


def test_unassigned_row_is_checked_and_left_out(books):
    rows = books["2025-06-30"]
    prefs = rows[(rows["area_code"] != NATION) & (rows["ref_date"].astype(str) == "2025-06-30")
                 & (rows["nationality_country"] == "total") & (rows["residence_status"] == "total")]
    assert len(prefs) == 47
    assert 3_956_619 - prefs["persons"].sum() == 6_842  # 未定・不詳, printed in 第5表 and 第4表


def test_trend_tables_and_merged_headers(books, folder):
    rows = books["2025-06-30"]
    assert cell(rows, FUKUOKA, "2024-12-31") == 113_159  # 第4表 令和6年末
    assert cell(rows, NATION, "2012-12-31", "中国") == 652_595  # 第1表 平成24年末
    # 第3表's detailed statuses summed into the 第6表 groups: the groups add up to the year-end total.
    assert split(rows, NATION, "2024-12-31", "residence_status").sum() == 3_768_977
    assert cell(rows, NATION, "2024-12-31", status="特定技能") == 284_466
    # The wrapped, merged header '技術・\n人文知識・\n国際業務' and the subtotal 中長期在留者 (not stored).
    assert cell(rows, FUKUOKA, "2025-06-30", status="技術・人文知識・国際業務") == 11_597
    assert "中長期在留者" not in set(rows["residence_status"])
    # 第1表's footnote rows (with a side table of 男性/女性 figures) are not nationalities.
    nats = set(split(rows, NATION, "2025-06-30", "nationality_country").index)
    assert len(nats) == 21 and not any(n.startswith(("（注", "(注", "※")) for n in nats)
    # 第2表 (nationality × status, 全国) is stored with both dimensions split.
    assert cell(rows, NATION, "2025-06-30", "朝鮮", "特別永住者") == 22_271
    # A folder read keeps one row per figure (the newer release wins where both print it).
    both = fr.load_folder(folder)["foreign_residents"]
    assert not both.duplicated(["area_code", "ref_date", "nationality_country", "residence_status"]).any()
    assert cell(both, NATION, "2024-06-30") == 3_588_956 and cell(both, NATION, "2025-06-30") == 3_956_619


# ---------------------------------------------------------------- malformed workbooks

@pytest.fixture()
def broken(folder: Path, tmp_path: Path):
    """Copy the 2025 workbook, let the test change sheet 第５表, save; returns (path, worksheet editor)."""
    def make(edit) -> Path:
        wb = openpyxl.load_workbook(folder / WB_2025)
        ws = next(w for w in wb.worksheets if "５表" in w.title)
        edit(ws)
        path = tmp_path / "broken.xlsx"
        wb.save(path)
        return path
    return make


def test_missing_title_row_names_sheet_row_and_column(broken):
    path = broken(lambda ws: ws.cell(1, 1, "都道府県別　国籍・地域別　在留外国人数"))
    with pytest.raises(LoaderError) as e:
        fr.read_workbook(path)
    assert "第５表" in e.value.sheet and e.value.row == 1 and e.value.column == "A"
    assert "【第5表】" in e.value.problem_ja


def test_shifted_header_names_sheet_row_and_column(broken):
    def shift(ws):
        values = [ws.cell(2, c).value for c in range(1, 26)]
        for c, v in enumerate(values, start=1):
            ws.cell(2, c + 1).value = v  # (ws.cell(r, c, None) would leave the old value)
        ws.cell(2, 1).value = None
    with pytest.raises(LoaderError) as e:
        fr.read_workbook(broken(shift))
    assert "第５表" in e.value.sheet and e.value.row == 3 and e.value.column == "C"


def test_non_numeric_cell_names_sheet_row_and_column(broken):
    path = broken(lambda ws: ws.cell(43, 5, "２万"))  # 福岡県 × ベトナム
    with pytest.raises(LoaderError) as e:
        fr.read_workbook(path)
    assert "第５表" in e.value.sheet and (e.value.row, e.value.column) == (43, "E")
    assert "２万" in str(e.value)


def test_sum_that_does_not_add_up_names_the_cell(broken):
    path = broken(lambda ws: ws.cell(43, 5, 23_170))  # one more Vietnamese than the row total allows
    with pytest.raises(LoaderError) as e:
        fr.read_workbook(path)
    assert "第５表" in e.value.sheet and e.value.row == 43


def test_dash_cell_is_missing_not_zero(broken):
    path = broken(lambda ws: ws.cell(34, 17, "-"))  # 鳥取県 × ペルー (3 persons) printed as '-'
    rows, _ = fr.read_workbook(path)
    assert pd.isna(cell(rows, "31000", "2025-06-30", "ペルー"))
    assert cell(rows, "31000", "2025-06-30") == 6_315  # the rest of the table still reads


def test_truncated_file(tmp_path, folder):
    path = tmp_path / "cut.xlsx"
    path.write_bytes((folder / WB_2025).read_bytes()[:5000])
    with pytest.raises(LoaderError, match="Excel"):
        fr.read_workbook(path)


# ---------------------------------------------------------------- databases and queries

@pytest.fixture(scope="module", params=["national", "bundled"])
def any_db(request):
    return request.getfixturevalue(f"{request.param}_db")


def test_database_rows(any_db):
    with open_readonly(any_db) as con:
        got = con.execute("""SELECT area_code, ref_date::VARCHAR AS d, nationality_country AS n, residence_status AS s,
                                    persons, source_id FROM foreign_residents
                             WHERE area_code IN ('40000', '00000')""").df()
        dup = con.execute("""SELECT count(*) FROM (SELECT 1 FROM foreign_residents GROUP BY area_code, ref_date,
                             nationality_country, residence_status HAVING count(*) > 1)""").fetchone()[0]
        src = con.execute("SELECT publisher FROM sources WHERE source_id = 'moj_zairyu_2025_06'").fetchone()
    assert dup == 0 and src == ("出入国在留管理庁",)
    idx = got.set_index(["area_code", "d", "n", "s"])["persons"]
    assert idx[(NATION, "2025-06-30", "total", "total")] == 3_956_619
    assert idx[(NATION, "2024-06-30", "total", "total")] == 3_588_956
    assert idx[(FUKUOKA, "2025-06-30", "total", "total")] == 119_392
    assert idx[(FUKUOKA, "2025-06-30", "韓国", "total")] + idx[(FUKUOKA, "2025-06-30", "朝鮮", "total")] == 15_540


@pytest.fixture()
def qf(bundled_db, monkeypatch):
    monkeypatch.setenv("POPDASH_DB", str(bundled_db))
    from queries import foreign
    return foreign


def test_kurume_register_population_and_share(qf):
    pop = qf.population(KURUME)
    reg = pop[pop["basis"] == "juki"].set_index(pop.loc[pop["basis"] == "juki", "ref_date"].astype(str))
    assert reg.loc["2025-01-01", ["total", "japanese", "foreign"]].tolist() == [300_199, 294_031, 6_168]
    assert reg.loc["2025-01-01", "foreign_share_pct"] == pytest.approx(100 * 6_168 / 300_199)
    assert reg.index[0] == "2013-03-31"
    city = pop[pop["basis"] == "city_register"].set_index(pop.loc[pop["basis"] == "city_register", "ref_date"].astype(str))
    assert city["foreign"].to_dict() == {"2016-03-31": 3_073, "2025-03-31": 6_281}  # the city's 年度末 figures
    chg = qf.changes(pop)
    last = chg.iloc[-1]
    assert (last["japanese_change"], last["foreign_change"]) == (294_031 - 295_981, 6_168 - 5_536)


def test_kurume_flows_and_net_migration_share(qf):
    f = qf.net_share(qf.flows(KURUME)).set_index("period")
    assert list(f.index) == [f"CY{y}" for y in range(2013, 2022)]  # calendar years only; FY2012 left out
    assert set(f["period_kind"]) == {"CY"}
    assert f.loc["CY2021", ["births", "deaths", "in_domestic", "in_abroad", "out_domestic", "out_abroad"]].tolist() == \
        [18, 6, 583, 173, 661, 167]
    assert f.loc["CY2013", "share_pct"] == pytest.approx(100 * 502 / 443)  # > 100%: Japanese net was negative
    assert f.loc["CY2013", "japanese_net"] == 443 - 502
    assert f.loc["CY2021", "share_pct"] == pytest.approx(100 * -72 / -329)
    assert f.loc["CY2019", "status"] == "small_total" and pd.isna(f.loc["CY2019", "share_pct"])  # 95 of 26,139 moves


def test_net_share_edge_cases(qf):
    frame = pd.DataFrame({"net": [50, 40, 10, 5], "total_net": [0, -100, 200, 3], "total_moves": [0, 1000, 1000, 100]})
    got = qf.net_share(frame)
    assert got["status"].tolist() == ["small_total", "opposite", "ok", "ok"]
    assert got["share_pct"].isna().tolist() == [True, True, False, False]
    assert got["share_pct"].iat[2] == pytest.approx(5.0)


def test_kurume_pyramid_japanese_is_all_minus_foreign(qf):
    p = qf.pyramid(KURUME)
    assert set(p["ref_date"].astype(str)) == {"2022-01-01"}
    sums = p.groupby("nationality")["persons"].sum()
    assert sums["foreign"] == 4_155 and sums["japanese"] == 303_052 - 4_155
    assert p["age_group"].iat[-1] == "90+" and len(p) == 2 * 2 * 19
    assert qf.pyramid_max(p) == p["persons"].max()


def test_breakdown_of_fukuoka_for_a_municipality(qf):
    assert qf.scope(KURUME, "city") == (FUKUOKA, "prefecture_fallback")
    assert qf.scope(FUKUOKA, "prefecture") == (FUKUOKA, "prefecture")
    assert qf.scope(NATION, "nation") == (NATION, "nation")
    rows = qf.residents(FUKUOKA)
    nat = qf.breakdown(rows, FUKUOKA, "nationality_country")
    top = nat.iloc[0]
    assert (top["category"], top["latest"], top["prev"], top["change"]) == ("ベトナム", 23_169, 21_884, 1_285)
    assert nat["latest"].sum() == 119_392 and nat["category"].iat[-1] == "その他"
    assert nat.set_index("category").loc["韓国", "nation_latest"] == 409_584
    status = qf.breakdown(rows, FUKUOKA, "residence_status", "en")
    assert status["category"].iat[0] == "留学" and status["label"].iat[0] == "Student"
    assert status["share_pct"].sum() == pytest.approx(100)
    tot = qf.totals(rows, FUKUOKA)
    assert tot[tot["level"] == "nation"]["persons"].max() == 3_956_619
    # 全国 also prints year ends (第1表/第3表): the change is still year on year, as for prefectures.
    nation = qf.breakdown(qf.residents(NATION), NATION, "nationality_country").set_index("category")
    assert str(nation["prev_date"].iat[0])[:10] == "2024-06-30"
    assert nation.loc["中国", ["prev", "latest", "change"]].tolist() == [844_187, 900_738, 56_551]


def test_kurume_statements_carry_their_source(qf):
    s = qf.statements(KURUME)
    assert s["topic"].tolist() == ["foreign_share", "foreign_growth", "foreign_top_nationalities", "foreign_top_statuses"]
    assert set(s["source_id"]) == {"kurume_vision_2025"}
    assert "ベトナム、フィリピン、ネパール" in s["statement_ja"].iat[2]
    assert qf.statements(FUKUOKA).empty


# ---------------------------------------------------------------- chart builders

def test_chart_builders_validate(qf):
    from charts import foreign as fc

    pop, flows, pyr = qf.population(KURUME), qf.flows(KURUME), qf.pyramid(KURUME)
    rows = qf.residents(FUKUOKA)
    for lang in ("ja", "en"):
        specs = [fc.population(pop, lang, "t"), fc.population(pop[pop["basis"] == "juki"], lang, "t"),
                 fc.annual_change(qf.changes(pop), lang, "t"), fc.flows(flows, lang, "t"),
                 fc.net_share(qf.net_share(flows), lang, "t"),
                 fc.pyramid(pyr, "foreign", lang, "t"), fc.pyramid(pyr, "japanese", lang, "t", qf.pyramid_max(pyr))]
        for dim in ("nationality_country", "residence_status"):
            b = qf.breakdown(rows, FUKUOKA, dim, lang)
            specs.append(fc.breakdown(b.head(10), lang, "t", ["prefecture shown", "since"], "a", "b", True))
        for chart in specs:
            spec = chart.to_dict()  # validates against the Vega-Lite schema
            assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    same = fc.pyramid(pyr, "foreign", "ja", "t", 12_000).to_dict()
    assert same["encoding"]["x"]["scale"]["domain"] == [-12_000, 12_000]
    share = fc.net_share(qf.net_share(flows), "ja", "t").to_dict()
    labels = [r["label"] for d in share["datasets"].values() for r in d if "label" in r]
    assert "2013年|113%" in labels and "2019年|—" in labels


# ---------------------------------------------------------------- the page

def run_page(db: Path, monkeypatch, code: str, lang: str = "ja"):
    """Every section tab of the page (population, flows, age, nationality) for `code`."""
    return run_sections(db, monkeypatch, "pages/foreign_residents.py", ["population", "flows", "age", "nationality"],
                        area=code, lang=lang)


@pytest.mark.parametrize("code", [KURUME, FUKUOKA, NATION])
def test_page_renders_for_kinds_of_area(national_db, monkeypatch, code):
    at = run_page(national_db, monkeypatch, code)
    charts = at.get("vega_lite_chart")
    assert len(charts) == 8  # population, change, flows, net share, 2 pyramids, nationality, status
    captions = [c.value for c in at.caption if c.value.startswith("出典:")]
    assert len(captions) >= len(charts)
    assert all("単位" in c and "期間" in c for c in captions)
    assert any("出入国在留管理庁" in c for c in captions) and any("住民基本台帳" in c for c in captions)
    csv = [b for b in at.get("download_button") if "CSV" in b.proto.label]
    assert len(csv) >= len(charts)
    specs = [json.loads(c.proto.spec) for c in charts]
    titles = [s["title"] for s in specs if isinstance(s.get("title"), dict)]  # the breakdown charts carry subtitles
    fallback = "市区町村別の国籍・在留資格の値は収録していません。福岡県の値です。"
    if code == KURUME:
        assert len(titles) == 2 and all(t["subtitle"][0] == fallback for t in titles)  # said on the chart
        assert any(fallback in w.value for w in at.warning)
        assert any("ベトナム、フィリピン、ネパール" in m.value for m in at.markdown)  # the city's statements
        assert any("久留米市" in c and "第3期久留米市地方創生総合戦略" in c for c in captions)
    else:
        assert all(fallback not in " ".join(t["subtitle"]) for t in titles) and not at.warning
    if code == NATION:
        assert "全国の国籍・地域別 在留外国人数" in [t["text"] for t in titles]


def test_page_in_english_on_the_bundled_database(bundled_db, monkeypatch):
    at = run_page(bundled_db, monkeypatch, KURUME, "en")
    assert at.title[0].value == "Foreign residents: Kurume-shi"
    assert len(at.get("vega_lite_chart")) == 8
    assert any("Vietnamese, Filipino and Nepalese" in m.value for m in at.markdown)
