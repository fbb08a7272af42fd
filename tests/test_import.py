"""Import of official files into the user database: layouts as published, a corpus of bad files each refused with
file/row/column in both languages, transactions, and the explorer round trip (CSV and xlsx out, back in, same values)."""
from __future__ import annotations

import gzip

import pandas as pd
import pytest

from loaders import importer
from loaders.errors import LoaderError
from loaders.importer_read import parse
from store import user as user_store
from store.sqlfiles import text as sql
from store.official import open_readonly
from tests.bad_input.corpus import xlsx
from tests.conftest import REPO
from ui.download import csv_bytes, xlsx_bytes

HEAD = "tab_code,表章項目,cat01_code,男女別,area_code,地域,time_code,時間軸（年）,unit,value"


def estat(*rows: str, head: str = HEAD) -> bytes:
    """An e-Stat code-layout CSV (UTF-8) with the given data lines."""
    return ("\n".join([head, *rows]) + "\n").encode("utf-8")


def row(area="40203", name="久留米市", time="2020年", sex="男女計", value="303,316", unit="人", item="人口"):
    sex_code = {"男女計": "000", "男": "001", "女": "002"}.get(sex, "009")
    return f"001,{item},{sex_code},{sex},{area},{name},2020000000,{time},{unit},\"{value}\""


def table_form(lines: list[list[str]]) -> bytes:
    return ("\n".join(",".join(f'"{c}"' for c in r) for r in lines) + "\n").encode("cp932")




@pytest.fixture()
def user_db(tmp_path, monkeypatch):
    path = tmp_path / "user" / "imports.duckdb"
    monkeypatch.setenv("POPDASH_USER_DB", str(path))
    return path


def check(name, data, known, options=None):
    return importer.read_and_prepare(name, data, known, options)[1]


# ---------------------------------------------------------------- the corpus of bad files

_VALID = estat(row(), row(sex="男", value="144,000"))

BAD_FILES = [
    # (id, file name, bytes, expected row, expected column (substring) or None, words in ja, words in en)
    ("wrong_encoding_euc_jp", "euc.csv", estat(row()).decode().encode("euc_jp"), 1, None, "文字コード", "encoding"),
    ("utf16", "utf16.csv", estat(row()).decode().encode("utf-16"), None, None, "UTF-16", "UTF-16"),
    ("binary_not_a_table", "image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), None, None,
     "CSV", "neither"),
    ("empty", "empty.csv", b"", None, None, "空", "empty"),
    ("blank_lines_only", "blank.csv", b"\r\n  \r\n", None, None, "空", "empty"),
    ("header_only", "header.csv", estat(), 2, None, "見出し行だけ", "header only"),
    ("truncated_last_line", "cut.csv", estat(row(), row(sex="男")).rstrip(b"\n")[:-25], 3, "H", "途中で切れて",
     "truncated"),
    ("truncated_gzip", "cut.csv.gz", gzip.compress(_VALID)[:-12], None, None, "途中で切れて", "truncated"),
    ("truncated_xlsx", "cut.xlsx", xlsx([["a", "b"], [1, 2]])[:400], None, None, "Excel", "truncated"),
    ("truncated_xls", "cut.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, None, None, "xls", "truncated"),
    ("unterminated_quote", "quote.csv", estat(row()) + b'001,\xe4\xba\xba\xe5\x8f\xa3,000,"cut', 3, None, "引用符",
     "quote"),
    ("unknown_area_code", "code.csv", estat(row(), row(area="99999", name="架空市")), 3, "E (地域 コード)",
     "不明な地域コード「99999」", "unknown area code '99999'"),
    ("unknown_area_name", "name2020.csv", table_form([["", "", "/表章項目", "人口【人】", "人口【人】"],
                                                     ["国籍", "地域", "/性別", "男", "女"],
                                                     ["日本人", "久留米市", "", "1", "2"],
                                                     ["日本人", "架空市", "", "1", "2"]]),
     4, "B (地域)", "架空市", "not in the areas table"),
    ("duplicated_key", "dup.csv", estat(row(), row(sex="男"), row()), 4, "J (value)", "2回", "twice"),
    ("heisei31_and_reiwa1_same_year", "era_dup.csv", estat(row(time="平成31年"), row(time="令和元年")), 3, "J",
     "平成31年と令和元年", "same year"),
    ("heisei32_does_not_exist", "h32.csv", estat(row(time="平成32年")), 2, "H (時間軸(年))", "平成32年は令和2年",
     "does not exist"),
    ("reiwa1_before_may", "r1.csv", estat(row(time="令和元年4月1日現在")), 2, "H", "令和は2019年5月1日から", "does not exist"),
    ("showa_zero", "s0.csv", estat(row(time="令和0年")), 2, "H", "令和0年はありません", "does not exist"),
    ("mixed_units", "units.csv", estat(row(), row(sex="男", unit="千人", value="144")), 3, "unit", "単位が混在",
     "mixed units"),
    ("unit_not_a_count", "pct.csv", estat(row(unit="％", value="51.2")), 2, "unit", "換算できません", "cannot be converted"),
    ("formula_in_csv_cell", "formula.csv", estat(row(), row(sex="男", value="=SUM(J2:J2)")), 3, "J", "数式",
     "formula"),
    ("formula_in_label", "formula2.csv", estat(row(name="@HYPERLINK(x)")), 2, "F", "数式", "formula"),
    ("formula_in_xlsx", "formula.xlsx", xlsx([["area_code", "ref_date", "persons"], ["40203", "2022-01-01", 5],
                                              ["40212", "2022-01-01", "=B2*2"]]), 3, "C", "数式のセル", "formula"),
    ("huge_number", "huge.csv", estat(row(value="99,999,999,999")), 2, "J", "大きすぎます", "too large"),
    ("huge_after_unit", "huge2.csv", estat(row(value="2,000,000", unit="千人")), 2, "J", "大きすぎます", "too large"),
    ("negative_count", "neg.csv", estat(row(value="△5")), 2, "J", "負の値", "negative"),
    ("not_a_number", "nan.csv", estat(row(value="12a")), 2, "J", "数値ではない", "not a number"),
    ("fraction_of_a_person", "frac.csv", estat(row(value="12.5")), 2, "J", "整数", "whole"),
    ("unknown_sex", "sex.csv", estat(row(sex="両性")), 2, "D (男女別)", "性別の区分「両性」", "unknown sex"),
    ("period_not_fy_or_cy", "span.csv", estat(row(item="出生児数", time="2023年10月～2024年9月", value="5")), 2, "H",
     "年度（4月〜翌3月）でも暦年", "neither a fiscal"),
    ("unknown_layout", "other.csv", "名前,値段,個数\nりんご,100,3\n".encode(), 1, None, "形式を判別できません",
     "cannot tell the layout"),
    ("no_importable_measure", "ratio.csv", estat(row(item="人口性比", value="94.1")), 2, None, "取り込める項目がありません",
     "nothing to import"),
    ("tidy_unknown_nationality", "t1.csv",
     b"area_code,ref_date,nationality,persons\n40203,2022-01-01,total,5\n40203,2022-01-01,martian,6\n", 3,
     "C (nationality)", "区分「martian」", "unknown category"),
    ("tidy_duplicated_key", "t2.csv",
     b"area_code,ref_date,nationality,persons\n40203,2022-01-01,total,5\n40212,2022-01-01,total,6\n40203,2022-01-01,total,7\n",
     4, "A (area_code)", "重複", "duplicated key"),
    ("tidy_unknown_code", "t3.csv", b"area_code,ref_date,persons\n4O2O3,2022-01-01,5\n", 2, "A (area_code)",
     "不明な地域コード", "unknown area code"),
    ("tidy_bad_date", "t4.csv", b"area_code,ref_date,persons\n40203,2022-13-45,5\n", 2, "B (ref_date)", "読めません",
     "cannot read"),
    ("tidy_too_many_cells", "t5.csv", b"area_code,ref_date,persons\n40203,2022-01-01,5,extra\n", 2, "D",
     "列の数が見出しより多く", "more columns"),
]


@pytest.mark.parametrize("case", BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_file_refused_with_file_row_and_column(case, known):
    _, name, data, row_no, column, ja, en = case
    with pytest.raises(LoaderError) as info:
        check(name, data, known)
    exc = info.value
    assert exc.file == name
    assert exc.row == row_no, exc.message("ja")
    if column is not None:
        assert exc.column and exc.column.startswith(column), exc.message("ja")
    assert ja in exc.message("ja"), exc.message("ja")
    assert en in exc.message("en"), exc.message("en")
    # the message leads with where: file, row, column in the user's language
    if row_no is not None:
        assert f"{row_no}行目" in exc.message("ja") and f"row {row_no}" in exc.message("en")


def test_corpus_size():
    assert len(BAD_FILES) >= 20


# ---------------------------------------------------------------- what is accepted

def test_estat_code_layout_cp932_with_thousands_unit_and_wareki(known):
    text = "\n".join([
        '"tab_code","表章項目","cat01_code","男女別","area_code","全国・都道府県","time_code","時間軸（年）","unit","value"',
        '"001","人口","000","男女計","40000","福岡県","2019000000","令和元年","千人","5,104"',
        '"001","人口","001","男","40000","福岡県","2019000000","R1","千人","2,412.3"',
        '"001","人口","002","女","40000","福岡県","2019000000","平成31年","千人","2,691.7"',
        '"001","人口","000","男女計","40000","福岡県","2018000000","H30","千人","5,107"',
        '"001","人口","000","男女計","00000","全国","2018000000","H30","千人","…"',
    ]) + "\r\n"
    parsed, prep = importer.read_and_prepare("FEH_00200524.csv", text.encode("cp932"), known)
    assert (parsed.layout, parsed.encoding) == ("estat_code", "cp932")
    pop = prep.tables["population"].set_index(["area_code", "ref_date", "sex"])["persons"]
    day = pd.Timestamp("2019-10-01").date()
    assert pop[("40000", day, "total")] == 5_104_000
    assert pop[("40000", day, "male")] == 2_412_300 and pop[("40000", day, "female")] == 2_691_700
    assert pop[("40000", pd.Timestamp("2018-10-01").date(), "total")] == 5_107_000
    assert pd.isna(pop[("00000", pd.Timestamp("2018-10-01").date(), "total")])  # '…' = missing, kept as NULL
    assert set(prep.tables["population"]["basis"]) == {"estimate"}  # 00200524 = 人口推計 → basis, 10-01
    assert {"basis", "ref_day"} <= prep.options_used


def test_utf8_bom_and_missing_marks(known):
    rows = [row(value=v, sex=s) for v, s in (("-", "男女計"), ("x", "男"), ("***", "女"))]
    parsed, prep = importer.read_and_prepare("bom.csv", b"\xef\xbb\xbf" + estat(*rows), known)
    assert parsed.encoding == "utf-8-sig"
    assert prep.tables["population"]["persons"].isna().all()


def test_estat_table_layout_multiline_header(known):
    lines = [["統計名：", "住民基本台帳に基づく人口"], ["表題：", "年齢別人口"], [],
             ["", "", "", "/表章項目", "人口【人】", "人口【人】", "人口【人】", "人口【人】"],
             ["", "", "", "/性別", "男", "男", "女", "女"],
             ["時間軸（年次）", "地域 コード", "地域", "/年齢", "0～4歳", "90歳以上", "0～4歳", "90歳以上"],
             ["令和4年1月1日現在", "40203", "久留米市", "", "6,100", "1,200", "5,800", "3,900"],
             ["令和4年1月1日現在", "40212", "大川市", "", "600", "x", "550", "420"],
             ["注）x は秘匿"]]
    data = "\n".join(",".join(f'"{c}"' for c in r) for r in lines).encode("cp932")
    parsed, prep = importer.read_and_prepare("juki_age.csv", data, known)
    assert parsed.layout == "estat_table" and parsed.header_row == 6
    assert [d.name for d in parsed.dims if d.kind == "col"] == ["表章項目", "性別", "年齢"]
    pop = prep.tables["population"].set_index(["area_code", "sex", "age_group"])["persons"]
    assert pop[("40203", "female", "90+")] == 3_900 and pop[("40203", "male", "0-4")] == 6_100
    assert pd.isna(pop[("40212", "male", "90+")])
    assert set(prep.tables["population"]["ref_date"].astype(str)) == {"2022-01-01"}
    assert set(prep.tables["population"]["basis"]) == {"juki"}  # from the title line


def test_plain_csv_with_japanese_headings_and_wareki_years(known):
    data = "団体コード,年,人口\r\n40203,令和2年,\"303,316\"\r\n1000,2020,\"5,224,614\"\r\n".encode("cp932")
    parsed, prep = importer.read_and_prepare("plain.csv", data, known, importer.Options("census", "10-01"))
    assert (parsed.layout, parsed.encoding) == ("tidy", "cp932")
    pop = prep.tables["population"]
    assert pop["area_code"].tolist() == ["40203", "01000"]  # Excel drops the leading zero of 01000 (北海道)
    assert pop["ref_date"].astype(str).tolist()[0] == "2020-10-01" and set(pop["basis"]) == {"census"}
    assert pop["persons"].tolist()[0] == 303_316 and prep.options_used == {"basis", "ref_day"}


def test_negative_marks_in_signed_measure(known):
    data = ("area_code,period,nationality,sex,age_group,net_movers\n"
            "40203,CY2021,japanese,total,15-19,△43\n40203,CY2021,japanese,total,20-24,▲206\n"
            "40203,CY2021,japanese,total,25-29,-186\n40203,令和2年,japanese,total,25-29,12\n").encode()
    prep = check("youth.csv", data, known)
    t = prep.tables["youth_net_migration"].set_index(["period", "age_group"])["net_movers"]
    assert t[("CY2021", "15-19")] == -43 and t[("CY2021", "20-24")] == -206 and t[("CY2021", "25-29")] == -186
    assert t[("CY2020", "25-29")] == 12


def test_aggregates_are_skipped_and_listed(known):
    lines = [["", "", "/表章項目", "転入超過数【人】"], ["", "", "/性別", "総数"], ["国籍", "地域", "/年齢", "15～19歳"],
             ["日本人移動者", "福岡県市部", "", "1,000"], ["日本人移動者", "久留米市", "", "-43"],
             ["日本人移動者", "三井郡", "", "-5"]]
    prep = check("pop_move2021.csv", table_form(lines), known)
    assert prep.tables["youth_net_migration"]["area_code"].tolist() == ["40203"]
    assert prep.tables["youth_net_migration"]["period"].tolist() == ["CY2021"]  # year from the file name
    assert set(prep.skipped["reason"]) == {"aggregate"} and len(prep.skipped) == 2


# ---------------------------------------------------------------- official files as published (raw folder)

def test_official_estat_downloads(raw_dir, national_db):
    con = open_readonly(national_db)
    known = con.execute(sql("explorer_names")).df()
    youth = con.execute("SELECT area_code, sex, age_group, net_movers FROM youth_net_migration "
                        "WHERE period = 'CY2021'").df().set_index(["area_code", "sex", "age_group"])["net_movers"]
    con.close()
    folder = raw_dir / "prefecture_population_estimates"
    _, p = importer.read_and_prepare("estat_0004026264.csv", (folder / "estat_0004026264.csv").read_bytes(), known)
    pop = p.tables["population"].set_index(["area_code", "ref_date", "nationality", "sex"])["persons"]
    assert pop[("40000", pd.Timestamp("2024-10-01").date(), "total", "total")] == 5_091_862
    assert set(p.skipped["what"]) >= {"人口及び人口増減: 自然増減", "人口及び人口増減: 社会増減"}
    data = (folder / "original_cp932" / "FEH_00200524_260204055744.csv").read_bytes()
    parsed, p = importer.read_and_prepare("FEH_00200524_260204055744.csv", data, known)
    assert parsed.encoding == "cp932"
    pop = p.tables["population"].set_index(["area_code", "ref_date", "nationality", "sex"])["persons"]
    assert pop[("40000", pd.Timestamp("2020-10-01").date(), "total", "total")] == 5_135_000  # 千人 × 1,000
    data = (raw_dir / "municipal_youth_net_migration" / "pop_move2021.csv").read_bytes()
    parsed, p = importer.read_and_prepare("pop_move2021.csv", data, known)
    assert (parsed.layout, parsed.encoding) == ("estat_table", "cp932")
    y = p.tables["youth_net_migration"].set_index(["area_code", "sex", "age_group"])["net_movers"]
    assert y[("40203", "total", "15-19")] == -43
    common = y.index.intersection(youth.index)
    assert len(common) > 2_000 and (y[common] == youth[common]).all()  # same figures as the build's own loader


def test_official_juki_workbook(juki_dir, national_db):
    con = open_readonly(national_db)
    known = con.execute(sql("explorer_names")).df()
    con.close()
    data = (juki_dir / "original_2022" / "2203ssjin.xlsx").read_bytes()
    parsed, p = importer.read_and_prepare("2203ssjin.xlsx", data, known)
    assert parsed.layout == "juki_workbook"
    v = p.tables["vital_events"].set_index(["area_code", "period"])
    assert (v.loc[("40203", "CY2021"), "births"], v.loc[("40203", "CY2021"), "deaths"]) == (2_371, 3_396)
    assert set(p.tables) == {"population", "households", "vital_events", "migration_totals"}


# ---------------------------------------------------------------- the user database: transactions

def test_append_is_transactional_and_keeps_earlier_imports(known, user_db, monkeypatch):
    first = check("a.csv", estat(row(), row(sex="男", value="144,000")), known)
    src = {"publisher": "総務省統計局", "title": "人口推計", "retrieved": "2025-04-14"}
    assert importer.append(first, src) == 1
    # the same rows again: refused, naming the row and the earlier import, nothing added
    with pytest.raises(LoaderError) as info:
        importer.append(check("a2.csv", estat(row()), known), src)
    assert "#1" in info.value.message("ja") and info.value.row == 2
    # a failure half-way (after the first table is written) rolls everything back
    two = check("b.csv", estat(row(area="40212", name="大川市", value="33,000"),
                               row(item="出生児数", time="2021年", value="200", area="40212", name="大川市")), known)
    assert set(two.tables) == {"population", "vital_events"}
    from loaders.importer import userstore

    real = userstore._insert
    calls = []

    def flaky(con, table, frame, import_id, file):
        calls.append(table)
        real(con, table, frame, import_id, file)
        if len(calls) == 2:
            raise RuntimeError("disk full")

    monkeypatch.setattr(userstore, "_insert", flaky)
    with pytest.raises(RuntimeError):
        importer.append(two, src)
    monkeypatch.setattr(userstore, "_insert", real)
    with user_store.default().reading() as con:
        assert con.execute("SELECT count(*) FROM population").fetchone()[0] == 2
        assert con.execute("SELECT count(*) FROM vital_events").fetchone()[0] == 0
        assert con.execute("SELECT list(import_id) FROM imports").fetchone()[0] == [1]
        assert con.execute("SELECT DISTINCT source_id FROM population").fetchall() == [("user_1",)]
    assert importer.append(two, src) == 2
    hist = importer.list_imports()
    assert hist["file_name"].tolist() == ["a.csv", "b.csv"] and hist["retrieved"].tolist() == ["2025-04-14"] * 2
    assert importer.delete_import(1) == 2
    assert importer.list_imports()["import_id"].tolist() == [2]


def test_retrieval_date_required(known, user_db):
    with pytest.raises(LoaderError) as info:
        importer.append(check("a.csv", estat(row()), known), {"publisher": "x", "title": "y", "retrieved": ""})
    assert "取得日" in info.value.message("ja")
    assert not user_db.exists() or importer.list_imports().empty


def test_user_database_is_not_the_official_one(user_db):
    from store import official

    assert user_store.default().path == user_db
    assert user_store.default().path.resolve() != official.database_path().resolve()
    assert "data/user/" in (REPO / ".gitignore").read_text()


# ---------------------------------------------------------------- round trip through the explorer's downloads

@pytest.mark.parametrize("table, filters", [
    ("population", (("area", ("40203", "40212")), ("nationality", ("total", "foreign")))),
    ("vital_events", (("area", ("40203",)),)),  # two sources (official and the city's), FY and CY
    ("youth_net_migration", (("area", ("40203", "40000")),)),  # negative figures
])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_gives_identical_values(bundled_db, known, user_db, monkeypatch, table, filters, fmt):
    monkeypatch.setenv("POPDASH_DB", str(bundled_db))
    from queries import explorer as ex

    out = ex.rows("official", table, filters, 100_000)
    assert len(out) > 10
    data = csv_bytes(out) if fmt == "csv" else xlsx_bytes(out, [("表", table)], ex.sources("official", out["source_id"]))
    parsed, prep = importer.read_and_prepare(f"{table}.{fmt}", data, known)
    assert parsed.layout == "tidy" and list(prep.tables) == [table]
    back = prep.tables[table].rename(columns={"orig_source_id": "source_id"})
    spec = importer.TARGETS[table]
    keys = [*spec.keys, "source_id"]
    cols = [c for c in ex.TABLES[table].columns if c in back.columns]
    a = out[cols].sort_values(keys).reset_index(drop=True)
    b = back[cols].sort_values(keys).reset_index(drop=True)
    for m in spec.measures:
        if m in a:
            a[m] = a[m].astype("Int64")
            b[m] = b[m].astype("Int64")
    for c in ("ref_date", "period_end"):
        if c in a:
            a[c], b[c] = a[c].astype(str), b[c].astype(str)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)
    importer.append(prep, {"publisher": "test", "title": "round trip", "retrieved": "2025-01-01"})
    with user_store.default().reading() as con:
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == len(out)


def test_parse_keeps_the_grid_for_the_preview():
    p = parse("x.csv", estat(row()), importer.TIDY_COLUMNS)
    prev = p.preview()
    assert list(prev.columns[:3]) == ["A", "B", "C"] and prev.index[0] == 1
    assert prev.iat[1, 5] == "久留米市"
