"""Helpers for testing rendered reports, for docgen's tests and for users of custom templates."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

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


# the libraries that only writing a Word file needs; checking a report must not load them
WORD_STACK = frozenset({"docx", "docxtpl", "lxml", "jinja2"})


def import_profile(*args: str) -> tuple[int, frozenset[str]]:
    """Run ``python -X importtime *args`` in a fresh interpreter: microseconds spent importing, and the packages.

    The time is the sum of the cumulative times of the imports made at the top
    level (each covers what it imports in turn); the packages are the
    top-level names of every module imported.
    """
    done = subprocess.run([sys.executable, "-X", "importtime", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    total, packages = 0, set()
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, tree = line.split("|")
        name = tree[1:]  # one space after the bar; more means an import made by another one
        packages.add(name.strip().split(".")[0])
        if not name.startswith(" "):
            total += int(cumulative)
    return total, frozenset(packages)


def running(marker: str) -> list[str]:
    """Command lines of live processes that mention ``marker`` (Linux's /proc; empty elsewhere)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if marker in text:
            found.append(text)
    return found
