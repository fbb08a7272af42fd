"""住民基本台帳人口移動報告 loader (loaders.migration_od): the 2025 表2 workbook and the 2021 net table.

Real figures from ../shared/data/raw/migration_prefecture_od (see its PROVENANCE.md); bad-input tests
rewrite the real workbook/CSV with one defect in tmp_path and check the error names file, sheet, row, column.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from loaders import migration_od as od
from loaders.errors import LoaderError

OD_XLSX = "estat_idou_2025_table2_prefecture_od.xlsx"
OD_LONG = "idou_2025_prefecture_od_long.csv"
NET_CSV = "estat_idou_2021_net_migration_od_age5_sex_nationality.csv"
PREFS = [f"{i:02d}000" for i in range(1, 48)]


@pytest.fixture(scope="module")
def od_dir(raw_dir: Path) -> Path:
    folder = raw_dir / "migration_prefecture_od"
    if not (folder / OD_XLSX).exists():
        reason = f"{folder / OD_XLSX} not found"
        print(reason)
        pytest.skip(reason)
    return folder


@pytest.fixture(scope="module")
def flows(od_dir: Path) -> pd.DataFrame:
    return od.read_od_workbook(od_dir / OD_XLSX)


@pytest.fixture(scope="module")
def partners(od_dir: Path) -> pd.DataFrame:
    return od.read_od_partner_flows(od_dir / OD_XLSX)


@pytest.fixture(scope="module")
def net(od_dir: Path) -> pd.DataFrame:
    return od.read_net_od_2021(od_dir / NET_CSV)


@pytest.fixture(scope="module")
def folder_tables(od_dir: Path) -> dict[str, pd.DataFrame]:
    return od.load_folder(od_dir)


def pick(frame: pd.DataFrame, **eq) -> pd.DataFrame:
    mask = pd.Series(True, index=frame.index)
    for k, v in eq.items():
        mask &= frame[k] == v
    return frame[mask]


# ================================================================ 2025 gross flows: published figures

def test_prefecture_matrix_shape_and_columns(flows):
    assert list(flows.columns) == od.FLOW_COLUMNS
    assert len(flows) == 47 * 46 * 3 * 3
    assert set(flows["origin_code"]) == set(flows["dest_code"]) == set(PREFS)
    assert not (flows["origin_code"] == flows["dest_code"]).any()
    assert flows["movers"].notna().all()
    assert set(flows["period"]) == {"CY2025"} and set(flows["period_kind"]) == {"CY"}
    assert set(flows["age_group"]) == {"total"} and set(flows["source_id"]) == {"idou_2025_table2"}
    assert set(flows["nationality"]) == {"total", "japanese", "foreign"}
    assert set(flows["sex"]) == {"total", "male", "female"}


def test_47x46_cells_sum_to_published_total(flows):
    assert pick(flows, nationality="total", sex="total")["movers"].sum() == 2_515_731


def test_saitama_to_tokyo(flows):
    hit = pick(flows, origin_code="11000", dest_code="13000", nationality="total")
    assert dict(zip(hit["sex"], hit["movers"])) == {"total": 66_159, "male": 34_199, "female": 31_960}


def test_japanese_plus_foreign(flows):
    t = pick(flows, sex="total")
    jp, fo = pick(t, nationality="japanese")["movers"].sum(), pick(t, nationality="foreign")["movers"].sum()
    assert (jp, fo) == (2_148_329, 367_402)
    assert jp + fo == pick(t, nationality="total")["movers"].sum() == 2_515_731


def test_male_plus_female_every_pair(flows):
    w = flows.pivot_table(index=["origin_code", "dest_code", "nationality"], columns="sex", values="movers",
                          aggfunc="sum")
    assert len(w) == 47 * 46 * 3
    assert (w["total"] == w["male"] + w["female"]).all()


def test_japanese_plus_foreign_every_pair(flows):
    w = flows.pivot_table(index=["origin_code", "dest_code", "sex"], columns="nationality", values="movers",
                          aggfunc="sum")
    assert (w["total"] == w["japanese"] + w["foreign"]).all()


def test_long_csv_agrees_with_workbook_reader_for_every_prefecture_pair(flows, od_dir):
    long = pd.read_csv(od_dir / OD_LONG, dtype={"origin_code": str, "dest_code": str, "nationality_code": str})
    long = long[long["origin_code"].isin(PREFS) & long["dest_code"].isin(PREFS)
                & (long["origin_code"] != long["dest_code"])]
    long = long.assign(nationality=long["nationality_code"].map(od.NATIONALITY), sex=long["sex"].map(od.SEX))
    keys = ["origin_code", "dest_code", "nationality", "sex"]
    both = flows.merge(long[keys + ["movers"]], on=keys, how="outer", suffixes=("", "_csv"), indicator=True)
    assert (both["_merge"] == "both").all() and len(both) == 19_458
    assert (both["movers"] == both["movers_csv"]).all()


# ================================================================ 2025: metro areas and major cities

def test_partner_rows_use_our_codes(partners):
    codes = set(partners["origin_code"]) | set(partners["dest_code"])
    assert {"G_TOKYO", "G_NAGOYA", "G_OSAKA", "13100", "40130", "01100", "00000"} <= codes
    assert not codes & {"48000", "49000", "50000", "00100", "80000"}
    assert codes <= {"00000", *PREFS, "G_TOKYO", "G_NAGOYA", "G_OSAKA", *od.MAJOR_CITIES}
    special = {"G_TOKYO", "G_NAGOYA", "G_OSAKA", *od.MAJOR_CITIES}
    assert (partners["origin_code"].isin(special) | partners["dest_code"].isin(special)).all()
    assert partners["movers"].notna().all()  # '-' (not applicable) cells are left out


@pytest.mark.parametrize("origin, dest, movers", [
    ("40130", "13000", None),          # 福岡市 -> 東京都, checked against the long CSV below
    ("40130", "40000", 22_299),        # 福岡市 -> rest of 福岡県 (moves within the prefecture)
    ("40000", "40130", 24_235),
    ("13100", "13000", 51_321),        # 特別区部 -> rest of 東京都
    ("G_TOKYO", "01000", 24_116),      # 東京圏 -> 北海道
    ("01000", "G_TOKYO", 29_029),
    ("01100", "00000", 48_548),        # all out-movers of 札幌市
    ("40130", "40100", 3_160),         # 福岡市 -> 北九州市
])
def test_partner_figures(partners, od_dir, origin, dest, movers):
    hit = pick(partners, origin_code=origin, dest_code=dest, nationality="total", sex="total")
    assert len(hit) == 1
    if movers is None:
        long = pd.read_csv(od_dir / OD_LONG, dtype=str)
        movers = int(pick(long, origin_code=origin, dest_code=dest, nationality_code="60000", sex="総数")["movers"].iat[0])
    assert hit["movers"].iat[0] == movers


def test_partner_rows_kept_out_of_the_matrix(flows, partners):
    assert flows["origin_code"].isin(PREFS).all() and not partners.empty
    assert not (partners["origin_code"].isin(PREFS) & partners["dest_code"].isin(PREFS)).any()


# ================================================================ 2021 net flows by age

def test_net_published_totals(net):
    t = pick(net, partner_code="00000", sex="total", age_group="total")
    got = {(a, n): v for a, n, v in zip(t["area_code"], t["nationality"], t["net_movers"])}
    assert got[("13000", "total")] == 5_433 and got[("13000", "japanese")] == 10_815
    assert (got[("40000", "total")], got[("40000", "japanese")], got[("40000", "foreign")]) == (5_792, 7_691, -1_899)


def test_net_shape_and_codes(net):
    assert list(net.columns) == od.NET_COLUMNS
    assert set(net["period"]) == {"CY2021"} and set(net["source_id"]) == {"idou_2021_net_age"}
    assert set(net["age_group"]) == {"total", "90+", *(f"{a}-{a + 4}" for a in range(0, 90, 5))}
    focal = set(net["area_code"])
    assert focal == {*PREFS, "G_TOKYO", "G_NAGOYA", "G_OSAKA", *od.MAJOR_CITIES}  # 21大都市計 left out
    assert set(net["partner_code"]) == focal | {"00000"}
    assert not (net["area_code"] == net["partner_code"]).any()
    # 72 focal areas in the file, minus 21大都市計 = 71; partners 73 minus 21大都市計 minus itself = 71
    assert len(net) == 71 * 71 * 3 * 3 * 20
    assert not net.duplicated(od.NET_FLOWS_KEYS).any()


def test_net_vs_nation_equals_sum_over_prefecture_partners(net):
    """For every prefecture, nationality, sex and age: net vs 全国 = Σ net vs the other 46 prefectures.

    Holds exactly in the published table, so 全国 here does not include moves from/to abroad (those are not
    in the report's internal-migration figures) nor a 不詳 origin.
    """
    keys = ["area_code", "nationality", "sex", "age_group"]
    p = net[net["area_code"].isin(PREFS)]
    nation = p[p["partner_code"] == "00000"].set_index(keys)["net_movers"]
    summed = p[p["partner_code"].isin(PREFS)].groupby(keys)["net_movers"].sum()
    assert len(nation) == 47 * 3 * 3 * 20
    assert (nation == summed.reindex(nation.index)).all()


def test_net_is_antisymmetric_between_prefectures(net):
    p = net[net["area_code"].isin(PREFS) & net["partner_code"].isin(PREFS)]
    keys = ["nationality", "sex", "age_group"]
    a = p.set_index(["area_code", "partner_code", *keys])["net_movers"]
    b = p.set_index(["partner_code", "area_code", *keys])["net_movers"]
    b.index = b.index.set_names(a.index.names)
    assert (a == -b.reindex(a.index)).all()


def test_net_sexes_and_nationalities_add_up(net):
    keys = ["area_code", "partner_code", "age_group"]
    w = net.pivot_table(index=keys + ["nationality"], columns="sex", values="net_movers", aggfunc="sum")
    assert (w["total"] == w["male"] + w["female"]).all()
    w = net.pivot_table(index=keys + ["sex"], columns="nationality", values="net_movers", aggfunc="sum")
    assert (w["total"] == w["japanese"] + w["foreign"]).all()


def test_net_age_groups_sum_to_total_within_three(net):
    """The published 総数 age column is not always the sum of the 19 age groups.

    In 146 of the file's 15,768 rows (sex 総数) it differs by 1–3 persons; we keep the published 総数 as
    age_group 'total'. The residual behaves like movers of unknown age: it is antisymmetric and its sum over
    prefecture partners is the residual against 全国.
    """
    keys = ["area_code", "partner_code", "nationality", "sex"]
    total = net[net["age_group"] == "total"].set_index(keys)["net_movers"]
    ages = net[net["age_group"] != "total"].groupby(keys)["net_movers"].sum()
    resid = total - ages.reindex(total.index)
    assert resid.abs().max() <= 3
    share = (resid != 0).mean()
    assert 0 < share < 0.02
    p = resid[resid.index.get_level_values("area_code").isin(PREFS)]
    nation = p[p.index.get_level_values("partner_code") == "00000"].droplevel("partner_code")
    summed = p[p.index.get_level_values("partner_code").isin(PREFS)].groupby(["area_code", "nationality", "sex"]).sum()
    assert (nation == summed.reindex(nation.index)).all()


# ================================================================ folder, sources, codes known to the database

def test_load_folder(folder_tables, flows, partners):
    t = folder_tables
    assert set(t) == {"migration_flows", "migration_net_flows", "sources", "area_groups"}
    assert len(t["migration_flows"]) == len(flows) + len(partners)
    assert not t["migration_flows"].duplicated(["origin_code", "dest_code", "period", "nationality", "sex", "age_group",
                                                "source_id"]).any()
    assert set(t["sources"]["source_id"]) == {"idou_2025_table2", "idou_2021_net_age"}
    src = t["sources"].set_index("source_id")
    assert "000040407039" in src.at["idou_2025_table2", "table_id"]
    assert "000032163826" in src.at["idou_2021_net_age", "table_id"]
    assert src["licence"].str.contains("政府標準利用規約（第2.0版）").all()
    assert src["publisher"].eq("総務省統計局").all()
    g = t["area_groups"]
    assert set(g["group_code"]) == {"13100"} and sorted(g["area_code"]) == [f"131{i:02d}" for i in range(1, 24)]


def test_every_code_is_an_area_or_group(folder_tables, juki_tables):
    from loaders import areas as areas_mod

    known = set(areas_mod.build_areas(juki_tables.area_names)["area_code"])
    known |= set(areas_mod.area_groups()["group_code"]) | set(folder_tables["area_groups"]["group_code"])
    f, n = folder_tables["migration_flows"], folder_tables["migration_net_flows"]
    used = set(f["origin_code"]) | set(f["dest_code"]) | set(n["area_code"]) | set(n["partner_code"])
    assert used <= known, sorted(used - known)
    assert "13100" not in set(areas_mod.build_areas(juki_tables.area_names)["area_code"])  # why it is a group


def test_missing_files_give_empty_frames(tmp_path):
    t = od.load_folder(tmp_path)
    assert all(f.empty for f in t.values())
    assert list(t["migration_flows"].columns) == od.FLOW_COLUMNS
    assert list(t["migration_net_flows"].columns) == od.NET_COLUMNS
    assert od.load_folder(tmp_path / "absent")["migration_flows"].empty


def test_net_flows_table_in_schema_matches_the_loader():
    import duckdb

    from loaders.build import SCHEMA

    con = duckdb.connect()
    con.execute(SCHEMA.read_text(encoding="utf-8"))
    assert [r[0] for r in con.execute("DESCRIBE migration_net_flows").fetchall()] == od.NET_COLUMNS


# ================================================================ bad inputs

@pytest.fixture(scope="module")
def od_rows(od_dir: Path) -> list[list]:
    wb = openpyxl.load_workbook(od_dir / OD_XLSX, read_only=True, data_only=True)
    rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    wb.close()
    return rows


def write_xlsx(rows: list[list], path: Path) -> Path:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("a002")
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def od_error(path: Path) -> LoaderError:
    with pytest.raises(LoaderError) as info:
        od.read_od_workbook(path)
    err = info.value
    assert err.file == str(path)
    return err


def find_row(rows, nat: int, code: str) -> int:
    """0-based index of the data row for nationality code `nat` and origin `code`."""
    return next(i for i, r in enumerate(rows) if r[1] == nat and str(r[5]).zfill(5) == code)


def find_col(rows, dest: str, sex: str) -> int:
    return next(j for j in range(7, len(rows[4])) if rows[4][j] == dest and rows[5][j] == sex)


def test_rewritten_workbook_reads_the_same(tmp_path, od_rows, flows):
    got = od.read_od_workbook(write_xlsx(od_rows, tmp_path / OD_XLSX))
    pd.testing.assert_frame_equal(got, flows)


def test_truncated_xlsx(tmp_path, od_dir):
    path = tmp_path / OD_XLSX
    data = (od_dir / OD_XLSX).read_bytes()
    path.write_bytes(data[: len(data) // 2])
    err = od_error(path)
    assert "truncated" in err.problem_en and "途中" in err.problem_ja


def test_column_header_row_missing(tmp_path, od_rows):
    rows = [r for i, r in enumerate(od_rows) if i != 6]
    err = od_error(write_xlsx(rows, tmp_path / "x.xlsx"))
    assert (err.sheet, err.row, err.column) == ("a002", 1, "A") and "国籍コード" in err.problem_ja


def test_sex_header_row_missing(tmp_path, od_rows):
    rows = [r for i, r in enumerate(od_rows) if i != 5]
    err = od_error(write_xlsx(rows, tmp_path / "x.xlsx"))
    assert (err.sheet, err.row, err.column) == ("a002", 6, "H") and "総数" in err.problem_ja


def test_destination_header_row_missing(tmp_path, od_rows):
    rows = [r for i, r in enumerate(od_rows) if i != 4]
    err = od_error(write_xlsx(rows, tmp_path / "x.xlsx"))
    assert err.row == 5 and err.column == "H" and "全国" in err.problem_ja


def test_merged_destination_cells_are_carried_forward(tmp_path, od_rows, flows):
    rows = [list(r) for r in od_rows]
    for j in range(7, len(rows[4])):
        if rows[5][j] != "総数":
            rows[4][j] = None  # as a merged cell reads: only its first cell holds the name
    got = od.read_od_workbook(write_xlsx(rows, tmp_path / "x.xlsx"))
    pd.testing.assert_frame_equal(got, flows)


def test_dash_in_a_normal_cell_is_na_not_an_error(tmp_path, od_rows):
    rows = [list(r) for r in od_rows]
    i, j = find_row(rows, 61000, "45000"), find_col(rows, "山形県", "女")
    assert rows[i][j] == 0  # a published zero, so the row totals still add up
    rows[i][j] = "-"
    got = od.read_od_workbook(write_xlsx(rows, tmp_path / "x.xlsx"))
    cell = pick(got, origin_code="45000", dest_code="06000", nationality="japanese", sex="female")
    assert len(cell) == 1 and pd.isna(cell["movers"].iat[0])
    assert got["movers"].isna().sum() == 1


def test_unknown_origin_code(tmp_path, od_rows):
    rows = [list(r) for r in od_rows]
    i = find_row(rows, 60000, "13000")
    rows[i][5] = "99000"
    err = od_error(write_xlsx(rows, tmp_path / "x.xlsx"))
    assert (err.sheet, err.row, err.column) == ("a002", i + 1, "F") and "99000" in err.problem_ja


def test_non_numeric_cell(tmp_path, od_rows):
    rows = [list(r) for r in od_rows]
    i, j = find_row(rows, 60000, "11000"), find_col(rows, "東京都", "男")
    rows[i][j] = "34,1x9"
    err = od_error(write_xlsx(rows, tmp_path / "x.xlsx"))
    assert (err.row, err.column) == (i + 1, "AV (東京都/male)") and "34,1x9" in err.problem_ja


def test_negative_count(tmp_path, od_rows):
    rows = [list(r) for r in od_rows]
    i, j = find_row(rows, 62000, "40000"), find_col(rows, "佐賀県", "女")
    rows[i][j] = -5
    err = od_error(write_xlsx(rows, tmp_path / "x.xlsx"))
    assert err.row == i + 1 and err.column.startswith(openpyxl.utils.get_column_letter(j + 1)) and "負" in err.problem_ja


def test_edited_cell_breaks_the_national_column(tmp_path, od_rows):
    rows = [list(r) for r in od_rows]
    i, j = find_row(rows, 60000, "11000"), find_col(rows, "東京都", "総数")
    rows[i][j] = 66_160
    err = od_error(write_xlsx(rows, tmp_path / "x.xlsx"))
    assert err.row == i + 1 and err.column == "H (全国/total)" and "全国" in err.problem_ja


def test_half_written_file_missing_rows(tmp_path, od_rows):
    cut = find_row(od_rows, 60000, "47000")
    rows = od_rows[:cut]  # the file ends before 沖縄県
    err = od_error(write_xlsx(rows, tmp_path / "x.xlsx"))
    assert "47000" in err.problem_en and err.row == cut + 1


# ---------------------------------------------------------------- 2021 net CSV

@pytest.fixture(scope="module")
def net_lines(od_dir: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO((od_dir / NET_CSV).read_text(encoding="utf-8-sig"))))


def write_csv(lines: list[list[str]], path: Path) -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(lines)
    path.write_text(buf.getvalue(), encoding="utf-8-sig")
    return path


def net_error(path: Path) -> LoaderError:
    with pytest.raises(LoaderError) as info:
        od.read_net_od_csv(path, year=2021)
    assert info.value.file == str(path)
    return info.value


def test_net_cp932_copy_reads_the_same(tmp_path, od_dir, net):
    path = tmp_path / NET_CSV
    path.write_bytes((od_dir / NET_CSV).read_text(encoding="utf-8-sig").encode("cp932"))
    pd.testing.assert_frame_equal(od.read_net_od_csv(path), net)


def test_net_age_header_missing(tmp_path, net_lines):
    err = net_error(write_csv(net_lines[1:], tmp_path / "n.csv"))
    assert (err.row, err.column) == (1, "A")


def test_net_non_numeric(tmp_path, net_lines):
    lines = [list(r) for r in net_lines]
    lines[10][9] = "１２x"
    err = net_error(write_csv(lines, tmp_path / "n.csv"))
    assert err.row == 11 and err.column == "J (10歳～14歳)"


def test_net_unknown_code(tmp_path, net_lines):
    lines = [list(r) for r in net_lines]
    lines[5][4] = "99000"
    err = net_error(write_csv(lines, tmp_path / "n.csv"))
    assert err.row == 6 and err.column == "移動前・移動後の住所地コード"


def test_net_total_not_male_plus_female(tmp_path, net_lines):
    lines = [list(r) for r in net_lines]
    lines[7][6] = str(int(lines[7][6]) + 1)
    err = net_error(write_csv(lines, tmp_path / "n.csv"))
    assert err.row == 8 and err.column == "G (総数)"


def test_net_year_from_file_name(tmp_path, net_lines):
    with pytest.raises(LoaderError) as info:
        od.read_net_od_csv(write_csv(net_lines, tmp_path / "net.csv"))
    assert "YYYY" in info.value.problem_en
