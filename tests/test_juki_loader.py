"""住民基本台帳 loader: published workbooks vs. the CSV conversions, the 2013–2025 totals table, bad input.

Bad-input tests build small folders in tmp_path with the real file names and go through
`loaders.juki.load_folder`, the entry point the build uses, so the errors users see are the ones tested.
"""
from __future__ import annotations

import gzip
import io
from pathlib import Path

from store.official import open_readonly
import openpyxl
import pandas as pd
import pytest

from loaders import juki
from loaders.errors import LoaderError
from loaders.files import check_counts, read_csv_checked

TOTALS_CSV = "daicho_estat_municipal_total_japanese_foreign_2013_2025.csv"
DYN_CSV = "juki_dynamics_total_2013_2022.csv.gz"
AGE_CSV = "juki_age5_sex_total_2013_2022.csv.gz"


def has_japanese(text: str) -> bool:
    return any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in text)


# ================================================================ published workbooks == CSV conversions

WORKBOOKS = [
    ("2203ssjin.xlsx", "juki_dynamics_total_2013_2022.csv.gz", "dynamics", "total"),
    ("2211gsjin.xlsx", "juki_dynamics_foreign_2013_2022.csv.gz", "dynamics", "foreign"),
    ("2204ssnen.xlsx", "juki_age5_sex_total_2013_2022.csv.gz", "age", "total"),
    ("2212gsnen.xlsx", "juki_age5_sex_foreign_2013_2022.csv.gz", "age", "foreign"),
]


@pytest.mark.parametrize("workbook, csv, kind, table", WORKBOOKS, ids=[w[0] for w in WORKBOOKS])
def test_workbook_reader_equals_csv_cell_by_cell(juki_dir, workbook, csv, kind, table):
    reader = juki.read_dynamics_workbook if kind == "dynamics" else juki.read_age_workbook
    wb = reader(juki_dir / "original_2022" / workbook)
    assert (wb["ref_date"].unique().tolist(), wb["table"].unique().tolist()) == (["2022-01-01"], [table])
    c = read_csv_checked(juki_dir / csv, [], dtype={"code": str, "code5": str})
    c = c[(c["ref_date"] == "2022-01-01") & (c["table"] == table)].reset_index(drop=True)
    assert len(wb) == len(c) == (2278 if kind == "dynamics" else 3 * 2278)

    if kind == "dynamics":
        counts = juki.DYNAMICS_COUNTS + juki.DYNAMICS_SIGNED
        lead = ["code5", "pref_name", "muni_name"]
    else:
        counts = ["total"] + [a for a in juki.AGE_COLUMNS if a in wb.columns]
        assert len(counts) == 1 + 21  # 0-4 … 95-99, 100+
        lead = ["code5", "pref_name", "muni_name", "sex"]
    assert set(counts) <= set(wb.columns)
    for col in lead:
        assert wb[col].fillna("").tolist() == c[col].fillna("").tolist(), col
    check_counts(c, counts, csv, allow_negative=tuple(juki.DYNAMICS_SIGNED))
    for col in counts:
        w = pd.array(wb[col], dtype="Int64")
        v = c[col].array
        same = (w == v).fillna(False) | (pd.isna(w) & pd.isna(v))
        assert bool(same.all()), f"{workbook} column {col}: first difference at row {int((~same).argmax())}"
    # a few cells as printed, so the comparison cannot pass on two empty frames
    kurume = wb[wb["code5"] == "40203"]
    if (kind, table) == ("dynamics", "total"):
        assert kurume[["pop_total", "births", "deaths", "in_migrants", "out_migrants"]].iloc[0].tolist() == \
            [303052, 2371, 3396, 11617, 11946]
        assert wb.loc[0, ["pref_name", "pop_total"]].tolist() == ["合計", 125927902]
    if (kind, table) == ("age", "foreign"):
        yonaguni = c[(c["code5"] == "47382") & (c["sex"] == "計")].iloc[0]  # suppressed ('X') in the source
        assert yonaguni["total"] == 19 and pd.isna(yonaguni["age_0_4"])
        assert kurume[kurume["sex"] == "計"]["age_20_24"].iloc[0] == 977


def test_load_folder_uses_each_reference_date_once(juki_tables):
    """Workbook and CSV both cover 2022-01-01: the workbook wins and no row is read twice."""
    pop = juki_tables.population
    keys = ["area_code", "ref_date", "basis", "nationality", "sex", "age_group", "source_id"]
    assert not pop.duplicated(keys).any()
    for name in ("vital_events", "migration_totals"):
        frame = getattr(juki_tables, name)
        assert not frame.duplicated(["area_code", "period", "nationality", "source_id"]).any(), name
    totals_dates = sorted(pop.loc[pop["source_id"] == "juki_totals_2013_2025", "ref_date"].unique())
    assert totals_dates == ["2023-01-01", "2024-01-01", "2025-01-01"]


def test_kurume_age_groups_sum_to_total_2022(juki_tables):
    pop = juki_tables.population
    k = pop[(pop["area_code"] == "40203") & (pop["ref_date"] == "2022-01-01") & (pop["source_id"] == "juki_age")]
    sums = k.groupby(["nationality", "sex"])["persons"].sum()
    assert (sums[("total", "total")], sums[("total", "male")], sums[("total", "female")]) == (303052, 144055, 158997)
    assert k["age_group"].nunique() == 21 and sums[("foreign", "total")] == 4155


# ================================================================ the 2013–2025 totals table

@pytest.fixture(scope="module")
def totals(juki_dir) -> pd.DataFrame:
    frame = juki.read_totals_csv(juki_dir / TOTALS_CSV)
    frame.attrs.clear()
    return frame


@pytest.fixture(scope="module")
def published(juki_tables) -> pd.DataFrame:
    pop = juki_tables.population
    return pop[(pop["source_id"] == "juki_dynamics") & (pop["sex"] == "total")][
        ["area_code", "ref_date", "nationality", "persons"]]


@pytest.fixture(scope="module")
def ward_parent(national_db) -> dict[str, str]:
    with open_readonly(national_db) as con:
        return dict(con.execute("SELECT area_code, parent_code FROM areas WHERE kind = 'ward'").fetchall())


def test_totals_table_shape(totals):
    assert len(totals) == 13 * 1892 * 3
    assert sorted(totals["ref_date"].unique())[:2] == ["2013-03-31", "2014-01-01"]
    k = totals[(totals["area_code"] == "40203") & (totals["ref_date"] == "2025-01-01")]
    assert dict(zip(k["nationality"], k["persons"])) == {"total": 300199, "japanese": 294031, "foreign": 6168}


def test_totals_2022_equal_dynamics(totals, published):
    """On 2022-01-01 every municipality/ward of the totals table equals the published dynamics row.

    The totals table is tabulated on 2025 codes: 浜松市's wards of 2024 (22138–22140) replace the seven
    wards of 2022 (22131–22137); both sets sum to 浜松市 (22130).
    """
    t = totals[totals["ref_date"] == "2022-01-01"]
    m = t.merge(published, on=["area_code", "ref_date", "nationality"], how="left", suffixes=("", "_pub"))
    assert set(m.loc[m["persons_pub"].isna(), "area_code"]) == {"22138", "22139", "22140"}
    shared = m.dropna(subset=["persons_pub"])
    assert len(shared) == (1892 - 3) * 3
    bad = shared[shared["persons"] != shared["persons_pub"]]
    assert bad.empty, bad
    pub = published[published["ref_date"] == "2022-01-01"].set_index(["area_code", "nationality"])["persons"]
    for nat in ("total", "japanese", "foreign"):
        new_wards = t[t["area_code"].isin(["22138", "22139", "22140"]) & (t["nationality"] == nat)]["persons"].sum()
        old_wards = sum(pub[(f"2213{i}", nat)] for i in range(1, 8))
        assert new_wards == old_wards == pub[("22130", nat)]


def test_totals_restated_on_later_boundaries_2013(totals, published):
    """2013/2014 rows of 栃木市 (09203) include 岩舟町 (09367, merged 2014-04-05); everything else is equal."""
    for ref in ("2013-03-31", "2014-01-01"):
        t = totals[totals["ref_date"] == ref]
        m = t.merge(published, on=["area_code", "ref_date", "nationality"], suffixes=("", "_pub"))
        bad = m[m["persons"] != m["persons_pub"]]
        assert set(bad["area_code"]) == {"09203"}, ref
        pub = published[published["ref_date"] == ref].set_index(["area_code", "nationality"])["persons"]
        for nat in ("total", "japanese", "foreign"):
            restated = t[(t["area_code"] == "09203") & (t["nationality"] == nat)]["persons"].iat[0]
            assert restated == pub[("09203", nat)] + pub[("09367", nat)]


@pytest.mark.parametrize("ref_date", ["2022-01-01", "2013-03-31", "2018-01-01"])
def test_summed_aggregates_equal_published_rows(totals, published, ward_parent, ref_date):
    """aggregate_totals (used for 2023–2025) reproduces the published prefecture, national and designated-city rows."""
    agg = juki.aggregate_totals(totals[totals["ref_date"] == ref_date], ward_parent)
    assert set(agg["source_id"]) == {"juki_totals_2013_2025_sum"}
    assert len(agg) == (20 + 47 + 1) * 3
    m = agg.merge(published, on=["area_code", "ref_date", "nationality"], how="left", suffixes=("", "_pub"))
    assert m["persons_pub"].notna().all()
    bad = m[m["persons"] != m["persons_pub"]]
    assert bad.empty, bad[["area_code", "nationality", "persons", "persons_pub"]]
    nation = m[(m["area_code"] == "00000") & (m["nationality"] == "total")]["persons"].iat[0]
    if ref_date == "2022-01-01":
        assert nation == 125927902


def test_summed_aggregates_in_database(national_db):
    """The 2025 rows the app shows for 福岡県 and 全国 are sums of that year's municipal rows."""
    with open_readonly(national_db) as con:
        rows = dict(con.execute("""
            SELECT p.area_code, p.persons FROM population p WHERE p.source_id = 'juki_totals_2013_2025_sum'
              AND p.ref_date = DATE '2025-01-01' AND p.nationality = 'total' AND p.area_code IN ('40000', '00000')""").fetchall())
        munis = con.execute("""SELECT sum(persons) FILTER (WHERE area_code LIKE '40%'), sum(persons) FROM population
                               WHERE source_id = 'juki_totals_2013_2025' AND ref_date = DATE '2025-01-01'
                                 AND nationality = 'total'""").fetchone()
    assert (rows["40000"], rows["00000"]) == munis
    assert 5_000_000 < rows["40000"] < 5_200_000 and 123_000_000 < rows["00000"] < 126_000_000


# ================================================================ synthetic folders: bad input

DYN_COLUMNS = ("ref_date,flow_period,table,source_file,code,code5,pref_name,muni_name,pop_male,pop_female,pop_total,"
               "households,in_migrants,births,other_in,total_in,out_migrants,deaths,other_out,total_out,change,"
               "change_rate_pct,natural_change,natural_change_rate_pct,social_change,social_change_rate_pct,"
               "in_domestic,in_abroad,out_domestic,out_abroad").split(",")


def dyn_row(code5: str, pref: str, muni: str, **values) -> dict:
    """One dynamics row (2022-01-01 / CY2021, table total) with plausible counts; `values` override cells."""
    base = dict(ref_date="2022-01-01", flow_period="CY2021 (Jan-Dec)", table="total", source_file="2203ssjin.xlsx",
                code=(code5 + "0") if code5 else "", code5=code5, pref_name=pref, muni_name=muni,
                pop_male=144055, pop_female=158997, pop_total=303052, households=140000, in_migrants=11617,
                births=2371, other_in=52, total_in=14040, out_migrants=11946, deaths=3396, other_out=312,
                total_out=15654, change=-1614, change_rate_pct=-0.53, natural_change=-1025,
                natural_change_rate_pct=-0.34, social_change=-589, social_change_rate_pct=-0.19,
                in_domestic=11400, in_abroad=217, out_domestic=11660, out_abroad=286)
    base.update(values)
    return base


def dyn_text(rows: list[dict] | None = None, n_filler: int = 0) -> str:
    rows = rows if rows is not None else [dyn_row("", "合計", ""), dyn_row("40000", "福岡県", ""),
                                          dyn_row("40203", "福岡県", "久留米市")]
    rows = rows + [dyn_row(f"40{i:03d}", "福岡県", f"町{i}") for i in range(300, 300 + n_filler)]
    return pd.DataFrame(rows, columns=DYN_COLUMNS).to_csv(index=False, lineterminator="\n")


def make_folder(tmp_path: Path, text: str | bytes, name: str = DYN_CSV, encoding: str = "utf-8") -> Path:
    folder = tmp_path / "juki_municipal_population_dynamics"
    folder.mkdir(exist_ok=True)
    data = text if isinstance(text, bytes) else text.encode(encoding)
    (folder / name).write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    return folder


def load_error(folder: Path) -> LoaderError:
    with pytest.raises(LoaderError) as info:
        juki.load_folder(folder)
    exc = info.value
    assert has_japanese(exc.message("ja")) and exc.message("en") != exc.message("ja")
    assert exc.file in str(exc) and exc.file in exc.message("en")
    return exc


def test_synthetic_valid_folder_loads(tmp_path):
    jk = juki.load_folder(make_folder(tmp_path, dyn_text()))
    pop = jk.population.set_index(["area_code", "sex"])["persons"]
    assert pop[("40203", "total")] == 303052 and pop[("00000", "total")] == 303052
    v = jk.vital_events.set_index("area_code")
    assert (v.loc["40203", "period"], v.loc["40203", "period_kind"], v.loc["40203", "births"]) == ("CY2021", "CY", 2371)


def test_truncated_gzip(tmp_path):
    blob = gzip.compress(dyn_text(n_filler=200).encode())
    folder = tmp_path / "juki_municipal_population_dynamics"
    folder.mkdir()
    (folder / DYN_CSV).write_bytes(blob[: len(blob) // 2])
    exc = load_error(folder)
    assert exc.file == str(folder / DYN_CSV)
    assert "圧縮ファイル" in exc.message("ja") and "truncated" in exc.message("en")


def test_cp932_csv_reads_fine(tmp_path):
    text = dyn_text([dyn_row("", "合計", ""), dyn_row("40203", "福岡県", "久留米市"),
                     dyn_row("40225", "福岡県", "うきは市", pop_male=13000, pop_female=14000, pop_total=27000)])
    jk = juki.load_folder(make_folder(tmp_path, text, name="juki_dynamics_total_2013_2022.csv", encoding="cp932"))
    names = dict(zip(jk.area_names["area_code"], jk.area_names["muni_name"]))
    assert names["40203"] == "久留米市" and names["40225"] == "うきは市"
    assert "00000" in names  # 合計 recognised after decoding, so the national row is kept


def test_utf8_bom_csv_reads_fine(tmp_path):
    jk = juki.load_folder(make_folder(tmp_path, "\ufeff" + dyn_text(), name="juki_dynamics_total_2013_2022.csv"))
    assert set(jk.population["area_code"]) == {"00000", "40000", "40203"}


def test_undecodable_bytes(tmp_path):
    data = dyn_text().encode("utf-8")
    at = data.index("久留米".encode())
    exc = load_error(make_folder(tmp_path, data[:at] + b"\x81\x20" + data[at:], name="juki_dynamics_total_2013_2022.csv"))
    assert exc.file.endswith("juki_dynamics_total_2013_2022.csv")
    assert "文字コード" in exc.message("ja") and "encoding" in exc.message("en")


@pytest.mark.parametrize("name", [DYN_CSV, "juki_dynamics_total_2013_2022.csv"])
def test_empty_file(tmp_path, name):
    exc = load_error(make_folder(tmp_path, "", name=name))
    assert exc.file.endswith(name) and "空" in exc.message("ja")


def test_header_only(tmp_path):
    exc = load_error(make_folder(tmp_path, ",".join(DYN_COLUMNS) + "\n"))
    assert exc.file.endswith(DYN_CSV) and exc.row == 2
    assert "見出し行だけ" in exc.message("ja")


def test_missing_required_column(tmp_path):
    text = pd.read_csv(io.StringIO(dyn_text()), dtype=str).drop(columns="births").to_csv(index=False)
    exc = load_error(make_folder(tmp_path, text))
    assert (exc.row, exc.column) == (1, "births")
    assert "births" in exc.message("ja") and "必要な列" in exc.message("ja")


@pytest.mark.parametrize("cell, row, column, words", [
    ({"deaths": -5}, 4, "deaths", "負"),                 # negative count
    ({"pop_total": "abc"}, 4, "pop_total", "数値ではない"),  # non-numeric cell
    ({"births": "12.5"}, 4, "births", "整数"),            # fractional count
    ({"code5": "99999"}, 4, "code5", "団体コード"),          # prefecture 99 does not exist
    ({"code5": "4020"}, 4, "code5", "団体コード"),           # four digits
    ({"table": "aliens"}, 4, "table", "区分"),
])
def test_bad_cell_names_row_and_column(tmp_path, cell, row, column, words):
    rows = [dyn_row("", "合計", ""), dyn_row("40000", "福岡県", ""), {**dyn_row("40203", "福岡県", "久留米市"), **cell}]
    exc = load_error(make_folder(tmp_path, dyn_text(rows)))
    assert exc.file.endswith(DYN_CSV)
    assert (exc.row, exc.column) == (row, column)  # line 4 = header + 合計 + 福岡県 + this row
    assert words in exc.message("ja") and f"{row}行目" in exc.message("ja") and f"row {row}" in exc.message("en")


def test_signed_columns_may_be_negative(tmp_path):
    jk = juki.load_folder(make_folder(tmp_path, dyn_text()))  # change / natural_change are negative in dyn_row
    assert jk.vital_events.set_index("area_code").loc["40203", "deaths"] == 3396


def test_suppressed_cells_become_na(tmp_path):
    rows = [dyn_row("", "合計", ""), dyn_row("40203", "福岡県", "久留米市", births="X", deaths="-", in_domestic="***",
                                            out_abroad="…")]
    folder = make_folder(tmp_path, dyn_text(rows))
    ages = [f"age_{a}_{a + 4}" for a in range(0, 100, 5)] + ["age_100plus"]
    age = pd.DataFrame([dict(ref_date="2022-01-01", table="foreign", source_file="2212gsnen.xlsx", code="402036",
                             code5="40203", pref_name="福岡県", muni_name="久留米市", sex=sex, total=total,
                             **{a: "X" for a in ages}) for sex, total in (("計", 19), ("男", 7), ("女", 12))])
    age.loc[0, "age_20_24"] = "11"
    (folder / AGE_CSV).write_bytes(gzip.compress(age.to_csv(index=False).encode()))
    jk = juki.load_folder(folder)
    v = jk.vital_events.set_index("area_code").loc["40203"]
    assert pd.isna(v["births"]) and pd.isna(v["deaths"])
    m = jk.migration_totals.set_index("area_code").loc["40203"]
    assert pd.isna(m["in_domestic"]) and pd.isna(m["out_abroad"]) and m["in_total"] == 11617
    a = jk.population[jk.population["source_id"] == "juki_age"]
    assert a[["nationality", "sex", "age_group", "persons"]].values.tolist() == [["foreign", "total", "20-24", 11]]


def test_no_dynamics_files(tmp_path):
    folder = tmp_path / "juki_municipal_population_dynamics"
    folder.mkdir()
    exc = load_error(folder)
    assert exc.file == str(folder) and "sjin" in exc.message("ja")


# ---------------------------------------------------------------- workbooks in the published layout

DYN_GROUPS = ["人口"] * 3 + ["世帯数"] + ["住民票記載数"] * 6 + ["住民票消除数"] * 6 + [
    "増減数(Ａ)-(Ｂ)", "増減率", "自然増減数", "自然増減率", "社会増減数", "社会増減率"]
DYN_LABELS = ["男", "女", "計", "世帯数", "転入者数（国内）", "転入者数（国外）", "転入者数（計）", "出生者数", "その他（計）",
              "計（Ａ）", "転出者数（国内）", "転出者数（国外）", "転出者数（計）", "死亡者数", "その他（計）", "計（Ｂ）",
              "増減数(Ａ)-(Ｂ)", "増減率", "自然増減数", "自然増減率", "社会増減数", "社会増減率"]
DYN_FIELDS = ["pop_male", "pop_female", "pop_total", "households", "in_domestic", "in_abroad", "in_migrants", "births",
              "other_in", "total_in", "out_domestic", "out_abroad", "out_migrants", "deaths", "other_out", "total_out",
              "change", "change_rate_pct", "natural_change", "natural_change_rate_pct", "social_change",
              "social_change_rate_pct"]
TITLE = "令和4年1月1日住民基本台帳人口・世帯数、令和3年（1月1日から同年12月31日まで）人口動態（市区町村別）（総計）"


def write_dynamics_workbook(path: Path, header: bool = True, title: str = TITLE, **override) -> Path:
    """A 人口・世帯数・人口動態 workbook laid out like 2203ssjin.xlsx (title, 4 header rows, 団体コード row, footnote)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "人口、世帯数、人口動態（市区町村別）【総計】"
    ws.append([title])
    ws.append([None] * 3 + ["令和4年"] * 4 + ["令和3年"] * 18)
    ws.append([None] * 3 + ["2022年"] * 4 + ["2021年"] * 18)
    ws.append([None] * 3 + DYN_GROUPS)
    ws.append([None] * 3 + DYN_LABELS)
    if header:
        ws.append(["団体コード", "都道府県名", "市区町村名"] + ["人"] * 17 + ["％", "人", "％", "人", "％"])
    for code6, pref, muni in (("-", "合計", "-"), ("400009", "福岡県", "-"), ("402036", "福岡県", "久留米市")):
        row = dyn_row(code6[:5] if code6 != "-" else "", pref, muni)
        row.update(override.get(code6, {}))
        ws.append([code6, pref, muni] + [row[f] for f in DYN_FIELDS])
    ws.append(["注：増減率、自然増減率及び社会増減率内の「-」は、「皆増」を示す"])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def workbook_folder(tmp_path: Path, **kw) -> Path:
    folder = tmp_path / "juki_municipal_population_dynamics"
    write_dynamics_workbook(folder / "original_2022" / "2203ssjin.xlsx", **kw)
    return folder


def test_synthetic_workbook_loads(tmp_path):
    folder = workbook_folder(tmp_path, **{"402036": {"births": "2,371", "natural_change": "△1,025"}})
    frame = juki.read_dynamics_workbook(folder / "original_2022" / "2203ssjin.xlsx")
    assert frame["code5"].tolist() == ["", "40000", "40203"] and frame["_row"].tolist() == [7, 8, 9]
    assert (frame["ref_date"].iat[0], frame["table"].iat[0]) == ("2022-01-01", "total")
    jk = juki.load_folder(folder)
    v = jk.vital_events.set_index("area_code")
    assert v.loc["40203", ["period", "births", "deaths"]].tolist() == ["CY2021", 2371, 3396]
    assert jk.population.set_index(["area_code", "sex"]).loc[("00000", "total"), "persons"] == 303052


def test_truncated_xlsx(tmp_path):
    folder = workbook_folder(tmp_path)
    path = folder / "original_2022" / "2203ssjin.xlsx"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    exc = load_error(folder)
    assert exc.file == str(path) and "Excel" in exc.message("ja") and "truncated" in exc.message("en")


def test_workbook_without_code_header(tmp_path):
    folder = workbook_folder(tmp_path, header=False)
    exc = load_error(folder)
    assert exc.file.endswith("2203ssjin.xlsx")
    assert (exc.sheet, exc.column) == ("人口、世帯数、人口動態（市区町村別）【総計】", "A")
    assert "団体コード" in exc.message("ja") and "シート" in exc.message("ja")


def test_workbook_bad_cell_names_spreadsheet_row_and_column(tmp_path):
    folder = workbook_folder(tmp_path, **{"402036": {"deaths": "三千"}})
    exc = load_error(folder)
    assert exc.row == 9 and exc.column == "Q (deaths)"  # the cell as Excel shows it
    assert "三千" in exc.message("ja")


def test_workbook_negative_count(tmp_path):
    exc = load_error(workbook_folder(tmp_path, **{"402036": {"births": "△5"}}))
    assert (exc.row, exc.column) == (9, "births") and "負" in exc.message("ja")


def test_workbook_title_without_date(tmp_path):
    exc = load_error(workbook_folder(tmp_path, title="住民基本台帳人口（総計）"))
    assert (exc.row, exc.column) == (1, "A") and "表題" in exc.message("ja")


def test_counts_accept_published_notation():
    """e-Stat downloads print thousands commas and △ for negatives; both are numbers, not errors."""
    import pandas as pd

    from loaders.files import check_counts

    f = pd.DataFrame({"births": ["1,234", "１２", "X"], "change": ["△1,825", "▲ 74", "5"], "_row": [2, 3, 4]})
    check_counts(f, ["births"], "x.csv")
    check_counts(f, ["change"], "x.csv", allow_negative=("change",))
    assert f["births"].tolist()[:2] == [1234, 12] and pd.isna(f["births"].iat[2])
    assert f["change"].tolist() == [-1825, -74, 5]
