"""A report as a web page for the 政府信息公开 column of a portal: the whole page, or a fragment to paste.

The tables are drawn from the statutory grids (:data:`docgen.statute.GRIDS`),
as the Word file's are, so labels and merges are the official ones: each
merge is a ``colspan``/``rowspan``, each header a ``<th>`` with an ``id``,
and each figure's ``<td>`` names its row and column headers in ``headers``,
so a screen reader announces "（一）予以公开，自然人，12".

The page is one file with no script and no outside asset (the 图解, when
given, is inside it as images); its style is one stylesheet, written from
:data:`STYLES`.  A fragment is the body alone with the same styles written on
each element, since the editors of the common portal systems strip
``<style>`` blocks.  Every text of a report is escaped by the serializer.
"""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..files import write_atomic
from ..model import Report
from ..narrative import numeral
from ..statute import GRIDS, SECTION_LABELS, Grid, GridCell, Label

# what each table is called in its caption; the section heading above it says where it belongs
CAPTIONS = {
    "A": Label("表1　主动公开政府信息情况", "Table 1. Proactive disclosure"),
    "B": Label("表2　收到和处理政府信息公开申请情况", "Table 2. Applications received and handled"),
    "C": Label("表3　政府信息公开行政复议、行政诉讼情况", "Table 3. Administrative review and litigation"),
}
TABLE_SECTIONS = {"A": "proactive", "B": "applications", "C": "appeals"}
CHARTS_HEADING = Label("图解", "The report in charts")

INK, PAPER, RULE, SHADE, ACCENT = "#1a1a1a", "#ffffff", "#595959", "#eef1f5", "#9b1c1c"
# every style of the page, by class: the page's stylesheet and a fragment's style attributes both come from here
STYLES: dict[str, str] = {
    "report": (
        f"max-width:52em;margin:0 auto;padding:1em;color:{INK};background:{PAPER};font-size:16px;line-height:1.8;"
        "overflow-wrap:anywhere;"
        "font-family:'Microsoft YaHei','PingFang SC','Noto Sans CJK SC','Source Han Sans SC',SimHei,sans-serif"
    ),
    "title": f"font-size:1.6em;line-height:1.4;text-align:center;color:{ACCENT};margin:0.5em 0 1em",
    "heading": "font-size:1.25em;margin:1.5em 0 0.5em;line-height:1.5",
    "subheading": "font-size:1.05em;margin:1em 0 0.25em;line-height:1.6",
    "text": "margin:0 0 0.75em;text-indent:2em;text-align:justify",
    "box": "overflow-x:auto;margin:0 0 1.5em;max-width:100%",
    "table": f"border-collapse:collapse;width:100%;font-size:1em;line-height:1.5;color:{INK};background:{PAPER}",
    "wide": "min-width:44em",
    "caption": "font-weight:bold;text-align:left;padding:0.25em 0",
    "th": f"border:1px solid {RULE};padding:0.3em 0.4em;background:{SHADE};font-weight:normal;text-align:center",
    "label": f"border:1px solid {RULE};padding:0.3em 0.4em;background:{PAPER};font-weight:normal;text-align:left",
    "group": f"border:1px solid {RULE};padding:0.3em 0.4em;background:{PAPER};font-weight:normal;text-align:center",
    "note": f"border:1px solid {RULE};padding:0.3em 0.4em;background:{PAPER};font-style:italic;text-align:center",
    "figure": f"border:1px solid {RULE};padding:0.3em 0.4em;text-align:center;font-variant-numeric:tabular-nums",
    "signature": "margin:2em 0 1em;text-align:right",
    "line": "margin:0",
    "charts": "margin:1.5em 0",
    "chart": "margin:0 0 1.5em",
    "chart-box": "overflow-x:auto;max-width:100%",
    "image": "display:block;width:100%;min-width:40em;height:auto;margin:0 auto",
    "chart-caption": "text-align:center",
}
# what only a stylesheet can say: the phone, print and the focus ring of a table that scrolls
MEDIA = """
.box:focus{outline:3px solid #1d4ed8;outline-offset:2px}
@media (max-width:600px){.report{padding:0.5em}.text{text-indent:0}}
@media print{
  .report{max-width:none;padding:0;font-size:12pt;color:#000}
  .box{overflow:visible}
  .wide{min-width:0}
  table{page-break-inside:auto}
  tr{page-break-inside:avoid}
  thead{display:table-header-group}
  .charts{page-break-inside:avoid}
}
"""


@dataclass(frozen=True)
class Picture:
    """A chart shown in the page: its image (SVG or PNG bytes), what it shows in words, and its caption."""

    data: bytes
    mime: str
    alt: str
    caption: str


def stylesheet() -> str:
    rules = "\n".join(f".{name}{{{style}}}" for name, style in STYLES.items())
    return rules + MEDIA


def element(tag: str, css: str | None = None, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.Element(tag, {k.rstrip("_").replace("_", "-"): v for k, v in attributes.items()})
    if css is not None:
        element.set("class", css)
    if text is not None:
        element.text = text
    return element


def add(parent: ET.Element, tag: str, css: str | None = None, text: str | None = None, **attrs: str) -> ET.Element:
    child = element(tag, css, text, **attrs)
    parent.append(child)
    return child


# --- the tables -------------------------------------------------------------------------------


def _cell_id(grid: Grid, cell: GridCell) -> str:
    return f"t{grid.name}-r{cell.row}c{cell.col}"


def _covers(cell: GridCell, row: int, col: int) -> bool:
    return cell.row <= row < cell.row + cell.rows and cell.col <= col < cell.col + cell.cols


def _header_rows(grid: Grid) -> set[int]:
    """The rows that hold column headers (a block's heading and header rows in table A, the top of B and C)."""
    return {
        r
        for cell in grid.cells
        if cell.role in ("heading", "header", "note")
        for r in range(cell.row, cell.row + cell.rows)
    }


def _headers_of(grid: Grid, value: GridCell, header_rows: set[int]) -> list[str]:
    """The ids of the headers of a figure, in the order a screen reader says them: the row labels left of it,
    outermost first, then the column headers of the band of header rows just above it (its block's, in
    table A): “三、本年度办理结果（一）予以公开，申请人情况，自然人”."""
    band_end = value.row - 1
    while band_end >= 0 and band_end not in header_rows:
        band_end -= 1
    band_start = band_end
    while band_start - 1 >= 0 and band_start - 1 in header_rows:
        band_start -= 1
    rows = [
        _cell_id(grid, cell)
        for cell in sorted(grid.cells, key=lambda c: c.col)
        if cell.role == "label" and cell.col < value.col and _covers(cell, value.row, cell.col)
    ]
    columns = [
        _cell_id(grid, cell)
        for cell in grid.cells
        if cell.role in ("heading", "header")
        and band_start <= cell.row <= band_end
        and cell.col <= value.col < cell.col + cell.cols
    ]
    return rows + columns


Fill = Callable[[ET.Element, GridCell, str], None]  # puts a figure (or a field) into its cell, given its headers


def _figures(report: Report) -> Fill:
    def fill(cell: ET.Element, where: GridCell, headers: str) -> None:
        cell.text = report.tables.cells[where.path].text
        cell.set("headers", headers)

    return fill


def table(grid: Grid, fill: Fill) -> ET.Element:
    """One table as printed: its rows, merges and headers, each figure's cell filled by ``fill``."""
    header_rows = _header_rows(grid)
    table = element("table", "table wide" if grid.name in ("B", "C") else "table")
    add(table, "caption", "caption", CAPTIONS[grid.name].zh, id=f"caption-{grid.name}")
    head = add(table, "thead") if grid.name != "A" else None
    body = add(table, "tbody")
    rows: dict[int, ET.Element] = {}
    for r in range(grid.rows):
        rows[r] = add(head if head is not None and r in header_rows else body, "tr")
    for cell in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        spans = {"rowspan": str(cell.rows)} if cell.rows > 1 else {}
        if cell.cols > 1:
            spans["colspan"] = str(cell.cols)
        row = rows[cell.row]
        if cell.role == "value":
            fill(add(row, "td", "figure", **spans), cell, " ".join(_headers_of(grid, cell, header_rows)))
            continue
        label = cell.label.zh if cell.label is not None else ""
        if cell.role == "note":
            add(row, "td", "note", label, **spans)
            continue
        if cell.role == "label":
            css = "label" if cell.align == "left" else "group"
            scope = "row"  # a label spanning rows heads its figures through their headers, not by scope
        else:
            css, scope = "th", ("colgroup" if cell.cols > 1 else "col")
        add(row, "th", css, label, id=_cell_id(grid, cell), scope=scope, **spans)
    return table


def table_box(grid: Grid, fill: Fill) -> ET.Element:
    """A table in a box that scrolls sideways on a narrow screen (and can be reached with the keyboard)."""
    box = element("div", "box", role="region", tabindex="0", aria_labelledby=f"caption-{grid.name}")
    box.append(table(grid, fill))
    return box


# --- the page ----------------------------------------------------------------------------------


def _paragraphs(parent: ET.Element, paragraphs: Iterable[str]) -> None:
    for paragraph in paragraphs:
        add(parent, "p", "text", paragraph)


def _charts(pictures: Sequence[Picture]) -> ET.Element:
    section = element("section", "charts", aria_label=CHARTS_HEADING.zh)  # figures alone: not the report's text
    for picture in pictures:
        figure = add(section, "figure", "chart")
        source = f"data:{picture.mime};base64,{base64.b64encode(picture.data).decode('ascii')}"
        box = add(figure, "div", "chart-box box", role="region", tabindex="0", aria_label=picture.caption)
        add(box, "img", "image", src=source, alt=picture.alt)  # never shown narrower than drawn: scrolls instead
        add(figure, "figcaption", "chart-caption", picture.caption)
    return section


def _body(report: Report, pictures: Sequence[Picture]) -> ET.Element:
    article = element("article", "report", lang="zh-CN")
    add(article, "h1", "title", report.title)
    grids = dict(zip(("A", "B", "C"), GRIDS[report.format.name], strict=True))
    tables_of = {key: name for name, key in TABLE_SECTIONS.items()}
    for key, label in SECTION_LABELS.items():
        section = add(article, "section", aria_labelledby=f"section-{key}")
        add(section, "h2", "heading", label.zh, id=f"section-{key}")
        if key == "overview":
            _paragraphs(section, report.overview)
            for number, sub in enumerate(report.sections, start=1):
                add(section, "h3", "subheading", f"（{numeral(number)}）{sub.heading}")
                _paragraphs(section, sub.paragraphs)
        elif key in tables_of:
            section.append(table_box(grids[tables_of[key]], _figures(report)))
        else:
            _paragraphs(section, report.problems if key == "problems" else report.other_matters)
        if key == "overview" and pictures:  # the 图解 above the tables
            article.append(_charts(pictures))
    signature = add(article, "footer", "signature")
    add(signature, "p", "line", report.issuer)
    add(signature, "p", "line", report.date_text)
    return article


def _inline(element: ET.Element) -> None:
    """Styles written on each element instead of classes, for a portal editor that strips stylesheets."""
    for node in element.iter():
        classes = node.attrib.pop("class", "").split()
        if classes:
            node.set("style", ";".join(STYLES[c] for c in classes))


def _serialize(element: ET.Element) -> str:
    return ET.tostring(element, encoding="unicode", method="html")


def page(report: Report, *, fragment: bool = False, charts: Sequence[Picture] = ()) -> str:
    """The report as a web page (one file, nothing outside it), or with ``fragment`` its body alone with
    inline styles, for pasting into a portal's editor; ``charts`` are shown above the tables."""
    body = _body(report, charts)
    if fragment:
        _inline(body)
        return _serialize(body) + "\n"
    document = ET.Element("html", lang="zh-CN")
    head = add(document, "head")
    add(head, "meta", charset="utf-8")
    add(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    add(head, "title", None, report.title)
    add(head, "style", None, stylesheet())
    page_body = add(document, "body", None, style=f"margin:0;background:{PAPER}")
    main = add(page_body, "main")
    main.append(body)
    return "<!DOCTYPE html>\n" + _serialize(document) + "\n"


def render_html(
    report: Report,
    *,
    fragment: bool = False,
    charts: Sequence[Picture] = (),
    output: str | Path | None = None,
) -> str:
    """The report's web page (see :func:`page`), written atomically to ``output`` when given."""
    text = page(report, fragment=fragment, charts=charts)
    if output is not None:
        write_atomic(output, text.encode("utf-8"))
    return text
