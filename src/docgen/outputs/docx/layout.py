"""The official layout as a docxtpl template, built from the statutory structure.

GB/T 9704-2012 page setup and type, the six sections in their fixed order,
and tables A, B and C drawn from the grids of :mod:`docgen.statute` (labels,
order and merges of the 2021 and 2019 notices; each figure's cell is where
``POSITIONS`` says).  ``tools/build_templates.py`` writes the result to
``templates/``; a test fails when the committed files are out of date.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
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

from ...statute import FORMAT_SPECS, GRIDS, SECTIONS, Format, Grid, GridCell
from ..fonts import BODY_FONT, HEADING_FONT, LATIN, SUBHEADING_FONT, TABLE_FONT, TITLE_FONT
from .package import deterministic
from .page import (
    BODY_CHAR_SPACING,
    BODY_PT,
    LINE_PT,
    STYLE_H1,
    STYLE_H2,
    STYLE_PAGE_NUMBER,
    STYLE_SIGNATURE,
    STYLE_TABLE,
    STYLE_TABLE_NOTE,
    STYLE_TABLE_SMALL,
    STYLE_TITLE,
    TEXT_WIDTH,
)

BODY_SIZE = Pt(BODY_PT)
LINE = Pt(LINE_PT)

# Table B keeps the proportions of the blank form offices use (754/921/3271 twips for the
# label columns, 685 for each number), scaled to the 156 mm text block.
_B_SCALE = TEXT_WIDTH / (754 + 921 + 3271 + 7 * 685)
B_WIDTHS = [round(w * _B_SCALE) for w in (754, 921, 3271)] + [round(685 * _B_SCALE)] * 7
B_WIDTHS[2] += TEXT_WIDTH - sum(B_WIDTHS)
C_WIDTHS = [TEXT_WIDTH // 15] * 15
C_WIDTHS[-1] += TEXT_WIDTH - sum(C_WIDTHS)
A_WIDTHS = [TEXT_WIDTH // 4] * 4

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
    # only 三号 text is set to the 28-character line; smaller and larger type keeps its own width
    _character_spacing(style.element, BODY_CHAR_SPACING if size == BODY_SIZE else 0)
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


# what follows w:spacing in w:rPr (ECMA-376 CT_RPr): Word refuses elements out of this order
_AFTER_SPACING = (
    "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath",
)  # fmt: skip


def _character_spacing(owner: Any, twips: int) -> None:
    """Each character set ``twips`` wider (negative: narrower), w:spacing in the run properties."""
    rpr = owner.get_or_add_rPr()
    for old in rpr.findall(qn("w:spacing")):
        rpr.remove(old)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(twips))
    rpr.insert_element_before(spacing, *_AFTER_SPACING)


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
    _character_spacing(normal.element, BODY_CHAR_SPACING)
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


def _table(doc: DocumentObject, rows: int, widths: Sequence[int], margin: int) -> Table:
    table: Table = doc.add_table(rows=rows, cols=len(widths))
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
    return table


def _var(path: tuple[str, ...]) -> str:
    return "{{ " + ".".join(path) + " }}"


def _put(table: Table, cell: GridCell, style: str) -> None:
    """One cell of a grid: merged over its span, set in its style, holding its label or its figure's tag."""
    target: _Cell = table.cell(cell.row, cell.col)
    if cell.rows > 1 or cell.cols > 1:
        target = target.merge(table.cell(cell.row + cell.rows - 1, cell.col + cell.cols - 1))
    paragraph = target.paragraphs[0]
    paragraph.style = STYLE_TABLE_NOTE if cell.note else style
    if cell.align == "left":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    text = _var(cell.path) if cell.role == "value" else cell.label.zh if cell.label else ""
    if text:
        paragraph.add_run(text)


# each table's type size, column widths and cell margins (twips)
_TABLE_SETTINGS = {
    "A": (STYLE_TABLE, A_WIDTHS, 108),
    "B": (STYLE_TABLE_SMALL, B_WIDTHS, 57),
    "C": (STYLE_TABLE_SMALL, C_WIDTHS, 28),
}


def _draw(doc: DocumentObject, grid: Grid) -> None:
    style, widths, margin = _TABLE_SETTINGS[grid.name]
    assert len(widths) == grid.cols
    table = _table(doc, grid.rows, widths, margin)
    for cell in grid.cells:
        _put(table, cell, style)
    if grid.name == "B":
        _keep_together(table)


def _keep_together(table: Table) -> None:
    """Keep every row with the next, so that the table starts on a page where it fits whole."""
    for row in table.rows[:-1]:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


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
    table_a, table_b, table_c = GRIDS[fmt.name]
    _heading(doc, "proactive")
    _draw(doc, table_a)
    _heading(doc, "applications", new_page=True)
    _draw(doc, table_b)
    _heading(doc, "appeals")
    _draw(doc, table_c)
    _heading(doc, "problems")
    _loop(doc, "paragraph in problems", "{{ paragraph }}")
    _heading(doc, "other_matters")
    _loop(doc, "paragraph in other_matters", "{{ paragraph }}")
    doc.add_paragraph("")
    # the issuing body and the date, placed by GB/T 9704-2012 7.3.5.2 from their widths (see page.py)
    doc.add_paragraph("{{p signature }}", style=STYLE_SIGNATURE)
    _properties(doc, fmt)
    _drop_thumbnail(doc)
    _chinese_theme(doc)
    out = io.BytesIO()
    doc.save(out)
    return deterministic(out.getvalue())


def _properties(doc: DocumentObject, fmt: Format) -> None:
    props = doc.core_properties
    props.author = "docgen"
    props.last_modified_by = "docgen"
    props.title = f"政府信息公开工作年度报告（{fmt.name}年格式）"
    props.comments = (
        f"docgen 模板：{fmt.notice}。花括号内为填入的数据，可修改版式，勿改变量名。"
        "正文每字紧缩0.25磅，使满行恰为28字（字符网格在LibreOffice中每行只排14字）；"
        "段落标签 p signature 按GB/T 9704-2012第7.3.5.2条排发文机关署名和成文日期。"
    )
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.revision = 1


def _chinese_theme(doc: DocumentObject) -> None:
    """python-docx's blank document gives its theme fonts a Japanese East Asian language; a report is Chinese."""
    for lang in doc.settings.element.iter(qn("w:themeFontLang")):
        lang.set(qn("w:eastAsia"), "zh-CN")


def _drop_thumbnail(doc: DocumentObject) -> None:
    """python-docx's blank document carries its own preview picture; a report should not."""
    rels = doc.part.package.rels
    for key, rel in list(rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del rels[key]
