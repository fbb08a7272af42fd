"""Benchmark: every indicator for every municipality (budget ≤ 1 s) and server render time of the outlook and
indicator pages (budget ≤ 300 ms per page).

    python benchmarks/bench_indicators.py [--db data/national.duckdb] [--repeat 5] [--areas 8]

Indicators: wall time of estimates.indicators.fetch + indicators.compute on a fresh read-only connection, split into
the SQL reads, the projection inputs of all areas (estimates.projection_inputs.build_inputs), the vectorised
projection (projection.run with the projection page's default foreign-share target) and the indicator arithmetic.
Pages: server script-run time (benchmarks/apptiming.py) for areas not seen before (cold query caches; the
indicator table is computed on the first visit of the process) and again (warm).
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, (time.perf_counter() - t0) * 1000


def cpu_timed(fn, *args, **kwargs):
    """(result, wall ms, CPU ms of this process): on a shared machine the CPU time is the steadier figure."""
    c0, t0 = time.process_time(), time.perf_counter()
    out = fn(*args, **kwargs)
    return out, (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000


def bench_compute(db: Path, repeat: int) -> None:
    import indicators as ind
    import projection as pj
    from indicators import definitions as d
    from estimates import indicators as qi
    from store import sqlfiles
    from store.official import open_readonly
    from estimates.projection_inputs import build_inputs

    con = open_readonly(db)
    qi.compute_all(con)  # imports, DuckDB warm-up
    totals, cpu = [], []
    for _ in range(repeat):
        out, ms, cms = cpu_timed(qi.compute_all, con)
        totals.append(ms)
        cpu.append(cms)
    kinds = dict(con.execute("SELECT area_code, kind FROM areas WHERE \"current\"").fetchall())
    n = sum(ind.LEVELS.get(kinds.get(c)) == "municipality" for c in out.index)
    print(f"all indicators for all areas ({n} municipalities; {len(out)} rows with wards, prefectures, merged codes): "
          f"wall median {statistics.median(totals):.0f} ms, min {min(totals):.0f} ms; CPU median "
          f"{statistics.median(cpu):.0f} ms (DuckDB may use a second thread) over {repeat} runs (budget 1,000 ms)")
    # where the time goes (one more run, piece by piece)
    parts = {}
    t0 = time.perf_counter()
    qi._dates(con, "indicators_totals", {d.POP_FROM, d.POP_TO})
    sqlfiles.run("indicators_flows", con, years=list(d.FLOW_YEARS))
    qi._dates(con, "indicators_ages", {d.AGE_DATE, *qi._jan1(d.FLOW_YEARS)})
    sqlfiles.run("indicators_youth", con, years=list(d.FLOW_YEARS))
    sqlfiles.run("indicators_ipss", con, years=[d.IPSS_FROM, d.IPSS_TO], women=list(d.YOUNG_WOMEN_AGES))
    parts["SQL reads"] = (time.perf_counter() - t0) * 1000
    inputs, parts["projection inputs (build_inputs, all areas)"] = timed(build_inputs, con, base_year=d.APP_BASE)
    result, parts["projection.run, all areas, foreign-share target"] = timed(pj.run, inputs, qi.APP_SCENARIO)
    _, parts["  (same run without the share target)"] = timed(pj.run, inputs, pj.Scenario(steps=qi.APP_SCENARIO.steps))
    data = qi.fetch(con)
    _, parts["indicator arithmetic (indicators.compute)"] = timed(ind.compute, data)
    for k, v in parts.items():
        print(f"  {k}: {v:.0f} ms")
    con.close()


def bench_pages(db: Path, n_areas: int, seed: int) -> None:
    os.environ["POPDASH_DB"] = str(db)
    import duckdb

    from benchmarks.apptiming import run_page

    con = duckdb.connect(str(db), read_only=True)
    codes = [r[0] for r in con.execute(
        "SELECT area_code FROM areas WHERE \"current\" AND kind IN "
        "('designated_city','city','special_ward','town','village','ward') ORDER BY area_code").fetchall()]
    con.close()
    sample = ["40203", "40448"] + random.Random(seed).sample(codes, n_areas)
    app = str(ROOT / "app.py")
    run_page(app, {"area": "00000"})  # process warm-up: imports, database open
    for page in ("pages/outlook.py", "pages/indicators.py"):
        cold, warm = [], []
        for i, code in enumerate(sample):
            ms, at = run_page(app, {"area": code}, page)
            if at.exception:
                print(f"  {page} {code}: exception {at.exception[0].value}")
            cold.append(ms)
            ms2, _ = run_page(app, {"area": code}, page)
            warm.append(ms2)
        first = cold[0]
        rest = cold[1:]
        print(f"{page}: first visit of the process {first:.0f} ms (includes the indicator table / projection inputs); "
              f"new area median {statistics.median(rest):.0f} ms, max {max(rest):.0f} ms; "
              f"same area again median {statistics.median(warm):.0f} ms, max {max(warm):.0f} ms (budget 300 ms)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, default=ROOT / "data" / "national.duckdb")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--areas", type=int, default=8)
    ap.add_argument("--seed", type=int, default=20261125)
    args = ap.parse_args()
    if not args.db.exists():
        sys.exit(f"{args.db} not found: build it with `python -m loaders.build national --raw ../shared/data/raw`")
    print(f"database {args.db}; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}")
    bench_compute(args.db, args.repeat)
    bench_pages(args.db, args.areas, args.seed)


if __name__ == "__main__":
    main()
