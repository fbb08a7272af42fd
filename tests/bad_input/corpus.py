"""Generators of bad uploads, one per class of attack or damage the importer must refuse (see README.md here).

Bombs are built in memory from a few KB of compressed data (nothing big is committed): a gzip or zip member made of
one deflate block repeated after full flushes (each block is byte-aligned and independent, so repeating its bytes
repeats its output). Every function returns the bytes of one upload.
"""
from __future__ import annotations

import io
import struct
import zlib

import openpyxl

MB = 2**20
TIDY_HEAD = "area_code,ref_date,nationality,persons\n"


def _deflate_repeat(head: bytes, block: bytes, count: int) -> tuple[bytes, int, int]:
    """(raw deflate stream, crc32, size) of head + block * count, in O(len(block)) compression work."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    rep = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    return first + rep * count + c.flush(), crc, len(head) + len(block) * count


def gzip_bomb(size: int = 2**30, block: bytes = b"0" * MB) -> bytes:
    """A .csv.gz of a tidy header and `size` bytes of `block` (one endless last cell): ~1 KB per MB of output."""
    raw, crc, total = _deflate_repeat(TIDY_HEAD.encode(), block, size // len(block))
    return b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + raw + struct.pack("<II", crc, total & 0xFFFFFFFF)


def xlsx(rows: list[list]) -> bytes:
    """A small, valid workbook with `rows` on its first sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


GOOD_ROWS = [["area_code", "ref_date", "persons"], ["40203", "2022-01-01", 303316]]


def _members(data: bytes) -> list[tuple[str, bytes]]:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(i.filename, z.read(i)) for i in z.infolist()]


def _zip(members: list[tuple[str, bytes | tuple[bytes, int, int]]]) -> bytes:
    """A zip archive written by hand so a member can be pre-compressed or carry sizes that lie.

    A member is (name, plain bytes) or (name, (raw deflate stream, crc32, declared uncompressed size)).
    """
    out, central = io.BytesIO(), io.BytesIO()
    for name, content in members:
        if isinstance(content, bytes):
            c = zlib.compressobj(6, zlib.DEFLATED, -15)
            raw = c.compress(content) + c.flush()
            crc, size = zlib.crc32(content), len(content)
        else:
            raw, crc, size = content
        fname = name.encode()
        offset = out.tell()
        fields = (20, 0, 8, 0, 0x21, crc, len(raw), size, len(fname), 0)
        out.write(b"PK\x03\x04" + struct.pack("<HHHHHIIIHH", *fields) + fname + raw)
        central.write(b"PK\x01\x02" + struct.pack("<HHHHHHIIIHHHHHII", 20, *fields, 0, 0, 0, 0, offset) + fname)
    cd, n = central.getvalue(), len(members)
    start = out.tell()
    out.write(cd + b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, n, n, len(cd), start, 0))
    return out.getvalue()


def _with_sheet(sheet_xml: bytes | tuple) -> bytes:
    return _zip([(n, sheet_xml if n == "xl/worksheets/sheet1.xml" else b) for n, b in _members(xlsx(GOOD_ROWS))])


def _sheet(dimension: str | None, cells: str) -> bytes:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"{dim}<sheetData>{cells}</sheetData></worksheet>").encode()


_GOOD_CELLS = ('<row r="1"><c r="A1" t="inlineStr"><is><t>area_code</t></is></c><c r="B1" t="inlineStr"><is><t>ref_date'
               '</t></is></c><c r="C1" t="inlineStr"><is><t>persons</t></is></c></row>'
               '<row r="2"><c r="A2" t="inlineStr"><is><t>40203</t></is></c><c r="B2" t="inlineStr"><is><t>2022-01-01'
               '</t></is></c><c r="C2"><v>303316</v></c></row>')


def xlsx_dimension_bomb() -> bytes:
    """27 KB-class workbook whose sheet declares the whole grid A1:XFD1048576 (two real rows)."""
    return _with_sheet(_sheet("A1:XFD1048576", _GOOD_CELLS))


def xlsx_far_corner() -> bytes:
    """Two real rows plus one cell at XFD1048576, and no <dimension> to warn of it."""
    return _with_sheet(_sheet(None, _GOOD_CELLS + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'))


def xlsx_far_corner_dense(rows: int = 1000) -> bytes:
    """`rows` full rows of 3 cells (dense enough), then one cell at column XFD: 16,384 columns × 1,001 rows."""
    cells = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c><c r="B{i}"><v>1</v></c><c r="C{i}"><v>2</v></c></row>'
                    for i in range(3, rows + 1))
    return _with_sheet(_sheet(None, _GOOD_CELLS + cells + f'<row r="{rows + 1}"><c r="XFD{rows + 1}"><v>1</v></c></row>'))


def xlsx_wide_rows(rows: int = 5000) -> bytes:
    """Every row has one cell at column XFD (16,384 columns once padded), honest small dimension absent."""
    cells = "".join(f'<row r="{i}"><c r="XFD{i}"><v>1</v></c></row>' for i in range(3, rows + 3))
    return _with_sheet(_sheet(None, _GOOD_CELLS + cells))


def xlsx_member_bomb(size: int = 2**30, declared: int | None = None) -> bytes:
    """Workbook whose sheet XML inflates to `size` bytes (spaces after <sheetData>); `declared` makes the zip
    headers lie about that size (e.g. 4096 while the stream holds a GB)."""
    head = _sheet("A1:C2", _GOOD_CELLS).replace(b"</sheetData></worksheet>", b"")
    raw, crc, real = _deflate_repeat(head, b" " * MB, size // MB)
    return _with_sheet((raw, crc, declared if declared is not None else real))


def xlsx_entity_bomb() -> bytes:
    """Sheet XML whose nested entities ('billion laughs') would expand one cell to 3 GB of 'lol'."""
    ents = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    xml = _sheet("A1:A1", '<row r="1"><c r="A1" t="inlineStr"><is><t>&a9;</t></is></c></row>')
    return _with_sheet(xml.replace(b"?><worksheet", f"?><!DOCTYPE worksheet [{ents}]><worksheet".encode()))


def xlsx_long_cell(chars: int = 40_000) -> bytes:
    """A tidy workbook with one text cell longer than Excel's own limit of 32,767 characters (written by hand:
    openpyxl cuts longer strings when it saves)."""
    cell = f'<c r="D2" t="inlineStr"><is><t>{"x" * chars}</t></is></c>'
    cells = _GOOD_CELLS.replace("</c></row>", '</c><c r="D1" t="inlineStr"><is><t>source_id</t></is></c></row>', 1)
    return _with_sheet(_sheet("A1:D2", cells.replace("<v>303316</v></c></row>", f"<v>303316</v></c>{cell}</row>")))


def csv_long_cell(chars: int) -> bytes:
    """A tidy CSV whose last line has a source_id cell of `chars` characters."""
    return (TIDY_HEAD.rstrip("\n") + ",source_id\n40203,2022-01-01,total,5," + "x" * chars + "\n").encode()


def truncated_last_field() -> bytes:
    """A tidy CSV cut inside its last cell: 59000 became 59 and the final line break is gone."""
    return (TIDY_HEAD + "40203,2022-01-01,total,303316\n40212,2022-01-01,total,59000\n").encode()[:-4]


def fy_in_stock_table() -> bytes:
    """A tidy population file (a stock, dated by ref_date) whose time is a fiscal year."""
    return (TIDY_HEAD + "40203,2021年度,total,303316\n").encode()


def free_text_basis() -> bytes:
    """A tidy population file whose basis (住基/census/estimate …) is free text."""
    return "area_code,ref_date,basis,nationality,persons\n40203,2022-01-01,juki,total,5\n40212,2022-01-01,だいたい,total,6\n".encode()


def formula(prefix: str) -> bytes:
    """A tidy file whose source_id cell is a formula written with `prefix` (full-width ＝, ideographic space …)."""
    return (TIDY_HEAD.rstrip("\n") + ",source_id\n40203,2022-01-01,total,5," + prefix + 'HYPERLINK("http://x")\n').encode()


def cp932_garbage() -> bytes:
    """A free-text cell of bytes that are neither UTF-8 nor CP932 (Shift_JIS lead bytes without a valid trail byte)."""
    return TIDY_HEAD.rstrip("\n").encode() + b",source_id\n40203,2022-01-01,total,5,\x81\x20\x82\x7f\n"
