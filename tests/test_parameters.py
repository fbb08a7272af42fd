"""Uploaded projection parameter tables: round trip, effect on the projection, and bad files with row/column."""
from __future__ import annotations

import pytest

import projection as pj
from loaders.errors import LoaderError
from loaders.parameters import read_parameter_csv
from ui.download import csv_bytes


@pytest.fixture()
def qp(bundled_db, monkeypatch):
    monkeypatch.setenv("POPDASH_DB", str(bundled_db))
    from queries import projections
    return projections


def test_downloaded_table_round_trips_and_changes_nothing(qp):
    table = qp.parameter_table("40203")
    back = read_parameter_csv("params.csv", csv_bytes(table))  # the exact bytes the download button serves
    assert len(back) == len(table)
    sc = pj.Scenario()
    plain = qp.run("40203", 2020, sc)["summary"]["total"]
    same = qp.run("40203", 2020, sc, back)["summary"]["total"]
    assert same.round(6).tolist() == plain.round(6).tolist()


def test_uploaded_migration_rates_change_the_projection(qp):
    rows = "parameter,sex,age_group,value\n" + "".join(
        f"migration,{s},{a},0\n" for s in ("male", "female") for a in pj.AGES)
    table = read_parameter_csv("zero_migration.csv", rows.encode("cp932"))
    closed = qp.run("40203", 2020, pj.Scenario(), table)["summary"]
    plain = qp.run("40203", 2020, pj.Scenario())["summary"]
    assert closed["total"].iloc[-1] != plain["total"].iloc[-1]
    # the band comes from past errors of the size class, so it stays (and follows the new projection)
    assert (closed["band_low"] < closed["total"]).iloc[1:].all() and (closed["band_high"] > closed["total"]).iloc[1:].all()


@pytest.mark.parametrize("content,row,column,word", [
    (b"", None, None, "空"),
    (b"parameter,sex\nmigration,male\n", 1, "value", "value"),
    (b"parameter,sex,age_group,value\n", 2, None, "見出し行だけ"),
    (b"parameter,sex,age_group,value\nbirths,male,0-4,1\n", 2, "parameter", "births"),
    (b"parameter,sex,age_group,value\nmigration,man,0-4,0.1\n", 2, "sex", "man"),
    (b"parameter,sex,age_group,value\nmigration,male,0-5,0.1\n", 2, "age_group", "0-5"),
    (b"parameter,sex,age_group,value\nmigration,male,0-4,abc\n", 2, "value", "abc"),
    (b"parameter,sex,age_group,value\nsurvival,male,0-4,-0.5\n", 2, "value", "survival"),
    (b"parameter,sex,age_group,value,year\ncwr,total,total,0.2,R7\n", 2, "year", "R7"),
    (b"parameter,value\n\x81\x7f,1\n", None, None, "文字コード"),
    # issue 15: plausibility bounds (projection.tables.check_parameter_table)
    (b"parameter,sex,age_group,value\nsurvival,male,0-4,5.0\n", 2, "value", "0〜1.2"),
    (b"parameter,value\ncwr," + b"9" * 300 + b"\n", 2, "value", "10^15"),
    (b"parameter,value\ncwr,1e300\n", 2, "value", "10^15"),
    (b"parameter,value\ncwr,inf\n", 2, "value", "inf"),
    (b"parameter,value,year\ncwr,0.2,20250\n", 2, "year", "20250"),
    (b"parameter,value,year\ncwr,0.2,2025\ncwr,0.3,2025\n", 3, "value", "2行目と3行目"),
    (b"parameter,sex,value\ncwr,male,0.2\n", 2, "sex", "女性1人あたり"),
])
def test_bad_parameter_files_name_row_and_column(content, row, column, word):
    with pytest.raises(LoaderError) as err:
        read_parameter_csv("upload.csv", content)
    e = err.value
    assert e.file == "upload.csv" and e.row == row and e.column == column
    assert word in e.message("ja")


def test_negative_migration_and_triangle_values_are_numbers():
    t = read_parameter_csv("p.csv", "parameter,sex,age_group,value\nmigration,male,20-24,△0.01\n".encode("utf-8-sig"))
    assert t["value"].tolist() == [-0.01]
