"""Benchmark: national database build (time, size) and server render time of every page.

    python benchmarks/bench_pages.py [--raw ../shared/data/raw] [--areas 20]

Prints figures against the budgets in DESIGN.md: build ≤ 120 s and ≤ 200 MB; any page ≤ 300 ms of server
time. Render time is the server's script-run time (benchmarks/apptiming.py) of app.py for an area not seen before (cold query
cache) and again (warm), on the national database.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: (page script or None for the overview, section tab or None). Tabbed pages run only the open section, so each
#: section is a render of its own (a deep link or a click on the tab).
SECTIONS = {"pages/natural_change.py": ["trend", "tfr", "compare"],
            "pages/social_change.py": ["trend", "partners", "age", "breakdown", "compare"],
            "pages/foreign_residents.py": ["population", "flows", "age", "nationality"]}
PAGES = [(None, None), *[(p, s) for p, secs in SECTIONS.items() for s in secs],
         *[(p, None) for p in ("pages/projection.py", "pages/migration_map.py", "pages/kpi_tracker.py",
                               "pages/outlook.py", "pages/indicators.py", "pages/data_explorer.py",
                               "pages/import_data.py", "pages/sql_console.py")]]
sys.path.insert(0, str(ROOT))


def default_raw() -> Path:
    env = os.environ.get("POPDASH_RAW")
    if env:
        return Path(env)
    local = ROOT / "data" / "raw"
    return local if (local / "juki_municipal_population_dynamics").is_dir() else ROOT.parent / "shared" / "data" / "raw"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", type=Path, default=default_raw())
    ap.add_argument("--areas", type=int, default=20)
    ap.add_argument("--seed", type=int, default=20261124)
    args = ap.parse_args()

    from loaders.build import SEED_DIR, csv_tables, merge, official_tables, write_database

    out = Path(tempfile.mkdtemp()) / "national.duckdb"
    t0 = time.perf_counter()
    write_database(merge(official_tables(args.raw), csv_tables(SEED_DIR)), out, "national")
    build_s = time.perf_counter() - t0
    size_mb = out.stat().st_size / 1e6
    print(f"national build: {build_s:.1f} s (budget 120 s), {size_mb:.1f} MB on disk (budget 200 MB)")

    os.environ["POPDASH_DB"] = str(out)
    import duckdb

    from benchmarks.apptiming import run_page

    con = duckdb.connect(str(out), read_only=True)
    codes = [r[0] for r in con.execute(
        "SELECT area_code FROM areas WHERE \"current\" AND kind IN "
        "('designated_city','city','special_ward','town','village','ward') ORDER BY area_code").fetchall()]
    con.close()
    sample = random.Random(args.seed).sample(codes, args.areas)
    run_page(str(ROOT / "app.py"), {"area": "00000"})  # process warm-up: imports, database open
    for page, section in PAGES:
        cold, warm = [], []
        params = {"sec": section} if section else {}
        for code in sample:
            for bucket in (cold, warm):
                ms, at = run_page(str(ROOT / "app.py"), {"area": code, **params}, page)
                bucket.append(ms)
                if at.exception:
                    print(f"  {page} {code}: exception {at.exception[0].value}")
        name = (page or "app.py (overview)") + (f"?sec={section}" if section else "")
        for kind, xs in (("cold", cold), ("warm", warm)):
            xs_sorted = sorted(xs)
            p95 = xs_sorted[max(0, int(round(0.95 * len(xs))) - 1)]
            print(f"{name} render ({kind} cache), {len(xs)} municipalities: median {statistics.median(xs):.0f} ms, "
                  f"p95 {p95:.0f} ms, max {max(xs):.0f} ms (budget 300 ms)")
    print("areas:", " ".join(sample))
    slider_moves(sample)


def slider_moves(sample: list[str], moves: int = 10) -> None:
    """Server time of a projection slider move (new TFR value each time, so nothing is served from cache).

    AppTest reruns the whole page for a widget change; the fragment alone does less, so this is an upper bound.
    """
    from benchmarks.apptiming import FRAGMENT_MS, TIMES_MS, run_page

    xs, frag = [], []
    for code in sample[:3]:
        _, at = run_page(str(ROOT / "app.py"), {"area": code}, "pages/projection.py")
        for k in range(moves):
            before, fb = len(TIMES_MS), len(FRAGMENT_MS)
            at.slider(key="tfr").set_value(round(1.0 + 0.05 * k, 2)).run()
            xs.append(sum(TIMES_MS[before:]))
            frag += [ms for name, ms in FRAGMENT_MS[fb:] if name == "scenario_panel"]
    xs.sort()
    frag.sort()
    print(f"projection slider move, scenario fragment body, {len(frag)} moves: median {statistics.median(frag):.0f} ms, "
          f"p95 {frag[int(0.95 * len(frag)) - 1]:.0f} ms (budget 100 ms)")
    print(f"projection slider move (whole-page rerun, upper bound of the fragment), {len(xs)} moves: "
          f"median {statistics.median(xs):.0f} ms, p95 {xs[int(0.95 * len(xs)) - 1]:.0f} ms (budget 100 ms)")


if __name__ == "__main__":
    main()
