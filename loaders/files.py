"""Opening official files safely: encodings, compression, truncation, required columns.

Each reader turns low-level failures (a truncated .gz, a CP932 file read as UTF-8, a missing
column) into a LoaderError that names the file, row and column.
"""
from __future__ import annotations

import gzip
import io
import zlib
from pathlib import Path

import openpyxl
import pandas as pd

from loaders.errors import LoaderError
from loaders.parse import MISSING_MARKS

ENCODINGS = ("utf-8-sig", "cp932")


def read_text(path: Path) -> str:
    """Read a text file (optionally gzip-compressed) trying UTF-8 (with or without BOM), then CP932.

    Raises LoaderError when the file is missing, truncated, or in neither encoding.
    """
    name = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise LoaderError(name, "ファイルが見つかりません。", "file not found.") from None
    if name.endswith(".gz"):
        try:
            raw = gzip.decompress(raw)
        except (EOFError, OSError, zlib.error):
            raise LoaderError(name, "圧縮ファイルが途中で切れているか壊れています。再ダウンロードしてください。",
                              "the compressed file is truncated or corrupt; download it again.") from None
    return decode_text(name, raw)


def decode_text(name: str, raw: bytes) -> str:
    """Bytes of a text file (e.g. an upload) decoded as UTF-8 (with or without BOM), else CP932.

    Raises LoaderError naming `name` when the bytes are empty or in neither encoding.
    """
    if not raw or not raw.strip():
        raise LoaderError(name, "ファイルが空です。", "the file is empty.")
    for enc in ENCODINGS:
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise LoaderError(name, "文字コードを判別できません（UTF-8 または Shift_JIS(CP932) で保存してください）。",
                      "unknown text encoding (expected UTF-8 or Shift_JIS/CP932).")


def csv_frame(name: str, text: str) -> pd.DataFrame:
    """All cells of a CSV text as strings ('' for empty); LoaderError naming `name` when it does not parse."""
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise LoaderError(name, f"CSV として読めません（{exc}）。", f"cannot parse as CSV ({exc}).") from None


def read_csv_checked(path: Path, required: list[str], dtype: dict | None = None) -> pd.DataFrame:
    """Read a CSV (UTF-8/CP932, optionally .gz) and check that `required` columns are present.

    Returns a DataFrame with a `_row` column holding the 1-based line number in the file
    (the header is line 1), used by later validation to name the row.
    """
    text = read_text(path)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=dtype, keep_default_na=False, na_values=[""],
                            low_memory=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise LoaderError(str(path), f"CSV として読めません（{exc}）。", f"cannot parse as CSV ({exc}).") from None
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise LoaderError(str(path), f"必要な列がありません: {', '.join(missing)}",
                          f"required column(s) missing: {', '.join(missing)}", row=1, column=missing[0])
    if frame.empty:
        raise LoaderError(str(path), "見出し行だけでデータがありません。", "header only, no data rows.", row=2)
    frame["_row"] = range(2, len(frame) + 2)
    return frame


def check_counts(frame: pd.DataFrame, columns: list[str], file: str, allow_negative: tuple[str, ...] = ()) -> None:
    """Validate count columns in place: numeric, whole, and non-negative unless allowed.

    Cells holding a missing/suppressed mark ('-', '…', 'x', '***') become NA. Converts the columns to
    nullable Int64. Raises LoaderError naming the first bad row/column.
    """
    for col in columns:
        if col not in frame.columns:
            continue
        if frame[col].dtype == object or str(frame[col].dtype).startswith("str"):
            text = frame[col].astype("string").str.normalize("NFKC").str.strip()
            frame[col] = frame[col].mask(text.isin(MISSING_MARKS))
            # Published notation: thousands commas (ASCII or full-width) and △/▲ for negatives.
            cleaned = (text.str.replace(r"[,，]", "", regex=True)
                       .str.replace(r"^[△▲]\s*", "-", regex=True).mask(text.isin(MISSING_MARKS)))
            values = pd.to_numeric(cleaned, errors="coerce")
        else:
            values = pd.to_numeric(frame[col], errors="coerce")
        bad = values.isna() & frame[col].notna()
        if bad.any():
            i = bad.idxmax()
            raise LoaderError(file, f"数値ではない値「{frame.at[i, col]}」があります。",
                              f"value {frame.at[i, col]!r} is not a number.", row=int(frame.at[i, "_row"]), column=col)
        if col not in allow_negative and (values < 0).any():
            i = (values < 0).idxmax()
            raise LoaderError(file, f"人数・件数が負の値（{values[i]:,.0f}）です。",
                              f"count is negative ({values[i]:,.0f}).", row=int(frame.at[i, "_row"]), column=col)
        frac = values.notna() & (values != values.round())
        if frac.any():
            i = frac.idxmax()
            raise LoaderError(file, f"人数・件数が整数ではありません（{values[i]}）。",
                              f"count is not a whole number ({values[i]}).", row=int(frame.at[i, "_row"]), column=col)
        frame[col] = values.astype("Int64")


def read_workbook(path: Path) -> list[tuple[str, list[tuple]]]:
    """Every sheet of an .xlsx workbook as (sheet title, rows as tuples of cell values).

    Raises LoaderError when the file is missing, truncated (a half-written download fails inside zip/xml with
    many exception types) or a sheet cannot be read.
    """
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise LoaderError(str(path), "ファイルが見つかりません。", "file not found.") from None
    except Exception as exc:
        raise LoaderError(str(path), f"Excel ファイルとして開けません（{type(exc).__name__}）。途中までしか保存されていない可能性があります。",
                          f"cannot open as an Excel workbook ({type(exc).__name__}); it may be truncated.") from None
    try:
        return [(ws.title, [tuple(r) for r in ws.iter_rows(values_only=True)]) for ws in wb.worksheets]
    except Exception as exc:
        raise LoaderError(str(path), f"シートを読めません（{type(exc).__name__}）。ファイルが壊れている可能性があります。",
                          f"cannot read a sheet ({type(exc).__name__}); the file may be corrupt.") from None
    finally:
        wb.close()
