"""Reading a .docx into paragraphs and tables, merged cells resolved, straight from its XML.

Word, WPS and LibreOffice all write ``w:gridSpan`` for a cell spanning
columns and ``w:vMerge`` for one spanning rows (``restart`` on its first row;
the rows below, ``continue`` or no value).  The XML is parsed with entities
and DTDs off and no network, whatever the file declares.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree

from ...statute import Label
from .archive import open_archive, refusal
from .model import Block, Document, Paragraph, Role, Table, spanned

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": W}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_TEXT = etree.XPath(
    ".//w:t[not(ancestor::w:txbxContent)] | .//w:tab[not(ancestor::w:txbxContent) and not(ancestor::w:tabs)]"
    " | .//w:br[not(ancestor::w:txbxContent)] | .//w:cr[not(ancestor::w:txbxContent)]",
    namespaces=_NS,
)
_ROW_CELLS = etree.XPath("./w:tc | ./w:sdt/w:sdtContent/w:tc | ./w:customXml/w:tc", namespaces=_NS)
_ROLES: dict[str, Role] = {
    "报告标题": "title",
    "title": "title",
    "标题": "title",
    "一级标题": "heading",
    "二级标题": "heading",
    "heading 1": "heading",
    "heading 2": "heading",
    "heading 3": "heading",
    "落款": "signature",
}


def _nodes(xpath: etree.XPath, element: Any) -> list[Any]:
    """What an XPath finds: elements here, as lxml's result type does not say."""
    found = xpath(element)
    return list(found) if isinstance(found, list) else []


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _text(element: Any) -> str:
    """A paragraph's text: runs, tabs and line breaks, nothing from text boxes drawn over it."""
    out = []
    for node in _nodes(_TEXT, element):
        tag = etree.QName(node).localname
        out.append(node.text or "" if tag == "t" else "\t" if tag == "tab" else "\n")
    return "".join(out)


def _cell_text(tc: Any) -> str:
    return "\n".join(_text(p) for p in tc.iterchildren(_w("p")))


def _table(tbl: Any) -> Table:
    """A ``w:tbl`` as a grid: ``w:vMerge`` continuations become a taller cell."""
    rows: list[list[tuple[str, int, int]]] = []
    merged: list[list[tuple[int, int]]] = []  # for each row, (column, vMerge: 0 none, 1 restart, 2 continue)
    for tr in tbl.iterchildren(_w("tr")):
        row: list[tuple[str, int, int]] = []
        marks: list[tuple[int, int]] = []
        before = tr.find(f"{_w('trPr')}/{_w('gridBefore')}")
        col = int(before.get(_w("val"), "0")) if before is not None else 0
        for tc in _nodes(_ROW_CELLS, tr):
            props = tc.find(_w("tcPr"))
            span_el = props.find(_w("gridSpan")) if props is not None else None
            vmerge = props.find(_w("vMerge")) if props is not None else None
            span = _int(span_el.get(_w("val")) if span_el is not None else None, 1)
            mark = 0 if vmerge is None else 1 if vmerge.get(_w("val")) == "restart" else 2
            row.append((_cell_text(tc), 1, span))
            marks.append((col, mark))
            col += span
        rows.append(row)
        merged.append(marks)
    return _vertical(rows, merged)


def _vertical(rows: list[list[tuple[str, int, int]]], merged: list[list[tuple[int, int]]]) -> Table:
    """Fold each ``continue`` cell into the cell above it that starts at the same column."""
    folded: list[list[tuple[str, int, int]]] = []
    open_at: dict[int, tuple[int, int]] = {}  # column -> (row index in folded, cell index) still merging down
    for r, (row, marks) in enumerate(zip(rows, merged, strict=True)):
        out: list[tuple[str, int, int]] = []
        for (text, _, span), (col, mark) in zip(row, marks, strict=True):
            if mark == 2 and col in open_at:
                top_row, top_cell = open_at[col]
                top_text, top_rows, top_span = folded[top_row][top_cell]
                folded[top_row][top_cell] = (top_text, top_rows + 1, top_span)
                continue
            out.append((text, 1, span))
            if mark:
                open_at[col] = (r, len(out) - 1)
            else:
                open_at.pop(col, None)
        folded.append(out)
    return spanned(folded)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _styles(archive: Any) -> dict[str, str]:
    """Style ids to style names, lowercased: a role is told by the name, which every program keeps."""
    try:
        root = etree.fromstring(archive.read("word/styles.xml"), _PARSER)
    except KeyError:
        return {}
    out = {}
    for style in root.iterchildren(_w("style")):
        name = style.find(_w("name"))
        if name is not None:
            out[style.get(_w("styleId"), "")] = (name.get(_w("val")) or "").lower()
    return out


def _blocks(parent: Any, styles: dict[str, str]) -> list[Block]:
    out: list[Block] = []
    for child in parent:
        tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if tag == "p":
            style = child.find(f"{_w('pPr')}/{_w('pStyle')}")
            name = styles.get(style.get(_w("val"), ""), "") if style is not None else ""
            out.append(Paragraph(_text(child), _ROLES.get(name)))
        elif tag == "tbl":
            out.append(_table(child))
        elif tag in ("sdt", "customXml"):  # content controls wrap paragraphs and tables
            content = child.find(_w("sdtContent"))
            out += _blocks(content if content is not None else child, styles)
    return out


def read_docx(path: Path, name: str) -> Document:
    """The paragraphs and tables of the .docx at ``path``; one that is not a readable .docx is refused."""
    with open_archive(path, name, needs="word/document.xml", what=".docx") as archive:
        try:
            root = etree.fromstring(archive.read("word/document.xml"), _PARSER)
            styles = _styles(archive)
        except (etree.XMLSyntaxError, ValueError, OSError) as exc:
            raise refusal(
                name, Label(f"不是可读的 .docx 文件（{exc}）", f"not a readable .docx file ({exc})")
            ) from None
    body = root.find(_w("body"))
    if body is None:
        raise refusal(name, Label("不是可读的 .docx 文件：没有正文", "not a readable .docx file: no body"))
    return Document(name, tuple(_blocks(body, styles)))
