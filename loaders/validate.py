"""Checks that a published table is whole: totals equal the sum of their parts, and a build covers no less than
the previous one.

`check_sum` compares a published total with the sum of its published parts row by row and names the first row
where they differ (file, row, column and the area/date). `coverage_sql`, `record_coverage` and `check_coverage`
record which (area × period) each table of a build covers (table `build_coverage`) and refuse a build that
covers less than the database it would replace.
"""
from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from loaders.errors import LoaderError


# ---------------------------------------------------------------- totals = sum of parts

def about(frame: pd.DataFrame, i, columns: tuple[str, ...]) -> str:
    """'40203 久留米市, 2022-01-01, 計': the values of `columns` (those present and non-empty) in row label `i`."""
    parts = [str(frame.at[i, c]) for c in columns if c in frame.columns and pd.notna(frame.at[i, c]) and str(frame.at[i, c])]
    return ", ".join(parts)


def check_sum(frame: pd.DataFrame, file: str, total: str, plus: list[str], minus: list[str] = (),
              describe: tuple[str, ...] = ("area_code", "muni_name", "ref_date", "sex"), skip=None) -> None:
    """Refuse the first row where published `total` ≠ Σ `plus` − Σ `minus`, all of them published (not NA).

    frame: rows with a `_row` column (line or spreadsheet row of `file`) and numeric (nullable) columns; columns
    not in the frame make the check a no-op (a layout without that total). skip: optional boolean mask of rows
    not checked (documented published inconsistencies). Raises LoaderError (file, row, column = total) whose
    message gives both figures and the area/date (`describe` columns).
    """
    cols = [total, *plus, *minus]
    if not all(c in frame.columns for c in cols):
        return
    values = frame[cols].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    given = values[:, 0]
    parts = values[:, 1:1 + len(plus)].sum(axis=1) - values[:, 1 + len(plus):].sum(axis=1)
    bad = ~np.isnan(values).any(axis=1) & (given != parts)
    if skip is not None:
        bad &= ~np.asarray(skip, dtype=bool)
    if not bad.any():
        return
    k = int(np.argmax(bad))
    i = frame.index[k]
    formula = " + ".join(plus) + "".join(f" − {m}" for m in minus)
    where = about(frame, i, describe)
    raise LoaderError(file, f"{total} {given[k]:,.0f} が {formula} = {parts[k]:,.0f} と一致しません（{where}）。"
                      "ファイルが壊れているか、途中で切れている可能性があります。",
                      f"{total} {given[k]:,.0f} is not {formula} = {parts[k]:,.0f} ({where}); the file may be "
                      "damaged or truncated.", row=int(frame.at[i, "_row"]), column=total)


# ---------------------------------------------------------------- coverage of a build

#: Per table: (area column, period column or None, series columns). A build "covers" the distinct
#: (series, area, period) of every table; series separate e.g. the age table from the dynamics table in
#: `population`, so losing the age rows of some dates is seen even though the totals of those dates remain.
COVERAGE = {
    "areas": ("area_code", None, ["kind"]),
    "population": ("area_code", "ref_date", ["source_id", "nationality"]),
    "households": ("area_code", "ref_date", ["source_id", "nationality"]),
    "vital_events": ("area_code", "period", ["source_id", "nationality"]),
    "migration_totals": ("area_code", "period", ["source_id", "nationality"]),
    "migration_flows": ("origin_code", "period", ["source_id", "nationality"]),
    "migration_net_flows": ("area_code", "period", ["source_id", "nationality"]),
    "youth_net_migration": ("area_code", "period", ["source_id", "nationality"]),
    "fertility": ("area_code", "year", ["source_id"]),
    "projections": ("area_code", "year", ["source", "scenario", "nationality"]),
    "foreign_residents": ("area_code", "ref_date", ["source_id"]),
    "boundaries": ("area_code", None, ["source_id", "level"]),
    "statements": ("area_code", "period", ["topic"]),
    "events": ("area_code", "event_date", ["kind"]),
}


def coverage_sql(table: str, schema: str = "") -> str:
    """SELECT of the distinct (table_name, series, area_code, period) rows of `table` (in attached `schema`)."""
    area, period, series = COVERAGE[table]
    prefix = f"{schema}." if schema else ""
    series_sql = "concat_ws('/', " + ", ".join(f'CAST("{c}" AS VARCHAR)' for c in series) + ")"
    period_sql = f'CAST("{period}" AS VARCHAR)' if period else "''"
    return (f"SELECT DISTINCT '{table}' AS table_name, {series_sql} AS series, CAST(\"{area}\" AS VARCHAR) AS area_code, "
            f"{period_sql} AS period FROM {prefix}{table} WHERE \"{area}\" IS NOT NULL")


def record_coverage(con: duckdb.DuckDBPyConnection) -> None:
    """Fill table `build_coverage` of the database being built from its own tables (one row per table, series,
    area and period; period '' for tables without one)."""
    parts = " UNION ALL ".join(coverage_sql(t) for t in COVERAGE)
    con.execute(f"INSERT INTO build_coverage SELECT * FROM ({parts}) ORDER BY ALL")


def _previous_coverage(con: duckdb.DuckDBPyConnection) -> str | None:
    """SQL for the coverage of the attached previous database `prev`: its `build_coverage`, or (a database built
    before that table existed) computed from its tables. None when it has none of the tables."""
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = 'prev'").fetchall()}
    if "build_coverage" in tables:
        return "SELECT table_name, series, area_code, period FROM prev.build_coverage"
    parts = []
    for t, (area, period, series) in COVERAGE.items():
        if t not in tables:
            continue
        cols = {r[0] for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = 'prev' AND table_name = ?", [t]).fetchall()}
        if {area, *series, *([period] if period else [])} <= cols:
            parts.append(coverage_sql(t, "prev"))
    return " UNION ALL ".join(parts) or None


def check_coverage(con: duckdb.DuckDBPyConnection, previous: Path, allow_shrink: bool = False) -> dict[str, int]:
    """Compare the coverage of the database being built (`con`, table build_coverage filled) with `previous`.

    previous: the database the build will replace, opened read-only (left byte-identical); missing or unreadable
    → nothing to compare (a warning on stderr for unreadable). Returns {table: area×periods lost}. Raises
    LoaderError (file = previous) naming each table that covers less, how many (area × period) it loses and which
    periods vanish from which series, unless allow_shrink.
    """
    if not previous.exists():
        return {}
    con.execute("SET enable_progress_bar = false")  # the comparison may take seconds; keep the CLI output clean
    try:
        con.execute("ATTACH ? AS prev (READ_ONLY)", [str(previous)])
    except duckdb.Error as exc:
        print(f"警告 / warning: 前回のデータベースを読めないため範囲の比較を省略します / cannot read the previous "
              f"database, coverage not compared: {previous} ({exc})", file=sys.stderr)
        return {}
    try:
        old = _previous_coverage(con)
        if old is None:
            return {}
        con.execute(f"""CREATE TEMP TABLE coverage_lost AS
                        SELECT * FROM ({old}) EXCEPT SELECT table_name, series, area_code, period FROM build_coverage""")
        counts = con.execute("""SELECT table_name, count(*), min(series || ' ' || area_code || ' ' || period)
                                FROM coverage_lost GROUP BY ALL ORDER BY ALL""").fetchall()
        # Periods of a series that the new build has for no area at all: "2019-01-01 … disappeared".
        vanished = con.execute("""SELECT table_name, series, list(DISTINCT period ORDER BY period) FROM coverage_lost l
                                  WHERE NOT EXISTS (SELECT 1 FROM build_coverage c WHERE c.table_name = l.table_name
                                                    AND c.series = l.series AND c.period = l.period)
                                  GROUP BY ALL ORDER BY ALL""").fetchall()
        con.execute("DROP TABLE coverage_lost")
    finally:
        con.execute("DETACH prev")
    if counts and not allow_shrink:
        gone: dict[str, list[str]] = {}
        for table, series, periods in vanished:
            shown = ", ".join(p or "–" for p in periods[:6]) + (f" … ({len(periods)})" if len(periods) > 6 else "")
            gone.setdefault(table, []).append(f"{series}: {shown}")
        ja, en = [], []
        for table, n, example in counts:
            what = "; ".join(gone.get(table, [])[:3])
            ja.append(f"表 {table}: 地域×時点 {n:,} 件が失われます（" + (f"消える時点 {what}" if what else f"例: {example}") + "）")
            en.append(f"table {table}: {n:,} area×period(s) lost (" + (f"periods gone: {what}" if what else f"e.g. {example}") + ")")
        raise LoaderError(str(previous),
                          f"新しい構築は前回のデータベースより範囲が狭くなります — {'／'.join(ja)}。公式ファイルが欠けたり途中で"
                          "切れたりしていないか確認してください。意図した変更なら --allow-shrink を付けて再実行してください。",
                          f"the new build covers less than the previous database — {'; '.join(en)}. Check that no "
                          "official file is missing or cut short; if the change is intended, run again with --allow-shrink.")
    return {t: n for t, n, _ in counts}
