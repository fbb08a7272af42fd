"""A half-written or damaged official file never replaces the national database (issue 15, defect 3).

Every bad input is made in the test from the real raw files: the age table gzip cut at 50 % and re-gzipped (a
valid gzip whose content stops mid-line), a line with a field removed, an age group altered so the sums differ,
a previous build that covers more periods than the new one, a build killed with SIGKILL, bytes that are not
CP932 text. Each goes through `loaders.build.main` (the command line) where the build is concerned, and the
previous database must be byte-identical afterwards with no temporary file left next to it.

Small builds use the Fukuoka rows (plus 全国 and every prefecture) of the real 2013–2022 tables, kept byte for byte.
"""
from __future__ import annotations

import csv
import gzip
import hashlib
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from loaders import build, fertility, ipss, juki, migration_od, youth_migration
from loaders.errors import LoaderError
from loaders.files import decode_text, read_csv_checked, read_text
from store.official import open_readonly

REPO = Path(__file__).resolve().parents[1]
JUKI = "juki_municipal_population_dynamics"
AGE = "juki_age5_sex_total_2013_2022.csv.gz"
AGE_FOREIGN = "juki_age5_sex_foreign_2013_2022.csv.gz"
DYN = {t: f"juki_dynamics_{t}_2013_2022.csv.gz" for t in ("total", "japanese", "foreign")}
TOTALS = "daicho_estat_municipal_total_japanese_foreign_2013_2025.csv"


# ---------------------------------------------------------------- fixtures made from the real files

def real_lines(path: Path) -> list[bytes]:
    """The lines (with their line breaks) of a real file, decompressed when .gz."""
    data = path.read_bytes()
    return (gzip.decompress(data) if path.suffix == ".gz" else data).splitlines(keepends=True)


def fukuoka(lines: list[bytes]) -> list[bytes]:
    """Header + the rows of 全国, the prefectures and Fukuoka's municipalities (column code5), unchanged."""
    k = lines[0].split(b",").index(b"code5")
    return [lines[0]] + [line for line in lines[1:]
                         if (c := line.split(b",")[k]) == b"" or c.endswith(b"000") or c.startswith(b"40")]


@pytest.fixture(scope="module")
def fukuoka_files(juki_dir) -> dict[str, list[bytes]]:
    """Fukuoka subsets of the 2013–2022 dynamics (総計/日本人/外国人) and age (総計/外国人) tables."""
    return {name: fukuoka(real_lines(juki_dir / name)) for name in [*DYN.values(), AGE, AGE_FOREIGN]}


def write_raw(root: Path, files: dict[str, list[bytes] | bytes]) -> Path:
    """A raw folder holding only a 住民基本台帳 folder with `files`: bytes as the file's bytes, lines joined (and
    gzip-compressed when the name ends in .gz)."""
    folder = root / JUKI
    folder.mkdir(parents=True)
    for name, content in files.items():
        if not isinstance(content, bytes):
            content = b"".join(content)
            content = gzip.compress(content) if name.endswith(".gz") else content
        (folder / name).write_bytes(content)
    return root


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def previous(tmp_path, bundled_db) -> Path:
    """A previous database at <tmp>/db/national.duckdb (a copy of the bundled build)."""
    out = tmp_path / "db" / "national.duckdb"
    out.parent.mkdir()
    shutil.copyfile(bundled_db, out)
    return out


def refused(capsys, argv: list[str], out: Path) -> str:
    """Run the build command line expecting exit 2 with `out` untouched; return stderr."""
    before = digest(out)
    assert build.main(argv) == 2
    err = capsys.readouterr().err
    assert "エラー / error" in err and " / " in err  # Japanese, then English
    assert digest(out) == before, "the previous database changed"
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name], "temporary files left next to the database"
    return err


def national(raw: Path, out: Path, *extra: str) -> list[str]:
    return ["national", "--raw", str(raw), "--out", str(out), *extra]


# ---------------------------------------------------------------- 1. cut files and short lines

def test_valid_gzip_cut_at_half_is_refused(tmp_path, juki_dir, fukuoka_files, previous, capsys):
    """The age table decompressed, cut after half of its bytes and re-gzipped: a valid gzip whose content stops in
    the middle of a line. It used to build with exit 0 (2019–2021 age rows gone, a partial last row stored)."""
    content = gzip.decompress((juki_dir / AGE).read_bytes())
    cut = content[: len(content) // 2]
    blob = gzip.compress(cut)
    assert gzip.decompress(blob) == cut  # the gzip itself is intact
    last = cut.decode("utf-8").split("\n")[-1].split(",")
    line = cut.count(b"\n") + 1
    raw = write_raw(tmp_path / "raw", {DYN["total"]: fukuoka_files[DYN["total"]], AGE: blob})
    err = refused(capsys, national(raw, previous), previous)
    header = content.split(b"\n", 1)[0].decode("utf-8-sig").split(",")
    assert last[4] == "01547" and len(last) == 9 + 7  # as reported: 7 of the 21 age groups of area 01547
    assert f"{AGE}、{line}行目、列「{letter(len(last))} ({header[len(last)]})」" in err  # first column not reached
    assert f"{AGE}, row {line}, column '{letter(len(last))} ({header[len(last)]})'" in err
    assert f"見出し {len(header)} 列のうち {len(last)} 列" in err and "途中で切れています" in err
    assert "without a line break" in err and "truncated" in err


def test_file_cut_inside_a_character_is_refused(tmp_path, juki_dir, fukuoka_files, previous, capsys):
    """Cut between the bytes of one UTF-8 character (a name): refused as truncated, not read as CP932."""
    content = gzip.decompress((juki_dir / AGE).read_bytes())
    at = content.index("士別市".encode(), len(content) // 2) + 1  # inside 士
    raw = write_raw(tmp_path / "raw", {DYN["total"]: fukuoka_files[DYN["total"]], AGE: gzip.compress(content[:at])})
    err = refused(capsys, national(raw, previous), previous)
    line = content[:at].count(b"\n") + 1
    assert f"{AGE}、{line}行目: ファイルが文字の途中で終わっています" in err and "truncated" in err


@pytest.mark.parametrize("which", [AGE, DYN["total"]])
def test_line_with_a_field_removed_is_refused(tmp_path, fukuoka_files, previous, capsys, which):
    """pandas pads a short line with empty cells; the build now refuses it, naming file, line and column."""
    files = dict(fukuoka_files)
    lines = list(files[which])
    k = 200
    fields = lines[k].split(b",")
    lines[k] = b",".join(fields[:9] + fields[10:])  # one field (the 10th) taken out of the middle
    files[which] = lines
    err = refused(capsys, national(write_raw(tmp_path / "raw", files), previous), previous)
    header = lines[0].decode("utf-8-sig").rstrip("\n").split(",")
    assert f"{which}、{k + 1}行目、列「{letter(len(header) - 1)} ({header[-1]})」" in err
    assert f"見出しは {len(header)} 列ですが、この行は {len(header) - 1} 列しかありません" in err


def letter(j: int) -> str:
    from loaders.importer_read import letter as col

    return col(j)


def _drop_last_field(line: str) -> str:
    """The line without its last field (quoted fields may hold commas)."""
    return line[: line.rindex(',"')] if line.endswith('"') else line[: line.rindex(",")]


READERS = [  # (folder, file, reader, encoding, line to damage (1-based))
    (JUKI, TOTALS, juki.read_totals_csv, "utf-8", 100),
    ("ipss_projection_2018_municipal", ipss.FILE, ipss.read_projection, "utf-8", 100),
    ("migration_prefecture_od", "estat_idou_2021_net_migration_od_age5_sex_nationality.csv",
     migration_od.read_net_od_csv, "utf-8", 100),
    ("municipal_youth_net_migration", "pop_move2021.csv", youth_migration.read_youth_table, "cp932", 100),
    ("national_fertility_mortality_projections", fertility.PREFECTURE_FILE, fertility.read_prefectures, "utf-8", 10),
    ("national_fertility_mortality_projections", fertility.NATIONAL_FILE, fertility.read_national, "utf-8", 20),
]


def _damaged_copy(raw_dir: Path, tmp_path: Path, folder: str, name: str, encoding: str, edit) -> Path:
    text = (raw_dir / folder / name).read_bytes().decode(encoding)
    path = tmp_path / name
    path.write_bytes(edit(text).encode(encoding))
    return path


@pytest.mark.parametrize("folder, name, reader, encoding, k", READERS, ids=[r[1] for r in READERS])
def test_every_csv_reader_refuses_a_short_line(raw_dir, tmp_path, folder, name, reader, encoding, k):
    def edit(text):
        lines = text.split("\n")
        lines[k - 1] = _drop_last_field(lines[k - 1].rstrip("\r"))
        return "\n".join(lines)

    path = _damaged_copy(raw_dir, tmp_path, folder, name, encoding, edit)
    with pytest.raises(LoaderError) as info:
        reader(path)
    assert (info.value.file, info.value.row) == (str(path), k)
    assert "列しかありません" in info.value.message("ja") and "fewer than the header" in info.value.message("en")


@pytest.mark.parametrize("folder, name, reader, encoding, k", READERS, ids=[r[1] for r in READERS])
def test_every_csv_reader_refuses_a_file_cut_inside_its_last_line(raw_dir, tmp_path, folder, name, reader, encoding, k):
    """The file ends in the middle of a line (no line break): fewer fields, or a quote never closed."""
    holder = {}

    def edit(text):
        lines = text.rstrip("\r\n").split("\n")
        while not lines[-1].strip(",\r "):
            lines.pop()  # separator lines (",,") at the end of a report table
        last = lines[-1].rstrip("\r")
        comma = last.index(",", len(last) // 2)
        if comma == last.rindex(","):
            comma = last.rindex(",", 0, comma)  # a cut inside the last field: see test_cut_inside_the_last_field
        holder["line"] = len(lines)
        return "\n".join(lines[:-1] + [last[:comma + 2]])  # ends just inside the field after `comma`

    path = _damaged_copy(raw_dir, tmp_path, folder, name, encoding, edit)
    with pytest.raises(LoaderError) as info:
        reader(path)
    assert (info.value.file, info.value.row) == (str(path), holder["line"])
    assert "切れて" in info.value.message("ja") and "truncated" in info.value.message("en")


LAST_FIELD_SUMS = [  # readers of files whose last field is a published part of a published total
    (JUKI, TOTALS, juki.read_totals_csv, "総人口"),                                    # 外国人人口
    ("ipss_projection_2018_municipal", ipss.FILE, ipss.read_projection, "total:90歳以上"),  # 女 90歳以上
    ("migration_prefecture_od", "estat_idou_2021_net_migration_od_age5_sex_nationality.csv",
     migration_od.read_net_od_csv, "Z (90歳以上)"),  # 女 90歳以上 cut: 総数 90歳以上 (column Z) ≠ 男 + 女
]


@pytest.mark.parametrize("folder, name, reader, column", LAST_FIELD_SUMS, ids=[r[1] for r in LAST_FIELD_SUMS])
def test_cut_inside_the_last_field(raw_dir, tmp_path, folder, name, reader, column):
    """A file cut inside the last field of its last line keeps every field (some published files end without a
    line break, so that alone proves nothing); the cut number is caught because it no longer adds up. (A file
    whose last field has no published total, e.g. a TFR, cannot be checked this way.)"""
    def edit(text):
        lines = [line.rstrip("\r") for line in text.rstrip("\r\n").split("\n")]
        digits = [len(line.rsplit(",", 1)[1].strip().lstrip("-")) for line in lines]
        k = max(k for k in range(1, len(lines)) if digits[k] >= 2)  # the last line whose last number has 2+ digits
        keep = len(lines[k]) - digits[k] + 1  # up to the sign and first digit of that number
        holder["line"] = k + 1
        return "\n".join(lines[:k] + [lines[k][:keep]])

    holder = {}
    path = _damaged_copy(raw_dir, tmp_path, folder, name, "utf-8", edit)
    with pytest.raises(LoaderError) as info:
        reader(path)
    assert (info.value.file, info.value.row, info.value.column) == (str(path), holder["line"], column)


# ---------------------------------------------------------------- 2. totals = sum of parts

def _edit_row(lines: list[bytes], match, **changes) -> list[bytes]:
    """Lines with `changes` (column -> function of the old int) applied to every row where match(row dict)."""
    header = lines[0].decode("utf-8-sig").rstrip("\n").split(",")
    out = [lines[0]]
    for line in lines[1:]:
        fields = line.decode().rstrip("\n").split(",")
        row = dict(zip(header, fields))
        if match(row):
            for col, fn in changes.items():
                fields[header.index(col)] = str(fn(int(row[col])))
            line = (",".join(fields) + "\n").encode()
        out.append(line)
    return out


def _line_of(lines: list[bytes], match) -> int:
    header = lines[0].decode("utf-8-sig").rstrip("\n").split(",")
    return next(i + 1 for i, line in enumerate(lines)
                if i and match(dict(zip(header, line.decode().rstrip("\n").split(",")))))


KURUME_2022 = {"code5": "40203", "ref_date": "2022-01-01"}


def _is(**want):
    return lambda row: all(row.get(k) == v for k, v in want.items())


@pytest.mark.parametrize("sexes, delta, column, words", [
    (("計", "男"), +1, "total", "を超えています"),           # age groups sum to more than 総数
    (("計", "男"), -100, "total", "年齢不詳として認める 30 人"),  # 100 persons missing from the age groups
    (("計",), -1, "age_20_24", "計 "),                       # 計 ≠ 男 + 女 in that age group
])
def test_altered_age_group_is_refused(tmp_path, fukuoka_files, previous, capsys, sexes, delta, column, words):
    files = dict(fukuoka_files)
    lines = files[AGE]
    for sex in sexes:
        lines = _edit_row(lines, _is(**KURUME_2022, sex=sex), age_20_24=lambda v: v + delta)
    files[AGE] = lines
    err = refused(capsys, national(write_raw(tmp_path / "raw", files), previous), previous)
    row = _line_of(lines, _is(**KURUME_2022, sex="計"))
    assert f"{AGE}、{row}行目、列「{column}」" in err and words in err
    assert "40203" in err and "久留米市" in err and "2022-01-01" in err


def test_japanese_plus_foreign_must_equal_total(tmp_path, fukuoka_files, previous, capsys):
    files = dict(fukuoka_files)
    files[DYN["japanese"]] = _edit_row(files[DYN["japanese"]], _is(**KURUME_2022), births=lambda v: v + 1,
                                       total_in=lambda v: v + 1, change=lambda v: v + 1,
                                       natural_change=lambda v: v + 1)
    err = refused(capsys, national(write_raw(tmp_path / "raw", files), previous), previous)
    row = _line_of(files[DYN["total"]], _is(**KURUME_2022))
    assert f"{DYN['total']}、{row}行目、列「births」" in err and "日本人住民" in err and "外国人住民" in err
    assert "40203 久留米市, 2022-01-01" in err and DYN["japanese"] in err


def test_male_plus_female_must_equal_total(tmp_path, fukuoka_files, previous, capsys):
    files = dict(fukuoka_files)
    files[DYN["foreign"]] = _edit_row(files[DYN["foreign"]], _is(**KURUME_2022), pop_male=lambda v: v - 3)
    err = refused(capsys, national(write_raw(tmp_path / "raw", files), previous), previous)
    row = _line_of(files[DYN["foreign"]], _is(**KURUME_2022))
    assert f"{DYN['foreign']}、{row}行目、列「pop_total」" in err and "pop_male + pop_female" in err


def test_totals_table_total_is_japanese_plus_foreign(raw_dir, tmp_path):
    path = _damaged_copy(raw_dir, tmp_path, JUKI, TOTALS, "utf-8",
                         lambda t: t.replace(",303052,", ",303053,", 1))  # 久留米市 2022 総人口
    with pytest.raises(LoaderError) as info:
        juki.read_totals_csv(path)
    assert info.value.column == "総人口" and "日本人人口 + 外国人人口" in info.value.message("ja")


def test_real_age_tables_gap_is_unknown_age_and_suppressed_foreign(juki_dir):
    """Why UNKNOWN_AGE_TOLERANCE is 30: in the real files 総数 − Σ age groups is at most 17 persons (全国,
    2000-03-31, Japanese table) and, in the 総計 tables, the foreign residents whose ages are not published plus at
    most 13 (全国 2018-01-01); e.g. 夕張市 2013: 88 = all its foreign residents (no foreign age detail)."""
    def gap(name):
        f = read_csv_checked(juki_dir / name, [], dtype=str, private_use_columns=juki.NAME_COLUMNS)
        ages = [c for c in juki.AGE_COLUMNS if c in f.columns]
        num = f[["total", *ages]].apply(lambda s: pd.to_numeric(s, errors="coerce"))  # X and blank: not published
        f = f.assign(gap=num["total"] - num[ages].sum(axis=1), code5=f["code5"].fillna(""))
        return f.set_index(["ref_date", "code5", "sex"])
    japanese = gap("juki_age5_sex_japanese_2000_2005_2010.csv.gz")
    total, foreign = gap(AGE), gap(AGE_FOREIGN)
    unknown = total["gap"] - foreign["gap"]
    assert japanese["gap"].min() == 0 and japanese["gap"].max() == 17
    assert japanese["gap"].idxmax()[0] == "2000-03-31" and unknown.min() == 0 and unknown.max() == 13
    assert unknown.idxmax()[:2] == ("2018-01-01", "")  # 全国
    assert total.at[("2013-03-31", "01209", "計"), "gap"] == foreign.at[("2013-03-31", "01209", "計"), "gap"] == 88
    assert max(japanese["gap"].max(), unknown.max()) < juki.UNKNOWN_AGE_TOLERANCE


def test_real_dynamics_file_has_one_published_inconsistency(juki_dir, monkeypatch):
    """9603sjin.xls prints 上北郡下田町's 計(B) 6 below its parts; without the documented exception the real file fails."""
    path = juki_dir / "juki_dynamics_japanese_FY1994_FY2011.csv.gz"
    frame = read_csv_checked(path, juki.DYNAMICS_REQUIRED, dtype={"code": str, "code5": str},
                             private_use_columns=juki.NAME_COLUMNS)
    juki._validate_dynamics(frame.copy(), str(path))
    monkeypatch.setattr(juki, "DYNAMICS_PUBLISHED_EXCEPTIONS", set())
    with pytest.raises(LoaderError) as info:
        juki._validate_dynamics(frame.copy(), str(path))
    assert (info.value.row, info.value.column) == (4215, "total_out") and "588" in info.value.message("en")


# ---------------------------------------------------------------- 3. coverage must not shrink

def _without_2022(lines: list[bytes]) -> list[bytes]:
    return [line for line in lines if not line.startswith(b"2022-01-01,")]


@pytest.fixture()
def fuller_build(tmp_path, fukuoka_files) -> Path:
    out = tmp_path / "db" / "national.duckdb"
    assert build.main(national(write_raw(tmp_path / "full", fukuoka_files), out)) == 0
    return out


def _coverage(db: Path, where: str = "") -> int:
    with open_readonly(db) as con:
        return con.execute(f"SELECT count(*) FROM build_coverage {where}").fetchone()[0]


def test_build_that_loses_periods_is_refused_unless_allowed(tmp_path, fukuoka_files, fuller_build, capsys):
    lost_2022 = _coverage(fuller_build, "WHERE period IN ('2022-01-01', 'CY2021')")
    assert lost_2022 > 0
    capsys.readouterr()
    shorter = write_raw(tmp_path / "short", {n: _without_2022(lines) for n, lines in fukuoka_files.items()})
    err = refused(capsys, national(shorter, fuller_build), fuller_build)
    assert f"{fuller_build}: 新しい構築は前回のデータベースより範囲が狭くなります" in err
    for table in ("population", "households", "vital_events", "migration_totals"):
        assert f"表 {table}: 地域×時点" in err and f"table {table}:" in err
    assert "juki_age/total: 2022-01-01" in err and "juki_dynamics/total: CY2021" in err and "--allow-shrink" in err
    counts = [int(s.split(" 件")[0].replace(",", "")) for s in err.split("地域×時点 ")[1:]]
    assert sum(counts) == lost_2022

    assert build.main(national(shorter, fuller_build, "--allow-shrink")) == 0
    assert _coverage(fuller_build, "WHERE period IN ('2022-01-01', 'CY2021')") == 0
    with open_readonly(fuller_build) as con:
        info = dict(con.execute("SELECT * FROM build_info").fetchall())
    assert "population" in info["coverage_lost"]
    assert sorted(p.name for p in fuller_build.parent.iterdir()) == [fuller_build.name]


def test_previous_database_without_coverage_table_is_compared_from_its_tables(tmp_path, fukuoka_files, fuller_build,
                                                                              capsys):
    """A database built before build_coverage existed: its coverage is read from its tables (read-only)."""
    import duckdb

    with duckdb.connect(str(fuller_build)) as con:
        con.execute("DROP TABLE build_coverage")
    capsys.readouterr()
    shorter = write_raw(tmp_path / "short", {n: _without_2022(lines) for n, lines in fukuoka_files.items()})
    err = refused(capsys, national(shorter, fuller_build), fuller_build)
    assert "juki_age/total: 2022-01-01" in err


def test_same_coverage_rebuilds(tmp_path, fukuoka_files, fuller_build):
    before = _coverage(fuller_build)
    assert build.main(national(write_raw(tmp_path / "again", fukuoka_files), fuller_build)) == 0
    assert _coverage(fuller_build) == before


def test_bundled_build_compares_too(fuller_build, capsys):
    """The bundled (demo-region) database covers fewer areas than a national one: writing it over one is refused."""
    capsys.readouterr()
    err = refused(capsys, ["bundled", "--out", str(fuller_build)], fuller_build)
    assert "表 areas: 地域×時点" in err and "--allow-shrink" in err


# ---------------------------------------------------------------- 4. killed builds leave nothing behind

def test_killed_build_leaves_previous_database_and_next_build_cleans_up(previous, tmp_path, capsys):
    before = digest(previous)
    proc = subprocess.Popen([sys.executable, "-m", "loaders.build", "bundled", "--out", str(previous)], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tmp = previous.with_name(f"{previous.name}.tmp{proc.pid}")
    deadline = time.monotonic() + 120
    while not tmp.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert tmp.exists(), "the build finished (or failed) before its temporary file could be seen"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert digest(previous) == before
    left = sorted(p.name for p in previous.parent.iterdir())
    assert tmp.name in left and len(left) >= 2

    # The next build, even one that fails at once (no raw folder), removes what the killed one left.
    err = refused(capsys, national(tmp_path / "no_raw", previous), previous)
    assert f"一時ファイルを削除しました（構築プロセス {proc.pid} は終了済み）" in err
    assert not tmp.exists() and not Path(f"{tmp}.wal").exists()
    assert build.main(["bundled", "--out", str(previous)]) == 0
    assert sorted(p.name for p in previous.parent.iterdir()) == [previous.name]


def test_temporary_file_of_a_running_build_is_kept(tmp_path):
    out = tmp_path / "national.duckdb"
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    try:
        for pid in (alive.pid, dead.pid):
            out.with_name(f"{out.name}.tmp{pid}").write_bytes(b"x")
            out.with_name(f"{out.name}.tmp{pid}.wal").write_bytes(b"x")
        (tmp_path / "national.duckdb.tmpnotes").write_bytes(b"x")  # not a build's name: left alone
        removed = build.remove_stale_temps(out)
        assert sorted(p.name for p in removed) == [f"national.duckdb.tmp{dead.pid}", f"national.duckdb.tmp{dead.pid}.wal"]
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
            [f"national.duckdb.tmp{alive.pid}", f"national.duckdb.tmp{alive.pid}.wal", "national.duckdb.tmpnotes"])
    finally:
        alive.kill()
        alive.wait()


# ---------------------------------------------------------------- 5. strict decoding

@pytest.mark.parametrize("bad, code", [
    (b"\xf0\x40", "U+E000"),  # CP932 user-defined area (外字)
    (b"\x80", "U+0080"),      # single bytes CP932 does not assign
    (b"\xa0", "U+F8F0"),
    (b"\xfd", "U+F8F1"),
])
def test_cp932_bytes_that_are_not_characters_are_refused(raw_dir, tmp_path, bad, code):
    """pop_move2021.csv is CP932 as published; a name with an unassigned byte used to decode silently."""
    data = (raw_dir / "municipal_youth_net_migration" / "pop_move2021.csv").read_bytes()
    lines = data.split(b"\n")
    lines[9] = lines[9].replace("市".encode("cp932"), "市".encode("cp932") + bad, 1)
    path = tmp_path / "pop_move2021.csv"
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(LoaderError) as info:
        youth_migration.read_youth_table(path)
    assert (info.value.file, info.value.row) == (str(path), 10)
    assert code in info.value.message("ja") and "CP932" in info.value.message("en")


def test_control_character_in_utf8_file_is_refused(raw_dir, tmp_path):
    path = _damaged_copy(raw_dir, tmp_path, JUKI, TOTALS, "utf-8", lambda t: t.replace("久留米市", "久留\x1b米市", 1))
    line = (raw_dir / JUKI / TOTALS).read_text(encoding="utf-8").split("久留米市")[0].count("\n") + 1
    with pytest.raises(LoaderError) as info:
        juki.read_totals_csv(path)
    assert info.value.row == line and "U+001B" in info.value.message("ja") and "制御文字" in info.value.message("ja")


def test_private_use_only_in_name_columns(juki_dir, tmp_path):
    """The real 1998 file prints three names with 外字 (accepted, in muni_name); one in a count is refused."""
    name = "juki_dynamics_japanese_FY1994_FY2011.csv.gz"
    lines = real_lines(juki_dir / name)
    assert "\ue00f" in lines[11869].decode() and "虻田郡\ue00f知安町" in lines[11869].decode()
    fields = lines[11869].decode().split(",")
    fields[10] = fields[10] + "\ue00f"  # pop_total
    lines[11869] = ",".join(fields).encode()
    path = tmp_path / name
    path.write_bytes(gzip.compress(b"".join(lines)))
    with pytest.raises(LoaderError) as info:
        read_csv_checked(path, [], private_use_columns=juki.NAME_COLUMNS)
    assert (info.value.row, info.value.column) == (11870, "pop_total") and "U+E00F" in info.value.message("en")
    with pytest.raises(LoaderError):  # read as any other text file, even the names are refused
        read_text(juki_dir / name)


def test_decode_text_keeps_its_signature_for_uploads():
    assert decode_text("upload.csv", "地域,人口\n久留米市,1\n".encode("cp932")) == "地域,人口\n久留米市,1\n"
    with pytest.raises(LoaderError) as info:
        decode_text("upload.csv", b"a,b\n1,\x002\n")
    assert (info.value.file, info.value.row) == ("upload.csv", 2)


def test_csv_rows_refuse_an_unclosed_quote():
    from loaders.files import csv_rows

    rows = list(csv.reader(io.StringIO('a,b\n1,"2\n')))
    assert rows == [["a", "b"], ["1", "2\n"]]  # what the csv module alone makes of it
    with pytest.raises(LoaderError) as info:
        csv_rows("x.csv", 'a,b\n1,"2\n')
    assert info.value.row == 2 and "引用符" in info.value.message("ja")
