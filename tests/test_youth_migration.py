"""Municipal net migration of Japanese aged 15–29 (loaders.youth_migration), read from the CP932 originals.

Figures below were typed in from ../shared/data/raw/municipal_youth_net_migration/pop_move2017.csv and
pop_move2021.csv. Cross-checks against two other tables of the same report confirm the year of the files and
the sex order of the 2021 net table.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from loaders import youth_migration as ym
from loaders.areas import build_areas
from loaders.errors import LoaderError
from loaders.files import read_text

FOLDER = "municipal_youth_net_migration"
YEARS = [2017, 2018, 2019, 2020, 2021]


@pytest.fixture(scope="module")
def youth_dir(raw_dir: Path) -> Path:
    folder = raw_dir / FOLDER
    if not folder.is_dir():
        reason = f"{folder} not found"
        print(reason)
        pytest.skip(reason)
    return folder


@pytest.fixture(scope="module")
def areas(juki_tables) -> pd.DataFrame:
    return build_areas(juki_tables.area_names)


@pytest.fixture(scope="module")
def loaded(youth_dir, areas, juki_tables):
    return ym.load_folder(youth_dir, areas, juki_tables.area_names)


@pytest.fixture(scope="module")
def youth(loaded) -> pd.DataFrame:
    return loaded[0]["youth_net_migration"]


@pytest.fixture(scope="module")
def report(loaded) -> pd.DataFrame:
    return loaded[1]


def values(youth, code, year) -> dict[tuple[str, str], int]:
    f = youth[(youth["area_code"] == code) & (youth["year"] == year)]
    return {(s, a): int(v) for s, a, v in zip(f["sex"], f["age_group"], f["net_movers"])}


def published(total, male, female) -> dict[tuple[str, str], int]:
    out = {}
    for sex, vals in (("total", total), ("male", male), ("female", female)):
        out.update({(sex, a): v for a, v in zip(["15-19", "20-24", "25-29"], vals)})
        out[(sex, "15-29")] = sum(vals)
    return out


# ================================================================ real figures

@pytest.mark.parametrize("code, year, total, male, female", [
    ("40203", 2017, (-12, -220, -182), (-25, -159, -75), (13, -61, -107)),    # 久留米市
    ("40203", 2021, (-43, -206, -186), (8, -148, -119), (-51, -58, -67)),     # PROVENANCE: 20～24歳 = −206
    ("40503", 2017, None, None, None),                                         # 大刀洗町 = 三井郡 (filled below)
    ("44322", 2017, (-4, -8, -6), (-3, -4, -7), (-1, -4, 1)),                  # 姫島村 = 東国東郡
    ("44322", 2021, (-4, -6, 1), (-2, -4, -1), (-2, -2, 2)),
    ("13421", 2021, (-9, 4, 22), (-3, 8, 12), (-6, -4, 10)),                   # 小笠原村 = 小笠原支庁
])
def test_typed_in_figures(youth, youth_dir, code, year, total, male, female):
    if total is None:  # read the 三井郡 line of the original file ourselves
        text = read_text(youth_dir / f"pop_move{year}.csv")
        line = next(l for l in text.splitlines() if '"三井郡"' in l)
        nums = [int(x.replace(",", "")) for x in line.replace('"', "").split(",")[3:]]
        total, male, female = nums[0:3], nums[3:6], nums[6:9]
    assert values(youth, code, year) == published(total, male, female)


def test_columns_and_periods(youth, loaded):
    assert list(youth.columns) == ym.YOUTH_COLUMNS
    assert sorted(youth["year"].unique()) == YEARS
    assert (youth["period"] == "CY" + youth["year"].astype(str)).all() and set(youth["period_kind"]) == {"CY"}
    assert set(youth["nationality"]) == {"japanese"} and set(youth["source_id"]) == {"youth_net_migration"}
    assert set(youth["age_group"]) == {"15-19", "20-24", "25-29", "15-29"}
    assert not youth.duplicated(ym.YOUTH_KEYS).any()
    assert youth["net_movers"].notna().all()
    assert list(loaded[0]["sources"]["source_id"]) == ["youth_net_migration"]


def test_total_is_male_plus_female(youth):
    w = youth.pivot_table(index=["area_code", "year", "age_group"], columns="sex", values="net_movers", aggfunc="sum")
    assert len(w) > 4 * 900 * 5
    assert (w["total"] == w["male"] + w["female"]).all()


def test_no_unmatched_names(report, youth):
    assert (report["status"] == "not_found").sum() == 0, report[report["status"] == "not_found"].to_string()
    # every printed line is either a mapped area or a reported aggregate: 1,214 lines a year (1,213 in 2017)
    per_year = report.groupby("year").size() + youth[youth["sex"] == "total"].groupby("year")["area_code"].nunique()
    assert per_year.to_dict() == {2017: 1213, 2018: 1214, 2019: 1214, 2020: 1214, 2021: 1214}
    assert set(report["status"]) == {"aggregate"}


def test_coverage_of_current_municipalities(youth, report, areas):
    """All 792 current cities have a figure; towns and villages only where their 郡 has one member.

    The file publishes towns and villages only as 郡 (北海道: 振興局, 東京都島しょ: 支庁) totals: in 2021, 123 of
    the 926 current towns/villages are the only member of their 郡/支庁 and get its figure; the others are in
    multi-member 郡/支庁 totals (listed in the report with their member codes) or in a 北海道 振興局 total.
    """
    y21 = youth[youth["year"] == 2021]
    codes = set(y21["area_code"])
    cur = areas[areas["current"]]
    cities = cur[cur["kind"].isin(["city", "designated_city"])]
    assert len(cities) == 792 and cities["area_code"].isin(codes).all()
    tv = cur[cur["kind"].isin(["town", "village"])]
    members = set(",".join(report.loc[report["year"] == 2021, "members"]).split(","))
    mapped, in_group = tv["area_code"].isin(codes), tv["area_code"].isin(members)
    hokkaido = tv["pref_name"] == "北海道"
    assert (len(tv), mapped.sum(), in_group.sum(), hokkaido.sum()) == (926, 123, 659, 144)
    assert (mapped | in_group | hokkaido).all() and not (mapped & in_group).any()
    assert "13100" in codes  # 東京都特別区部 (no figure per ward)
    assert not set(cur.loc[cur["kind"] == "special_ward", "area_code"]) & codes


def test_names_in_force_in_the_year(youth):
    # 那珂川町 (筑紫郡, 40305) became 那珂川市 (40231) on 2018-10-01; the 2018 file already uses the city.
    assert values(youth, "40305", 2017)[("total", "15-19")] == -64
    assert not values(youth, "40305", 2018) and values(youth, "40231", 2018)[("total", "15-19")] == -57


def test_cp932_original_and_utf8_copy_agree(youth_dir, areas, juki_tables):
    a, _ = ym.read_youth_csv(youth_dir / "pop_move2019.csv", areas, juki_tables.area_names)
    b, _ = ym.read_youth_csv(youth_dir / "utf8_copies" / "pop_move2019_utf8.csv", areas, juki_tables.area_names)
    pd.testing.assert_frame_equal(a, b)


# ================================================================ cross-checks with other tables of the report

def prefecture_sums(youth_dir: Path, year: int) -> pd.DataFrame:
    """市部 + 郡部 of each prefecture from the raw file: the prefecture's own net migration."""
    table = ym.read_youth_table(youth_dir / f"pop_move{year}.csv")
    m = table["name"].str.extract(r"^(.+?[都道府県])(市部|郡部)$")
    t = table[m[0].notna()].assign(pref_name=m[0])
    return t.groupby(["pref_name", "sex", "age_group"])["net_movers"].sum()


def test_2021_file_matches_the_2021_net_table_by_sex(youth_dir, youth, raw_dir):
    """Japanese net vs 全国, 15–29 by sex: prefectures and major cities agree with the 2021 age table.

    This also confirms the (unlabelled) sex blocks of the 2021 net table are 総数, 男, 女 in that order.
    """
    from loaders import migration_od as od

    net = od.read_net_od_2021(raw_dir / "migration_prefecture_od" / "estat_idou_2021_net_migration_od_age5_sex_nationality.csv")
    net = net[(net["partner_code"] == "00000") & (net["nationality"] == "japanese")
              & net["age_group"].isin(["15-19", "20-24", "25-29"])]
    pref_code = {n: f"{i + 1:02d}000" for i, n in enumerate(PREF_NAMES)}
    sums = prefecture_sums(youth_dir, 2021).rename(index=pref_code, level="pref_name")
    sums.index = sums.index.set_names(["area_code", "sex", "age_group"])
    got = net.set_index(["area_code", "sex", "age_group"])["net_movers"]
    assert len(sums) == 47 * 3 * 3
    assert (got.reindex(sums.index) == sums).all()
    cities = ["01100", "04100", "11100", "14100", "23100", "27100", "34100", "40100", "40130", "43100", "13100"]
    y = youth[(youth["year"] == 2021) & youth["area_code"].isin(cities) & (youth["age_group"] != "15-29")]
    y = y.set_index(["area_code", "sex", "age_group"])["net_movers"]
    assert len(y) == len(cities) * 9 and (got.reindex(y.index) == y).all()


def test_2017_file_is_calendar_2017(youth_dir, raw_dir):
    """Female 15–29 by prefecture equals the 2017 single-age female table of the same report (Σ ages)."""
    women = pd.read_csv(raw_dir / "migration_prefecture_od" /
                        "estat_idou_2017_female_net_migration_single_age_15_49_by_prefecture.csv")
    women = women[women.iloc[:, 0] < 48000].set_index(women.columns[1])
    sums = prefecture_sums(youth_dir, 2017).xs("female", level="sex").unstack("age_group")
    for lo in (15, 20, 25):
        expected = women[[f"{a}歳" for a in range(lo, lo + 5)]].sum(axis=1)
        assert (sums[f"{lo}-{lo + 4}"].reindex(expected.index) == expected).all(), lo


PREF_NAMES = ["北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県", "埼玉県",
              "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県",
              "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県",
              "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県",
              "宮崎県", "鹿児島県", "沖縄県"]


# ================================================================ matching and bad inputs

def test_name_normalisation(areas, juki_tables):
    idx = ym.NameIndex(juki_tables.area_names, areas, 2021)
    assert idx.match("福岡県", "三井郡大刀洗町")[0] == "40503"
    assert idx.match("福岡県", "大刀洗町")[0] == "40503"
    assert idx.match("福岡県", "久留米市 ")[0] == "40203"
    assert idx.match("福岡県", "久留米市")[0] == "40203"
    assert idx.match("北海道", "札幌市中央区")[0] == "01101"
    assert idx.match("千葉県", "鎌ヶ谷市")[0] == idx.match("千葉県", "鎌ケ谷市")[0] == "12224"
    assert idx.match("東京都", "府中市")[0] == "13206" and idx.match("広島県", "府中市")[0] == "34208"
    assert idx.match("福岡県", "糟屋郡")[1] == "aggregate"
    assert idx.match("福岡県", "どこにもない市")[1] == "not_found"


def test_unknown_name_is_reported_not_dropped(tmp_path, youth_dir, areas, juki_tables):
    text = read_text(youth_dir / "pop_move2021.csv").replace('"久留米市"', '"久留米村"')
    path = tmp_path / "pop_move2021.csv"
    path.write_bytes(text.encode("cp932"))
    rows, report = ym.read_youth_csv(path, areas, juki_tables.area_names)
    miss = report[report["status"] == "not_found"]
    assert miss[["pref_name", "name", "year"]].values.tolist() == [["福岡県", "久留米村", 2021]]
    assert "40203" not in set(rows["area_code"])


def write(tmp_path: Path, youth_dir: Path, edit, name="pop_move2021.csv") -> Path:
    lines = read_text(youth_dir / "pop_move2021.csv").splitlines()
    lines = edit(lines)
    path = tmp_path / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp932"))
    return path


def error(path: Path, areas, juki_tables) -> LoaderError:
    with pytest.raises(LoaderError) as info:
        ym.read_youth_csv(path, areas, juki_tables.area_names)
    assert info.value.file == str(path)
    return info.value


def test_missing_age_header(tmp_path, youth_dir, areas, juki_tables):
    err = error(write(tmp_path, youth_dir, lambda l: l[:2] + l[3:]), areas, juki_tables)
    assert (err.row, err.column) == (1, "A")


def test_not_net_migration(tmp_path, youth_dir, areas, juki_tables):
    err = error(write(tmp_path, youth_dir, lambda l: [l[0].replace("転入超過数【人】", "転入者数【人】")] + l[1:]),
                areas, juki_tables)
    assert err.row == 2 and "転入超過数" in err.problem_ja


def test_non_numeric_cell(tmp_path, youth_dir, areas, juki_tables):
    def edit(lines):
        i = next(k for k, l in enumerate(lines) if '"久留米市"' in l)
        lines[i] = lines[i].replace('"-206"', '"-2O6"')
        return lines
    err = error(write(tmp_path, youth_dir, edit), areas, juki_tables)
    assert err.row == 1036 and err.column == "F (20～24歳)"


def test_total_not_male_plus_female(tmp_path, youth_dir, areas, juki_tables):
    def edit(lines):
        i = next(k for k, l in enumerate(lines) if '"久留米市"' in l)
        lines[i] = lines[i].replace('"-206"', '"-207"')
        return lines
    err = error(write(tmp_path, youth_dir, edit), areas, juki_tables)
    assert err.row == 1036 and err.column.startswith("F")


def test_file_name_and_table_year_disagree(tmp_path, youth_dir, areas, juki_tables):
    err = error(write(tmp_path, youth_dir, lambda l: l, name="pop_move2020.csv"), areas, juki_tables)
    assert "2020" in err.problem_en and "2021" in err.problem_en


def test_missing_folder_gives_empty_frames(tmp_path, areas, juki_tables):
    tables, report = ym.load_folder(tmp_path / "absent", areas, juki_tables.area_names)
    assert tables["youth_net_migration"].empty and tables["sources"].empty and report.empty
    assert list(tables["youth_net_migration"].columns) == ym.YOUTH_COLUMNS


def test_youth_table_in_schema_matches_the_loader():
    import duckdb

    from loaders.build import SCHEMA

    con = duckdb.connect()
    con.execute(SCHEMA.read_text(encoding="utf-8"))
    assert [r[0] for r in con.execute("DESCRIBE youth_net_migration").fetchall()] == ym.YOUTH_COLUMNS
