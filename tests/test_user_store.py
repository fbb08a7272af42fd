"""The user store (store.user): one owner for imports, KPI actuals and the playlist; row-level writes with history;
many writers lose nothing; an old KPI sheet cannot silently revert a newer edit (issue 15, defects 1 and 2)."""
from __future__ import annotations

import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import settings
from loaders import importer
from loaders import kpi as sheet
from loaders.errors import LoaderError
from store.user import UserStore
from tests.conftest import REPO
from tests.test_kpi_page import open_page as kpi_page
from tests.test_import import check, estat, row

SRC = {"publisher": "総務省統計局", "title": "人口推計", "retrieved": "2025-04-14"}


@pytest.fixture()
def user_db(tmp_path, monkeypatch):
    path = tmp_path / "user" / "user.duckdb"
    monkeypatch.setenv("POPDASH_USER_DB", str(path))
    return path



def value(kpi_id: str, period: str, v: float | None, text: str | None = None) -> pd.DataFrame:
    return pd.DataFrame([{"kpi_id": kpi_id, "period": period, "value": v, "value_text": text, "note": None,
                          "judgement": None}])



# ---------------------------------------------------------------- defect 1: one store, nothing overwritten

def test_import_and_kpi_save_share_the_store_and_keep_each_other(known, user_db, bundled_db, monkeypatch):
    # Before: importer and KPI store both read POPDASH_USER_DB; a KPI save rewrote the whole file (imports gone) and
    # after an import the KPI page raised "table kpi_user_values does not exist".
    assert importer.append(check("a.csv", estat(row()), known), SRC) == 1
    at = kpi_page(bundled_db, monkeypatch, area="40203", plan="kama3")  # no traceback after an import
    assert UserStore().save_kpi(value("kama3_k02", "FY2025", 12.0)) == 1
    assert importer.list_imports()["file_name"].tolist() == ["a.csv"]  # the import survived the KPI save
    assert importer.append(check("b.csv", estat(row(area="40212", name="大川市", value="33,000")), known), SRC) == 2
    assert UserStore().kpi_values()[["kpi_id", "value"]].values.tolist() == [["kama3_k02", 12.0]]  # and vice versa
    UserStore().save_playlist([{"title": "人口", "url": "/?area=40203"}])
    assert importer.delete_import(1) == 1
    assert len(UserStore().kpi_values()) == 1 and UserStore().playlist()[0]["title"] == "人口"
    at.run()
    assert not at.exception


# ---------------------------------------------------------------- defect 2: many writers

def test_twenty_threads_and_two_on_the_same_kpi_lose_nothing(user_db):
    store = UserStore()
    store.save_kpi(value("seed", "FY2020", 0.0))  # the file exists, so every thread writes, none creates it
    barrier = threading.Barrier(22)
    errors = []

    def save(kpi_id: str, v: float, who: str):
        try:
            barrier.wait()
            UserStore().save_kpi(value(kpi_id, "FY2025", v), by=who)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(f"k{i:02d}", float(i), f"user{i}")) for i in range(20)]
    threads += [threading.Thread(target=save, args=("same", v, who)) for v, who in ((1.0, "山田"), (2.0, "佐藤"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    cur = store.kpi_values().set_index("kpi_id")
    assert all(cur.loc[f"k{i:02d}", "value"] == i and cur.loc[f"k{i:02d}", "saved_by"] == f"user{i}" for i in range(20))
    hist = store.kpi_history()
    same = hist[hist["kpi_id"] == "same"]
    assert sorted(same["value"]) == [1.0, 2.0]  # both edits kept in the history ...
    later = same.sort_values("change_id").iloc[-1]
    assert cur.loc["same", "value"] == later["value"] and cur.loc["same", "saved_by"] == later["saved_by"]  # ... the later current
    first = same.sort_values("change_id").iloc[0]
    assert later["old_value"] == first["value"] and pd.isna(first["old_value"])  # and what each replaced
    assert len(hist) == 23 and hist["change_id"].is_unique


WRITER = """
import sys
from store.user import UserStore
import pandas as pd
who, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    UserStore(sys.argv[3]).save_kpi(pd.DataFrame([{"kpi_id": f"{who}_{i}", "period": "FY2025", "value": float(i)}]), by=who)
"""


def test_two_processes_writing_at_once_lose_nothing(user_db):
    # two server workers (processes) share the file: each operation opens it, so they take turns
    UserStore().save_kpi(value("seed", "FY2020", 0.0))
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, who, "15", str(user_db)], cwd=REPO,
                              stderr=subprocess.PIPE) for who in ("w1", "w2")]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()[-2000:]
    cur = UserStore().kpi_values()
    assert len(cur) == 31 and set(cur["saved_by"]) == {"w1", "w2", settings.default_user_name()}


def test_postgresql_unreachable_is_a_message_not_a_traceback(tmp_path):
    store = UserStore(f"postgresql://popdash@/nothing?host={tmp_path}&port=1")
    with pytest.raises(LoaderError) as exc:
        store.save_kpi(value("k", "FY2025", 1.0))
    assert "接続できません" in exc.value.message("ja") and "cannot connect" in exc.value.message("en")
    assert "統計の表示はそのまま使えます" in exc.value.message("ja")
    assert store.name() == "postgresql://popdash@/nothing"  # shown without password or socket options


# ---------------------------------------------------------------- both back ends: the same behaviour

@pytest.fixture(params=["duckdb", "postgresql"])
def any_store(request, tmp_path, monkeypatch) -> UserStore:
    url = str(tmp_path / "u" / "user.duckdb") if request.param == "duckdb" else request.getfixturevalue("postgres_url")
    monkeypatch.setenv("POPDASH_USER_DB", url)
    return UserStore()


def test_values_history_and_playlist_on_both_back_ends(any_store):
    assert any_store.kpi_values().empty and any_store.playlist() == []
    before = any_store.stamp()
    assert any_store.save_kpi(value("kama3_k02", "FY2025", 12.0), by="山田") == 1
    assert any_store.stamp() != before
    assert any_store.save_kpi(value("kama3_k02", "FY2025", 13.0, "13件"), by="佐藤") == 1
    assert any_store.save_kpi(pd.DataFrame(columns=sheet.VALUE_FIELDS), clear=[("kama3_k02", "FY2025"), ("x", "FY1")]) == 1
    h = any_store.kpi_history()
    assert h["action"].tolist() == ["set", "set", "clear"] and h["saved_by"].tolist()[:2] == ["山田", "佐藤"]
    assert pd.isna(h["old_value"].iloc[0]) and h["old_value"].tolist()[1:] == [12.0, 13.0]
    assert any_store.kpi_values().empty
    any_store.save_playlist([{"title": "人口", "url": "/?area=40203", "spec": {"mark": "bar"}, "notes": "最初に"}])
    assert any_store.playlist() == [{"title": "人口", "url": "/?area=40203", "spec": {"mark": "bar"}, "caption": "",
                                     "notes": "最初に"}]
    bad = pd.concat([value("a", "FY2025", 1.0), value(None, "FY2025", 2.0)], ignore_index=True)
    with pytest.raises(Exception):
        any_store.save_kpi(bad)  # the second row breaks NOT NULL: the first is rolled back with it
    assert any_store.kpi_values().empty and len(any_store.kpi_history()) == 3


def test_concurrent_writers_on_both_back_ends(any_store):
    any_store.save_kpi(value("seed", "FY2020", 0.0))
    barrier = threading.Barrier(20)
    errors = []

    def save(i):
        try:
            barrier.wait()
            UserStore(any_store.url).save_kpi(value("same" if i < 2 else f"k{i}", "FY2025", float(i)), by=f"u{i}")
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    cur = any_store.kpi_values()
    assert len(cur) == 20
    hist = any_store.kpi_history()
    same = hist[hist["kpi_id"] == "same"].sort_values("change_id")
    assert len(same) == 2 and cur.set_index("kpi_id").loc["same", "value"] == same["value"].iloc[-1]
    assert same["old_value"].iloc[-1] == same["value"].iloc[0]


# ---------------------------------------------------------------- defect 2: an old sheet uploaded after a newer edit

def old_sheet(bundled_db, exported_at: datetime) -> bytes:
    """The kama2 KPI sheet as exported at `exported_at` (published values only: FY2024 婚活イベント is 「—」)."""
    from store.official import open_readonly

    con = open_readonly(bundled_db)
    try:
        defs = con.execute("SELECT * FROM kpi_defs WHERE plan_id = 'kama2' ORDER BY kpi_id").df()
        pub = con.execute("SELECT * FROM kpi_values WHERE kpi_id LIKE 'kama2_%'").df()
    finally:
        con.close()
    from kpi import tracker

    frame = sheet.sheet_frame(defs, tracker.merge_values(pub, pd.DataFrame(), pd.DataFrame()), "嘉麻市", "ja",
                              exported_at=exported_at)
    assert frame.loc[(frame["KPI ID"] == "kama2_k09") & (frame["期間"] == "FY2024"), "実績値"].tolist() == ["—"]
    assert frame["出力日時"].str.endswith("+09:00").all()
    return sheet.to_csv(frame)


def test_old_sheet_cannot_silently_revert_a_newer_edit(bundled_db, user_db, monkeypatch):
    exported = datetime.now(timezone.utc) - timedelta(minutes=5)
    data = old_sheet(bundled_db, exported)
    UserStore().save_kpi(value("kama2_k09", "FY2024", 3.0, "3組"), by="山田")  # edited in the app after the export
    at = kpi_page(bundled_db, monkeypatch, area="40227", plan="kama2", asof="FY2024")
    at.file_uploader(key="kpi_file").set_value(("kama2_old.csv", data, "text/csv")).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    preview = [d.value for d in at.dataframe if "status" in d.value.columns][0]
    row = preview[preview["kpi"] == "婚活イベントにおけるカップル成立数"].iloc[0]
    assert (row["period"], row["current"], row["new"]) == ("2024年度", "3組（利用者入力）", "—")
    assert "出力後にアプリで変更済み" in row["status"] and "山田" in row["status"] and row["_row"] > 1
    assert " → " in row["grade"]
    assert any("上書きしてよいか確認" in w.value for w in at.warning)
    at.button(key="kpi_import_save").click().run()  # saved without confirming: the newer edit stays
    cur = UserStore().kpi_values().set_index(["kpi_id", "period"])
    assert cur.loc[("kama2_k09", "FY2024"), "value"] == 3.0
    # confirming overwrites, and the history keeps both
    at.file_uploader(key="kpi_file").set_value(("kama2_old.csv", data, "text/csv")).run()
    at.checkbox(key="kpi_import_overwrite").check().run()
    at.button(key="kpi_import_save").click().run()
    cur = UserStore().kpi_values().set_index(["kpi_id", "period"])
    assert cur.loc[("kama2_k09", "FY2024"), "value_text"] == "—" and pd.isna(cur.loc[("kama2_k09", "FY2024"), "value"])
    hist = UserStore().kpi_history()
    hist = hist[hist["kpi_id"] == "kama2_k09"]
    assert hist["old_value"].tolist()[-1] == 3.0 and hist["saved_by"].tolist()[0] == "山田"


def test_a_sheet_exported_after_the_edit_is_not_flagged(bundled_db, user_db):
    UserStore().save_kpi(value("kama2_k09", "FY2024", 3.0, "3組"))
    rows = pd.DataFrame([{"kpi_id": "kama2_k09", "period": "FY2024", "value": 4.0, "value_text": None,
                          "exported_at": pd.Timestamp.now(tz="UTC").tz_localize(None) + pd.Timedelta(seconds=1)},
                         {"kpi_id": "kama2_k09", "period": "FY2023", "value": 4.0, "value_text": None, "exported_at": None}])
    assert sheet.stale_rows(rows, UserStore().kpi_values()).tolist() == [False, False]
    # no export time (a hand-made sheet) over a value entered in the app: flagged
    assert sheet.stale_rows(rows.assign(period="FY2024", exported_at=None), UserStore().kpi_values()).tolist() == [True, True]


# ---------------------------------------------------------------- files of earlier versions

def test_files_of_the_previous_version_are_migrated(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "USER_DIR", tmp_path)
    monkeypatch.delenv("POPDASH_USER_DB", raising=False)
    con = duckdb.connect(str(tmp_path / "kpi.duckdb"))
    cols = ("kpi_id VARCHAR, period VARCHAR, value DOUBLE, value_text VARCHAR, note VARCHAR, judgement VARCHAR, "
            "saved_at TIMESTAMP")
    con.execute(f"CREATE TABLE kpi_user_values ({cols})")
    con.execute(f"CREATE TABLE kpi_user_history ({cols}, action VARCHAR, batch INTEGER)")
    con.execute("INSERT INTO kpi_user_values VALUES ('kama3_k02', 'FY2025', 12, '12件', NULL, NULL, '2026-11-01 10:00:00')")
    con.execute("INSERT INTO kpi_user_history VALUES ('kama3_k02', 'FY2025', 12, '12件', NULL, NULL, '2026-11-01 10:00:00', 'set', 1)")
    con.close()
    con = duckdb.connect(str(tmp_path / "imports.duckdb"))
    con.execute("CREATE TABLE imports (import_id INTEGER, file_name VARCHAR)")
    con.execute("INSERT INTO imports VALUES (1, 'a.csv')")
    con.close()
    (tmp_path / "playlist.json").write_text('[{"title": "人口", "url": "/?area=40203"}]', encoding="utf-8")
    store = UserStore()
    assert store.kpi_values()[["kpi_id", "value", "value_text"]].values.tolist() == [["kama3_k02", 12.0, "12件"]]
    assert store.kpi_history()["action"].tolist() == ["set"]
    assert store.playlist() == [{"title": "人口", "url": "/?area=40203", "spec": None, "caption": "", "notes": ""}]
    with store.reading() as con:
        assert con.execute("SELECT file_name FROM imports").fetchall() == [("a.csv",)]
    assert (tmp_path / "kpi.duckdb").exists()  # earlier files are left in place


# ---------------------------------------------------------------- imports on both back ends

def test_imports_explorer_and_console_on_both_back_ends(any_store, known, bundled_db, tmp_path, monkeypatch):
    from queries import explorer as ex
    from queries import sandbox

    monkeypatch.setenv("POPDASH_DB", str(bundled_db))
    first = check("a.csv", estat(row(), row(sex="男", value="144,000")), known)
    assert importer.append(first, SRC) == 1
    with pytest.raises(LoaderError) as info:  # the same rows again: refused, naming the earlier import
        importer.append(check("a2.csv", estat(row()), known), SRC)
    assert "#1" in info.value.message("ja")
    assert importer.append(check("b.csv", estat(row(area="40212", name="大川市", value="33,000")), known), SRC) == 2
    assert importer.list_imports()["file_name"].tolist() == ["a.csv", "b.csv"]
    assert "population" in ex.tables("user")
    with any_store.analytics() as con:
        assert con.execute("SELECT sum(persons) FROM population").fetchone()[0] == 303_316 + 144_000 + 33_000
    user_file = any_store.duckdb_file(tmp_path / "console")
    r = sandbox.run("SELECT count(*) AS n FROM imports.population", bundled_db, user_file, time_limit=10)
    assert r.frame["n"].tolist() == [3]
    assert importer.delete_import(1) == 2 and importer.list_imports()["import_id"].tolist() == [2]
    any_store.save_kpi(value("kama3_k02", "FY2025", 12.0))  # KPI values and imports never touch each other
    assert importer.list_imports()["import_id"].tolist() == [2] and len(any_store.kpi_values()) == 1


PAGES = ["app.py", "pages/natural_change.py", "pages/projection.py", "pages/kpi_tracker.py", "pages/data_explorer.py",
         "pages/import_data.py", "pages/sql_console.py"]


@pytest.mark.parametrize("page", PAGES)
def test_pages_work_when_postgresql_is_unreachable(page, bundled_db, tmp_path, monkeypatch):
    monkeypatch.setenv("POPDASH_DB", str(bundled_db))
    monkeypatch.setenv("POPDASH_USER_DB", f"postgresql://popdash@/nothing?host={tmp_path}&port=1")
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    at.query_params["area"] = "40203"
    if page != "app.py":
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("利用者データベース（PostgreSQL）に接続できません" in w.value for w in at.sidebar.warning)
    assert at.title and at.title[0].value  # the page itself is drawn on the official database


def test_a_failed_save_is_reported(bundled_db, tmp_path, monkeypatch):
    monkeypatch.setenv("POPDASH_USER_DB", f"postgresql://popdash@/nothing?host={tmp_path}&port=1")
    at = kpi_page(bundled_db, monkeypatch, area="40203", plan="kama3")
    base = at.data_editor[0].value
    row = int(base.index[base["kpi_id"] == "kama3_k02"][0])
    at.session_state["kpi_edit"] = {"edited_rows": {row: {"value": "12件"}}, "added_rows": [], "deleted_rows": []}
    [b for b in at.button if b.label == "保存"][0].click().run()
    assert not at.exception and not at.success
    assert any("接続できません" in e.value for e in at.error)


def test_kpi_page_saves_to_postgresql(bundled_db, postgres_url, monkeypatch):
    monkeypatch.setenv("POPDASH_USER_DB", postgres_url)
    at = kpi_page(bundled_db, monkeypatch, area="40203", plan="kama3")
    base = at.data_editor[0].value
    row = int(base.index[base["kpi_id"] == "kama3_k02"][0])
    at.session_state["kpi_edit"] = {"edited_rows": {row: {"value": "12件"}}, "added_rows": [], "deleted_rows": []}
    [b for b in at.button if b.label == "保存"][0].click().run()
    assert not at.exception and [s.value for s in at.success] == ["1 件を保存しました（利用者データベース）。"]
    assert UserStore(postgres_url).kpi_values()[["kpi_id", "value"]].values.tolist() == [["kama3_k02", 12.0]]
    assert not at.sidebar.warning
