"""Benchmark: the migration map page (人口移動マップ) — server render time and the size of the deck JSON sent to
the browser.

    python benchmarks/bench_map.py [--db data/national.duckdb] [--areas 10]

Render time is the server's script-run time (benchmarks/apptiming.py) for an area not seen before (cold query
cache) and again (warm). Deck JSON is what st.pydeck_chart puts in the page message (flow map + choropleth),
in bytes of UTF-8 and gzip-compressed (as the websocket's compression would send it). Budget (DESIGN.md): any
page ≤ 300 ms of server time; the JSON has no budget but should stay small.
"""
from __future__ import annotations

import argparse
import gzip
import os
import random
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = "pages/migration_map.py"
FIXED = ["40203", "40000", "00000", "01100", "40448"]  # 久留米市, 福岡県, 全国, 札幌市 (largest prefecture), 東峰村
sys.path.insert(0, str(ROOT))


def _p95(xs: list[float]) -> float:
    return sorted(xs)[max(0, int(round(0.95 * len(xs))) - 1)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, default=Path(os.environ.get("POPDASH_DB") or ROOT / "data" / "national.duckdb"))
    ap.add_argument("--areas", type=int, default=10)
    ap.add_argument("--seed", type=int, default=20261124)
    args = ap.parse_args()
    if not args.db.exists():
        sys.exit(f"database not found: {args.db} (build it with `python -m loaders.build national --raw …`)")
    os.environ["POPDASH_DB"] = str(args.db)

    from benchmarks.apptiming import run_page
    from store.official import open_readonly

    with open_readonly(args.db) as con:
        codes = [r[0] for r in con.execute(
            "SELECT area_code FROM areas WHERE \"current\" AND kind IN "
            "('designated_city','city','special_ward','town','village','ward') ORDER BY area_code").fetchall()]
    sample = FIXED + random.Random(args.seed).sample([c for c in codes if c not in FIXED], args.areas)
    run_page(str(ROOT / "app.py"), {"area": "13000"}, PAGE)  # process warm-up: imports, database open, japanmap
    cold, warm, raw_kb, gz_kb = [], [], [], []
    for code in sample:
        for bucket in (cold, warm):
            ms, at = run_page(str(ROOT / "app.py"), {"area": code}, PAGE)
            bucket.append(ms)
            if at.exception:
                print(f"  {code}: exception {at.exception[0].value}")
        specs = [e.proto.json.encode("utf-8") for e in at.get("deck_gl_json_chart")]
        raw = sum(len(s) for s in specs) / 1024
        gz = sum(len(gzip.compress(s)) for s in specs) / 1024
        raw_kb.append(raw)
        gz_kb.append(gz)
        sizes = " + ".join(f"{len(s) / 1024:.0f}" for s in specs)
        print(f"  {code}: cold {cold[-1]:.0f} ms, warm {warm[-1]:.0f} ms, deck JSON {sizes} KB = {raw:.0f} KB "
              f"({gz:.0f} KB gzip)")
    for name, xs in (("cold", cold), ("warm", warm)):
        print(f"{PAGE} render ({name} cache), {len(xs)} areas: median {statistics.median(xs):.0f} ms, "
              f"p95 {_p95(xs):.0f} ms, max {max(xs):.0f} ms (budget 300 ms)")
    print(f"deck JSON per page (flow map + choropleth): median {statistics.median(raw_kb):.0f} KB, "
          f"max {max(raw_kb):.0f} KB; gzip median {statistics.median(gz_kb):.0f} KB, max {max(gz_kb):.0f} KB")
    print("areas:", " ".join(sample))


if __name__ == "__main__":
    main()
