"""Continuous series across municipal code changes (loaders/succession.py, queries/succession.py, the series SQL).

Synthetic registers check the matching rules; the national database checks 那珂川町 40305 → 那珂川市 40231 (市制施行
2018) and 久留米市's 2005 absorption against the official files read directly, not through the project's loader.
"""
from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest

from loaders import succession as su

D = ["2004-03-31", "2005-03-31", "2006-03-31"]


def _areas(codes: dict[str, str]) -> pd.DataFrame:
    kinds = {"市": "city", "町": "town", "村": "village"}
    return pd.DataFrame([dict(area_code=c, name_ja=n, kind=kinds[n[-1]], pref_code=c[:2])
                         for c, n in {**codes, **STEADY}.items()])


STEADY = {f"40{400 + i}": f"町{i}町" for i in range(10)}  # unchanged towns: the identity holds, so the file is trusted


def _pres(rows: list[tuple]) -> pd.DataFrame:
    """rows (code, date, persons, start) plus the steady towns -> presence() frame."""
    steady = [(c, d, 5_000 - 10 * k, None if k == 0 else 5_000 - 10 * (k - 1)) for c in STEADY for k, d in enumerate(D)]
    return pd.DataFrame(rows + steady, columns=["area_code", "ref_date", "persons", "start"])


def test_rename_merger_and_absorption_are_matched_by_the_accounting_identity():
    areas = _areas({"40100": "甲市", "40301": "乙町", "40302": "丙町", "40303": "丁村", "40200": "新市", "40304": "戊町"})
    pres = _pres([
        # 40100 absorbs 40303 (1,200) in 2005: start of its 2005 file = its 2004 population + 1,200
        ("40100", D[0], 50_000, None), ("40100", D[1], 51_150, 51_200), ("40100", D[2], 51_000, 51_150),
        ("40303", D[0], 1_200, None),
        # 40301 + 40302 form a new code 40200 in 2005
        ("40301", D[0], 8_000, None), ("40302", D[0], 7_000, None),
        ("40200", D[1], 14_950, 15_000), ("40200", D[2], 14_900, 14_950),
        ("40304", D[0], 5_000, None), ("40304", D[1], 4_990, 5_000), ("40304", D[2], 4_980, 4_990),
    ])
    ch = su.infer_changes(pres, areas)
    got = {(r.old_code, r.new_code): r.kind for r in ch.itertuples()}
    assert got == {("40303", "40100"): "absorption", ("40301", "40200"): "merger", ("40302", "40200"): "merger"}
    lin = su.lineage(ch, areas)
    before = lin[(lin["area_code"] == "40100") & lin["era_to"].notna()]
    assert sorted(before["member_code"]) == ["40100", "40303"] and set(before["n_members"]) == {2}
    assert str(before["era_to"].iat[0]) == D[1]
    new = lin[(lin["area_code"] == "40200") & lin["era_to"].notna()]
    assert sorted(new["member_code"]) == ["40301", "40302"] and new["complete"].all()
    assert lin[lin["area_code"] == "40304"][["member_code", "n_members"]].values.tolist() == [["40304", 1]]


def test_ambiguous_sums_are_left_as_breaks_never_joined():
    """Two vanished towns of equal size and two new codes of equal size: no unique matching, so no join."""
    areas = _areas({"40301": "乙町", "40302": "丙町", "40201": "新市", "40202": "東市", "40304": "戊町"})
    pres = _pres([("40301", D[0], 7_000, None), ("40302", D[0], 7_000, None),
                  ("40201", D[1], 7_000, 7_000), ("40202", D[1], 7_000, 7_000),
                  ("40304", D[0], 5_000, None), ("40304", D[1], 4_990, 5_000)])
    ch = su.infer_changes(pres, areas)
    assert set(ch["kind"]) == {"unresolved"}
    assert set(ch["new_code"].dropna()) == {"40201", "40202"}
    lin = su.lineage(ch, areas)
    early = lin[(lin["area_code"] == "40201") & lin["era_to"].notna()]
    assert early["member_code"].tolist() == ["40201"] and not early["complete"].any()


# ---------------------------------------------------------------- national database against the raw files

def _raw_dynamics(raw_dir, codes):
    path = raw_dir / "juki_municipal_population_dynamics" / "juki_dynamics_total_2013_2022.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        frame = pd.read_csv(f, dtype={"code": str, "code5": str})
    return frame[frame["code5"].isin(codes)]


@pytest.fixture()
def national(national_db, monkeypatch):
    monkeypatch.setenv("POPDASH_DB", str(national_db))
    return national_db


def test_nakagawa_series_is_joined_across_the_2018_code_change(national, raw_dir):
    import queries

    raw = _raw_dynamics(raw_dir, {"40305", "40231"})
    raw = raw[raw["flow_period"].str.startswith("CY")].assign(period=lambda f: f["flow_period"].str[:6])
    expected = raw.set_index("period")[["births", "deaths", "code5"]]
    series = queries.vital_series("40231")
    total = series[(series["nationality"] == "total") & (series["period_kind"] == "CY")].set_index("period")
    assert list(total.index) == [f"CY{y}" for y in range(2013, 2022)]  # was CY2018–CY2021 only
    assert total["births"].tolist() == expected.loc[total.index, "births"].tolist()
    assert total["deaths"].tolist() == expected.loc[total.index, "deaths"].tolist()
    assert total.loc["CY2017", "codes"] == "40305" and total.loc["CY2018", "codes"] == "40231"
    assert total.loc["CY2015", "births"] == 521 and total.loc["CY2019", "births"] == 426  # 1603ssjin / 2003ssjin

    mig = queries.migration_series("40231")
    m = mig[(mig["nationality"] == "total") & (mig["period_kind"] == "CY")].set_index("period")
    assert int(m.loc["CY2016", "in_total"]) == int(raw.set_index("period").loc["CY2016", "in_migrants"]) == 2500

    from queries import succession
    j = succession.joins("40231", "2015-01-01", "2021-12-31")
    assert j[["kind", "old_codes", "new_code", "status"]].values.tolist() == [["rename", "40305", "40231", "joined"]]
    assert succession.joins("40231", "2019-06-30", "2021-12-31").empty
    assert succession.successor("40305")["area_code"] == "40231"


def test_kurume_population_before_2005_is_the_sum_of_the_five_codes(national, raw_dir):
    import queries

    path = raw_dir / "juki_municipal_population_dynamics" / "juki_dynamics_japanese_FY1994_FY2011.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        raw = pd.read_csv(f, dtype={"code": str, "code5": str})
    five = raw[raw["code5"].isin(["40203", "40482", "40501", "40521", "40523"]) & (raw["ref_date"] == "2004-03-31")]
    assert len(five) == 5
    trend = queries.population_trend("40203")
    row = trend[(trend["ref_date"].astype(str).str[:10] == "2004-03-31") & (trend["nationality"] == "japanese")]
    assert int(row["persons"].iat[0]) == int(five["pop_total"].sum()) == 305_380
    after = trend[(trend["ref_date"].astype(str).str[:10] == "2005-03-31") & (trend["nationality"] == "japanese")]
    assert after["codes"].iat[0] == "40203"


def test_defunct_municipalities_are_not_offered_beside_their_successors(national):
    import queries

    codes = set(queries.areas()["area_code"])
    assert {"40231", "40230", "40227"} <= codes
    assert not codes & {"40305", "40208", "40222"}  # 那珂川町, 山田市, 前原市


def test_a_deep_link_to_a_defunct_code_opens_its_successor(national):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=60)
    at.query_params["area"] = "40305"
    at.run()
    assert not at.exception
    assert any("那珂川町" in i.value and "那珂川市（40231）" in i.value for i in at.info)
    assert at.query_params["area"] == ["40231"] or at.query_params["area"] == "40231"


def test_bundled_kurume_before_2005_is_a_break_marked_on_the_chart(bundled_db, monkeypatch):
    """The demo extract has 久留米市 but not the four towns it absorbed in 2005: before the change the series is
    the old city alone (complete = false), and the chart and caption say the series breaks there."""
    monkeypatch.setenv("POPDASH_DB", str(bundled_db))
    import queries
    from charts import dynamics as dcharts
    from queries import dynamics as dyn
    from queries import succession

    series = queries.vital_series("40203")
    official = series[series["source_id"] == "juki_dynamics"]
    fy2003 = official[(official["period"] == "FY2003") & (official["nationality"] == "japanese")].iloc[0]
    assert fy2003["codes"] == "40203" and not fy2003["complete"]
    assert official[official["period"] == "CY2021"]["complete"].all()
    sel = dyn.select_series(series, "juki_dynamics", "total")
    j = succession.in_series("40203", sel)
    assert j[["kind", "old_codes", "status", "first_row"]].values.tolist() == [
        ["absorption", "40482+40501+40521+40523", "break", "FY2004"]]
    marks = succession.marks("40203", sel, "ja")
    assert marks.to_dict("records") == [dict(period="FY2004", label="田主丸町・北野町・城島町・三潴町を編入（不連続）",
                                             status="break")]
    spec = dcharts.flow_bars(sel, "births", "deaths", "natural_change", {"births": "出生", "deaths": "死亡",
                             "natural_change": "自然増減"}, "ja", "t", marks).to_dict()
    def flat(layers, data=None):
        for layer in layers:
            yield from flat(layer["layer"], layer.get("data", data)) if "layer" in layer else [(layer, layer.get("data", data))]

    rules = [(layer, d) for layer, d in flat(spec["layer"]) if isinstance(layer.get("mark"), dict)
             and layer["mark"].get("type") == "rule" and layer["mark"].get("strokeDash") == [5, 4]]
    assert len(rules) == 1
    assert rules[0][0]["encoding"]["color"]["condition"]["value"] == dcharts.NEG  # breaks drawn in the outflow colour
    data = spec["datasets"][rules[0][1]["name"]]
    assert [(d["label"], d["status"]) for d in data] == [("2004年度", "break")]


def test_national_kurume_series_is_complete_across_2005(national):
    import queries
    from queries import dynamics as dyn
    from queries import succession

    sel = dyn.select_series(queries.vital_series("40203"), "juki_dynamics", "total")
    assert sel["complete"].all() and sel["period"].iat[0] == "FY1994"
    assert succession.in_series("40203", sel)["status"].tolist() == ["joined"]


def test_extract_warnings_for_a_prefecture(national):
    """The explorer's 福岡県 CY2015–2021 extract: 那珂川市 is the one area whose code changed in the range."""
    import queries
    from queries import succession

    fukuoka = queries.areas().query("pref_code == '40' and kind in ('city', 'town', 'village')")["area_code"]
    j = succession.joins_for(fukuoka, "2015-01-01", "2021-12-31")
    assert j[["area_code", "old_codes", "status"]].values.tolist() == [["40231", "40305", "joined"]]
    assert succession.joins_for(["40203"], "2015-01-01", "2021-12-31").empty
