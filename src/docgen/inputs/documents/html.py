"""Reading a web page into paragraphs and tables, ``rowspan`` and ``colspan`` resolved.

Python's own HTML parser is used: it never fetches or expands anything a page
declares (no DTD, no external entity).  A table inside a table cell gives its
text to that cell, as a browser shows it.
"""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser
from pathlib import Path

from ...files import read_head
from ...statute import Label
from .archive import refusal
from .model import Block, Document, Paragraph, Role, spanned

MAX_BYTES = 32 << 20  # a report's page is well under a megabyte
# not the report's text: code, styles, and pictures with their captions (a 图解 beside the text)
_SKIPPED = {"script", "style", "head", "template", "noscript", "svg", "math", "object", "iframe", "select", "figure"}
_BREAKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "header", "footer", "center"}
_HEADINGS: dict[str, Role] = {"h1": "title", "h2": "heading", "h3": "heading", "h4": "heading"}
_VOID = {"br", "img", "hr", "meta", "link", "input", "col", "area", "base", "wbr", "source", "embed", "param"}
_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0]+")


def decode_html(raw: bytes) -> str:
    """A page's text: by its byte-order mark, by the charset it declares, else UTF-8, else GB18030."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            return raw.decode(codec, "replace").lstrip("\ufeff")
    declared = _CHARSET.search(raw[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        name = "gb18030" if name in ("gb2312", "gbk", "gb_2312-80") else name
        try:
            return raw.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", "replace")


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.text: list[str] = []  # the paragraph being read
        self.role: Role | None = None
        self.skip = 0  # inside script, style, a page footer...
        self.skip_tags: list[str] = []
        self.tables: list[list[list[tuple[str, int, int]]]] = []  # the rows of each open table, outermost first
        self.cell: list[str] | None = None  # the text of the outermost table's open cell
        self.span = (1, 1)

    # --- paragraphs
    def flush(self) -> None:
        text = _clean("".join(self.text))
        if text:
            self.blocks.append(Paragraph(text, self.role))
        self.text, self.role = [], None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if self.skip:
            if tag not in _VOID:
                self.skip_tags.append(tag)
            return
        if (
            tag in _SKIPPED
            or attributes.get("title") in ("footer", "header")
            or "display:none" in (attributes.get("style", "").replace(" ", "").lower())
        ):
            if tag not in _VOID:
                self.skip, self.skip_tags = 1, [tag]
            return
        if tag == "table":
            if not self.tables:
                self.flush()
            self.tables.append([])
        elif self.tables:
            self.table_tag(tag, attributes)
        elif tag == "br":
            self.text.append("\n")
        elif tag in _BREAKS:
            self.flush()
            self.role = _HEADINGS.get(tag)

    def table_tag(self, tag: str, attributes: dict[str, str]) -> None:
        if len(self.tables) > 1:  # a table in a cell: its text is the cell's
            if tag in ("td", "th", "br", "p", "tr") and self.cell is not None:
                self.cell.append(" " if tag in ("td", "th") else "\n")
            return
        if tag == "tr":
            self.end_cell()
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.end_cell()
            if not self.tables[-1]:
                self.tables[-1].append([])
            self.cell, self.span = [], (_span(attributes.get("rowspan")), _span(attributes.get("colspan")))
        elif tag in ("br", "p", "div", "li") and self.cell is not None:
            self.cell.append("\n")

    def end_cell(self) -> None:
        if self.cell is not None and self.tables:
            self.tables[-1][-1].append((_clean("".join(self.cell)), *self.span))
        self.cell = None

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """``<br/>``, ``<meta/>``, ``<p/>``: a tag closed as it opens."""
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            if tag in self.skip_tags:  # an end tag closes what it names, and what was left open inside it
                while self.skip_tags.pop() != tag:
                    pass
            self.skip = 1 if self.skip_tags else 0
            return
        if tag == "table" and self.tables:
            if len(self.tables) == 1:
                self.end_cell()
                rows = [row for row in self.tables.pop() if row]
                if rows:
                    self.blocks.append(spanned(rows))
            else:
                self.tables.pop()
        elif self.tables:
            if len(self.tables) == 1 and tag in ("td", "th"):
                self.end_cell()
        elif tag in _BREAKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        data = data.replace("\r", " ").replace("\n", " ")  # a line break of the page's source is a space
        if self.tables:
            if self.cell is not None:
                self.cell.append(data)
        else:
            self.text.append(data)


def _span(value: str | None) -> int:
    try:
        return max(1, int((value or "1").strip()))
    except ValueError:
        return 1


def _clean(text: str) -> str:
    """Whitespace as a browser shows it: runs become one space; a line break kept as a paragraph's own."""
    lines = [_SPACE.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def read_html(path: Path, name: str) -> Document:
    """The paragraphs and tables of the web page at ``path``."""
    raw = read_head(path, name, MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise refusal(
            name,
            Label(f"网页超过 {MAX_BYTES >> 20} MB：不像是一份报告，未读取", "the page is too large to be a report"),
        )
    page = _Page()
    page.feed(decode_html(raw))
    page.close()
    if page.tables:  # a table never closed
        page.handle_endtag("table")
    page.flush()
    return Document(name, tuple(page.blocks))
