"""Reading an uploaded file as published: encoding, file type and table layout (first half of the importer).

Accepted inputs (the bytes as downloaded, optionally gzip-compressed):
- e-Stat database CSV with code columns (`tab_code,表章項目,cat01_code,男女別,…,area_code,地域,time_code,時間軸,
  unit,value[,annotation]`, also `表章項目_code` / `地域 コード` spellings and the API form whose table follows a
  `VALUE` line): one figure per line.                                                     layout 'estat_code'
- e-Stat table CSV ("表形式"): optional preamble lines (統計名：…), then header lines where a cell starting with '/'
  names a column dimension (`/表章項目`, `/性別`, `/年齢`, `/時間軸（年次）`) and the cells to its right hold its
  categories; the last header line also names the leading row columns (国籍, 地域 コード, 地域 …).  'estat_table'
- 総務省 住民基本台帳 workbooks (xlsx or the older xls) as read by loaders.juki.           'juki_workbook'
- plain tidy CSV/xlsx whose header names the columns of a project table (area_code, ref_date, persons … or
  Japanese headings such as 団体コード, 人口); the explorer's own CSV/xlsx downloads are of this kind. 'tidy'
Text files may be UTF-8 (with or without BOM) or CP932 (Shift_JIS); anything else is refused, naming the file.

Bounds (settings.LIMITS), checked while reading so that a hostile file is refused before it grows: the upload's
size; gzip inflated in pieces, refused past decompressed_bytes or decompress_ratio; an xlsx's zip directory (member
sizes, count, no DOCTYPE) before openpyxl opens it; rows, cells (a sheet's used range, padded as openpyxl pads it)
and characters a cell as rows arrive. A CSV whose last line lacks its line break and ends in an unquoted cell may
be cut inside that cell and is refused; formulas are judged on the NFKC text that would be stored.

Output: a `Parsed` (grid of cells for the preview, the layout, and either long records or a tidy frame). Every
record keeps the 1-based row and the spreadsheet column of its cell, so later checks can name them.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd

from loaders.errors import LoaderError
from settings import LIMITS

_FORMULA_RE = re.compile(r"^(=|@|[+\-][A-Za-z(_]|[+\-]=)")
#: Invisible characters a formula can hide behind (NFKC keeps them): BOM, zero-width space/joiners, word joiner,
#: Mongolian vowel separator. Whitespace (ideographic space included, after NFKC) is stripped too.
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060\u180e"
#: The compression-ratio check starts once this much has been inflated (small files may compress very well).
_RATIO_FROM = 8 * 2**20
_CHUNK = 2**20  # inflate in pieces of this many bytes of output
#: A sheet's used range past this many cells must be at least _SPARSE_FILL filled: a few far-away cells (or empty
#: rows) would otherwise make openpyxl pad millions of empty cells before LIMITS.upload_cells is reached.
_SPARSE_FROM = 2_000_000
_SPARSE_FILL = 0.01
_META_KEY_RE = re.compile(r"[：:]$")


def letter(j: int) -> str:
    """0-based column index -> spreadsheet letter (0 -> 'A', 26 -> 'AA')."""
    s = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s


def norm(cell) -> str:
    """Cell text for matching: NFKC (full/half width unified), trimmed; None -> ''."""
    return "" if cell is None else unicodedata.normalize("NFKC", str(cell)).strip()


@dataclass
class Dim:
    """A dimension (分類事項) of a long layout: name as printed, where it sits, and whether codes accompany it.

    kind 'row': read from a leading column (`letter`, `code_letter`); 'col': read from header line `header_row`
    (1-based) across the value columns.
    """

    name: str
    kind: str
    letter: str | None = None
    code_letter: str | None = None
    header_row: int | None = None


@dataclass
class Parsed:
    """An uploaded file as read, before mapping to project tables."""

    file: str
    kind: str  # 'csv', 'xlsx', 'xls'
    encoding: str | None  # 'utf-8-sig', 'utf-8', 'cp932' for text; None for workbooks
    layout: str  # 'estat_code', 'estat_table', 'juki_workbook', 'tidy'
    grid: list[list] = field(repr=False)  # the first rows as read (preview)
    meta: dict[str, str] = field(default_factory=dict)  # preamble: 統計名, 表題, 単位 …
    sheet: str | None = None
    header_row: int = 1  # 1-based line of the (last) header
    dims: list[Dim] = field(default_factory=list)
    records: pd.DataFrame | None = field(default=None, repr=False)  # long: _row, _col, value, d:<dim>, c:<dim>
    tidy: pd.DataFrame | None = field(default=None, repr=False)  # tidy: the file's columns (text) + _row
    tables: dict[str, pd.DataFrame] | None = field(default=None, repr=False)  # juki_workbook: tidy tables
    raw: bytes = field(default=b"", repr=False)  # juki_workbook: the workbook as xlsx bytes for loaders.juki
    sha256: str = ""  # of the upload as received

    def preview(self, rows: int = 15) -> pd.DataFrame:
        """The first `rows` lines as a frame with spreadsheet letters as column names and line numbers as index."""
        body = self.grid[:rows]
        width = max((len(r) for r in body), default=0)
        frame = pd.DataFrame([[("" if v is None else str(v)) for v in r] + [""] * (width - len(r)) for r in body],
                             columns=[letter(j) for j in range(width)])
        frame.index = range(1, len(frame) + 1)
        return frame


# ---------------------------------------------------------------- bytes -> text or workbook

def _err(file: str, ja: str, en: str, **where) -> LoaderError:
    return LoaderError(file, ja, en, **where)


def decode(file: str, data: bytes) -> tuple[str, str]:
    """Text of a CSV upload and the encoding used: UTF-8 (BOM or not) first, then CP932.

    Refuses UTF-16 and text that only decodes as CP932 by producing half-width katakana noise (an EUC-JP file read
    as Shift_JIS), naming the encoding expected.
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(data) > 3 and data[1:4:2] == b"\x00\x00"):
        raise _err(file, "UTF-16 のファイルは読めません。UTF-8 または Shift_JIS(CP932) の CSV で保存し直してください。",
                   "UTF-16 text is not supported; save the CSV as UTF-8 or Shift_JIS (CP932).")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise _bad_bytes(file, data, exc, "UTF-8") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_exc:
        try:
            text = data.decode("cp932")
        except UnicodeDecodeError:
            raise _bad_bytes(file, data, utf8_exc, "UTF-8 / Shift_JIS") from None
    kana = sum(0xFF61 <= ord(c) <= 0xFF9F for c in text)
    kanji = sum(0x3040 <= ord(c) <= 0x9FFF for c in text)
    if kana > 20 and kana > kanji:  # EUC-JP bytes read as CP932 become half-width katakana
        raise _err(file, "文字コードが UTF-8 でも Shift_JIS(CP932) でもありません（EUC-JP の可能性があります）。"
                   "UTF-8 または Shift_JIS で保存し直してください。",
                   "the text is neither UTF-8 nor Shift_JIS (CP932) — it looks like EUC-JP; save it as UTF-8 or "
                   "Shift_JIS.")
    return text, "cp932"


def _bad_bytes(file: str, data: bytes, exc: UnicodeDecodeError, tried: str) -> LoaderError:
    line = data[:exc.start].count(b"\n") + 1
    return _err(file, f"文字コードを判別できません（{tried} として {line} 行目が読めません）。"
                "UTF-8 または Shift_JIS(CP932) で保存してください。",
                f"unknown text encoding (line {line} is not valid {tried}); save as UTF-8 or Shift_JIS (CP932).",
                row=line)


def _csv_rows(file: str, text: str) -> tuple[list[list[str]], bool]:
    """Rows of a CSV text (comma or tab), bounded as they are read by LIMITS.upload_rows, upload_cells and
    cell_chars (refused naming row and column), and whether its last line may be cut inside its last cell: no
    line break at the end of the file and an unquoted last cell (a complete download ends with a line break)."""
    sample = text[:4096]
    delim = "\t" if sample.count("\t") > sample.count(",") else ","
    reader = csv.reader(_lines(text), delimiter=delim)
    rows, cells, lines = [], 0, 0
    max_rows, max_cells, max_chars = LIMITS.upload_rows, LIMITS.upload_cells, LIMITS.cell_chars
    try:
        for r in reader:
            cells += len(r)
            if len(rows) >= max_rows or cells > max_cells:
                n = len(rows) + 1
                raise _err(file, f"行またはセルが多すぎます（{n:,} 行目で {cells:,} セル、上限 {max_rows:,} 行・{max_cells:,} セル）。",
                           f"too many rows or cells ({cells:,} cells by row {n:,}; limits {max_rows:,} rows, "
                           f"{max_cells:,} cells).", row=n)
            if r and max(map(len, r)) > max_chars:
                j = next(j for j, v in enumerate(r) if len(v) > max_chars)
                raise _too_long(file, len(r[j]), row=len(rows) + 1, column=letter(j))
            rows.append(r)
            lines = reader.line_num
    except csv.Error as exc:  # csv's own field limit (131,072) or a malformed line
        start = sum(len(x) for _, x in zip(range(lines), _lines(text)))
        j = _long_field(text, start, delim)
        if j is not None:
            raise _too_long(file, None, row=len(rows) + 1, column=letter(j)) from None
        raise _err(file, f"CSV として読めません（{exc}）。", f"cannot parse as CSV ({exc}).", row=len(rows) + 1) from None
    if text.count('"') % 2:  # an unterminated quote: the file was cut inside a cell
        raise _err(file, "引用符（\"）が閉じていません。ファイルが途中で切れている可能性があります。",
                   "an opening quote (\") is never closed; the file may be truncated.", row=len(rows))
    end = len(text) - 1
    while end >= 0 and text[end] in " \t\x1a":  # trailing blanks or a DOS end-of-file mark (without copying text)
        end -= 1
    return rows, end >= 0 and text[end] not in "\r\n\""


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _lines(text: str):
    """Lines of a text with their line break (CR LF, LF or CR, as csv expects), one at a time: io.StringIO would
    hold a copy of the whole text at 4 bytes a character."""
    return (m.group() for m in _LINE.finditer(text))


def _long_field(text: str, pos: int, delim: str) -> int | None:
    """0-based column of the first cell longer than LIMITS.cell_chars in the CSV record starting at text[pos]
    (quoted cells may hold delimiters, line breaks and doubled quotes), or None. Scans at most cell_chars + 2
    characters a cell, so a huge cell costs no more than a normal one."""
    limit, n, j = LIMITS.cell_chars, len(text), 0
    while pos < n:
        length = 0
        if text[pos] == '"':
            k = pos + 1
            while True:
                q = text.find('"', k, k + limit + 2 - length)
                if q < 0:
                    return j if n - k > limit - length else None
                length += q - k
                if text.startswith('"', q + 1):  # a doubled quote is one character
                    length += 1
                    k = q + 2
                    continue
                pos = q + 1
                break
        stop = pos + limit + 2 - length
        ends = [e for e in (text.find(delim, pos, stop), text.find("\n", pos, stop), text.find("\r", pos, stop)) if e >= 0]
        end = min(ends) if ends else min(n, stop)
        if length + end - pos > limit:
            return j
        if end >= n or text[end] != delim:
            return None
        pos, j = end + 1, j + 1
    return None


def _cell(v):
    if isinstance(v, str):
        return v
    if hasattr(v, "isoformat"):  # datetime/date from a workbook
        return v.isoformat()[:10] if getattr(v, "hour", 0) == 0 and getattr(v, "minute", 0) == 0 else v.isoformat()
    return v


def _mb(n: int) -> str:
    """A size for messages: '400 MB', or '33 KB' below one MB."""
    return f"{n / 2**20:,.0f} MB" if n >= 2**20 else f"{n / 1024:,.0f} KB"


class Grid(NamedTuple):
    """An upload's cells as read (before the layout is known)."""

    kind: str  # 'csv', 'xlsx', 'xls'
    encoding: str | None
    sheet: str | None
    rows: list  # rows of cells (lists or tuples)
    raw: bytes  # workbook bytes as xlsx (for loaders.juki); b'' for CSV
    cut: bool = False  # CSV whose last line has no line break and an unquoted last cell (possibly cut inside it)


def _inflate(file: str, data: bytes, keep: bool) -> bytes:
    """Every gzip member of `data`, inflated in pieces; LoaderError as soon as the output passes
    LIMITS.decompressed_bytes, grows past LIMITS.decompress_ratio times the compressed bytes read (checked after
    the first 8 MB), or the stream is truncated or corrupt. keep=False only measures (memory: one piece)."""
    cap, ratio = LIMITS.decompressed_bytes, LIMITS.decompress_ratio
    view, pos, total, members, out = memoryview(data), 0, 0, 0, []

    def bomb(ja: str, en: str) -> LoaderError:
        return _err(file, f"圧縮ファイル(gzip)を展開すると{ja}。圧縮爆弾か、取り込める大きさを超えたファイルです。",
                    f"the gzip file, decompressed, {en}: a compression bomb or a file beyond what can be imported.")

    while pos < len(data):
        members += 1
        if members > LIMITS.archive_members:
            raise _err(file, f"gzip のメンバーが多すぎます（上限 {LIMITS.archive_members:,}）。",
                       f"too many gzip members (limit {LIMITS.archive_members:,}).")
        d = zlib.decompressobj(wbits=31)
        try:
            while not d.eof:
                if pos >= len(data):
                    raise EOFError
                piece = view[pos:pos + 65_536]
                pos += len(piece)
                chunk = d.decompress(piece, _CHUNK)
                while True:
                    total += len(chunk)
                    if total > cap:
                        raise bomb(f"上限 {_mb(cap)} を超えます", f"exceeds the limit of {_mb(cap)}")
                    read = pos - len(d.unconsumed_tail)
                    if total > _RATIO_FROM and total > ratio * read:
                        raise bomb(f"{_mb(read)} が {_mb(total)} 以上になります（{ratio} 倍超）",
                                   f"grows from {_mb(read)} to over {_mb(total)} (more than {ratio} times)")
                    if keep:
                        out.append(chunk)
                    if not d.unconsumed_tail and len(chunk) < _CHUNK:
                        break
                    chunk = d.decompress(d.unconsumed_tail, _CHUNK)
        except EOFError:
            raise _err(file, "圧縮ファイル(gzip)が途中で切れています。再ダウンロードしてください。",
                       "the gzip file is truncated; download it again.") from None
        except zlib.error:
            raise _err(file, "圧縮ファイル(gzip)が壊れています。再ダウンロードしてください。",
                       "the gzip file is corrupt; download it again.") from None
        pos -= len(d.unused_data)  # the bytes after this member were read with it
        nonzero = _NONZERO.search(data, pos)  # gzip allows zero padding between and after members
        if nonzero is None:
            break
        pos = nonzero.start()
        if data[pos:pos + 2] != b"\x1f\x8b":
            raise _err(file, "圧縮ファイル(gzip)の後ろに余分なデータがあり、壊れています。再ダウンロードしてください。",
                       "the gzip file is corrupt (data after its end); download it again.")
    return b"".join(out)


_NONZERO = re.compile(rb"[^\x00]")
_NONSPACE = re.compile(rb"\S")


def _gunzip(file: str, data: bytes) -> bytes:
    """A gzip upload decompressed, bounded by LIMITS (see _inflate): first measured without keeping the output, so
    a bomb costs no more memory than one piece, then inflated for real."""
    _inflate(file, data, keep=False)
    return _inflate(file, data, keep=True)


def _check_zip(file: str, data: bytes) -> None:
    """Refuse a workbook whose zip directory is too large, that declares a member inflating past
    LIMITS.decompressed_bytes (or past LIMITS.decompress_ratio times its compressed size, beyond 8 MB), or whose XML
    carries a document type declaration (entity expansion, "billion laughs"; Office files never have one), before
    openpyxl reads anything. zipfile never yields more than a member's declared size (a stream holding more fails
    its CRC check), so the directory's sizes bound what openpyxl can read even when they lie."""
    eocd = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if eocd >= 0 and len(data) >= eocd + 16:
        entries, cd_size = struct.unpack_from("<HI", data, eocd + 10)
        if entries > LIMITS.archive_members or cd_size > LIMITS.archive_members * 1024:
            raise _err(file, f"Excel ファイル（zip）のメンバーが多すぎます（上限 {LIMITS.archive_members:,}）。",
                       f"the Excel file (zip) has too many members (limit {LIMITS.archive_members:,}).")
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:  # zipfile raises BadZipFile, struct.error, ValueError … on a damaged archive
        raise _err(file, f"Excel ファイルとして開けません（{type(exc).__name__}）。途中までしか保存・ダウンロードされていない可能性があります。",
                   f"cannot open as an Excel workbook ({type(exc).__name__}); it may be truncated.") from None
    cap, ratio = LIMITS.decompressed_bytes, LIMITS.decompress_ratio
    with z:
        for info in z.infolist():
            if info.file_size > cap or (info.file_size > _RATIO_FROM and info.file_size > ratio * max(info.compress_size, 1)):
                raise _err(file, f"Excel ファイルの中の「{info.filename}」は展開すると {_mb(info.file_size)} になります"
                           f"（上限 {_mb(cap)}、圧縮率 {ratio} 倍まで）。圧縮爆弾か、取り込める大きさを超えたファイルです。",
                           f"the member {info.filename!r} of the Excel file decompresses to {_mb(info.file_size)} (limit "
                           f"{_mb(cap)}, at most {ratio} times its compressed size): a compression bomb or a file beyond "
                           "what can be imported.")
        for info in z.infolist():
            if info.filename.lower().endswith((".xml", ".rels", ".vml")) and _has_doctype(z, info):
                raise _err(file, f"Excel ファイルの中の「{info.filename}」に文書型宣言（DOCTYPE）があります。Excel が保存したファイルには"
                           "ありません（実体展開による攻撃に使われます）。Excel で開いて保存し直してください。",
                           f"the member {info.filename!r} of the Excel file has a document type declaration (DOCTYPE), "
                           "which files saved by Excel never have (it is used for entity-expansion attacks); open and "
                           "save it again in Excel.")


class _Prolog(Exception):
    """Raised by the expat handlers to stop at the end of an XML prolog."""


def _has_doctype(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether a zip member's XML declares a DOCTYPE before its root element (read in pieces, stops at the root)."""
    import pyexpat

    parser = pyexpat.ParserCreate()

    def doctype(*_):
        raise _Prolog(True)

    def root(*_):
        raise _Prolog(False)

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = root
    try:
        with z.open(info) as f:
            while piece := f.read(65_536):
                parser.Parse(piece, False)
            parser.Parse(b"", True)
    except _Prolog as stop:
        return bool(stop.args[0])
    except Exception:  # noqa: BLE001 - not XML, or damaged: openpyxl reports it when it reads the member
        return False
    return False


def _used_range(file: str, sheet: str, rows: int, cols: int, sparse: bool = False) -> LoaderError:
    ref = f"A1:{letter(cols - 1)}{rows}"
    empty_ja, empty_en = ("、ほとんどが空のセル", ", almost all of it empty") if sparse else ("", "")
    return _err(file, f"シートの使用範囲「{ref}」が大きすぎます（{rows:,} 行 × {cols:,} 列{empty_ja}。上限 {LIMITS.upload_rows:,} 行・"
                f"{LIMITS.upload_cells:,} セル）。不要な行・列（書式だけのセルも）を削除して保存し直してください。",
                f"the sheet's used range {ref} is too large ({rows:,} rows × {cols:,} columns{empty_en}; limits "
                f"{LIMITS.upload_rows:,} rows, {LIMITS.upload_cells:,} cells); delete the unused rows and columns "
                "(formatted empty cells too) and save again.", sheet=sheet, row=rows, column=letter(cols - 1))


def _too_long(file: str, n: int | None, **where) -> LoaderError:
    """A cell over LIMITS.cell_chars (n characters, or None when csv stopped reading it first)."""
    size_ja = f"{n:,} 文字、" if n else ""
    size_en = f"{n:,} characters; " if n else ""
    return _err(file, f"セルの文字数が長すぎます（{size_ja}上限 {LIMITS.cell_chars:,} 文字）。",
                f"the cell is too long ({size_en}limit {LIMITS.cell_chars:,} characters).", **where)


def _sheet_rows(file: str, ws, keep: bool = True) -> list:
    """Values of a read-only worksheet, bounded as they are read: refused when rows × widest row (the used range
    openpyxl would materialise) passes LIMITS.upload_rows / upload_cells, a text cell passes LIMITS.cell_chars, or a
    cell holds a formula. The declared <dimension> is checked first (openpyxl pads every row to it) and then
    ignored, so a lying small dimension cannot hide cells. A used range over 2 million cells that is less than 1 %
    filled is refused too (stray far-away cells or empty rows)."""
    name = ws.title
    if ws.max_row and ws.max_column and (ws.max_row > LIMITS.upload_rows
                                         or ws.max_row * ws.max_column > LIMITS.upload_cells):
        raise _used_range(file, name, ws.max_row, ws.max_column)
    ws.reset_dimensions()
    rows, width, filled, limit = [], 0, 0, LIMITS.cell_chars
    for r_i, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if len(row) > width:
            width = len(row)
        filled += len(row) - row.count(None)
        if r_i > LIMITS.upload_rows or r_i * width > LIMITS.upload_cells:
            raise _used_range(file, name, r_i, width)
        if r_i * width > _SPARSE_FROM and filled < _SPARSE_FILL * r_i * width:
            raise _used_range(file, name, r_i, width, sparse=True)
        if not row:
            if keep:
                rows.append(())
            continue
        for j, v in enumerate(row):
            if isinstance(v, str):
                if len(v) > limit:
                    raise _too_long(file, len(v), sheet=name, row=r_i, column=letter(j))
                if v.startswith("="):
                    raise _err(file, f"数式のセル「{v[:40]}」があります。数式は取り込めません（値として貼り付けてから保存してください）。",
                               f"cell holds a formula ({v[:40]!r}); formulas are not imported (paste as values and save).",
                               sheet=name, row=r_i, column=letter(j))
        if keep:
            rows.append([_cell(v) for v in row])
    return rows


def _xlsx_rows(file: str, data: bytes) -> tuple[list[list], str, bytes]:
    import openpyxl

    _check_zip(file, data)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # a damaged archive or XML fails inside zip/xml with many exception types
        raise _err(file, f"Excel ファイルとして開けません（{type(exc).__name__}）。途中までしか保存・ダウンロードされていない可能性があります。",
                   f"cannot open as an Excel workbook ({type(exc).__name__}); it may be truncated.") from None
    names = wb.sheetnames
    sheet = next((n for n in names if n.lower() in ("data", "データ")), names[0])
    try:
        rows = _sheet_rows(file, wb[sheet])
        if is_juki_workbook(rows):  # loaders.juki reads every sheet: bound the others too
            for other in names:
                if other != sheet:
                    _sheet_rows(file, wb[other], keep=False)
    except LoaderError:
        raise
    except Exception as exc:  # XML errors, entity expansion refused by expat, CRC errors of a lying zip member …
        raise _err(file, f"Excel のシートを読めません（{type(exc).__name__}）。ファイルが壊れているか、途中で切れています。",
                   f"cannot read the Excel sheet ({type(exc).__name__}); the file is damaged or truncated.",
                   sheet=sheet) from None
    finally:
        wb.close()
    return rows, sheet, data


def _xls_rows(file: str, data: bytes) -> tuple[list[list], str, bytes]:
    """Old BIFF workbook (.xls): cells via xlrd (first sheet only, bounded by LIMITS before its cells are read);
    also re-saved as xlsx bytes for loaders.juki."""
    import openpyxl
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
        sh = book.sheet_by_index(0)
    except Exception as exc:  # xlrd raises XLRDError, struct.error, AssertionError … on a damaged file
        raise _err(file, f"Excel(xls) ファイルとして開けません（{type(exc).__name__}）。途中までしか保存されていない可能性があります。",
                   f"cannot open as an Excel (xls) workbook ({type(exc).__name__}); it may be truncated.") from None
    if sh.nrows > LIMITS.upload_rows or sh.nrows * sh.ncols > LIMITS.upload_cells:
        raise _used_range(file, sh.name, sh.nrows, sh.ncols)
    rows = []
    for i in range(sh.nrows):
        out = []
        for j in range(sh.ncols):
            c = sh.cell(i, j)
            if c.ctype == xlrd.XL_CELL_DATE:
                out.append(xlrd.xldate.xldate_as_datetime(c.value, book.datemode).date().isoformat())
            elif c.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                out.append(None)
            elif c.ctype == xlrd.XL_CELL_NUMBER and float(c.value).is_integer():
                out.append(int(c.value))
            else:
                if isinstance(c.value, str) and len(c.value) > LIMITS.cell_chars:
                    raise _too_long(file, len(c.value), sheet=sh.name, row=i + 1, column=letter(j))
                out.append(c.value)
        rows.append(out)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sh.name[:31] or "Sheet1"
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return rows, sh.name, buf.getvalue()


def read_grid(file: str, data: bytes) -> Grid:
    """The cells of an upload, by content not by name (gzip is undone first), within LIMITS: the upload's size,
    the decompressed size, rows, cells and characters a cell."""
    if not _NONSPACE.search(data):  # (data.strip() would copy the upload)
        raise _err(file, "ファイルが空です。", "the file is empty.")
    if len(data) > LIMITS.upload_bytes:
        raise _err(file, f"ファイルが大きすぎます（上限 {_mb(LIMITS.upload_bytes)}）。",
                   f"the file is too large (limit {_mb(LIMITS.upload_bytes)}).")
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(file, data)
        if not _NONSPACE.search(data):
            raise _err(file, "ファイルが空です。", "the file is empty.")
    if data[:4] == b"PK\x03\x04" or file.lower().endswith((".xlsx", ".xlsm")):
        rows, sheet, xbytes = _xlsx_rows(file, data)
        return Grid("xlsx", None, sheet, rows, xbytes)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or file.lower().endswith(".xls"):
        rows, sheet, xbytes = _xls_rows(file, data)
        return Grid("xls", None, sheet, rows, xbytes)
    if b"\x00" in data[:4096] and not data[:2] in (b"\xff\xfe", b"\xfe\xff") and data[1:4:2] != b"\x00\x00":
        raise _err(file, "テキスト（CSV）でも Excel でもないファイルです。", "the file is neither text (CSV) nor an Excel workbook.")
    text, enc = decode(file, data)
    rows, cut = _csv_rows(file, text)
    return Grid("csv", enc, None, rows, b"", cut)


# ---------------------------------------------------------------- layouts

def _nonempty(row) -> list[int]:
    return [j for j, v in enumerate(row) if norm(v) != ""]


def _check_formulas(file: str, rows: list[list], start: int, sheet: str | None) -> None:
    """Refuse a text cell a spreadsheet would run as a formula, judged on the text as it will be stored: NFKC
    (＝ＨＹＰＥＲＬＩＮＫ → =HYPERLINK), without leading whitespace (ideographic space included), invisible characters
    (BOM, zero-width) and one text-prefix apostrophe."""
    skip = " \t\r\n" + _INVISIBLE
    for i in range(start, len(rows)):
        for j, v in enumerate(rows[i]):
            if isinstance(v, str) and v:
                if v[0] < "\x80" and v[0] not in "=+-@' \t\r\n":
                    continue  # an ASCII first character NFKC leaves alone, and not a formula's
                s = norm(v).lstrip(skip)
                if s.startswith("'"):
                    s = s[1:].lstrip(skip)
                if _FORMULA_RE.match(s):
                    raise _err(file, f"数式とみなされる値「{s[:40]}」があります（= + - @ で始まる文字列。全角や前の空白も同じです）。"
                               "値として保存し直してください。",
                               f"value {s[:40]!r} would run as a spreadsheet formula (starts with = + - @, full-width "
                               "or behind spaces alike); save the cell as a plain value.",
                               sheet=sheet, row=i + 1, column=letter(j))


def _code_pairs(names: list[str]) -> list[tuple[str, int | None, int]]:
    """Leading columns as (dimension name, code column or None, label column). A code column ('*_code',
    '* コード', 'コード') is paired with the label column right after it."""
    out, j = [], 0
    while j < len(names):
        n = names[j]
        m = re.fullmatch(r"(.*?)[ _]?(?:code|コード)", n, flags=re.IGNORECASE)
        if m and j + 1 < len(names) and not re.fullmatch(r".*[ _]?(?:code|コード)", names[j + 1], flags=re.IGNORECASE):
            out.append((names[j + 1], j, j + 1))
            j += 2
            continue
        if m:
            out.append((m.group(1) or n, j, j))
        else:
            out.append((n, None, j))
        j += 1
    return out


def _is_footnote(row) -> bool:
    cells = [norm(v) for v in row if norm(v) != ""]
    return len(cells) == 1 and (cells[0].startswith(("注", "※", "(注", "資料", "出典")) or len(cells[0]) > 40)


def _meta_from(rows: list[list], upto: int) -> dict[str, str]:
    meta = {}
    for r in rows[:upto]:
        cells = [norm(v) for v in r if norm(v) != ""]
        if len(cells) >= 2:
            meta[_META_KEY_RE.sub("", cells[0])] = " ".join(cells[1:])
        elif len(cells) == 1 and not meta.get("表題"):
            meta.setdefault("見出し", cells[0])
    return meta


def _estat_code(file: str, rows: list[list], h: int, sheet: str | None, cut: bool) -> tuple[list[Dim], pd.DataFrame]:
    names = [norm(v) for v in rows[h]]
    lower = [n.lower() for n in names]
    vj = lower.index("value") if "value" in lower else names.index("値")
    uj = lower.index("unit") if "unit" in lower else (names.index("単位") if "単位" in names else None)
    skip = {vj, uj, *(j for j, n in enumerate(lower) if n in ("annotation", "注釈", "注記"))}
    dims, cols = [], {}
    for name, cj, lj in _code_pairs([n if j not in skip else "" for j, n in enumerate(names)]):
        if lj in skip or not name:
            continue
        dims.append(Dim(name=name, kind="row", letter=letter(lj), code_letter=None if cj is None else letter(cj)))
        cols[name] = (cj, lj)
    width = len(names)
    recs = []
    for i in range(h + 1, len(rows)):
        r = rows[i]
        if not _nonempty(r):
            continue
        _check_not_truncated(file, sheet, rows, i, width, cut)
        if len(r) != width and len(_nonempty(r)) > 1:
            raise _err(file, f"列の数が見出しと違います（{len(r)} 列、見出しは {width} 列）。",
                       f"the line has {len(r)} columns, the header {width}.", sheet=sheet, row=i + 1)
        if _is_footnote(r):
            continue
        rec = {"_row": i + 1, "_col": f"{letter(vj)} ({names[vj]})", "value": r[vj] if vj < len(r) else None,
               "unit": norm(r[uj]) if uj is not None and uj < len(r) else ""}
        for name, (cj, lj) in cols.items():
            rec[f"d:{name}"] = norm(r[lj]) if lj < len(r) else ""
            rec[f"c:{name}"] = norm(r[cj]) if cj is not None and cj < len(r) else ""
        recs.append(rec)
    return dims, pd.DataFrame.from_records(recs)


def _estat_table(file: str, rows: list[list], block: list[int], sheet: str | None,
                 cut: bool) -> tuple[list[Dim], pd.DataFrame, int]:
    marks = {}
    for i in block:
        js = [j for j, v in enumerate(rows[i]) if norm(v).startswith("/")]
        marks[i] = js[0]
    vcols = set(marks.values())
    if len(vcols) != 1:
        i = block[-1]
        raise _err(file, "見出し行の「/」で始まる分類の位置が行ごとに違います。", "the '/' dimension cells are not in one column.",
                   sheet=sheet, row=i + 1, column=letter(marks[i]))
    mj = vcols.pop()
    h = block[-1]
    width = max(len(rows[i]) for i in block)
    value_cols = [j for j in range(mj + 1, width) if any(j < len(rows[i]) and norm(rows[i][j]) for i in block)]
    if not value_cols:
        raise _err(file, "「/」の分類の右に区分（列見出し）がありません。", "no categories to the right of the '/' header cells.",
                   sheet=sheet, row=h + 1, column=letter(mj + 1))
    dims, col_labels = [], {}
    for i in block:
        name = norm(rows[i][mj])[1:].strip()
        labels, last = {}, ""
        for j in value_cols:  # merged header cells are printed once: carry the label to the right
            v = norm(rows[i][j]) if j < len(rows[i]) else ""
            last = v or last
            labels[j] = last
        dims.append(Dim(name=name, kind="col", header_row=i + 1))
        col_labels[name] = labels
    lead = [norm(v) for v in rows[h][:mj]]
    pairs = _code_pairs(lead)
    for name, cj, lj in pairs:
        if name:
            dims.append(Dim(name=name, kind="row", letter=letter(lj), code_letter=None if cj is None else letter(cj)))
    head = {j: " / ".join(col_labels[d.name][j] for d in dims if d.kind == "col") for j in value_cols}
    recs = []
    for i in range(h + 1, len(rows)):
        r = rows[i]
        if not _nonempty(r) or _is_footnote(r):
            continue
        _check_not_truncated(file, sheet, rows, i, value_cols[-1] + 1 if len(r) > mj else 0, cut)
        base = {"_row": i + 1}
        for name, cj, lj in pairs:
            if name:
                base[f"d:{name}"] = norm(r[lj]) if lj < len(r) else ""
                base[f"c:{name}"] = norm(r[cj]) if cj is not None and cj < len(r) else ""
        for j in value_cols:
            rec = dict(base)
            rec["_col"] = f"{letter(j)} ({head[j]})"
            rec["value"] = r[j] if j < len(r) else None
            rec["unit"] = ""
            for d in dims:
                if d.kind == "col":
                    rec[f"d:{d.name}"] = col_labels[d.name][j]
                    rec[f"c:{d.name}"] = ""
            recs.append(rec)
    return dims, pd.DataFrame.from_records(recs), h


def is_juki_workbook(rows: list[list]) -> bool:
    """A 総務省 住民基本台帳 municipal workbook: a '団体コード' header near the top and the survey in the title."""
    title = " ".join(norm(v) for r in rows[:3] for v in r if v is not None)
    return "住民基本台帳" in title and any(r and norm(r[0]) == "団体コード" for r in rows[:20])


def parse(file: str, data: bytes, tidy_columns: dict[str, str]) -> Parsed:
    """Read an upload and detect its layout (see module doc).

    tidy_columns maps accepted tidy headings (normalised: project column names and Japanese aliases) to project
    column names; a header with area_code and at least one other known column is taken as a tidy table.
    Raises LoaderError naming the file (and row/column) for an unreadable, empty, header-only or unknown file.
    """
    digest = hashlib.sha256(data or b"").hexdigest()
    parsed = _parse(file, data, tidy_columns)
    parsed.sha256 = digest
    return parsed


def _parse(file: str, data: bytes, tidy_columns: dict[str, str]) -> Parsed:
    kind, enc, sheet, rows, xbytes, cut = read_grid(file, data)
    rows = [r if isinstance(r, list) else list(r) for r in rows]
    while rows and not _nonempty(rows[-1]):
        rows.pop()
    if not rows:
        raise _err(file, "ファイルが空です。", "the file is empty.")
    grid = rows[:60]
    if kind != "csv" and is_juki_workbook(rows):
        return Parsed(file, kind, enc, "juki_workbook", grid, meta=_meta_from(rows, 3), sheet=sheet, raw=xbytes)
    # e-Stat API CSV: metadata lines, then a line 'VALUE', then the table
    start = 0
    for i, r in enumerate(rows[:80]):
        if [norm(v) for v in r if norm(v)] == ["VALUE"]:
            start = i + 1
            break
    slash = [i for i, r in enumerate(rows[:60]) if any(norm(v).startswith("/") and len(norm(v)) > 1 for v in r)]
    first = next((i for i in range(start, min(len(rows), start + 60)) if len(_nonempty(rows[i])) >= 3), None)
    if first is None:
        raise _err(file, "見出し行が見つかりません（3列以上ある行がありません）。", "no header line (no line with 3 or more cells).",
                   sheet=sheet, row=1)
    names = [norm(v).lower() for v in rows[first]]
    meta = _meta_from(rows, slash[0] if slash else first)
    if ("value" in names or "値" in names) and any(re.search(r"(code|コード)$", n) for n in names):
        _check_formulas(file, rows, first + 1, sheet)
        dims, recs = _estat_code(file, rows, first, sheet, cut)
        layout, h = "estat_code", first
    elif slash:
        block = [i for i in slash if i >= slash[0] and i - slash[0] <= 10]
        block = [i for k, i in enumerate(block) if k == 0 or i == block[k - 1] + 1]  # consecutive lines only
        _check_formulas(file, rows, block[-1] + 1, sheet)
        dims, recs, h = _estat_table(file, rows, block, sheet, cut)
        layout = "estat_table"
    else:
        mapped = [tidy_columns.get(norm(v).lower()) for v in rows[first]]
        if "area_code" in mapped and len([m for m in mapped if m]) >= 2:
            _check_formulas(file, rows, first + 1, sheet)
            return _tidy(file, kind, enc, sheet, rows, first, mapped, grid, meta, cut)
        raise _err(file, "表の形式を判別できません。e-Stat の CSV（コード付き・表形式）、総務省の住民基本台帳の Excel、"
                   "またはプロジェクトの列名（area_code など）の CSV を指定してください。",
                   "cannot tell the layout: expected an e-Stat CSV (code columns or table form), a 総務省 住民基本台帳 "
                   "workbook, or a CSV with the project's column names (area_code …).", sheet=sheet, row=first + 1)
    if recs.empty:
        raise _err(file, "見出し行だけでデータ行がありません。", "header only, no data rows.", sheet=sheet, row=h + 2)
    if len(recs) > LIMITS.upload_cells:
        raise _err(file, f"値が多すぎます（{len(recs):,} 個、上限 {LIMITS.upload_cells:,}）。",
                   f"too many values ({len(recs):,}; limit {LIMITS.upload_cells:,}).")
    return Parsed(file, kind, enc, layout, grid, meta=meta, sheet=sheet, header_row=h + 1, dims=dims, records=recs)


def _check_not_truncated(file, sheet, rows, i: int, width: int, cut: bool) -> None:
    """The last data line of a half-written file, refused naming row and column: shorter than the header (the
    first missing column), or as long as the header but cut inside its last cell (`cut`: no final line break and
    an unquoted last cell — 59000 arrives as 59 with every column present, which the column count cannot see)."""
    if i != len(rows) - 1:
        return
    r = rows[i]
    if len(r) < width:
        raise _err(file, f"最終行の列が足りません（{len(r)} / {width} 列）。ファイルが途中で切れている可能性があります。",
                   f"the last line has {len(r)} of {width} columns; the file may be truncated.", sheet=sheet,
                   row=i + 1, column=letter(len(r)))
    if cut:
        last = str(r[-1])[:20] if r else ""
        raise _err(file, f"最終行が改行で終わっていません。ファイルが最後のセル「{last}」の途中で切れている可能性があります。"
                   "完全なファイルなら、最後に改行を加えて保存し直してください。",
                   f"the last line does not end with a line break: the file may be truncated inside its last cell "
                   f"({last!r}); if the file is complete, add a line break at the end and save it again.",
                   sheet=sheet, row=i + 1, column=letter(max(len(r) - 1, 0)))


def _tidy(file, kind, enc, sheet, rows, h, mapped, grid, meta, cut: bool) -> Parsed:
    width = len(rows[h])
    body = []
    for i in range(h + 1, len(rows)):
        r = rows[i]
        if not _nonempty(r):
            continue
        _check_not_truncated(file, sheet, rows, i, width, cut)
        if len(r) > width and any(norm(v) for v in r[width:]):
            raise _err(file, f"列の数が見出しより多くなっています（{len(r)} 列、見出しは {width} 列）。",
                       f"the line has more columns ({len(r)}) than the header ({width}).", sheet=sheet, row=i + 1,
                       column=letter(width))
        body.append([i + 1, *[(r[j] if j < len(r) else None) for j in range(width)]])
    if not body:
        raise _err(file, "見出し行だけでデータ行がありません。", "header only, no data rows.", sheet=sheet, row=h + 2)
    headers = [norm(v) for v in rows[h]]
    frame = pd.DataFrame(body, columns=["_row", *[f"{j}" for j in range(width)]])
    frame.attrs["headers"] = headers
    frame.attrs["mapped"] = mapped
    return Parsed(file, kind, enc, "tidy", grid, meta=meta, sheet=sheet, header_row=h + 1, tidy=frame)
