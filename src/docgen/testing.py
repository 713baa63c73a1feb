"""Helpers for testing rendered reports, for docgen's tests and for users of custom templates."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

Grid = list[list[str | None]]


def _text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def _body(docx: bytes) -> etree._Element:
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml"))
    body = root.find(f"{W}body")
    assert body is not None
    return body


def _continues(cell: etree._Element) -> bool:
    """A cell that continues a vertical merge from the row above."""
    merge = cell.find(f"{W}tcPr/{W}vMerge")
    return merge is not None and merge.get(f"{W}val") != "restart"


def document_texts(docx: bytes) -> list[str]:
    """The text of a .docx in document order: each paragraph, then each table's cells row by row.

    A merged cell counts once: a horizontal merge is one cell already, and the
    continuation of a vertical merge is skipped.
    """
    out: list[str] = []
    for block in _body(docx):
        if block.tag == f"{W}p":
            out.append(_text(block))
        elif block.tag == f"{W}tbl":
            for row in block.iter(f"{W}tr"):
                out += [_text(cell) for cell in row.iter(f"{W}tc") if not _continues(cell)]
    return out


def table_grids(docx: bytes) -> list[Grid]:
    """Each table of a .docx as a grid: a merged cell's text at its top-left slot, None in the slots it covers."""
    grids: list[Grid] = []
    for table in _body(docx).iter(f"{W}tbl"):
        grid: Grid = []
        for row in table.iter(f"{W}tr"):
            slots: list[str | None] = []
            for cell in row.iter(f"{W}tc"):
                span_element = cell.find(f"{W}tcPr/{W}gridSpan")
                span = int(span_element.get(f"{W}val", "1")) if span_element is not None else 1
                slots += [None if _continues(cell) else _text(cell)] + [None] * (span - 1)
            grid.append(slots)
        grids.append(grid)
    return grids
