"""Back-test (2015 base → 2020, 2022) of 久留米市 and of a village (東峰村) computed by hand from the register,
the empirical fan chart, the base year that follows the data, and the 精度 page."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import projection as pj
from store import official
from tests.conftest import open_page

DATES = ("2005-03-31", "2010-03-31", "2015-01-01", "2020-01-01", "2022-01-01")


def _japanese(db, area: str) -> dict[str, np.ndarray]:
    """Japanese persons [2, 17] (male, female × 0-4 … 75-79, 80+) of one area on each date, straight from SQL."""
    from store.official import open_readonly

    con = open_readonly(db)  # the same read-only configuration as the app's connection to this file
    df = con.execute("""SELECT CAST(ref_date AS VARCHAR) d, sex, nationality, age_group, sum(persons) p
        FROM population WHERE basis = 'juki' AND area_code = ? AND sex IN ('male', 'female')
        AND age_group <> 'total' GROUP BY ALL""", [area]).df()
    con.close()
    out = {}
    for d in DATES:
        g = df[df["d"] == d]
        arr = np.zeros((2, 17))
        for r in g.itertuples():
            lo = int(r.age_group.replace("+", "").split("-")[0]) // 5
            sign = -1 if r.nationality == "foreign" else 1
            if r.nationality in ("japanese", "total", "foreign"):
                arr[int(r.sex == "female"), min(lo, 16)] += sign * r.p
        out[d] = arr
    return out


def _by_hand(db, area: str) -> tuple[float, float]:
    """The method written out cell by cell: (projected Japanese 2020, projected 2022)."""
    nat, own = _japanese(db, "00000"), _japanese(db, area)
    windows = [("2005-03-31", "2010-03-31"), ("2010-03-31", "2015-01-01")]
    S = np.zeros((2, 17))
    for s in range(2):
        for a in range(17):
            ratios = []
            for t1, t2 in windows:
                if a < 15:
                    ratios.append(nat[t2][s, a + 1] / nat[t1][s, a])
                else:
                    ratios.append(nat[t2][s, 16] / (nat[t1][s, 15] + nat[t1][s, 16]))
            S[s, a] = min(sum(ratios) / len(ratios), 1.0)
    used = [(t1, t2) for t1, t2 in windows
            if own[t1].sum() > 0 and 0.8 <= own[t2].sum() / own[t1].sum() <= 1.25]
    M = np.zeros((2, 17))
    for s in range(2):
        for a in range(17):
            rates = []
            for t1, t2 in used:
                if a < 15 and own[t1][s, a] > 0:
                    rates.append((own[t2][s, a + 1] - own[t1][s, a] * S[s, a]) / own[t1][s, a])
                elif a >= 15 and own[t1][s, 15] + own[t1][s, 16] > 0:
                    rates.append((own[t2][s, 16] - own[t1][s, 15] * S[s, 15] - own[t1][s, 16] * S[s, 16])
                                 / (own[t1][s, 15] + own[t1][s, 16]))
            M[s, a] = sum(rates) / len(rates) if rates else 0.0
    base = own["2015-01-01"]
    cwr = base[:, 0].sum() / base[1, 3:10].sum()
    ratio = base[0, 0] / base[1, 0]
    pops = [base]
    for _ in range(2):
        p, new = pops[-1], np.zeros((2, 17))
        for s in range(2):
            for a in range(16):
                new[s, a + 1] = max(p[s, a] * (S[s, a] + M[s, a]), 0)
            new[s, 16] = max(new[s, 16] + p[s, 16] * (S[s, 16] + M[s, 16]), 0)
        kids = cwr * new[1, 3:10].sum()
        new[0, 0], new[1, 0] = kids * ratio / (1 + ratio), kids / (1 + ratio)
        pops.append(new)
    p20, p25 = pops[1].sum(), pops[2].sum()
    return p20, p20 * (p25 / p20) ** 0.4


def _row(db, monkeypatch, area: str) -> dict:
    monkeypatch.setenv("POPDASH_DB", str(db))
    from queries import projections as qp

    return qp.area_accuracy(area)


def test_kurume_backtest_by_hand(bundled_db, monkeypatch):
    row = _row(bundled_db, monkeypatch, "40203")
    p20, p22 = _by_hand(bundled_db, "40203")
    assert row["app_2020"] == pytest.approx(p20, rel=1e-9)
    assert row["app_2022"] == pytest.approx(p22, rel=1e-9)
    assert row["actual_2020"] == 300_821 and row["actual_2022"] == 298_897 and row["base_2015"] == 303_197
    assert row["pe_app_2020"] == pytest.approx(100 * (p20 - 300_821) / 300_821)
    assert round(row["pe_app_2020"], 2) == -0.44 and round(row["pe_app_2022"], 2) == -0.63
    # IPSS 2018: register total 2015 × IPSS growth 2015→2020 against the register total 2020
    implied = row["total_2015"] * row["ipss_2020"] / row["ipss_2015"]
    assert row["pe_ipss_2020"] == pytest.approx(100 * (implied - row["total_2020"]) / row["total_2020"])
    assert round(row["pe_ipss_2020"], 2) == 0.34


def test_village_backtest_by_hand(national_db, monkeypatch):
    row = _row(national_db, monkeypatch, "40448")  # 東峰村 (福岡県), a village of ~2,300
    p20, p22 = _by_hand(national_db, "40448")
    assert row["kind"] == "village" and row["size_class"] == 0
    assert row["app_2020"] == pytest.approx(p20, rel=1e-9) and row["app_2022"] == pytest.approx(p22, rel=1e-9)
    assert (row["base_2015"], row["actual_2020"], row["actual_2022"]) == (2349, 2070, 1967)
    assert round(row["pe_app_2020"], 2) == 1.70 and round(row["pe_app_2022"], 2) == 2.46
    assert round(row["pe_ipss_2020"], 2) == 2.20


def test_national_table_errors_shrink_with_size_and_grow_with_horizon(national_db, monkeypatch):
    monkeypatch.setenv("POPDASH_DB", str(national_db))
    from queries import projections as qp

    table = qp.accuracy_table().set_index("size_class")
    assert table.loc[-1, "app5_n"] > 1700  # every municipality with a 2015 base
    assert table.loc[0, "app5_median_ape"] > table.loc[7, "app5_median_ape"]
    assert (table["app7_median_ape"] > table["app5_median_ape"]).loc[list(range(8))].all()
    errors = qp._errors(official.cache_key())
    assert errors.ape.shape == (8, 2, 2) and (errors.slope[:, 1] > errors.slope[:, 0]).all()


def test_empirical_band_grows_with_horizon_and_is_ordered():
    pe = {5: np.array([1.0, -2.0, 3.0, -4.0] * 5 + [10.0] * 20), 7: np.array([1.4, -2.8, 4.2, -5.6] * 5 + [14.0] * 20)}
    classes = np.array([1] * 20 + [0] * 20)
    err = pj.empirical_errors(pe, classes, 2, levels=(50, 80))
    assert err.ape[1, 0, 0] == pytest.approx(np.percentile([1, 2, 3, 4] * 5, 50))
    band = pj.empirical_band(np.full(5, 1000.0), np.arange(2020, 2045, 5), 2020, np.array(1), err)
    assert np.all(band.low[0] == 1000) and np.all(np.diff(band.high[:, 1]) > 0)
    assert np.all(band.low[:, 1] <= band.low[:, 0]) and np.all(band.high[:, 0] <= band.high[:, 1])
    small = pj.empirical_band(np.full(5, 1000.0), np.arange(2020, 2045, 5), 2020, np.array(0), err)
    assert np.all(small.half_width_pct[1:] > band.half_width_pct[1:])  # smaller areas, wider band
    # the slope through the origin: APE_q(h) = b·h fitted on horizons 5 and 7
    b = (5 * err.ape[1, 0, 0] + 7 * err.ape[1, 1, 0]) / (25 + 49)
    assert band.half_width_pct[1, 0] == pytest.approx(5 * b)


def test_base_year_follows_the_data():
    from queries.projections import estimation_plan

    today = [dt.date(y, 1, 1) for y in range(2015, 2023)]
    assert estimation_plan(today) == {"base_year": 2020, "windows": ((2015, 2020), (2016, 2021), (2017, 2022)),
                                      "cwr_year": 2022, "latest": 2022}
    newer = [dt.date(y, 1, 1) for y in range(2015, 2026)]
    plan = estimation_plan(newer)
    assert plan["base_year"] == 2025 and plan["windows"] == ((2018, 2023), (2019, 2024), (2020, 2025))
    with pytest.raises(ValueError):
        estimation_plan([dt.date(2016, 1, 1), dt.date(2017, 1, 1)])


def test_page_shows_base_fan_and_city_comparison(bundled_db, monkeypatch):
    at = open_page(bundled_db, monkeypatch, "pages/projection.py", 60, area="40203")
    text = " ".join(c.value for c in at.caption)
    assert "基準: 住民基本台帳 2020年1月1日" in text and "経験的予測区間" in text
    assert "5年間の純移動率" in text and "市 +1,486人" in text and "市 +12,026人" in text
    spec = [c for c in at.get("vega_lite_chart")][0].proto.spec
    assert "band50" in spec and "band80" in spec
    asfr = open_page(bundled_db, monkeypatch, "pages/projection.py", 60, area="40203", bm="asfr")
    assert "年齢別出生率＝合計特殊出生率" in " ".join(c.value for c in asfr.caption)


def test_accuracy_page(bundled_db, monkeypatch):
    at = open_page(bundled_db, monkeypatch, "pages/accuracy.py", 60, area="40203")
    assert "久留米市: 本アプリ 2020年 △0.44%・2022年 △0.63%、社人研 2020年 +0.34%" in " ".join(m.value for m in at.markdown)
    assert len(at.dataframe) == 1 and isinstance(at.dataframe[0].value, pd.DataFrame)
    shown = at.dataframe[0].value
    assert (shown["市区町村数"] > 0).all() and shown.iloc[-1]["市区町村数"] == 6  # no empty size class on the demo data
