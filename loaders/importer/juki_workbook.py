"""総務省 住民基本台帳 workbooks (年齢別人口, 人口動態) uploaded as published: read by the official loader
(loaders.juki), checked against the known areas."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from loaders import juki
from loaders.errors import LoaderError
from loaders.importer.areas import AreaIndex
from loaders.importer.prepared import Prepared, fail
from loaders.importer.rows import finish
from loaders.importer_read import Parsed, norm


def read_juki(parsed: Parsed, areas: AreaIndex) -> Prepared:
    """The rows of a 住民基本台帳 workbook as published (read by loaders.juki), printed aggregates skipped."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / (Path(parsed.file).stem + ".xlsx")
        path.write_bytes(parsed.raw)
        try:
            grid = parsed.grid
            age = any("年齢" in norm(v) for r in grid[:3] for v in r if v is not None) or \
                any(norm(v).startswith("0歳") for r in grid[:12] for v in r if v is not None)
            if age:
                frame = juki._validate_age(juki.read_age_workbook(path), parsed.file)
            else:
                frame = juki._validate_dynamics(juki.read_dynamics_workbook(path), parsed.file)
        except LoaderError as exc:
            exc.file = parsed.file if str(path) in exc.file or exc.file == str(path) else exc.file
            raise
    unknown = ~frame["area_code"].isin(areas.codes)
    agg = unknown & frame["muni_name"].astype(str).map(AreaIndex.is_aggregate)
    counts = frame.loc[agg, "muni_name"].value_counts(sort=False)
    skipped = [(f"{n}", int(c), "aggregate") for n, c in counts.items()]
    frame = frame[~agg]
    bad = ~frame["area_code"].isin(areas.codes)
    if bad.any():
        i = bad.idxmax()
        raise fail(parsed, f"不明な団体コード「{frame.at[i, 'area_code']}」（{frame.at[i, 'muni_name']}）です。",
                   f"unknown municipal code {frame.at[i, 'area_code']!r} ({frame.at[i, 'muni_name']}).",
                   row=int(frame.at[i, "_row"]), column="A (団体コード)")
    if age:
        tidy = {"population": juki.age_to_tidy(frame)}
    else:
        tidy = juki.dynamics_to_tidy(frame)
    tables = {}
    rowmap = dict(zip(frame["area_code"], frame["_row"]))
    for table, t in tidy.items():
        t = t.rename(columns={"source_id": "orig_source_id"}).copy()
        t["_row"] = t["area_code"].map(rowmap)
        t["_col"] = ""
        tables[table] = finish_juki(table, t)
    mapping = pd.DataFrame([("団体コード", "area", "@by_code"),
                            ("表題", "time", norm(parsed.grid[0][0]) if parsed.grid and parsed.grid[0] else "")],
                           columns=["dimension", "role", "categories"])
    return Prepared(parsed.file, parsed.layout, None, tables, mapping,
                    pd.DataFrame(skipped, columns=["what", "rows", "reason"]), [])


def finish_juki(table: str, t: pd.DataFrame) -> pd.DataFrame:
    """finish() keeping the loader's source ids as orig_source_id."""
    f = t.copy()
    src = f.pop("orig_source_id")
    f = finish(table, f.assign(orig_source_id=None))
    f["orig_source_id"] = src.values
    return f
