"""A published report as its reader finds it: paragraphs and tables in document order.

Each kind of file (.docx, web page, PDF) is read into this one shape, and
:mod:`docgen.inputs.documents.reading` finds the report in it, so the rules
that recognise a heading or a table row are written once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

Role = Literal["title", "heading", "body", "signature"]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of text; ``role`` where the file says what it is (a style, a tag), else None."""

    text: str
    role: Role | None = None


@dataclass(frozen=True)
class Cell:
    """A cell of a table: where it starts (counted from 0), how many rows and columns it spans, its text."""

    row: int
    col: int
    text: str
    rows: int = 1
    cols: int = 1


@dataclass(frozen=True)
class Table:
    """A table as a grid: every real cell once, merged cells with their spans."""

    cells: tuple[Cell, ...]
    rows: int
    cols: int
    continued: bool = False  # the rows of a table above it, without headings (a 续表)

    def grid(self) -> list[list[Cell | None]]:
        """Every position of the grid and the cell covering it (a merged cell at each of its positions)."""
        out: list[list[Cell | None]] = [[None] * self.cols for _ in range(self.rows)]
        for cell in self.cells:
            for r in range(cell.row, min(cell.row + cell.rows, self.rows)):
                for c in range(cell.col, min(cell.col + cell.cols, self.cols)):
                    out[r][c] = cell
        return out


Block = Paragraph | Table


@dataclass(frozen=True)
class Document:
    """A file's paragraphs and tables in reading order, and what reading it noticed (a page footer dropped)."""

    name: str
    blocks: tuple[Block, ...]
    notes: tuple[str, ...] = field(default=())

    def tables(self) -> Iterator[Table]:
        return (block for block in self.blocks if isinstance(block, Table))


def spanned(rows: list[list[tuple[str, int, int]]], *, limit: int = 1000) -> Table:
    """A table from its rows as a file lists them, each cell (text, rowspan, colspan), as HTML and .docx do:
    a cell starts at the first column of its row that no cell from a row above still covers."""
    taken: set[tuple[int, int]] = set()
    cells: list[Cell] = []
    width = 0
    for r, row in enumerate(rows):
        col = 0
        for text, rowspan, colspan in row:
            while (r, col) in taken:
                col += 1
            rowspan, colspan = max(1, min(rowspan, limit)), max(1, min(colspan, limit))
            cells.append(Cell(r, col, text, rowspan, colspan))
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((r + dr, col + dc))
            col += colspan
            width = max(width, col)
    height = max((cell.row + cell.rows for cell in cells), default=0)
    height = min(height, len(rows))  # a rowspan past the last row covers what is there
    return Table(tuple(cells), height, width)
