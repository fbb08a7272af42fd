"""User-uploaded projection parameter tables (e.g. IPSS assumption values), checked cell by cell.

Layout: see projection.tables (columns parameter, sex, age_group, value, optional area_code and year). A file
downloaded from the projection page has exactly this layout, so it can be edited in Excel and uploaded again.
"""
from __future__ import annotations

import pandas as pd

from loaders.errors import LoaderError
from loaders.files import csv_frame, decode_text
from loaders.parse import CellError, excerpt, parse_number
from projection.tables import check_parameter_table


def read_parameter_csv(name: str, data: bytes, base_year: int = 2020) -> pd.DataFrame:
    """Parse an uploaded parameter CSV (UTF-8 with/without BOM or Shift_JIS) and check it.

    Inputs: file name (for messages), its bytes, ``base_year`` of the projection the table is for (years must be
    the ends of its 5-year steps). Returns a DataFrame with columns parameter, sex, age_group, value (float),
    area_code, year (Int64). Raises LoaderError naming the file, row (as Excel shows it, header = 1) and column
    for: unreadable or empty file, missing columns, a value that is not a number or is absurdly large, a year
    that is not a Western year; then everything projection.tables.check_parameter_table refuses (unknown
    parameter/sex/age group, values outside the plausibility bounds, years off the grid, duplicate cells).
    """
    df = csv_frame(name, decode_text(name, data))
    missing = [c for c in ("parameter", "value") if c not in df.columns]
    if missing:
        raise LoaderError(name, f"必要な列がありません: {', '.join(missing)}", f"missing column(s): {', '.join(missing)}",
                          row=1, column=missing[0])
    if df.empty:
        raise LoaderError(name, "見出し行だけでデータがありません。", "header only, no data rows.", row=2)
    for col in ("sex", "age_group", "area_code", "year"):
        if col not in df.columns:
            df[col] = ""
    values, years = [], []
    for i, r in df.iterrows():
        row = i + 2
        try:
            v = parse_number(r["value"])
        except CellError as exc:
            raise LoaderError(name, f"値「{excerpt(r['value'])}」: {exc.ja}", f"value {excerpt(r['value'])!r}: {exc.en}",
                              row=row, column="value") from None
        except ValueError:
            v = None
        if v is None:
            raise LoaderError(name, f"値「{r['value']}」が数値ではありません。", f"value {r['value']!r} is not a number.",
                              row=row, column="value")
        y = r["year"].strip()
        if y and not y.isdigit():
            raise LoaderError(name, f"年「{y}」は西暦（例: 2030）で指定してください。",
                              f"year {y!r} must be a Western year (e.g. 2030).", row=row, column="year")
        values.append(v)
        years.append(int(y) if y else None)
    out = pd.DataFrame({"parameter": df["parameter"].str.strip(), "sex": df["sex"].str.strip(),
                        "age_group": df["age_group"].str.strip(), "value": values,
                        "area_code": df["area_code"].str.strip(), "year": pd.array(years, dtype="Int64")})
    check_parameter_table(out, name, base_year)
    return out

