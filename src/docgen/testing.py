"""Helpers for testing rendered reports, for docgen's tests and for users of custom templates."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def document_texts(docx: bytes) -> list[str]:
    """The text of a .docx in document order: each paragraph, then each table's cells row by row.

    A merged cell counts once: a horizontal merge is one cell already, and the
    continuation of a vertical merge is skipped.
    """
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml"))
    body = root.find(f"{W}body")
    assert body is not None
    out: list[str] = []
    for block in body:
        if block.tag == f"{W}p":
            out.append(_text(block))
        elif block.tag == f"{W}tbl":
            for row in block.iter(f"{W}tr"):
                for cell in row.iter(f"{W}tc"):
                    merge = cell.find(f"{W}tcPr/{W}vMerge")
                    if merge is not None and merge.get(f"{W}val") != "restart":
                        continue
                    out.append("".join(_text(p) for p in cell.iter(f"{W}p")))
    return out
