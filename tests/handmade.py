"""Reports built by hand the way offices type them, with the variants real published reports show.

Not docgen's renderer: a report's tables are drawn from the statute's grids
into a plain Word file (python-docx, a bordered table with merged cells, no
styles) or a plain web page, and the variants change what a clerk types:
labels with a slip, "1、" for "1.", dashes for nothing, money in 元,
full-width digits and thousands separators, an extra word in a heading.
"""

from __future__ import annotations

import html
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from docgen.model import Report
from docgen.statute import CELLS, GRIDS, SECTIONS, Grid

Row = list[tuple[str, int, int]]  # (text, rowspan, colspan) of each cell, as HTML lists them


@dataclass
class Variants:
    """What the hand that typed the report did differently from the statute's own words."""

    labels: Mapping[str, str] = field(default_factory=dict)  # an official label and how it was typed
    zero: str = "0"  # how a zero figure is typed: "0", "", "/", "—"
    full_width: bool = False  # digits typed full-width: １２
    thousands: bool = False  # 1,234
    money: str = ""  # "元" to write fees in 元, "万元" to add the unit
    headings: Mapping[int, str] = field(default_factory=dict)  # a section heading typed otherwise
    inline_subheadings: bool = False  # （一）heading。text in one paragraph
    one_other_row: bool = False  # （六）其他处理 as one row, as the 2019 format has it, in a 2021 table
    table_a_2019: bool = False  # the 2019 format's table A in a later year's report
    wide: str = ""  # a column of table B (自然人) whose header and figures each span two grid columns
    continued: str = ""  # a row label of table B ((五)不予处理) where it goes on as a 续表, without headings
    continued_headings: bool = False  # and the 续表 repeats the headings over its rows


_FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def _figure(value: Any, kind: str, variants: Variants) -> str:
    if value == 0 and kind != "money":
        return variants.zero
    if isinstance(value, Decimal) and variants.money == "元":
        text = f"{(value * 10000).normalize():f}元"
    elif variants.thousands and isinstance(value, int) and value >= 1000:
        text = f"{value:,}"
    else:
        text = f"{value:f}" if isinstance(value, Decimal) else str(value)
        if variants.money == "万元" and kind == "money":
            text += "万元"
    return text.translate(_FULL) if variants.full_width else text


def table_rows(report: Report, grid: Grid, variants: Variants) -> list[Row]:
    """A statute grid filled with a report's figures, as rows of (text, rowspan, colspan)."""
    rows: list[Row] = [[] for _ in range(grid.rows)]
    # the grid column that spans two, as one real portal page's table B has it (11 columns, not 10)
    wide = next((c.col for c in grid.cells if variants.wide and c.label and c.label.zh == variants.wide), None)
    for cell in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        if cell.role == "value":
            given = report.tables.cells.get(cell.path)
            kind = CELLS[report.format.name][cell.path].kind if given else "count"
            text = "" if given is None or given.state == "blank" else _figure(given.value, kind, variants)
        else:
            label = cell.label.zh if cell.label else ""
            text = variants.labels.get(label, label)
        widened = wide is not None and cell.col <= wide < cell.col + cell.cols
        rows[cell.row].append((text, cell.rows, cell.cols + widened))
    return rows


def _one_other_row(report: Report, rows: list[Row], variants: Variants) -> list[Row]:
    """（六）其他处理's three rows of table B as one, its label over two columns and its figures added."""
    grid = GRIDS[report.format.name][1]
    other = [c for c in grid.cells if c.role == "label" and c.label is not None and c.label.zh == "（六）其他处理"]
    if not other:
        return rows
    first = other[0].row
    leaves = [cell.path for cell in grid.cells if cell.role == "label" and cell.path[:-1] == other[0].path]
    figures = []
    for column in ("natural_person", "commercial", "research", "nonprofit", "legal_service", "other", "total"):
        value = sum(report.tables.value(leaf + (column,)) for leaf in leaves)
        figures.append((_figure(value, "count", variants), 1, 1))
    rows = [list(row) for row in rows]
    del rows[first + 1 : first + len(leaves)]
    rows[first] = [("（六）其他处理", 1, 2), *figures]
    for row in rows[:first]:  # the label over all the results' rows spans two rows fewer
        for index, (text, rowspan, colspan) in enumerate(row):
            if text == "三、本年度办理结果":
                row[index] = (text, rowspan - len(leaves) + 1, colspan)
    return rows


def _table_a_2019(report: Report, variants: Variants) -> list[Row]:
    """The 2019 format's table A, with the 2021 report's figures where the two agree."""
    grid = GRIDS["2019"][0]
    same = {"new_made": "issued", "total_published": "in_force"}
    rows: list[Row] = [[] for _ in range(grid.rows)]
    for cell in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        text = cell.label.zh if cell.label else ""
        if cell.role == "value":
            wanted = cell.path[:-1] + (same.get(cell.path[-1], cell.path[-1]),)
            wanted = wanted if wanted in report.tables.cells else cell.path[:-1]
            given = report.tables.cells.get(wanted)
            text = "" if given is None or given.state == "blank" else _figure(given.value, "count", variants)
        rows[cell.row].append((text, cell.rows, cell.cols))
    return rows


def _split(rows: list[Row], label: str, headings: bool) -> tuple[list[Row], list[Row]]:
    """A table cut before the row whose label is ``label``: a label merged down over the cut ends at it, and
    the rows below lose it, as a 续表 typed on its own does; with ``headings`` the 续表 repeats the heading
    rows (those above the first figure)."""
    at = next(r for r, row in enumerate(rows) if any(text == label for text, _, _ in row))
    upper: list[Row] = []
    for r, row in enumerate(rows[:at]):
        upper.append([(text, min(rowspan, at - r), colspan) for text, rowspan, colspan in row])
    top = next(r for r, row in enumerate(rows) if any(text.isdigit() for text, _, _ in row))
    return upper, [list(row) for row in (rows[:top] if headings else []) + rows[at:]]


def blocks(report: Report, variants: Variants | None = None) -> list[tuple[str, Any]]:
    """The report as paragraphs ("p", text) and tables ("table", rows), top to bottom."""
    variants = variants or Variants()
    out: list[tuple[str, Any]] = [("title", report.title)]
    grids = GRIDS[report.format.name]
    for index, (_, label) in enumerate(SECTIONS):
        out.append(("heading", variants.headings.get(index, label.zh)))
        if index == 0:
            out += [("p", text) for text in report.overview]
            for number, section in enumerate(report.sections, start=1):
                numeral = "（" + "一二三四五六七八九十"[number - 1] + "）"
                if variants.inline_subheadings and section.paragraphs:
                    first, *rest = section.paragraphs
                    out.append(("p", f"{numeral}{section.heading}。{first}"))
                    out += [("p", text) for text in rest]
                else:
                    out.append(("p", numeral + section.heading))
                    out += [("p", text) for text in section.paragraphs]
        elif index == 1 and variants.table_a_2019:
            out.append(("table", _table_a_2019(report, variants)))
        elif index in (1, 2, 3):
            rows = table_rows(report, grids[index - 1], variants)
            if variants.one_other_row and index == 2:
                rows = _one_other_row(report, rows, variants)
            if variants.continued and index == 2:
                upper, lower = _split(rows, variants.continued, variants.continued_headings)
                out += [("table", upper), ("p", "（续表）"), ("table", lower)]
            else:
                out.append(("table", rows))
        elif index == 4:
            out += [("p", text) for text in report.problems]
        else:
            out += [("p", text) for text in report.other_matters]
    out += [("p", report.issuer), ("p", report.date_text)]
    return out


def word_file(parts: list[tuple[str, Any]], *, page_numbers: bool = False) -> bytes:
    """A plain Word file: paragraphs typed in Normal, headings made bold by hand, bordered tables; with
    ``page_numbers``, "— N —" in every page's footer, as offices number their pages."""
    document = docx.Document()
    if page_numbers:
        footer = document.sections[0].footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run("— ")
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        number = OxmlElement("w:r")
        shown = OxmlElement("w:t")
        shown.text = "1"
        number.append(shown)
        field.append(number)
        footer._p.append(field)
        footer.add_run(" —")
    for kind, content in parts:
        if kind == "table":
            _word_table(document, content)
            continue
        paragraph = document.add_paragraph()
        run = paragraph.add_run(content)
        if kind in ("title", "heading"):
            run.bold = True
            run.font.size = Pt(22 if kind == "title" else 16)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _word_table(document: Any, rows: list[Row]) -> None:
    cells = placed(rows)
    height = len(rows)
    width = max(col + cols for (_, col, _, cols, _) in cells)
    table = document.add_table(rows=height, cols=width)
    table.style = "Table Grid"
    for row, col, rowspan, colspan, text in cells:
        cell = table.cell(row, col)
        if rowspan > 1 or colspan > 1:
            cell = cell.merge(table.cell(row + rowspan - 1, col + colspan - 1))
        cell.text = text


def placed(rows: list[Row]) -> list[tuple[int, int, int, int, str]]:
    """Each cell with the row and column it starts at, as a browser places them."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(rows):
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in taken:
                c += 1
            out.append((r, c, rowspan, colspan, text))
            taken |= {(r + i, c + j) for i in range(rowspan) for j in range(colspan)}
            c += colspan
    return out


def web_page(parts: list[tuple[str, Any]], *, charset: str = "utf-8") -> bytes:
    """A plain web page as a portal publishes one: headings in <p><strong>, tables with rowspan and colspan."""
    body = []
    for kind, content in parts:
        if kind == "table":
            cells = "".join(
                "<tr>"
                + "".join(
                    f'<td rowspan="{rs}" colspan="{cs}">{html.escape(text).replace(chr(10), "<br>")}</td>'
                    for text, rs, cs in row
                )
                + "</tr>"
                for row in content
            )
            body.append(f'<table border="1">{cells}</table>')
        elif kind == "title":
            body.append(f"<h1>{html.escape(content)}</h1>")
        elif kind == "heading":
            body.append(f"<p><strong>{html.escape(content)}</strong></p>")
        else:
            body.append(f"<p>{html.escape(content)}</p>")
    head = f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>报告</title></head>'
    page = f"{head}<body>{''.join(body)}</body></html>"
    return page.encode(charset)
