"""Opening official files safely: encodings, compression, truncation, required columns.

Each reader turns low-level failures (a truncated .gz, a CP932 file read as UTF-8, a missing
column) into a LoaderError that names the file, row and column.
"""
from __future__ import annotations

import csv
import gzip
import io
import re
import zlib
from pathlib import Path

import openpyxl
import pandas as pd

from loaders.errors import LoaderError
from loaders.importer_read import letter
from loaders.parse import MISSING_MARKS

ENCODINGS = ("utf-8-sig", "cp932")


def read_text(path: Path, *, allow_private_use: bool = False) -> str:
    """Read a text file (optionally gzip-compressed) trying UTF-8 (with or without BOM), then CP932.

    Raises LoaderError when the file is missing, truncated, in neither encoding, or holds characters no
    published table contains (see `decode_text`; `allow_private_use` is passed on).
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
    return decode_text(name, raw, allow_private_use=allow_private_use)


#: Characters no published table holds: C0/C1 controls other than tab, LF and CR (DEL too), and the private-use
#: area U+E000–U+F8FF. Python's cp932 codec decodes bytes that are not characters (user-defined rows F040–F9FC,
#: single bytes 0x80, 0xA0, 0xFD–0xFF) into exactly these, so finding one means the bytes are not CP932 text.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ue000-\uf8ff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def decode_text(name: str, raw: bytes, *, allow_private_use: bool = False) -> str:
    """Bytes of a text file (e.g. an upload) decoded as UTF-8 (with or without BOM), else CP932, strictly.

    Raises LoaderError naming `name` when the bytes are empty, in neither encoding, or the decoded text holds a
    control character other than tab/CR/LF or a private-use character (U+E000–U+F8FF: 外字 or bytes that CP932
    does not assign), naming the line. `allow_private_use` lets private-use characters through for a caller that
    checks where they are (see `read_csv_checked`); controls are refused always.
    """
    if not raw or not raw.strip():
        raise LoaderError(name, "ファイルが空です。", "the file is empty.")
    for enc in ENCODINGS:
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError as exc:
            if enc == "utf-8-sig" and exc.end == len(raw) and not raw[:exc.start].isascii():
                # UTF-8 up to a character cut in two at the very end: a half-written file, not another encoding.
                raise LoaderError(name, "ファイルが文字の途中で終わっています（UTF-8）。途中までしか保存されていません。再ダウンロードして"
                                  "ください。", "the file ends in the middle of a UTF-8 character: it is truncated; download "
                                  "it again.", row=raw.count(b"\n") + 1) from None
            continue
        bad = (_CONTROL if allow_private_use else _NOT_TEXT).search(text)
        if bad:
            line = text.count("\n", 0, bad.start()) + 1
            code = f"U+{ord(bad.group()):04X}"
            kind_ja = "制御文字" if _CONTROL.match(bad.group()) else "私用領域の文字（外字）"
            kind_en = "a control character" if _CONTROL.match(bad.group()) else "a private-use character (外字)"
            label = "UTF-8" if enc.startswith("utf-8") else "CP932"
            raise LoaderError(name, f"{kind_ja} {code} があります（{label} として読んだ場合）。文字コード表にない"
                              "バイトか壊れたファイルです。UTF-8 または Shift_JIS(CP932) の正しいファイルを用意してください。",
                              f"{kind_en} {code} (reading the file as {label}): bytes that are not text in "
                              "that encoding, or a damaged file; supply a proper UTF-8 or Shift_JIS (CP932) file.",
                              row=line)
        return text
    raise LoaderError(name, "文字コードを判別できません（UTF-8 または Shift_JIS(CP932) で保存してください）。",
                      "unknown text encoding (expected UTF-8 or Shift_JIS/CP932).")


def csv_rows(name: str, text: str) -> list[list[str]]:
    """All rows of a CSV text as lists of strings (blank lines give []), with strict quoting.

    Raises LoaderError naming `name` and the line when a quoted field is never closed (a file cut inside a
    field) or the quoting is malformed.
    """
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as exc:
        raise LoaderError(name, f"CSV の引用符が閉じていません（{exc}）。ファイルが途中で切れている可能性があります。",
                          f"a quoted field is not closed ({exc}); the file may be truncated.",
                          row=len(rows) + 1) from None
    return rows


def check_row_widths(name: str, rows: list[list[str]], header: int = 0, text: str | None = None) -> None:
    """Refuse a row below `rows[header]` that has fewer fields than the header (pandas would pad it with empty
    cells) or more non-empty fields; blank lines are allowed.

    `rows` as from `csv_rows` (line = index + 1); `text` (optional, the file's text) lets the message say that the
    last line has no line break, i.e. the file ends in the middle of that line. Raises LoaderError naming the file,
    line and the first column without a value.
    """
    labels = rows[header] if header < len(rows) else []
    cut = text is not None and not text.endswith(("\n", "\r"))
    for i in range(header + 1, len(rows)):
        if rows[i] and len(rows[i]) != len(labels):
            _width_error(name, labels, rows[i], i, cut and i == len(rows) - 1)


def check_csv_text(name: str, text: str) -> None:
    """`check_row_widths` of a CSV text whose header is its first line (the tidy tables): strict quoting, every
    non-blank line with the header's number of fields. Text without quotes is checked by counting commas (≈5×
    faster than the csv module on the 10 MB age tables). Raises LoaderError naming file, line and column."""
    if '"' in text:
        check_row_widths(name, csv_rows(name, text), 0, text)
        return
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the line break ending the last line
    width = lines[0].count(",") if lines else 0
    cut = not text.endswith(("\n", "\r"))
    bad = next((i for i, line in enumerate(lines) if line.count(",") != width and line.strip("\r")), None)
    if bad is not None:
        _width_error(name, lines[0].rstrip("\r").split(","), lines[bad].rstrip("\r").split(","), bad,
                     cut and bad == len(lines) - 1)


def _width_error(name: str, labels: list[str], row: list[str], i: int, cut: bool) -> None:
    """Raise for line i + 1 whose fields `row` do not match the header `labels` (more non-empty fields, or fewer);
    `cut`: it is the last line and has no line break."""
    width = len(labels)
    if len(row) > width:
        if not any(v.strip() for v in row[width:]):
            return
        raise LoaderError(name, f"{len(row)} 列あり、見出しの {width} 列より多くなっています。",
                          f"the line has {len(row)} fields, more than the header's {width}.", row=i + 1,
                          column=letter(width))
    column = f"{letter(len(row))} ({labels[len(row)].strip()})"
    ja = (f"最終行が改行なしで途中まで（見出し {width} 列のうち {len(row)} 列）しかありません。ファイルが途中で切れています。"
          if cut else f"見出しは {width} 列ですが、この行は {len(row)} 列しかありません。")
    en = (f"the last line ends without a line break after {len(row)} of the header's {width} fields; the file is "
          "truncated." if cut else f"the line has {len(row)} fields, fewer than the header's {width}.")
    raise LoaderError(name, ja, en, row=i + 1, column=column)


def csv_frame(name: str, text: str) -> pd.DataFrame:
    """All cells of a CSV text as strings ('' for empty); LoaderError naming `name` when it does not parse."""
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise LoaderError(name, f"CSV として読めません（{exc}）。", f"cannot parse as CSV ({exc}).") from None


def read_csv_checked(path: Path, required: list[str], dtype: dict | None = None,
                     private_use_columns: tuple[str, ...] = ()) -> pd.DataFrame:
    """Read a CSV (UTF-8/CP932, optionally .gz) and check its shape and that `required` columns are present.

    Every line must have the header's number of fields (a short line — e.g. the last line of a file cut
    short — is refused, see `check_row_widths`); private-use characters are refused except inside
    `private_use_columns` (e.g. names printed with 外字). Returns a DataFrame with a `_row` column holding the
    1-based line number in the file (the header is line 1), used by later validation to name the row.
    """
    name = str(path)
    text = read_text(path, allow_private_use=bool(private_use_columns))
    check_csv_text(name, text)
    if private_use_columns:
        _check_private_use(name, text, private_use_columns)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=dtype, keep_default_na=False, na_values=[""],
                            low_memory=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise LoaderError(name, f"CSV として読めません（{exc}）。", f"cannot parse as CSV ({exc}).") from None
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise LoaderError(name, f"必要な列がありません: {', '.join(missing)}",
                          f"required column(s) missing: {', '.join(missing)}", row=1, column=missing[0])
    if frame.empty:
        raise LoaderError(name, "見出し行だけでデータがありません。", "header only, no data rows.", row=2)
    frame["_row"] = range(2, len(frame) + 2)
    return frame


def _check_private_use(name: str, text: str, allowed: tuple[str, ...]) -> None:
    """Refuse a private-use character outside the `allowed` columns, naming line and column."""
    header = None
    for m in PRIVATE_USE.finditer(text):
        header = header or [h.strip().lstrip("\ufeff") for h in next(csv.reader(io.StringIO(text)))]
        line = text.count("\n", 0, m.start())
        before = next(csv.reader([text[text.rfind("\n", 0, m.start()) + 1:m.start()]]), [])
        j = max(len(before) - 1, 0)  # the field the character is in
        column = header[j] if j < len(header) else letter(j)
        if column not in allowed:
            raise LoaderError(name, f"私用領域の文字（外字）U+{ord(m.group()):04X} があります。壊れたバイトの可能性があります。",
                              f"a private-use character (外字) U+{ord(m.group()):04X}; the bytes may be damaged.",
                              row=line + 1, column=column)


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
