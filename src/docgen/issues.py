"""One problem found in a report, where it stands, and how it reads."""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any

from .statute import RULES, Label, Lang, Position


@dataclass(frozen=True)
class Location:
    """A whole file; the subclasses name a place inside one."""

    file: str

    def __str__(self) -> str:
        return self.file

    @property
    def order(self) -> tuple[int, ...]:
        """Sorts the places of one file as a reader meets them."""
        return ()


@dataclass(frozen=True)
class LineLocation(Location):
    """A line of a text file (TOML, JSON): ``report.toml:41``."""

    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"

    @property
    def order(self) -> tuple[int, ...]:
        return (self.line,)


def column_letters(col: int) -> str:
    """A spreadsheet's column name: 1 is A, 27 is AA."""
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = string.ascii_uppercase[rest] + letters
    return letters


@dataclass(frozen=True)
class CellLocation(Location):
    """A cell of a workbook sheet, counted from 1: ``2024.xlsx!表格!E12``."""

    sheet: str
    row: int
    col: int
    sheet_order: int = 0  # where the sheet comes in the workbook, for sorting; not printed

    @property
    def cell(self) -> str:
        return f"{column_letters(self.col)}{self.row}"

    def __str__(self) -> str:
        return f"{self.file}!{self.sheet}!{self.cell}"

    @property
    def order(self) -> tuple[int, ...]:
        return (self.sheet_order, self.row, self.col)


@dataclass(frozen=True)
class TableLocation(Location):
    """A cell of a table in a document (.docx, PDF, web page), counted from 1: ``report.pdf!表B!R8C4``."""

    table: str  # "A", "B" or "C"
    row: int
    col: int

    @classmethod
    def of(cls, file: str, position: Position) -> TableLocation:
        """The place of a figure the statute's grids put at ``position`` (counted from 0)."""
        return cls(file, position.table_name, position.row + 1, position.col + 1)

    def __str__(self) -> str:
        return f"{self.file}!表{self.table}!R{self.row}C{self.col}"

    @property
    def order(self) -> tuple[int, ...]:
        return (ord(self.table[:1] or " "), self.row, self.col)


@dataclass(frozen=True, kw_only=True)
class Issue:
    """A problem in one place of one file: immutable, comparable, printable in both languages."""

    location: Location
    path: str  # dotted data path, "" for the whole file
    rule: str
    row: Label | None = None
    column: Label | None = None
    expected: str = ""
    found: str = ""
    detail: Label  # what is wrong, after the labels

    @property
    def file(self) -> str:
        return self.location.file

    @property
    def line(self) -> int | None:
        """The line in a text file; None for a place in a workbook or a document."""
        return self.location.line if isinstance(self.location, LineLocation) else None

    @property
    def severity(self) -> str:
        return RULES[self.rule].severity

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def where(self, lang: Lang = "zh") -> str:
        """The official row and column labels, or the data path where the value has none."""
        parts = [x.text(lang) for x in (self.row, self.column) if x is not None]
        return " / ".join(parts) if parts else self.path

    def message(self, lang: Lang = "zh") -> str:
        """The message without its place."""
        where = self.where(lang)
        sep = "：" if lang == "zh" else ": "
        body = self.detail.text(lang)
        return f"{where}{sep}{body}" if where else body

    def format(self, lang: Lang = "zh") -> str:
        """``place: [rule] row / column：detail`` as the contract shows it (a lone surrogate shown as \\ud800)."""
        return printable(f"{self.location}: [{self.rule}] {self.message(lang)}")

    def as_dict(self, lang: Lang = "zh") -> dict[str, Any]:
        """The fields ``--output-format json`` prints."""
        return {
            "file": self.file,
            "line": self.line,
            "location": str(self.location),
            "path": self.path,
            "rule": self.rule,
            "severity": self.severity,
            "row": self.row.text(lang) if self.row else None,
            "column": self.column.text(lang) if self.column else None,
            "expected": self.expected,
            "found": self.found,
            "message": self.message(lang),
        }


def printable(text: str) -> str:
    """``text`` as a terminal or a UTF-8 file can show it: a lone surrogate (from JSON's "\\ud800") escaped."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def in_order(issues: list[Issue]) -> list[Issue]:
    """Issues by file, then by place within it; the order found is kept among equals."""
    return sorted(issues, key=lambda i: (i.file, i.location.order))


def mismatch(expected: str, found: str, basis: Label) -> Label:
    """The detail of an arithmetic or cross-check rule: expected, why, and what stands."""
    zh_basis = f"（{basis.zh}）" if basis.zh else ""
    en_basis = f" ({basis.en})" if basis.en else ""
    return Label(f"应为 {expected}{zh_basis}，实为 {found}", f"expected {expected}{en_basis}, found {found}")


def dotted(path: tuple[str | int, ...]) -> str:
    return ".".join(str(p) for p in path)


class HasIssues:
    """Something with ``issues``: a check's result, a batch's outcome, a review's entry; its errors and warnings."""

    issues: tuple[Issue, ...]

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(issue for issue in self.issues if issue.is_error)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(issue for issue in self.issues if not issue.is_error)
