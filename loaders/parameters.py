"""User-uploaded projection parameter tables (e.g. IPSS assumption values), checked cell by cell.

Layout: see projection.tables (columns parameter, sex, age_group, value, optional area_code and year). A file
downloaded from the projection page has exactly this layout, so it can be edited in Excel and uploaded again.
"""
from __future__ import annotations

import pandas as pd

from loaders.errors import LoaderError
from loaders.files import csv_frame, decode_text
from loaders.parse import parse_number
from projection import AGES
from projection.tables import AGE_PARAMS, SCALAR_PARAMS, TIME_PARAMS

def read_parameter_csv(name: str, data: bytes) -> pd.DataFrame:
    """Parse an uploaded parameter CSV (UTF-8 with/without BOM or Shift_JIS).

    Returns a DataFrame with columns parameter, sex, age_group, value (float), area_code, year (Int64).
    Raises LoaderError naming the file, row (as Excel shows it, header = 1) and column for: unreadable or
    empty file, missing columns, unknown parameter/sex/age group, non-numeric or negative value, bad year.
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
    known = set(AGE_PARAMS) | set(SCALAR_PARAMS)
    for i, r in df.iterrows():
        row = i + 2
        p = r["parameter"].strip()
        if p not in known:
            raise LoaderError(name, f"不明なパラメータ「{p}」です（{', '.join(sorted(known))}）。",
                              f"unknown parameter {p!r} (expected one of {', '.join(sorted(known))}).", row=row, column="parameter")
        sex, age = r["sex"].strip() or "total", r["age_group"].strip() or "total"
        if p in AGE_PARAMS:
            if sex not in ("male", "female"):
                raise LoaderError(name, f"性別「{sex}」は male か female で指定してください。", f"sex {sex!r} must be male or female.",
                                  row=row, column="sex")
            if age not in AGES:
                raise LoaderError(name, f"年齢階級「{age}」は 0-4 … 85-89, 90+ のいずれかです。",
                                  f"age group {age!r} must be one of 0-4 … 85-89, 90+.", row=row, column="age_group")
        try:
            v = parse_number(r["value"])
        except ValueError:
            v = "bad"
        if v is None or v == "bad":
            raise LoaderError(name, f"値「{r['value']}」が数値ではありません。", f"value {r['value']!r} is not a number.",
                              row=row, column="value")
        if v < 0 and p != "migration" and p != "foreign_net_counts":
            raise LoaderError(name, f"{p} は負にできません（{v}）。", f"{p} cannot be negative ({v}).", row=row, column="value")
        y = r["year"].strip()
        if y and (not y.isdigit() or p not in TIME_PARAMS):
            raise LoaderError(name, f"年「{y}」は survival・migration・cwr にだけ西暦4桁で指定できます。",
                              f"year {y!r} is only allowed (4 digits) for survival, migration and cwr.", row=row, column="year")
        values.append(float(v))
        years.append(int(y) if y else None)
    out = pd.DataFrame({"parameter": df["parameter"].str.strip(), "sex": df["sex"].str.strip(),
                        "age_group": df["age_group"].str.strip(), "value": values,
                        "area_code": df["area_code"].str.strip(), "year": pd.array(years, dtype="Int64")})
    return out
