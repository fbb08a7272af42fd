"""Build the DuckDB databases the app reads.

    python -m loaders.build national --raw data/raw --out data/national.duckdb
    python -m loaders.build extract  --raw data/raw --out data/bundled/extract
    python -m loaders.build bundled  --out data/bundled.duckdb

`national` reads the official files as published (see README for the download pages); `extract` writes the
demo region's rows of those tables as small CSVs (committed, so the app runs with no download); `bundled`
builds the default database from that extract plus the figures transcribed from the seed documents.
Every build writes a temporary file `<out>.tmp<pid>` and swaps it into place only after all checks pass,
so a failed build leaves the previous database untouched; one of the checks is that the new database covers
every (area × period) of each table that the previous one did (`--allow-shrink` accepts less). A build starts
by removing the temporary files of builds whose process no longer runs (e.g. killed).
"""
from __future__ import annotations

import argparse
import glob
import os
import re
import shutil
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from loaders import areas as areas_mod
from loaders import boundaries
from loaders import fertility, ipss, ipss2023, juki, migration_od, succession, youth_migration
from loaders.errors import LoaderError
from loaders.files import read_csv_checked
from loaders import sources as sources_mod
from loaders.sources import official_sources
from loaders.validate import check_coverage, record_coverage
from store import official

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = Path(__file__).with_name("schema.sql")
DERIVED = Path(__file__).with_name("derived.sql")
SEED_DIR = ROOT / "data" / "bundled" / "seed"
EXTRACT_DIR = ROOT / "data" / "bundled" / "extract"
#: The demo region: 久留米広域連携中枢都市圏 (久留米市・大川市・小郡市・うきは市・大刀洗町・大木町), 福岡県, 全国.
DEMO_CODES = ("40203", "40212", "40216", "40225", "40503", "40522", "40000", "00000")

KEYS = {
    "areas": ["area_code"],
    "population": ["area_code", "ref_date", "basis", "nationality", "sex", "age_group", "source_id"],
    "households": ["area_code", "ref_date", "nationality", "source_id"],
    "vital_events": ["area_code", "period", "nationality", "source_id"],
    "migration_totals": ["area_code", "period", "nationality", "source_id"],
    "migration_flows": ["origin_code", "dest_code", "period", "nationality", "sex", "age_group", "source_id"],
    "fertility": ["area_code", "year", "source_id"],
    "projections": ["area_code", "source", "scenario", "year", "nationality", "sex", "age_group"],
    "migration_net_flows": migration_od.NET_FLOWS_KEYS,
    "youth_net_migration": youth_migration.YOUTH_KEYS,
    "boundaries": boundaries.BOUNDARY_KEYS,
    "kpi_values": ["kpi_id", "period"],
    "kpi_plans": ["plan_id"],
    "kpi_defs": ["kpi_id"],
    "foreign_residents": ["area_code", "ref_date", "nationality_country", "residence_status", "source_id"],
    "sources": ["source_id"],
    "events": ["area_code", "event_date", "kind"],
    "area_succession": succession.SUCCESSION_KEYS,
    "area_lineage": succession.LINEAGE_KEYS,
}
TABLE_ORDER = ["sources", "areas", "area_groups", "population", "households", "vital_events", "migration_totals",
               "migration_flows", "migration_net_flows", "youth_net_migration", "fertility", "projections",
               "kpi_values", "kpi_plans", "kpi_defs", "statements", "events", "boundaries", "foreign_residents",
               "area_succession", "area_lineage"]


def period_end(period: str) -> date:
    """Last day of a period label: 'FY2024' -> 2025-03-31, 'CY2021' -> 2021-12-31, 'FY2020-FY2024' -> 2025-03-31."""
    last = period.split("-")[-1]
    m = re.fullmatch(r"(FY|CY)(\d{4})", last)
    if not m:
        raise ValueError(f"unknown period label {period!r}")
    year = int(m.group(2))
    return date(year + 1, 3, 31) if m.group(1) == "FY" else date(year, 12, 31)


# ---------------------------------------------------------------- sources of tables

def official_tables(raw: Path) -> dict[str, pd.DataFrame]:
    """Tables read from a folder of official files (as published) — the national database."""
    folder = raw / "juki_municipal_population_dynamics"
    if not folder.is_dir():
        raise LoaderError(str(folder), "住民基本台帳のフォルダがありません。README のダウンロード手順を確認してください。",
                          "the 住民基本台帳 folder is missing; see the download steps in README.")
    jk = juki.load_folder(folder)
    areas = areas_mod.build_areas(jk.area_names)
    known = set(areas["area_code"])
    ward_parent = dict(zip(areas.loc[areas["kind"] == "ward", "area_code"], areas.loc[areas["kind"] == "ward", "parent_code"]))
    pop = jk.population
    totals = pop[pop["source_id"] == "juki_totals_2013_2025"]
    pop = pd.concat([pop, juki.aggregate_totals(totals, ward_parent)], ignore_index=True)
    sources = pd.concat([official_sources(), pd.DataFrame([dict(
        source_id="juki_totals_2013_2025_sum", publisher="本アプリで集計（総務省 住民基本台帳の市区町村値の合計）",
        title="住民基本台帳に基づく人口（指定都市・都道府県・全国は区・市区町村の合計）", table_id="", url="",
        retrieved="", licence="", note="2023–2025: 元表に指定都市・都道府県・全国の行がないため合計値")])], ignore_index=True)
    tables = {"sources": sources, "areas": areas, "area_groups": areas_mod.area_groups(),
              "population": pop, "households": jk.households, "vital_events": jk.vital_events,
              "migration_totals": jk.migration_totals}
    # Optional folders: a missing folder leaves its tables empty (the app says the figures are unavailable).
    tfr, tfr_sources = fertility.load_folder(raw / "national_fertility_mortality_projections")
    tables["fertility"] = tfr
    proj, proj_sources = ipss.load_folder(raw / "ipss_projection_2018_municipal")
    if not proj.empty:
        tables["projections"] = proj
    od = migration_od.load_folder(raw / "migration_prefecture_od")
    youth, unmatched = youth_migration.load_folder(raw / "municipal_youth_net_migration", areas, jk.area_names)
    for row in unmatched[unmatched["status"] == "not_found"].itertuples():
        print(f"youth migration: no area for {row.pref_name} {row.name} ({row.file}, row {row.row})", file=sys.stderr)
    tables["migration_flows"] = od["migration_flows"]
    tables["migration_net_flows"] = od["migration_net_flows"]
    tables["youth_net_migration"] = youth["youth_net_migration"]
    tables["area_groups"] = pd.concat([tables["area_groups"], od["area_groups"]], ignore_index=True)
    tables["sources"] = pd.concat([tables["sources"], tfr_sources, proj_sources, od["sources"], youth["sources"]],
                                  ignore_index=True)
    # <<maps tables>>
    tables["boundaries"], geo_sources = boundaries.load_folder(raw / "geo_municipalities", known)
    tables["sources"] = pd.concat([tables["sources"], geo_sources], ignore_index=True)
    # <<foreign tables>>
    from loaders import foreign_residents  # 在留外国人統計 (MOJ press-release workbooks, read as published)
    fr = foreign_residents.load_folder(raw / "foreign_residents")
    tables.update(foreign_residents=fr["foreign_residents"], sources=pd.concat([tables["sources"], fr["sources"]], ignore_index=True))
    # 郡 subtotal rows are printed aggregates, not areas: drop them so no sum counts them twice.
    for name in ("population", "households", "vital_events", "migration_totals", "fertility", "projections"):
        if name in tables:  # projections only when the IPSS folder is there
            tables[name] = tables[name][tables[name]["area_code"].isin(known)]
    # Code succession (renames, mergers) read from the register's codes and populations on each date.
    sc = succession.tables(tables["population"], tables["vital_events"], tables["migration_totals"], areas)
    tables.update(area_succession=sc["area_succession"], area_lineage=sc["area_lineage"],
                  sources=pd.concat([tables["sources"], sc["sources"]], ignore_index=True))
    # IPSS 2023 (codes checked by the loader; 07999 浜通り地域 is an area group, so added after the filter above).
    if (raw / ipss2023.FOLDER).is_dir():
        p23, s23, g23 = ipss2023.load_folder(raw / ipss2023.FOLDER, areas)
        tables.update({n: pd.concat([tables.get(n), f], ignore_index=True)
                       for n, f in (("projections", p23), ("sources", s23), ("area_groups", g23))})
    return tables


def csv_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """Tables from a folder of CSV files named after the tables (the seed transcription or the extract)."""
    out = {}
    for path in sorted(folder.glob("*.csv")):
        frame = read_csv_checked(path, [], dtype=str).drop(columns="_row")
        out[path.stem] = frame
    return out


def merge(*parts: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Concatenate same-named tables from several sources."""
    out: dict[str, list] = {}
    for part in parts:
        for name, frame in part.items():
            out.setdefault(name, []).append(frame)
    return {k: pd.concat(v, ignore_index=True) for k, v in out.items()}


# ---------------------------------------------------------------- checks and writing

def check_tables(tables: dict[str, pd.DataFrame]) -> None:
    """Refuse duplicated keys, unknown source ids and unknown area codes before anything is written."""
    sources = set(tables["sources"]["source_id"])
    codes = set(tables["areas"]["area_code"]) | set(tables.get("area_groups", pd.DataFrame(columns=["group_code"]))["group_code"])
    for name, frame in tables.items():
        keys = KEYS.get(name)
        if keys and frame.duplicated(keys).any():
            dup = frame[frame.duplicated(keys, keep=False)].head(2)
            raise LoaderError(name, f"キーが重複しています: {dup[keys].iloc[0].to_dict()}",
                              f"duplicated key: {dup[keys].iloc[0].to_dict()}", column=", ".join(keys))
        if "source_id" in frame.columns and name != "sources":
            unknown = set(frame["source_id"].dropna()) - sources
            if unknown:
                raise LoaderError(name, f"出典 ID が sources にありません: {sorted(unknown)}",
                                  f"source id not in sources: {sorted(unknown)}", column="source_id")
        for col in ("area_code", "origin_code", "dest_code", "partner_code"):
            if col in frame.columns and name not in ("areas", "area_groups"):
                unknown = set(frame[col].dropna()) - codes
                if unknown:
                    raise LoaderError(name, f"不明な地域コード: {sorted(unknown)[:5]}", f"unknown area code(s): {sorted(unknown)[:5]}",
                                      column=col)


def _with_period_end(tables: dict[str, pd.DataFrame]) -> None:
    for name in ("vital_events", "migration_totals"):
        if name in tables:
            f = tables[name]
            ends = {p: period_end(p) for p in f["period"].unique()}
            tables[name] = f.assign(period_end=f["period"].map(ends))


def _derived_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Tables computed from the loaded ones, so no page computes them on a first visit: those of derived.sql
    (register_rates, the one per-1,000 rate definition), then `indicator_values`, every indicator of every area
    (estimates.indicators.compute_all, about a second on the national database)."""
    from estimates.indicators import compute_all

    con.execute(DERIVED.read_text(encoding="utf-8"))

    values = compute_all(con).rename_axis("area_code").reset_index()
    con.register("frame_view", values)
    con.execute("CREATE TABLE indicator_values AS SELECT * FROM frame_view ORDER BY area_code")
    con.unregister("frame_view")


def remove_stale_temps(out: Path) -> list[Path]:
    """Delete `<out>.tmp<pid>` files (and their `.wal`) left by builds whose process no longer runs.

    A temporary file of a running build (os.kill(pid, 0) succeeds, or the process belongs to another user) is kept.
    Returns the paths removed (each also reported on stderr).
    """
    removed = []
    pattern = re.compile(re.escape(out.name) + r"\.tmp(\d+)(\.wal)?")
    for path in sorted(out.parent.glob(f"{glob.escape(out.name)}.tmp*")):
        m = pattern.fullmatch(path.name)
        if not m or _running(int(m.group(1))):
            continue
        path.unlink(missing_ok=True)
        removed.append(path)
        print(f"一時ファイルを削除しました（構築プロセス {m.group(1)} は終了済み） / removed the temporary file of build "
              f"process {m.group(1)}, which no longer runs: {path}", file=sys.stderr)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this process is starting a new build: an earlier file of ours is stale
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_database(tables: dict[str, pd.DataFrame], out: Path, kind: str, allow_shrink: bool = False) -> dict:
    """Check `tables` and write them to `out` atomically (temporary file, then rename). Returns build facts.

    Before the rename the coverage of every table (loaders.validate.COVERAGE, stored in `build_coverage`) is
    compared with the database at `out`, opened read-only: a table covering fewer (area × period) raises
    LoaderError unless `allow_shrink`. Any failure removes the temporary file and leaves `out` untouched.
    """
    started = time.perf_counter()
    remove_stale_temps(out)
    boundaries.add_prefecture_outlines(tables)
    tables["sources"] = sources_mod.with_english(tables["sources"])
    _with_period_end(tables)
    check_tables(tables)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f"{out.name}.tmp{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        con = official.create(tmp)
        con.execute(SCHEMA.read_text(encoding="utf-8"))
        for name in TABLE_ORDER:
            if name not in tables:
                continue
            cols = [r[0] for r in con.execute(f"DESCRIBE {name}").fetchall()]
            frame = tables[name].reindex(columns=cols)
            con.register("frame_view", frame)
            col_list = ", ".join(f'"{c}"' for c in cols)
            # Rows sorted by area so DuckDB's min/max zone maps skip other areas' row groups.
            order = next((c for c in ("area_code", "origin_code", "kpi_id") if c in cols), None)
            order_by = f' ORDER BY "{order}"' if order else ""
            con.execute(f"INSERT INTO {name} ({col_list}) SELECT {col_list} FROM frame_view{order_by}")
            con.unregister("frame_view")
        _derived_tables(con)
        record_coverage(con)
        lost = check_coverage(con, out, allow_shrink)
        info = {"kind": kind, "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "build_seconds": f"{time.perf_counter() - started:.1f}"}
        if lost:
            info["coverage_lost"] = ", ".join(f"{t} {n}" for t, n in lost.items())
        con.executemany("INSERT INTO build_info VALUES (?, ?)", list(info.items()))
        con.execute("CHECKPOINT")
        con.close()
        os.replace(tmp, out)
    except BaseException:
        try:
            con.close()
        except (NameError, duckdb.Error):
            pass
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
        raise
    info["size_mb"] = f"{out.stat().st_size / 1e6:.1f}"
    return info


def write_extract(tables: dict[str, pd.DataFrame], out_dir: Path, codes=DEMO_CODES) -> dict[str, int]:
    """Write the demo region's rows of the official tables as CSVs into `out_dir` (swapped in atomically)."""
    parents = set(codes)
    sub = {}
    for name, frame in tables.items():
        if name == "sources":
            sub[name] = frame
        elif name == "area_groups":
            sub[name] = frame
        elif name == "area_succession":
            sub[name] = frame[frame["old_code"].isin(parents) | frame["new_code"].isin(parents)]
        elif name == "areas":  # prefectures and 福岡市 too: the seed's flow tables name them
            sub[name] = frame[frame["area_code"].isin(parents | {"40130"}) | (frame["kind"] == "prefecture")]
        elif "area_code" in frame.columns:
            sub[name] = frame[frame["area_code"].isin(parents)]
        elif "origin_code" in frame.columns:
            sub[name] = frame[frame["origin_code"].isin(parents) | frame["dest_code"].isin(parents)]
        else:
            sub[name] = frame
    # Partners named by the extracted flows (other prefectures, designated cities) must exist as areas too.
    named = set()
    for n, f in sub.items():
        for col in ("origin_code", "dest_code", "partner_code"):
            if col in f.columns:
                named |= set(f[col])
    sub["areas"] = pd.concat([sub["areas"], tables["areas"][tables["areas"]["area_code"].isin(named)]]).drop_duplicates("area_code")
    used = set().union(*(set(f["source_id"]) for n, f in sub.items() if "source_id" in f.columns and n != "sources"))
    sub["sources"] = sub["sources"][sub["sources"]["source_id"].isin(used)]
    tmp = out_dir.with_name(out_dir.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for name, frame in sub.items():
        frame.to_csv(tmp / f"{name}.csv", index=False, lineterminator="\n")
    old = out_dir.with_name(out_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if out_dir.exists():
        out_dir.rename(old)
    tmp.rename(out_dir)
    shutil.rmtree(old, ignore_errors=True)
    return {n: len(f) for n, f in sub.items()}


def bundled_tables() -> dict[str, pd.DataFrame]:
    """The default dataset: the committed extract plus the seed transcription."""
    if not EXTRACT_DIR.is_dir():
        raise LoaderError(str(EXTRACT_DIR), "同梱データ（抽出）がありません。", "the bundled extract is missing.")
    return merge(csv_tables(EXTRACT_DIR), csv_tables(SEED_DIR))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loaders.build", description=__doc__.split("\n\n")[0])
    parser.add_argument("target", choices=["national", "extract", "bundled"])
    parser.add_argument("--raw", type=Path, default=ROOT / "data" / "raw", help="folder of official files")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--allow-shrink", action="store_true",
                        help="accept a database that covers fewer (area × period) than the one it replaces")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        if args.target == "national":
            out = args.out or ROOT / "data" / "national.duckdb"
            remove_stale_temps(out)
            info = write_database(merge(official_tables(args.raw), csv_tables(SEED_DIR)), out, "national",
                                  args.allow_shrink)
        elif args.target == "extract":
            out = args.out or EXTRACT_DIR
            info = write_extract(official_tables(args.raw), out)
        else:
            out = args.out or ROOT / "data" / "bundled.duckdb"
            remove_stale_temps(out)
            info = write_database(bundled_tables(), out, "bundled", args.allow_shrink)
    except LoaderError as exc:
        print(f"エラー / error: {exc}", file=sys.stderr)
        return 2
    print(f"built {args.target} -> {out} in {time.perf_counter() - started:.1f}s: {info}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
