"""The official layout as a docxtpl template, built from the statutory structure.

GB/T 9704-2012 page setup and type, the six sections in their fixed order,
and tables A, B and C with the labels, order and merges of the 2021 and
2019 notices.  ``tools/build_templates.py`` writes the result to
``templates/``; a test fails when the committed files are out of date.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips
from docx.styles.style import ParagraphStyle
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from .structure import (
    APPLICANTS,
    FORMAT_SPECS,
    INFO_CONTENT,
    NATURAL_PERSON,
    ORGANISATION_COLUMNS,
    ORGANISATIONS,
    SECTIONS,
    TABLE_A_ROOT,
    TABLE_B_COLUMNS,
    TABLE_B_NOTE,
    TABLE_C_COLUMNS,
    TABLE_C_GROUPS,
    TABLE_C_ROOT,
    TOTAL,
    Format,
)
from .write import deterministic_zip

LATIN = "Times New Roman"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
BODY_FONT = "仿宋_GB2312"
TABLE_FONT = "宋体"
OFFICIAL_FONTS = (TITLE_FONT, HEADING_FONT, SUBHEADING_FONT, BODY_FONT, TABLE_FONT)

TEXT_WIDTH = 8844  # twips: 210 mm - 28 mm - 26 mm = 156 mm
BODY_SIZE = Pt(16)  # 三号
LINE = Pt(28)  # exact line spacing: 22 lines to the page

# Table B keeps the proportions of the blank form offices use (754/921/3271 twips for the
# label columns, 685 for each number), scaled to the 156 mm text block.
_B_SCALE = TEXT_WIDTH / (754 + 921 + 3271 + 7 * 685)
B_WIDTHS = [round(w * _B_SCALE) for w in (754, 921, 3271)] + [round(685 * _B_SCALE)] * 7
B_WIDTHS[2] += TEXT_WIDTH - sum(B_WIDTHS)
C_WIDTHS = [TEXT_WIDTH // 15] * 15
C_WIDTHS[-1] += TEXT_WIDTH - sum(C_WIDTHS)
A_WIDTHS = [TEXT_WIDTH // 4] * 4

STYLE_TITLE = "报告标题"
STYLE_H1 = "一级标题"
STYLE_H2 = "二级标题"
STYLE_SIGNATURE = "落款"
STYLE_PAGE_NUMBER = "页码"
STYLE_TABLE = "表格文字"
STYLE_TABLE_SMALL = "表格文字（小）"
STYLE_TABLE_NOTE = "表格注释"

FIXED_TIME = datetime.datetime(2021, 9, 26, tzinfo=datetime.UTC)  # the 2021 notice's date


def _set_fonts(rpr_parent: Any, east_asia: str) -> None:
    """Latin in Times New Roman, Chinese in ``east_asia``: the w:eastAsia attribute Word reads for CJK."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for key, value in (("w:ascii", LATIN), ("w:hAnsi", LATIN), ("w:eastAsia", east_asia), ("w:cs", LATIN)):
        fonts.set(qn(key), value)


def _paragraph_style(
    doc: DocumentObject,
    name: str,
    font: str,
    size: Pt,
    *,
    align: int | None = None,
    indent: bool = False,
    exact: bool = True,
    base: str = "Normal",
) -> ParagraphStyle:
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    assert isinstance(style, ParagraphStyle)
    style.base_style = doc.styles[base]
    style.quick_style = True
    style.font.size = size
    _set_fonts(style.element, font)
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if exact:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _first_line_chars(style.element, 200 if indent else 0, size)
    return style


def _first_line_chars(owner: Any, chars: int, size: Pt) -> None:
    """A first-line indent in characters (w:firstLineChars), so it follows the font size."""
    ppr = owner.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    ind.set(qn("w:firstLineChars"), str(chars))
    ind.set(qn("w:firstLine"), str(int(size.pt * 20 * chars / 100)))


def _styles(doc: DocumentObject) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    assert defaults is not None
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    assert rpr is not None
    fonts = rpr.find(qn("w:rFonts"))
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for key, value in (("w:ascii", LATIN), ("w:hAnsi", LATIN), ("w:eastAsia", BODY_FONT), ("w:cs", LATIN)):
        fonts.set(qn(key), value)
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    ppr = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}")
    assert ppr is not None
    for child in list(ppr):
        ppr.remove(child)

    normal = doc.styles["Normal"]
    assert isinstance(normal, ParagraphStyle)
    normal.font.size = BODY_SIZE
    _set_fonts(normal.element, BODY_FONT)
    fmt = normal.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.widow_control = False
    _first_line_chars(normal.element, 200, BODY_SIZE)

    _paragraph_style(doc, STYLE_TITLE, TITLE_FONT, Pt(22), align=WD_ALIGN_PARAGRAPH.CENTER)
    doc.styles[STYLE_TITLE].paragraph_format.line_spacing = Pt(35)
    h1 = _paragraph_style(doc, STYLE_H1, HEADING_FONT, BODY_SIZE, indent=True)
    h1.paragraph_format.keep_with_next = True
    h2 = _paragraph_style(doc, STYLE_H2, SUBHEADING_FONT, BODY_SIZE, indent=True)
    h2.paragraph_format.keep_with_next = True
    _paragraph_style(doc, STYLE_SIGNATURE, BODY_FONT, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph_style(doc, STYLE_PAGE_NUMBER, TABLE_FONT, Pt(14), exact=False)
    _paragraph_style(doc, STYLE_TABLE, TABLE_FONT, Pt(10), align=WD_ALIGN_PARAGRAPH.CENTER, exact=False)
    _paragraph_style(doc, STYLE_TABLE_SMALL, TABLE_FONT, Pt(9), align=WD_ALIGN_PARAGRAPH.CENTER, exact=False)
    _paragraph_style(
        doc,
        STYLE_TABLE_NOTE,
        SUBHEADING_FONT,
        Pt(9),
        align=WD_ALIGN_PARAGRAPH.CENTER,
        exact=False,
        base=STYLE_TABLE_SMALL,
    )


def _page(doc: DocumentObject) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(20)
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        paragraph = footer.paragraphs[0]
        paragraph.style = doc.styles[STYLE_PAGE_NUMBER]
        paragraph.alignment = align
        # 单页码居右空一字，双页码居左空一字 (GB/T 9704-2012, 7.5)
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            paragraph.paragraph_format.right_indent = Pt(14)
        else:
            paragraph.paragraph_format.left_indent = Pt(14)
        _page_number(paragraph)


def _page_number(paragraph: Paragraph) -> None:
    """“— N —” with N a PAGE field."""
    paragraph.add_run("— ")
    _field_char(paragraph, "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    paragraph.add_run()._r.append(instr)
    _field_char(paragraph, "separate")
    paragraph.add_run("1")
    _field_char(paragraph, "end")
    paragraph.add_run(" —")


def _field_char(paragraph: Paragraph, kind: str) -> None:
    field = OxmlElement("w:fldChar")
    field.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(field)


# --- tables ------------------------------------------------------------------------------


@dataclass
class _Grid:
    """A table being laid out: cells addressed by row and column, merged by spans."""

    table: Table
    style: str

    def cell(self, row: int, col: int) -> _Cell:
        return self.table.cell(row, col)

    def put(
        self,
        row: int,
        col: int,
        text: str,
        *,
        span: tuple[int, int] = (1, 1),
        align: int = WD_ALIGN_PARAGRAPH.CENTER,
        style: str | None = None,
    ) -> None:
        cell = self.cell(row, col)
        rows, cols = span
        if rows > 1 or cols > 1:
            cell = cell.merge(self.cell(row + rows - 1, col + cols - 1))
        paragraph = cell.paragraphs[0]
        paragraph.style = style or self.style
        if align != WD_ALIGN_PARAGRAPH.CENTER:
            paragraph.alignment = align
        if text:
            paragraph.add_run(text)


def _table(doc: DocumentObject, rows: int, widths: Sequence[int], style: str, margin: int) -> _Grid:
    table = doc.add_table(rows=rows, cols=len(widths))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(sum(widths)))
    width.set(qn("w:type"), "dxa")
    for old in tbl_pr.findall(qn("w:tblW")):
        tbl_pr.remove(old)
    tbl_pr.append(width)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    margins = OxmlElement("w:tblCellMar")
    for side, value in (("top", 0), ("left", margin), ("bottom", 0), ("right", margin)):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(value))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    tbl_pr.append(margins)
    for col, w in zip(table.columns, widths, strict=True):
        col.width = Twips(w)
        for cell in col.cells:
            cell.width = Twips(w)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for row in table.rows:
        tr_pr = row._tr.get_or_add_trPr()
        cant_split = OxmlElement("w:cantSplit")
        tr_pr.append(cant_split)
    return _Grid(table, style)


def _var(path: tuple[str, ...]) -> str:
    return "{{ " + ".".join(path) + " }}"


def _table_a(doc: DocumentObject, fmt: Format) -> None:
    rows = sum(2 + len(block.rows) for block in fmt.table_a)
    grid = _table(doc, rows, A_WIDTHS, STYLE_TABLE, 108)
    r = 0
    for block in fmt.table_a:
        grid.put(r, 0, block.heading, span=(1, 4))
        grid.put(r + 1, 0, INFO_CONTENT.zh)
        last = len(block.columns) - 1
        for i, col in enumerate(block.columns):
            grid.put(r + 1, 1 + i, col.label.zh, span=(1, 3 - last if i == last else 1))
        for j, row in enumerate(block.rows, start=r + 2):
            grid.put(j, 0, row.label.zh)
            base = TABLE_A_ROOT + (row.key,)
            for i, col in enumerate(block.columns):
                path = base if block.scalar else base + (col.key,)
                grid.put(j, 1 + i, _var(path), span=(1, 3 - last if i == last else 1))
        r += 2 + len(block.rows)


def _table_b(doc: DocumentObject, fmt: Format) -> None:
    leaves = fmt.table_b_leaves()
    grid = _table(doc, 3 + len(leaves), B_WIDTHS, STYLE_TABLE_SMALL, 57)
    grid.put(0, 0, TABLE_B_NOTE, span=(3, 3), style=STYLE_TABLE_NOTE)
    grid.put(0, 3, APPLICANTS.zh, span=(1, 7))
    grid.put(1, 3, NATURAL_PERSON.label.zh, span=(2, 1))
    grid.put(1, 4, ORGANISATIONS.zh, span=(1, 5))
    grid.put(1, 9, TOTAL.label.zh, span=(2, 1))
    for i, col in enumerate(ORGANISATION_COLUMNS):
        grid.put(2, 4 + i, col.label.zh)
    # label columns: each node spans the rows of its leaves; a leaf spans the label columns left of it
    row = 3
    placed: set[int] = set()
    for path, chain in leaves:
        for depth, node in enumerate(chain):
            if id(node) in placed:
                continue
            placed.add(id(node))
            height = sum(1 for _ in node.leaves())
            width = 3 - depth if not node.children else 1
            left = WD_ALIGN_PARAGRAPH.CENTER if node.children else WD_ALIGN_PARAGRAPH.LEFT
            note = STYLE_TABLE_NOTE if node.key == "partial" else None
            grid.put(row, depth, node.label.zh, span=(height, width), align=left, style=note)
        for i, col in enumerate(TABLE_B_COLUMNS):
            grid.put(row, 3 + i, _var(path + (col.key,)))
        row += 1
    _keep_together(grid.table)


def _keep_together(table: Table) -> None:
    """Keep every row with the next, so that the table starts on a page where it fits whole."""
    for row in table.rows[:-1]:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def _table_c(doc: DocumentObject) -> None:
    grid = _table(doc, 4, C_WIDTHS, STYLE_TABLE_SMALL, 28)
    groups = [(path, chain) for node in TABLE_C_GROUPS for path, chain in node.leaves(TABLE_C_ROOT)]
    col = 0
    for node in TABLE_C_GROUPS:
        width = len(TABLE_C_COLUMNS) * max(1, len(node.children))
        grid.put(0, col, node.label.zh, span=(1, width))
        if not node.children:
            for i, c in enumerate(TABLE_C_COLUMNS):
                grid.put(1, col + i, c.label.zh, span=(2, 1))
        else:
            for j, child in enumerate(node.children):
                start = col + j * len(TABLE_C_COLUMNS)
                grid.put(1, start, child.label.zh, span=(1, len(TABLE_C_COLUMNS)))
                for i, c in enumerate(TABLE_C_COLUMNS):
                    grid.put(2, start + i, c.label.zh)
        col += width
    col = 0
    for path, _ in groups:
        for c in TABLE_C_COLUMNS:
            grid.put(3, col, _var(path + (c.key,)))
            col += 1


# --- the document ------------------------------------------------------------------------


def _loop(doc: DocumentObject, header: str, body: str, *, style: str = "Normal") -> None:
    doc.add_paragraph("{%p for " + header + " %}")
    doc.add_paragraph(body, style=style)
    doc.add_paragraph("{%p endfor %}")


def _heading(doc: DocumentObject, key: str, *, new_page: bool = False) -> None:
    paragraph = doc.add_paragraph(dict(SECTIONS)[key].zh, style=STYLE_H1)
    # LibreOffice and WPS ignore keep-with-next inside tables, so table B, which fits one
    # page but not the rest of a page, starts on a page of its own
    paragraph.paragraph_format.page_break_before = new_page


def build(fmt_name: str) -> bytes:
    """The template for ``fmt_name`` as .docx bytes, the same bytes every time."""
    fmt = FORMAT_SPECS[fmt_name]
    doc = Document()
    _styles(doc)
    _page(doc)
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    doc.add_paragraph("{{ title }}", style=STYLE_TITLE)
    doc.add_paragraph("")
    _heading(doc, "overview")
    _loop(doc, "paragraph in overview", "{{ paragraph }}")
    doc.add_paragraph("{%p for section in sections %}")
    doc.add_paragraph("（{{ section.number }}）{{ section.heading }}", style=STYLE_H2)
    _loop(doc, "paragraph in section.paragraphs", "{{ paragraph }}")
    doc.add_paragraph("{%p endfor %}")
    _heading(doc, "proactive")
    _table_a(doc, fmt)
    _heading(doc, "applications", new_page=True)
    _table_b(doc, fmt)
    _heading(doc, "appeals")
    _table_c(doc)
    _heading(doc, "problems")
    _loop(doc, "paragraph in problems", "{{ paragraph }}")
    _heading(doc, "other_matters")
    _loop(doc, "paragraph in other_matters", "{{ paragraph }}")
    doc.add_paragraph("")
    doc.add_paragraph("{{ issuer }}", style=STYLE_SIGNATURE)
    doc.add_paragraph("{{ date }}", style=STYLE_SIGNATURE)
    _properties(doc, fmt)
    _drop_thumbnail(doc)
    out = io.BytesIO()
    doc.save(out)
    return deterministic_zip(out.getvalue())


def _properties(doc: DocumentObject, fmt: Format) -> None:
    props = doc.core_properties
    props.author = "docgen"
    props.last_modified_by = "docgen"
    props.title = f"政府信息公开工作年度报告（{fmt.name}年格式）"
    props.comments = f"docgen 模板：{fmt.notice}。花括号内为填入的数据，可修改版式，勿改变量名。"
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.revision = 1


def _drop_thumbnail(doc: DocumentObject) -> None:
    """python-docx's blank document carries its own preview picture; a report should not."""
    rels = doc.part.package.rels
    for key, rel in list(rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del rels[key]
