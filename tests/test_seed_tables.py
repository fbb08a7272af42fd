"""Seed tables transcribed from the 久留米市 document (shared/seeds/001_6d62fece6978a047.txt):
第3期久留米市地方創生総合戦略（骨子案）・久留米市人口ビジョン (2025).

The literals below are the document's printed cells, verbatim (commas, △, %), one list per printed row.
Every test compares the CSVs in data/bundled/seed/ against them, or checks the document's own
arithmetic (published differences, sums, percentages) against the stored counts.
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest

SEED = Path(__file__).parents[1] / "data" / "bundled" / "seed"
SRC = "kurume_vision_2025"
KURUME = "40203"
YEARS_FY = list(range(2005, 2025))
PROJ_YEARS = list(range(2025, 2061, 5))
FLOW_PERIOD = "FY2020-FY2024"

# --- published tables, cells exactly as printed (one list per printed row) ---
# ■ 久留米市の自然動態, 年度 2005..2014
NATURAL_2005_2014 = {
    '出生': ['2,864', '3,037', '2,933', '2,902', '2,894', '2,963', '2,898', '2,937', '2,960', '2,974'],
    '死亡': ['2,547', '2,688', '2,691', '2,715', '2,692', '2,962', '2,972', '2,941', '2,987', '3,058'],
    '自然動態': ['317', '349', '242', '187', '202', '1', '△ 74', '△ 4', '△ 27', '△ 84'],
}
# ■ 久留米市の自然動態, 年度 2015..2024
NATURAL_2015_2024 = {
    '出生': ['2,934', '2,788', '2,756', '2,742', '2,676', '2,412', '2,373', '2,299', '2,188', '1,999'],
    '死亡': ['3,103', '3,177', '3,182', '3,252', '3,287', '3,269', '3,479', '3,838', '3,693', '3,824'],
    '自然動態': ['△ 169', '△ 389', '△ 426', '△ 510', '△ 611', '△ 857', '△ 1,106', '△ 1,539', '△ 1,505', '△ 1,825'],
}
# ■久留米市の社会動態, 年度 2005..2014 (row labels misprinted as 出生/死亡/自然動態)
SOCIAL_2005_2014 = {
    '出生(=転入)': ['12,282', '11,980', '11,966', '11,889', '11,508', '11,010', '11,023', '11,733', '12,277', '12,384'],
    '死亡(=転出)': ['12,971', '12,571', '13,388', '12,675', '12,064', '11,541', '11,297', '11,744', '11,746', '11,840'],
    '自然動態(=社会動態)': ['△ 689', '△ 591', '△ 1,422', '△ 786', '△ 556', '△ 531', '△ 274', '△ 11', '531', '544'],
}
# ■久留米市の社会動態, 年度 2015..2024
SOCIAL_2015_2024 = {
    '出生(=転入)': ['12,571', '12,611', '12,522', '12,811', '13,571', '11,929', '11,224', '13,429', '12,744', '12,609'],
    '死亡(=転出)': ['11,893', '11,818', '12,655', '12,955', '12,612', '11,454', '11,878', '12,161', '12,174', '11,639'],
    '自然動態(=社会動態)': ['678', '793', '△ 133', '△ 144', '959', '475', '△ 654', '1,268', '570', '970'],
}
# □転入超過 / □転出超過: (順位, 都道府県, 転入数, 転出数, 増減)
TOP_NET_IN = [
    ('1', '神奈川県', '2,148', '1,302', '846'),
    ('2', '長崎県', '2,303', '1,796', '507'),
    ('3', '鹿児島県', '1,611', '1,260', '351'),
    ('4', '大分県', '1,903', '1,629', '274'),
    ('5', '宮崎県', '1,131', '913', '218'),
    ('6', '広島県', '808', '671', '137'),
    ('7', '山口県', '743', '649', '94'),
    ('8', '沖縄県', '762', '701', '61'),
    ('9', '岡山県', '345', '285', '60'),
    ('9', '愛媛県', '240', '180', '60'),
]
TOP_NET_OUT = [
    ('1', '東京都', '2,350', '3,360', '△1,010'),
    ('2', '福岡県', '26,271', '26,975', '△704'),
    ('3', '北海道', '551', '945', '△394'),
    ('4', '大阪府', '1,199', '1,459', '△260'),
    ('5', '熊本県', '2,926', '3,175', '△249'),
    ('6', '群馬県', '103', '226', '△123'),
    ('7', '兵庫県', '636', '750', '△114'),
    ('8', '愛知県', '838', '922', '△84'),
    ('9', '青森県', '76', '132', '△56'),
    ('10', '滋賀県', '176', '215', '△39'),
]
# □大都市圏への転出状況: (都市圏名, 転入数, 転出数, 増減)
METRO = [
    ('東京圏 (東京、神奈川、埼玉、千葉)', '6,055', '6,260', '△205'),
    ('名古屋圏 (愛知、岐阜、三重)', '1,154', '1,215', '△61'),
    ('大阪圏 (大阪、京都、兵庫、奈良)', '2,412', '2,785', '△373'),
    ('三大都市圏計', '9,621', '10,260', '△639'),
    ('福岡市', '7,499', '8,963', '△1,464'),
]
# ■市独自推計結果 【日本人】 2025..2060
JAPANESE_TABLE = {
    '総人口（日本人のみ）': ['294,031', '286,077', '276,252', '265,625', '254,927', '242,956', '231,885', '220,449'],
    '年少人口(0～14歳)': ['39,461', '35,457', '32,232', '31,284', '30,493', '29,440', '27,850', '25,849'],
    '生産年齢人口(15～64歳)': ['170,081', '165,313', '157,961', '145,478', '133,899', '124,291', '117,233', '111,985'],
    '老年人口(65歳以上)': ['84,489', '85,307', '86,059', '88,863', '90,535', '89,225', '86,802', '82,615'],
}
# 令和7(2025)年 / 令和42(2060)年 boxes: label -> (人数, 割合)
BOX_2025 = {
    '高齢人口': ('84,489', '28.7%'),
    '生産年齢人口': ('170,081', '57.8%'),
    '年少人口': ('39,461', '13.4%'),
    '合計': ('294,031', ''),
}
BOX_2060 = {
    '高齢人口': ('82,615', '37.5%'),
    '生産年齢人口': ('111,985', '50.8%'),
    '年少人口': ('25,849', '11.7%'),
    '合計': ('220,449', ''),
}
# ■市独自推計結果 【総人口】 2025..2060
TOTAL_TABLE = {
    '総人口(久留米市)': ['300,199', '294,044', '286,876', '278,777', '270,428', '260,532', '251,394', '241,654'],
    'うち日本人': ['294,031', '286,077', '276,252', '265,625', '254,927', '242,956', '231,885', '220,449'],
    'うち外国人': ['6,168', '7,967', '10,624', '13,152', '15,501', '17,576', '19,509', '21,205'],
    '外国人比率': ['2.1%', '2.7%', '3.7%', '4.7%', '5.7%', '6.7%', '7.8%', '8.8%'],
}
# ■人口推移のシミュレーション, 将来推計
SIM_BASELINE = {
    '総人口': ['300,199', '294,044', '286,876', '278,777', '270,428', '260,532', '251,394', '241,654'],
    'うち日本人': ['294,031', '286,077', '276,252', '265,625', '254,927', '242,956', '231,885', '220,449'],
    'うち外国人': ['6,168', '7,967', '10,624', '13,152', '15,501', '17,576', '19,509', '21,205'],
}
# ■人口推移のシミュレーション, 将来推計改善
SIM_IMPROVED = {
    '総人口': ['300,199', '295,530', '289,957', '283,575', '277,043', '268,986', '261,658', '253,680'],
    'うち日本人': ['294,031', '287,563', '279,333', '270,423', '261,542', '251,410', '242,149', '232,475'],
    'うち外国人': ['6,168', '7,967', '10,624', '13,152', '15,501', '17,576', '19,509', '21,205'],
}
SIM_DIFF = ['—', '1,486', '3,081', '4,798', '6,615', '8,454', '10,264', '12,026']  # 総人口改善
# ■人口構造のシミュレーション, 将来推計
STRUCT_BASELINE = {
    '日本人口': ['294,031', '286,077', '276,252', '265,625', '254,927', '242,956', '231,885', '220,449'],
    'うち年少人口': ['39,461', '35,457', '32,232', '31,284', '30,493', '29,440', '27,850', '25,849'],
    '年少人口比率': ['13.4%', '12.4%', '11.7%', '11.8%', '12.0%', '12.1%', '12.0%', '11.7%'],
    'うち生産年齢人口': ['170,081', '165,313', '157,961', '145,478', '133,899', '124,291', '117,233', '111,985'],
    '生産年齢人口比率': ['57.8%', '57.8%', '57.2%', '54.8%', '52.5%', '51.2%', '50.6%', '50.8%'],
    'うち老年人口': ['84,489', '85,307', '86,059', '88,863', '90,535', '89,225', '86,802', '82,615'],
    '高齢化率': ['28.7%', '29.8%', '31.2%', '33.5%', '35.5%', '36.7%', '37.4%', '37.5%'],
}
# ■人口構造のシミュレーション, 将来推計改善
STRUCT_IMPROVED = {
    '日本人口': ['294,031', '287,563', '279,333', '270,423', '261,542', '251,410', '242,149', '232,475'],
    'うち年少人口': ['39,461', '35,662', '32,668', '32,209', '32,060', '31,558', '30,292', '28,384'],
    '年少人口比率': ['13.4%', '12.4%', '11.7%', '11.9%', '12.3%', '12.6%', '12.5%', '12.2%'],
    'うち生産年齢人口': ['170,081', '166,594', '160,606', '149,351', '138,947', '130,627', '125,055', '121,476'],
    '生産年齢人口比率': ['57.8%', '57.9%', '57.5%', '55.2%', '53.1%', '52.0%', '51.6%', '52.3%'],
    'うち老年人口': ['84,489', '85,307', '86,059', '88,863', '90,535', '89,225', '86,802', '82,615'],
    '高齢化率': ['28.7%', '29.7%', '30.8%', '32.9%', '34.6%', '35.5%', '35.8%', '35.5%'],
}

# 都道府県 -> JIS prefecture code (only those printed in the top-10 tables)
PREF_CODE = {
    "北海道": "01", "青森県": "02", "群馬県": "10", "東京都": "13", "神奈川県": "14", "愛知県": "23",
    "滋賀県": "25", "大阪府": "27", "兵庫県": "28", "岡山県": "33", "広島県": "34", "山口県": "35",
    "愛媛県": "38", "福岡県": "40", "長崎県": "42", "熊本県": "43", "大分県": "44", "宮崎県": "45",
    "鹿児島県": "46", "沖縄県": "47",
}
METRO_CODE = {
    "東京圏 (東京、神奈川、埼玉、千葉)": "G_TOKYO",
    "名古屋圏 (愛知、岐阜、三重)": "G_NAGOYA",
    "大阪圏 (大阪、京都、兵庫、奈良)": "G_OSAKA",
    "三大都市圏計": "G_3METRO",
    "福岡市": "40130",
}

COLUMNS = {
    "sources.csv": "source_id,publisher,title,table_id,url,retrieved,licence,note",
    "vital_events.csv": "area_code,period,period_kind,year,nationality,births,deaths,source_id",
    "migration_totals.csv": "area_code,period,period_kind,year,nationality,in_total,out_total,source_id",
    "migration_flows.csv": "origin_code,dest_code,period,period_kind,nationality,sex,age_group,movers,source_id",
    "projections.csv": "area_code,source,scenario,year,nationality,sex,age_group,persons,source_id",
    "population.csv": "area_code,ref_date,basis,nationality,sex,age_group,persons,source_id",
    "fertility.csv": "area_code,year,tfr,source_id",
    "statements.csv": "area_code,topic,statement_ja,statement_en,period,source_id",
}
CODE_COLUMNS = ("area_code", "origin_code", "dest_code")


# --- helpers ---------------------------------------------------------------------------------------------

def pub(cell: str) -> int:
    """Parse a printed count: '2,864' -> 2864, '△ 1,106' / '△1,010' -> -1106 / -1010."""
    s = cell.replace(",", "").replace(" ", "")
    if not re.fullmatch(r"△?\d+", s):
        raise ValueError(f"not a printed count: {cell!r}")
    return -int(s[1:]) if s.startswith("△") else int(s)


def pct_pub(cell: str) -> Decimal:
    assert cell.endswith("%"), cell
    return Decimal(cell[:-1])


def pct(num: int, den: int) -> Decimal:
    """Percentage to one decimal, rounded half up (the document's rounding)."""
    return (Decimal(int(num)) * 100 / Decimal(int(den))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def load(name: str) -> pd.DataFrame:
    return pd.read_csv(SEED / name, dtype={c: str for c in CODE_COLUMNS}, keep_default_na=False)


def by_year(first: dict, second: dict, label: str) -> dict[int, int]:
    return dict(zip(YEARS_FY, [pub(c) for c in first[label] + second[label]]))


def proj() -> pd.DataFrame:
    return load("projections.csv")


def proj_value(scenario: str, year: int, nationality: str, age_group: str = "total") -> int:
    df = proj()
    hit = df[(df.scenario == scenario) & (df.year == year) & (df.nationality == nationality)
             & (df.age_group == age_group) & (df.sex == "total")]
    assert len(hit) == 1, (scenario, year, nationality, age_group, len(hit))
    return int(hit.persons.iloc[0])


def flow(origin: str, dest: str) -> int:
    df = load("migration_flows.csv")
    hit = df[(df.origin_code == origin) & (df.dest_code == dest)]
    assert len(hit) == 1, (origin, dest, len(hit))
    return int(hit.movers.iloc[0])


# --- file format ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_file_format(name):
    raw = (SEED / name).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM"
    assert b"\r" not in raw, "LF line endings only"
    raw.decode("utf-8")
    header = raw.split(b"\n", 1)[0].decode()
    assert header == COLUMNS[name]
    assert raw.endswith(b"\n")
    df = load(name)
    assert len(df) > 0
    for col in ("births", "deaths", "in_total", "out_total", "movers", "persons", "baseline_value", "target_value"):
        if col in df:
            assert df[col].dtype.kind == "i", f"{name}.{col} must be plain integers"
    if "source_id" in df:
        known = set(load("sources.csv").source_id)
        assert set(df.source_id) <= known


def test_sources():
    s = load("sources.csv").set_index("source_id")
    row = s.loc[SRC]
    assert row.publisher == "久留米市"
    assert row.title == "第3期久留米市地方創生総合戦略（骨子案）・久留米市人口ビジョン"
    assert row.table_id == "" and row.url == "" and str(row.retrieved) == "2025"
    assert "001_6d62fece6978a047" in row.note
    assert s.index.is_unique


# --- 自然動態 --------------------------------------------------------------------------------------------

def test_vital_events_cells():
    df = load("vital_events.csv")
    assert len(df) == 20
    assert list(df.year) == YEARS_FY
    assert list(df.period) == [f"FY{y}" for y in YEARS_FY]
    assert set(df.period_kind) == {"FY"} and set(df.nationality) == {"total"}
    assert set(df.area_code) == {KURUME} and set(df.source_id) == {SRC}
    births = by_year(NATURAL_2005_2014, NATURAL_2015_2024, "出生")
    deaths = by_year(NATURAL_2005_2014, NATURAL_2015_2024, "死亡")
    for r in df.itertuples():
        assert (r.births, r.deaths) == (births[r.year], deaths[r.year]), r.period


def test_vital_events_spot_values():
    df = load("vital_events.csv").set_index("period")
    assert (df.loc["FY2024", "births"], df.loc["FY2024", "deaths"]) == (1999, 3824)
    assert df.loc["FY2024", "births"] - df.loc["FY2024", "deaths"] == -1825
    assert (df.loc["FY2012", "births"], df.loc["FY2012", "deaths"]) == (2937, 2941)
    assert (df.loc["FY2005", "births"], df.loc["FY2005", "deaths"]) == (2864, 2547)
    assert df.loc["FY2022", "deaths"] == 3838


def test_natural_change_matches_published_row():
    df = load("vital_events.csv").set_index("year")
    published = by_year(NATURAL_2005_2014, NATURAL_2015_2024, "自然動態")
    for y in YEARS_FY:
        assert df.loc[y, "births"] - df.loc[y, "deaths"] == published[y], y


def test_natural_change_text_claims():
    # 「自然動態」は平成23(2011)年にマイナスに転じて以降、その減少幅は拡大を続けています
    df = load("vital_events.csv").set_index("year")
    nat = (df.births - df.deaths).to_dict()
    assert nat[2010] > 0 and all(nat[y] < 0 for y in range(2011, 2025))
    # Known discrepancy: "拡大を続けています" holds for the trend, but the printed table narrows in two years.
    narrowed = [y for y in range(2012, 2025) if nat[y] > nat[y - 1]]
    assert narrowed == [2012, 2023]


# --- 社会動態 (printed with the labels 出生/死亡/自然動態) ------------------------------------------------

def test_migration_totals_cells():
    df = load("migration_totals.csv")
    assert len(df) == 20
    assert list(df.year) == YEARS_FY
    assert list(df.period) == [f"FY{y}" for y in YEARS_FY]
    assert set(df.period_kind) == {"FY"} and set(df.nationality) == {"total"}
    assert set(df.area_code) == {KURUME} and set(df.source_id) == {SRC}
    ins = by_year(SOCIAL_2005_2014, SOCIAL_2015_2024, "出生(=転入)")
    outs = by_year(SOCIAL_2005_2014, SOCIAL_2015_2024, "死亡(=転出)")
    for r in df.itertuples():
        assert (r.in_total, r.out_total) == (ins[r.year], outs[r.year]), r.period


def test_migration_totals_spot_values():
    df = load("migration_totals.csv").set_index("period")
    # the city's FY2005 転出 (総務省's Japanese-only FY2005 table has 13,002; the city's figure is kept)
    assert (df.loc["FY2005", "in_total"], df.loc["FY2005", "out_total"]) == (12282, 12971)
    assert (df.loc["FY2024", "in_total"], df.loc["FY2024", "out_total"]) == (12609, 11639)
    assert df.loc["FY2019", "in_total"] == 13571


def test_social_change_matches_published_row():
    df = load("migration_totals.csv").set_index("year")
    published = by_year(SOCIAL_2005_2014, SOCIAL_2015_2024, "自然動態(=社会動態)")
    for y in YEARS_FY:
        assert df.loc[y, "in_total"] - df.loc[y, "out_total"] == published[y], y


def test_social_change_text_claim():
    # 令和3(2021)年度を除き、令和元(2019)年度から転入超過が続いています
    df = load("migration_totals.csv").set_index("year")
    net = (df.in_total - df.out_total).to_dict()
    assert [y for y in range(2019, 2025) if net[y] <= 0] == [2021]
    assert net[2018] < 0


def test_social_rows_are_not_births():
    # guards against loading the misprinted labels literally: 社会動態 counts are ~4x the births
    v = load("vital_events.csv").set_index("year")
    m = load("migration_totals.csv").set_index("year")
    assert (m.in_total > 3 * v.births).all() and (m.out_total > 3 * v.deaths).all()


# --- 都道府県別・移動状況 and 大都市圏 --------------------------------------------------------------------

def test_flow_rows_layout():
    df = load("migration_flows.csv")
    assert len(df) == 2 * (len(TOP_NET_IN) + len(TOP_NET_OUT) + len(METRO)) == 50
    assert set(df.period) == {FLOW_PERIOD} and set(df.period_kind) == {"FY"}
    assert set(df.nationality) == {"total"} and set(df.sex) == {"total"} and set(df.age_group) == {"total"}
    assert set(df.source_id) == {SRC}
    assert not df.duplicated(["origin_code", "dest_code"]).any()
    assert ((df.origin_code == KURUME) ^ (df.dest_code == KURUME)).all()
    assert "増減" not in df.columns and "net" not in df.columns


@pytest.mark.parametrize("table", ["TOP_NET_IN", "TOP_NET_OUT"])
def test_top10_cells_and_net(table):
    rows = globals()[table]
    for rank, pref, tin, tout, net in rows:
        code = PREF_CODE[pref] + "000"
        assert flow(code, KURUME) == pub(tin), pref
        assert flow(KURUME, code) == pub(tout), pref
        assert flow(code, KURUME) - flow(KURUME, code) == pub(net), pref


def test_top10_ranking():
    nets_in = [pub(r[4]) for r in TOP_NET_IN]
    nets_out = [pub(r[4]) for r in TOP_NET_OUT]
    assert all(n > 0 for n in nets_in) and all(n < 0 for n in nets_out)
    assert nets_in == sorted(nets_in, reverse=True) and nets_out == sorted(nets_out)
    # the tie at 9 (岡山県, 愛媛県: both +60) shares the rank
    assert [(r[0], r[1]) for r in TOP_NET_IN[-2:]] == [("9", "岡山県"), ("9", "愛媛県")]
    assert nets_in[-2] == nets_in[-1] == 60


def test_spot_flows():
    assert (flow("14000", KURUME), flow(KURUME, "14000")) == (2148, 1302)
    assert (flow("40000", KURUME), flow(KURUME, "40000")) == (26271, 26975)
    assert (flow("40130", KURUME), flow(KURUME, "40130")) == (7499, 8963)


def test_metro_cells_and_net():
    for name, tin, tout, net in METRO:
        code = METRO_CODE[name]
        assert (flow(code, KURUME), flow(KURUME, code)) == (pub(tin), pub(tout)), name
        assert flow(code, KURUME) - flow(KURUME, code) == pub(net), name


def test_three_metro_total_is_sum():
    parts = ["G_TOKYO", "G_NAGOYA", "G_OSAKA"]
    assert sum(flow(g, KURUME) for g in parts) == flow("G_3METRO", KURUME)
    assert sum(flow(KURUME, g) for g in parts) == flow(KURUME, "G_3METRO")
    published_net = {METRO_CODE[r[0]]: pub(r[3]) for r in METRO}
    assert sum(published_net[g] for g in parts) == published_net["G_3METRO"]


def test_members_do_not_exceed_groups():
    # consistency between the two published tables (prefecture rows are part of the metro groups)
    for group, members in {"G_TOKYO": ["13000", "14000"], "G_NAGOYA": ["23000"], "G_OSAKA": ["27000", "28000"],
                           "40000": ["40130"]}.items():
        assert sum(flow(m, KURUME) for m in members) <= flow(group, KURUME), group
        assert sum(flow(KURUME, m) for m in members) <= flow(KURUME, group), group


# --- 推計 ----------------------------------------------------------------------------------------------

def test_projection_rows_layout():
    df = proj()
    assert len(df) == 96
    assert not df.duplicated(["area_code", "source", "scenario", "year", "nationality", "sex", "age_group"]).any()
    assert set(df.area_code) == {KURUME} and set(df.source) == {SRC} and set(df.source_id) == {SRC}
    assert set(df.scenario) == {"baseline", "improved"} and set(df.sex) == {"total"}
    assert sorted(df.year.unique()) == PROJ_YEARS
    ages = df[df.age_group != "total"]
    assert set(ages.nationality) == {"japanese"} and set(ages.age_group) == {"0-14", "15-64", "65+"}
    for scen in ("baseline", "improved"):
        s = df[df.scenario == scen]
        assert len(s) == 8 * 6  # total, japanese, foreign, 3 age groups


def _check_rows(scenario: str, table: dict, mapping: dict):
    for label, (nationality, age) in mapping.items():
        for year, cell in zip(PROJ_YEARS, table[label]):
            assert proj_value(scenario, year, nationality, age) == pub(cell), (scenario, label, year)


def test_japanese_table():
    _check_rows("baseline", JAPANESE_TABLE, {
        "総人口（日本人のみ）": ("japanese", "total"), "年少人口(0～14歳)": ("japanese", "0-14"),
        "生産年齢人口(15～64歳)": ("japanese", "15-64"), "老年人口(65歳以上)": ("japanese", "65+")})


@pytest.mark.parametrize("year,box", [(2025, "BOX_2025"), (2060, "BOX_2060")])
def test_age_boxes(year, box):
    b = globals()[box]
    labels = {"高齢人口": "65+", "生産年齢人口": "15-64", "年少人口": "0-14", "合計": "total"}
    for label, age in labels.items():
        assert proj_value("baseline", year, "japanese", age) == pub(b[label][0]), (year, label)
    total = pub(b["合計"][0])
    for label in ("高齢人口", "生産年齢人口", "年少人口"):
        assert pct(pub(b[label][0]), total) == pct_pub(b[label][1]), (year, label)


def test_total_table():
    _check_rows("baseline", TOTAL_TABLE, {
        "総人口(久留米市)": ("total", "total"), "うち日本人": ("japanese", "total"), "うち外国人": ("foreign", "total")})


def test_simulation_tables():
    rows = {"総人口": ("total", "total"), "うち日本人": ("japanese", "total"), "うち外国人": ("foreign", "total")}
    _check_rows("baseline", SIM_BASELINE, rows)
    _check_rows("improved", SIM_IMPROVED, rows)


def test_structure_tables():
    rows = {"日本人口": ("japanese", "total"), "うち年少人口": ("japanese", "0-14"),
            "うち生産年齢人口": ("japanese", "15-64"), "うち老年人口": ("japanese", "65+")}
    _check_rows("baseline", STRUCT_BASELINE, rows)
    _check_rows("improved", STRUCT_IMPROVED, rows)


@pytest.mark.parametrize("scenario", ["baseline", "improved"])
def test_total_is_japanese_plus_foreign(scenario):
    for y in PROJ_YEARS:
        assert (proj_value(scenario, y, "japanese") + proj_value(scenario, y, "foreign")
                == proj_value(scenario, y, "total")), (scenario, y)


@pytest.mark.parametrize("scenario", ["baseline", "improved"])
def test_age_groups_sum_to_japanese(scenario):
    for y in PROJ_YEARS:
        parts = sum(proj_value(scenario, y, "japanese", a) for a in ("0-14", "15-64", "65+"))
        assert parts == proj_value(scenario, y, "japanese"), (scenario, y)


def test_improvement_row():
    assert SIM_DIFF[0] == "—"
    assert proj_value("improved", 2025, "total") == proj_value("baseline", 2025, "total")
    for y, cell in zip(PROJ_YEARS[1:], SIM_DIFF[1:]):
        assert proj_value("improved", y, "total") - proj_value("baseline", y, "total") == pub(cell), y


def test_scenarios_share_foreign_and_elderly():
    # the improvement acts on fertility and migration of the young: foreign and 65+ are identical
    for y in PROJ_YEARS:
        assert proj_value("improved", y, "foreign") == proj_value("baseline", y, "foreign")
        assert proj_value("improved", y, "japanese", "65+") == proj_value("baseline", y, "japanese", "65+")


def test_foreign_share_percentages():
    for y, cell in zip(PROJ_YEARS, TOTAL_TABLE["外国人比率"]):
        assert pct(proj_value("baseline", y, "foreign"), proj_value("baseline", y, "total")) == pct_pub(cell), y


@pytest.mark.parametrize("scenario,table", [("baseline", "STRUCT_BASELINE"), ("improved", "STRUCT_IMPROVED")])
def test_age_share_percentages(scenario, table):
    t = globals()[table]
    known_discrepancies: set = set()  # none found: every printed share recomputes exactly
    for label, age in (("年少人口比率", "0-14"), ("生産年齢人口比率", "15-64"), ("高齢化率", "65+")):
        for y, cell in zip(PROJ_YEARS, t[label]):
            got = pct(proj_value(scenario, y, "japanese", age), proj_value(scenario, y, "japanese"))
            if (label, y) in known_discrepancies:
                assert got != pct_pub(cell)
            else:
                assert got == pct_pub(cell), (scenario, label, y, got, cell)


def test_projection_text_figures():
    base = lambda y, n="total", a="total": proj_value("baseline", y, n, a)  # noqa: E731
    impr = lambda y, n="total", a="total": proj_value("improved", y, n, a)  # noqa: E731
    # 外国人人口は…令和42(2060)年には令和7(2025)年との比較で15,037人増の21,205人…8.8%
    assert base(2060, "foreign") - base(2025, "foreign") == 15037 and base(2060, "foreign") == 21205
    assert pct(base(2060, "foreign"), base(2060)) == Decimal("8.8")
    # 総人口は令和42(2060)年には241,654人…令和7(2025)年の300,199人と比較すると、19.5%減少
    assert (base(2060), base(2025)) == (241654, 300199)
    assert pct(base(2025) - base(2060), base(2025)) == Decimal("19.5")
    # 生産年齢人口比率は令和7(2025)年の57.8%から令和42(2060)年には50.8%; 老年 28.7% -> 37.5%
    assert pct(base(2025, "japanese", "15-64"), base(2025, "japanese")) == Decimal("57.8")
    assert pct(base(2060, "japanese", "15-64"), base(2060, "japanese")) == Decimal("50.8")
    assert pct(base(2025, "japanese", "65+"), base(2025, "japanese")) == Decimal("28.7")
    assert pct(base(2060, "japanese", "65+"), base(2060, "japanese")) == Decimal("37.5")
    # 令和12(2030)年に295,530人…1,486人増加; 令和17(2035)年には289,957人…3,081人増加; 2060 253,680人…12,026人
    assert (impr(2030), impr(2030) - base(2030)) == (295530, 1486)
    assert (impr(2035), impr(2035) - base(2035)) == (289957, 3081)
    assert (impr(2060), impr(2060) - base(2060)) == (253680, 12026)


def test_improved_share_text_and_known_rounding_discrepancy():
    def share(s, a):
        return Decimal(proj_value(s, 2060, "japanese", a)) * 100 / Decimal(proj_value(s, 2060, "japanese"))
    q = Decimal("0.1")
    # 生産年齢人口比率は令和42(2060)年に52.3%となり、将来推計と比較して1.5%増加
    assert share("improved", "15-64").quantize(q, ROUND_HALF_UP) == Decimal("52.3")
    assert (share("improved", "15-64") - share("baseline", "15-64")).quantize(q, ROUND_HALF_UP) == Decimal("1.5")
    # 老年人口比率は令和42(2060)年に35.5%となり、将来推計と比較して2.0%低下
    assert share("improved", "65+").quantize(q, ROUND_HALF_UP) == Decimal("35.5")
    # Known discrepancy: 2.0 is the difference of the rounded shares (37.5 - 35.5); from the counts it is 1.9.
    assert Decimal("37.5") - Decimal("35.5") == Decimal("2.0")
    assert (share("baseline", "65+") - share("improved", "65+")).quantize(q, ROUND_HALF_UP) == Decimal("1.9")


# --- population, fertility, KPI, statements ---------------------------------------------------------------

def test_population_figures():
    df = load("population.csv")
    assert len(df) == 4
    assert set(df.area_code) == {KURUME} and set(df.sex) == {"total"} and set(df.age_group) == {"total"}
    got = {(r.ref_date, r.basis, r.nationality): r.persons for r in df.itertuples()}
    assert got == {
        ("2005-10-01", "census", "total"): 306434,        # 平成17(2005)年の30万6,434人をピーク
        ("2017-03-31", "city_register", "total"): 306211,  # 平成28(2016)年度の30万6,211人をピーク
        ("2016-03-31", "city_register", "foreign"): 3073,  # 平成27(2015)年度末の3,073人
        ("2025-03-31", "city_register", "foreign"): 6281,  # 令和6(2024)年度末…6,281人
    }


def test_foreign_population_text_claims():
    pop = load("population.csv").set_index(["ref_date", "nationality"]).persons
    # 「この10年間で約2倍に増加」
    assert 1.9 <= pop[("2025-03-31", "foreign")] / pop[("2016-03-31", "foreign")] <= 2.1
    # 「総人口の2.1%」: the FY2024-end total is not printed; the 2025-01-01 register total (300,199) is
    # three months earlier and gives the same one-decimal share.
    assert pct(pop[("2025-03-31", "foreign")], proj_value("baseline", 2025, "total")) == Decimal("2.1")


def test_fertility():
    df = load("fertility.csv")
    assert len(df) == 1
    r = df.iloc[0]
    assert (r.area_code, int(r.year), float(r.tfr)) == (KURUME, 2023, 1.35)
    assert float(r.tfr) < 2.07  # 人口置換水準（2.07）を大幅に下回っています


def test_kpi_target_population():
    """第2章 3 目標人口 (the overview page's target and the KPI tracker's first row, one record)."""
    df = pd.read_csv(SEED / "kpi_defs.csv", dtype=str)
    k = df.set_index("kpi_id").loc["kurume3_target_population"]
    plans = pd.read_csv(SEED / "kpi_plans.csv", dtype=str).set_index("plan_id")
    assert (k.plan_id, plans.loc["kurume3", "plan"], plans.loc["kurume3", "municipality_code"]) == (
        "kurume3", "第3期久留米市地方創生総合戦略", KURUME)
    assert (k.level, k.goal, k.unit, k.direction) == ("population_target", "目標人口", "人", "higher")
    assert k.kpi == "令和12(2030)年度末の人口（住民基本台帳）"
    assert (float(k.target_value), k.target_period) == (295000, "2031-03-31")  # 29万5千人
    assert (float(k.baseline_value), k.baseline_period) == (300199, "2025-01-01")
    assert float(k.baseline_value) == proj_value("baseline", 2025, "total")
    # the target lies between the baseline and the improved projection for 2030
    assert proj_value("baseline", 2030, "total") < float(k.target_value) < proj_value("improved", 2030, "total")
    assert k.linked_series == "population_total" and k.source_id == SRC


def test_statements():
    df = load("statements.csv")
    assert df.topic.is_unique
    assert (df.statement_ja.str.len() > 0).all() and (df.statement_en.str.len() > 0).all()
    st = df.set_index("topic").statement_ja
    assert "ベトナム、フィリピン、ネパール" in st["foreign_top_nationalities"]
    assert "技能実習、特定技能、永住者" in st["foreign_top_statuses"]
    assert "2.07" in st["tfr_latest"] and "1.35" in st["tfr_latest"]


def test_statement_numbers_agree_with_tables():
    st = load("statements.csv").set_index("topic").statement_ja
    pop = load("population.csv").set_index(["ref_date", "nationality"]).persons
    fmt = "{:,}".format
    assert fmt(pop[("2025-03-31", "foreign")]) in st["foreign_share"] and "2.1%" in st["foreign_share"]
    assert fmt(pop[("2016-03-31", "foreign")]) in st["foreign_growth"]
    diff = proj_value("improved", 2060, "total") - proj_value("baseline", 2060, "total")
    assert fmt(diff) in st["projection_improved_2060"]
    assert fmt(proj_value("improved", 2060, "total")) in st["projection_improved_2060"]
    for n in (proj_value("baseline", 2060, "total"), proj_value("baseline", 2025, "total"),
              proj_value("baseline", 2060, "foreign")):
        assert fmt(n) in st["projection_baseline_2060"]
