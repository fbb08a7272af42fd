"""Errors raised while reading official files.

Every problem found in an input file is reported as a LoaderError that names the file, and where
known the sheet, row and column, in Japanese and English, so the person who downloaded the file can
find the cell. Builders catch nothing silently: a LoaderError aborts the build and the previous
database stays in place.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class LoaderError(Exception):
    """A problem in an input file.

    file: path or name of the file; row: 1-based row number as a spreadsheet/text editor shows it
    (header rows included); column: column name or letter; sheet: worksheet name for workbooks;
    problem_ja / problem_en: what is wrong, in each language.
    """

    file: str
    problem_ja: str
    problem_en: str
    row: int | None = None
    column: str | None = None
    sheet: str | None = None

    def where(self, lang: str = "ja") -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(("シート " if lang == "ja" else "sheet ") + self.sheet)
        if self.row is not None:
            parts.append(f"{self.row}行目" if lang == "ja" else f"row {self.row}")
        if self.column:
            parts.append(f"列「{self.column}」" if lang == "ja" else f"column '{self.column}'")
        return "、".join(parts) if lang == "ja" else ", ".join(parts)

    def message(self, lang: str = "ja") -> str:
        """The full message in the user's language ('ja' or 'en')."""
        text = self.problem_ja if lang == "ja" else self.problem_en
        return f"{self.where(lang)}: {text}"

    def __str__(self) -> str:  # both languages: logs and CLI are read by either audience
        return f"{self.message('ja')} / {self.message('en')}"
