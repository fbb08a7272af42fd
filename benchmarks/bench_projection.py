"""Benchmark of the projection engine against the budgets in DESIGN.md.

    python benchmarks/bench_projection.py [--db data/national.duckdb] [--raw ../shared/data/raw] [--repeat 50]

* every area with age data (~1,970 codes: municipalities, wards, prefectures, nation) × 2 sexes × 19 ages ×
  8 five-year steps in one vectorised call: budget ≤ 50 ms;
* one area's scenario recompute (what a slider move costs the engine): budget ≤ 5 ms;
* all areas: baseline, Kurume-vision scenario, ASFR path, back-test (2015 base, every area) and the empirical
  fan chart, each against the same work done by a per-area Python loop in the same run (ratio = loop ÷ vectorised).
Uses the national database given (default: $POPDASH_DB or data/national.duckdb); when there is none, builds
one from the raw files into a temporary folder first (~20 s). Prints medians and 95th percentiles (wall
clock, time.perf_counter) of ``--repeat`` runs after one warm-up; no timed asserts.
"""
from __future__ import annotations

import argparse
from dataclasses import replace
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _db_path(args) -> Path:
    if args.db is not None:
        return args.db
    env = os.environ.get("POPDASH_DB")
    if env:
        return Path(env)
    national = ROOT / "data" / "national.duckdb"
    if national.exists():
        return national
    from loaders.build import SEED_DIR, csv_tables, merge, official_tables, write_database

    out = Path(tempfile.mkdtemp()) / "national.duckdb"
    print(f"building the national database from {args.raw} …")
    write_database(merge(official_tables(args.raw), csv_tables(SEED_DIR)), out, "national")
    return out


def timed(fn, repeat: int) -> tuple[float, float]:
    """Median and 95th percentile in milliseconds of ``repeat`` calls of fn (after one warm-up call)."""
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(0.95 * len(times)))]


def line(label: str, ms: tuple[float, float], budget: float | None = None) -> None:
    verdict = "" if budget is None else f"  (budget {budget:g} ms: {'OK' if ms[1] <= budget else 'OVER'})"
    print(f"{label:<66} median {ms[0]:8.2f} ms  p95 {ms[1]:8.2f} ms{verdict}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--raw", type=Path, default=ROOT.parent / "shared" / "data" / "raw")
    ap.add_argument("--repeat", type=int, default=50)
    ap.add_argument("--area", default="40203")
    args = ap.parse_args()

    import numpy as np

    import projection as pj
    from store.official import open_readonly
    from estimates.projection_inputs import build_inputs

    con = open_readonly(_db_path(args))
    t0 = time.perf_counter()
    inp = build_inputs(con)
    print(f"estimate inputs for all areas from the database (once, cacheable): {(time.perf_counter() - t0):.2f} s")
    t0 = time.perf_counter()
    one = build_inputs(con, areas=[args.area]).area(args.area)
    print(f"estimate inputs for one area ({args.area}): {(time.perf_counter() - t0) * 1000:.0f} ms")
    a = len(inp.area_codes)
    print(f"areas: {a}; array per step {a} × 2 × 19; numpy {np.__version__}")

    base = pj.Scenario(steps=8)
    vision = pj.Scenario(steps=8, tfr_delta=0.1, tfr_year=2060, migration_points=0.5, migration_ages=(10, 30))
    fert = pj.Fertility(method="cwr", cwr=inp.cwr, sex_ratio_0_4=inp.sex_ratio_0_4)
    line(f"all {a} areas, kernel only (Japanese, 8 steps)",
         timed(lambda: pj.project(inp.japanese, inp.survival, 8, migration=inp.migration.mean, fertility=fert),
               args.repeat), 50)
    line(f"all {a} areas, baseline run (Japanese CC + foreign HP)", timed(lambda: pj.run(inp, base), args.repeat),
         50)
    line(f"all {a} areas, Kurume vision scenario (TFR +0.1, +0.5 pt 10-29)",
         timed(lambda: pj.run(inp, vision), args.repeat), 50)

    def slider():
        res = pj.run(one, vision)
        pj.totals(res.total), pj.age3_shares(res.total)

    line(f"one area ({args.area}): scenario recompute + totals + age shares", timed(slider, args.repeat * 4), 5)

    from queries.projection_backtest import WINDOWS, BASE, ACTUALS, _panel, municipal, backtest
    from projection.backtest import hindcast

    asfr = pj.Scenario(steps=8, births="asfr")
    inp_s = replace(inp, asfr_shape=pj.fertility_shape(), birth_survival=0.992)
    dates = sorted({d for w in WINDOWS for d in w} | {BASE, *ACTUALS})
    codes, jp, total, present = _panel(con, dates)
    at = {d: i for i, d in enumerate(dates)}
    k1, k2, b = [at[a] for a, _ in WINDOWS], [at[c] for _, c in WINDOWS], at[BASE]
    nat = codes.index("00000")
    both = present[k1] & present[k2]
    bt = municipal(backtest(con))
    errors = pj.empirical_errors({5: bt["pe_app_2020"].to_numpy(), 7: bt["pe_app_2022"].to_numpy()},
                                 bt["size_class"].to_numpy(), 8)
    runs = pj.run(inp, base)
    tot = runs.total.sum(axis=(-1, -2))
    cls = np.clip(np.searchsorted([5e3, 1e4, 3e4, 5e4, 1e5, 2e5, 5e5], tot[:, 0], side="right"), 0, 7)
    cases = {
        "baseline run": (lambda: pj.run(inp, base), lambda i: pj.run(inp.take(i), base)),
        "Kurume vision scenario": (lambda: pj.run(inp, vision), lambda i: pj.run(inp.take(i), vision)),
        "ASFR path (births by age)": (lambda: pj.run(inp_s, asfr), lambda i: pj.run(inp_s.take(i), asfr)),
        "back-test kernel (2015 base, 2 steps)": (
            lambda: hindcast(jp[k1], jp[k2], both, jp[b], nat),
            lambda i: hindcast(jp[k1][:, [i, nat]], jp[k2][:, [i, nat]], both[:, [i, nat]], jp[b][[i, nat]], 1)),
        "empirical fan chart (50 % / 80 %)": (
            lambda: pj.empirical_band(tot, runs.years, inp.base_year, cls, errors),
            lambda i: pj.empirical_band(tot[i], runs.years, inp.base_year, cls[i], errors)),
    }
    loop_areas = min(a, 200)
    print(f"vectorised (all {a} areas; back-test {len(codes)} codes) vs per-area Python loop "
          f"(first {loop_areas} areas, scaled to all):")
    for name, (vec, one_area) in cases.items():
        n = len(codes) if "back-test" in name else a
        v = timed(vec, max(args.repeat // 5, 3))
        t0 = time.perf_counter()
        for i in range(min(n, loop_areas)):
            one_area(i)
        loop_ms = (time.perf_counter() - t0) * 1000 * n / min(n, loop_areas)
        print(f"  {name:<44} vectorised median {v[0]:8.2f} ms   loop {loop_ms:9.1f} ms   ratio {loop_ms / v[0]:6.0f}×")
    t0 = time.perf_counter()
    backtest(con)
    print(f"  back-test with its SQL and IPSS comparison (every area, once): {(time.perf_counter() - t0) * 1000:.0f} ms")
    share = pj.Scenario(steps=10, tfr_delta=0.1, migration_points=0.5, foreign_share=0.108, foreign_share_year=2070)
    line("one area: same with foreign share 10.8 % in 2070 (bisection)",
         timed(lambda: pj.run(one, share), args.repeat), 5)
    line("one area: uncertainty band (3 windows, one call)",
         timed(lambda: pj.migration_band(one, vision), args.repeat))
    target = float(pj.totals(pj.run(one, base).total)[-1]) + 10_000
    line("one area: inverse — TFR that reaches baseline+10,000 in 2060",
         timed(lambda: pj.solve_tfr(one, base, target, 2060), max(args.repeat // 5, 3)))


if __name__ == "__main__":
    main()
