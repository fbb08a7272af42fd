"""The built databases: published figures, consistency of aggregates, period rules, transactional writes."""
from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import duckdb
from store.official import open_readonly
import pandas as pd
import pytest

from loaders import build
from loaders.areas import MUNICIPAL_KINDS
from loaders.errors import LoaderError

KURUME = "40203"
MUNI_KINDS_SQL = "(" + ", ".join(f"'{k}'" for k in MUNICIPAL_KINDS) + ")"


def query(db: Path, sql: str, params=None) -> pd.DataFrame:
    with open_readonly(db) as con:
        return con.execute(sql, params or []).df()


@pytest.fixture(scope="module", params=["national", "bundled"])
def any_db(request):
    return request.getfixturevalue(f"{request.param}_db")


# ---------------------------------------------------------------- published figures, both databases

def test_kurume_population_2025(any_db):
    got = query(any_db, """SELECT nationality, persons, source_id FROM population
                           WHERE area_code = $1 AND ref_date = DATE '2025-01-01' AND sex = 'total'
                             AND age_group = 'total'""", [KURUME])
    assert dict(zip(got["nationality"], got["persons"])) == {"total": 300199, "japanese": 294031, "foreign": 6168}
    assert set(got["source_id"]) == {"juki_totals_2013_2025"}


def test_kurume_vital_events_fy2012_and_cy2021(any_db):
    got = query(any_db, """SELECT period, period_kind, period_end, births, deaths FROM vital_events
                           WHERE area_code = $1 AND nationality = 'total' AND source_id = 'juki_dynamics'
                             AND period IN ('FY2012', 'CY2021') ORDER BY period""", [KURUME])
    rows = [tuple(r) for r in got.itertuples(index=False)]
    assert [(p, k, str(e.date()) if hasattr(e, "date") else str(e), b, d) for p, k, e, b, d in rows] == [
        ("CY2021", "CY", "2021-12-31", 2371, 3396),
        ("FY2012", "FY", "2013-03-31", 2937, 2941),
    ]


def test_kurume_migration_cy2021(any_db):
    got = query(any_db, """SELECT in_total, out_total, in_domestic + in_abroad AS in_sum,
                                  out_domestic + out_abroad AS out_sum FROM migration_totals
                           WHERE area_code = $1 AND period = 'CY2021' AND nationality = 'total'
                             AND source_id = 'juki_dynamics'""", [KURUME])
    assert got.to_dict("records") == [{"in_total": 11617, "out_total": 11946, "in_sum": 11617, "out_sum": 11946}]


def test_kurume_population_2022_both_tables(any_db):
    got = query(any_db, """SELECT source_id, persons FROM population WHERE area_code = $1
                           AND ref_date = DATE '2022-01-01' AND sex = 'total' AND age_group = 'total'
                           AND nationality = 'total'""", [KURUME])
    assert dict(zip(got["source_id"], got["persons"])) == {"juki_dynamics": 303052}


def test_national_total_2022(national_db):
    got = query(national_db, """SELECT nationality, persons FROM population WHERE area_code = '00000'
                                AND ref_date = DATE '2022-01-01' AND sex = 'total' AND age_group = 'total'
                                AND source_id = 'juki_dynamics'""")
    assert dict(zip(got["nationality"], got["persons"])) == {
        "total": 125927902, "japanese": 123223561, "foreign": 2704341}


def test_bundled_matches_national_for_demo_region(national_db, bundled_db):
    """The committed extract holds exactly the national database's rows of the demo region."""
    sql = f"""SELECT area_code, CAST(ref_date AS VARCHAR) d, nationality, sex, age_group, persons, source_id
              FROM population WHERE area_code IN {tuple(build.DEMO_CODES)} AND source_id LIKE 'juki%'
              ORDER BY ALL"""
    nat, bun = query(national_db, sql), query(bundled_db, sql)
    assert len(nat) > 10000
    pd.testing.assert_frame_equal(nat, bun)


# ---------------------------------------------------------------- national totals equal the published 合計 rows

def _pop(db, where: str = "") -> pd.DataFrame:
    return query(db, f"""SELECT p.area_code, CAST(p.ref_date AS VARCHAR) AS ref_date, p.nationality, p.persons,
                                a.kind, a.pref_code, a.parent_code
                         FROM population p JOIN areas a USING (area_code)
                         WHERE p.source_id = 'juki_dynamics' AND p.sex = 'total' AND p.age_group = 'total' {where}""")


@pytest.fixture(scope="module")
def dyn_pop(national_db) -> pd.DataFrame:
    return _pop(national_db)


def test_prefectures_sum_to_nation_every_date(dyn_pop):
    pref = dyn_pop[dyn_pop["kind"] == "prefecture"].groupby(["ref_date", "nationality"])["persons"].agg(["sum", "size"])
    nation = dyn_pop[dyn_pop["kind"] == "nation"].set_index(["ref_date", "nationality"])["persons"]
    both = pref.join(nation, how="outer")
    assert len(both) == 18 + 10 * 3  # FY1994–FY2011 Japanese only; 2013-03-31 … 2022-01-01 × 3 nationalities
    assert (both["size"] == 47).all()
    bad = both[both["sum"] != both["persons"]]
    assert bad.empty, f"Σ prefectures ≠ 合計:\n{bad}"


def _pref_mismatches(dyn_pop, ref_date: str) -> pd.DataFrame:
    day = dyn_pop[dyn_pop["ref_date"] == ref_date]
    munis = day[day["kind"].isin(MUNICIPAL_KINDS)].groupby(["pref_code", "nationality"])["persons"].sum()
    prefs = day[day["kind"] == "prefecture"].set_index(["pref_code", "nationality"])["persons"]
    both = pd.concat({"municipalities": munis, "prefecture": prefs}, axis=1)
    assert len(both) == 47 * day["nationality"].nunique()
    return both[both["municipalities"] != both["prefecture"]]


@pytest.mark.parametrize("ref_date", ["2022-01-01", "2013-03-31", "2005-03-31", "1995-03-31"])
def test_municipalities_sum_to_prefecture(dyn_pop, ref_date):
    """Designated cities counted once, wards and 郡/島しょ subtotals excluded (MUNICIPAL_KINDS)."""
    bad = _pref_mismatches(dyn_pop, ref_date)
    assert bad.empty, f"{ref_date}: Σ municipalities ≠ prefecture row:\n{bad}"


def test_municipalities_sum_to_prefecture_every_date(dyn_pop):
    bad = {d: _pref_mismatches(dyn_pop, d) for d in sorted(dyn_pop["ref_date"].unique())}
    bad = {d: b for d, b in bad.items() if not b.empty}
    assert not bad, f"Σ municipalities ≠ prefecture row: {bad}"


def test_wards_sum_to_designated_city_2022(dyn_pop):
    day = dyn_pop[dyn_pop["ref_date"] == "2022-01-01"]
    wards = day[day["kind"] == "ward"].groupby(["parent_code", "nationality"])["persons"].agg(["sum", "size"])
    cities = day[day["kind"] == "designated_city"].set_index(["area_code", "nationality"])["persons"]
    both = wards.join(cities.rename_axis(["parent_code", "nationality"]), how="outer")
    assert len(both) == 20 * 3 and (both["size"] >= 3).all()
    bad = both[both["sum"] != both["persons"]]
    assert bad.empty, f"Σ wards ≠ designated city:\n{bad}"
    assert both.loc[("40130", "total"), "persons"] == 1568265  # 福岡市, 2203ssjin.xlsx


# ---------------------------------------------------------------- the 2023–2025 summed aggregates in the database

def test_summed_aggregates_for_2023_to_2025(national_db):
    got = query(national_db, """SELECT CAST(ref_date AS VARCHAR) d, count(*) n, count(DISTINCT area_code) areas
                                FROM population WHERE source_id = 'juki_totals_2013_2025_sum' GROUP BY 1 ORDER BY 1""")
    assert got["d"].tolist() == ["2023-01-01", "2024-01-01", "2025-01-01"]
    assert (got["areas"] == 20 + 47 + 1).all() and (got["n"] == 68 * 3).all()
    # no reference date carries two population series for the same area (published and summed)
    dup = query(national_db, """SELECT area_code, ref_date, nationality FROM population
                                WHERE sex = 'total' AND age_group = 'total' AND source_id LIKE 'juki%'
                                GROUP BY ALL HAVING count(*) > 1""")
    assert dup.empty, dup


# ---------------------------------------------------------------- period rules

def test_vital_event_periods_follow_file_dates(national_db):
    """A file dated YYYY-03-31 reports FY(YYYY-1), one dated YYYY-01-01 reports CY(YYYY-1); rows match files."""
    refs = query(national_db, """SELECT CAST(ref_date AS VARCHAR) d, count(*) n FROM population
                                 WHERE source_id = 'juki_dynamics' AND sex = 'total' GROUP BY 1""")
    vital = query(national_db, """SELECT period, period_kind, CAST(period_end AS VARCHAR) e, count(*) n
                                  FROM vital_events WHERE source_id = 'juki_dynamics' GROUP BY ALL""")
    expected = {}
    for d, n in zip(refs["d"], refs["n"]):
        year = int(d[:4])
        if d.endswith("-03-31"):
            expected[(f"FY{year - 1}", "FY", d)] = n
        else:
            assert d.endswith("-01-01"), d
            expected[(f"CY{year - 1}", "CY", f"{year - 1}-12-31")] = n
    got = {(p, k, e): n for p, k, e, n in vital.itertuples(index=False)}
    assert got == expected
    assert ("FY2012", "FY", "2013-03-31") in got and ("CY2021", "CY", "2021-12-31") in got
    assert not any(p == "CY2012" or p == "FY2013" for p, _, _ in got)


def test_pre2012_flows_are_japanese_only(national_db):
    got = query(national_db, """SELECT year, list(DISTINCT nationality ORDER BY nationality) nat FROM vital_events
                                WHERE source_id = 'juki_dynamics' GROUP BY year ORDER BY year""")
    by_year = dict(zip(got["year"], got["nat"].map(list)))
    assert list(by_year) == list(range(1994, 2022))
    for year in range(1994, 2012):
        assert by_year[year] == ["japanese"], year
    for year in range(2012, 2022):
        assert by_year[year] == ["foreign", "japanese", "total"], year
    kinds = dict(query(national_db, "SELECT DISTINCT year, period_kind FROM vital_events "
                                    "WHERE source_id = 'juki_dynamics'").itertuples(index=False))
    assert all(kinds[y] == "FY" for y in range(1994, 2013)) and all(kinds[y] == "CY" for y in range(2013, 2022))


@pytest.mark.parametrize("table", ["vital_events", "migration_totals"])
def test_no_period_label_has_two_kinds(any_db, table):
    got = query(any_db, f"""SELECT period, list(DISTINCT period_kind) kinds FROM {table}
                            GROUP BY period HAVING count(DISTINCT period_kind) > 1""")
    assert got.empty, got
    bad = query(any_db, f"SELECT DISTINCT period, period_kind FROM {table} "
                        "WHERE NOT starts_with(period, period_kind)")
    assert bad.empty, bad


def test_period_end():
    assert str(build.period_end("FY2024")) == "2025-03-31"
    assert str(build.period_end("CY2021")) == "2021-12-31"
    assert str(build.period_end("FY2020-FY2024")) == "2025-03-31"
    with pytest.raises(ValueError):
        build.period_end("2021")


# ---------------------------------------------------------------- transactional build

def _tiny_tables(**changes) -> dict[str, pd.DataFrame]:
    tables = {
        "sources": pd.DataFrame([{"source_id": "s1", "publisher": "総務省", "title": "t"}]),
        "areas": pd.DataFrame([{"area_code": "40203", "name_ja": "久留米市", "kind": "city"},
                               {"area_code": "40000", "name_ja": "福岡県", "kind": "prefecture"}]),
        "population": pd.DataFrame([{"area_code": "40203", "ref_date": "2025-01-01", "basis": "juki",
                                     "nationality": "total", "sex": "total", "age_group": "total",
                                     "persons": 300199, "source_id": "s1"}]),
        "vital_events": pd.DataFrame([{"area_code": "40203", "period": "CY2021", "period_kind": "CY", "year": 2021,
                                       "nationality": "total", "births": 2371, "deaths": 3396, "source_id": "s1"}]),
    }
    tables.update(changes)
    return tables


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def previous_db(tmp_path) -> Path:
    out = tmp_path / "db" / "national.duckdb"
    info = build.write_database(_tiny_tables(), out, "national")
    assert info["kind"] == "national" and out.exists()
    with open_readonly(out) as con:
        assert con.execute("SELECT persons FROM population").fetchall() == [(300199,)]
        assert con.execute("SELECT CAST(period_end AS VARCHAR) FROM vital_events").fetchall() == [("2021-12-31",)]
    return out


def test_partial_database_gets_the_indicators_it_can(previous_db):
    """Without national age tables there is no projection: its indicators are unavailable, the rest stand."""
    from estimates.indicators import stored

    with open_readonly(previous_db) as con:
        values = stored(con)
    assert values.loc["40203", "population"] == 300199
    assert pd.isna(values.loc["40203", "app_change_2050"])


def _assert_untouched(out: Path, digest: str) -> None:
    assert _digest(out) == digest
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name], "temporary files left next to the database"
    with open_readonly(out) as con:
        assert con.execute("SELECT persons FROM population").fetchall() == [(300199,)]


def _population(**row) -> pd.DataFrame:
    base = _tiny_tables()["population"].iloc[0].to_dict()
    return pd.DataFrame([{**base, **row}])


@pytest.mark.parametrize("bad, column", [
    ({"population": pd.concat([_population(), _population(persons=1)], ignore_index=True)},
     "area_code, ref_date, basis, nationality, sex, age_group, source_id"),          # duplicated key
    ({"population": _population(source_id="nowhere")}, "source_id"),                 # unknown source
    ({"population": _population(area_code="99999")}, "area_code"),                    # unknown area
])
def test_failed_check_keeps_previous_database(previous_db, bad, column):
    digest = _digest(previous_db)
    with pytest.raises(LoaderError) as info:
        build.write_database(_tiny_tables(**bad), previous_db, "national")
    assert info.value.file == "population" and info.value.column == column
    assert any("\u3040" <= ch <= "\u9fff" for ch in info.value.message("ja"))
    _assert_untouched(previous_db, digest)


def test_failure_while_writing_keeps_previous_database(previous_db):
    """A value DuckDB refuses (after the temporary file exists) removes the temporary file."""
    digest = _digest(previous_db)
    with pytest.raises(duckdb.Error):
        build.write_database(_tiny_tables(population=_population(persons="three hundred")), previous_db, "national")
    _assert_untouched(previous_db, digest)


def test_successful_rebuild_replaces_database(previous_db):
    build.write_database(_tiny_tables(population=_population(persons=300200)), previous_db, "national")
    assert sorted(p.name for p in previous_db.parent.iterdir()) == [previous_db.name]
    with open_readonly(previous_db) as con:
        assert con.execute("SELECT persons FROM population").fetchall() == [(300200,)]
        assert dict(con.execute("SELECT * FROM build_info").fetchall())["kind"] == "national"


@pytest.mark.parametrize("damage", ["missing_folder", "truncated_gzip", "empty_folder"])
def test_cli_national_on_corrupt_folder_returns_2(previous_db, tmp_path, capsys, damage):
    raw = tmp_path / "raw"
    folder = raw / "juki_municipal_population_dynamics"
    if damage != "missing_folder":
        folder.mkdir(parents=True)
    if damage == "truncated_gzip":
        blob = gzip.compress(("ref_date,table,code5\n" + "2022-01-01,total,40203\n" * 2000).encode())
        (folder / "juki_dynamics_total_2013_2022.csv.gz").write_bytes(blob[: len(blob) // 2])
    digest = _digest(previous_db)
    assert build.main(["national", "--raw", str(raw), "--out", str(previous_db)]) == 2
    err = capsys.readouterr().err
    assert "エラー / error" in err and "juki_municipal_population_dynamics" in err
    if damage == "truncated_gzip":
        assert "juki_dynamics_total_2013_2022.csv.gz" in err and "圧縮ファイル" in err
    _assert_untouched(previous_db, digest)
