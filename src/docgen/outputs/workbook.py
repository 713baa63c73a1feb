"""docgen's workbooks, written with openpyxl: the form a body fills in, and the county's roster.

The form (``docgen init --xlsx``) draws tables A, B and C as the report prints
them, labels locked and figures open, every figure's cell named by its data
path, totals as live formulas and a check cell per rule that turns red when
the figures do not add up.  The roster has a row per body.  Where each cell
goes is :mod:`docgen.sheets`; the reader (:mod:`docgen.inputs.workbook`)
reads the same places back.
"""

from __future__ import annotations

import datetime
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from ..inputs.workbook import ROSTER_TOTAL
from ..model import lookup
from ..narrative import paragraphs
from ..sheets import (
    BASIC,
    FORMS,
    META_FIELDS,
    OK,
    ROSTER,
    ROSTER_HEADER_ROWS,
    ROSTER_STATUS,
    TABLES,
    TEXT,
    Form,
    Place,
    dotted,
    header_spans,
    is_total,
    roster_columns,
)
from ..statute import CELLS, GRIDS, RULES, TITLE_DEFAULT, Label, Path
from .docx.page import text_width

_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_LABEL_FILL = PatternFill("solid", fgColor="F2F2F2")
_INPUT_FILL = PatternFill("solid", fgColor="FFFFFF")
_TOTAL_FILL = PatternFill("solid", fgColor="DDEBF7")
_RED = PatternFill("solid", fgColor="FF4D4D")
_FONT = Font(name="宋体", size=10)
_BOLD = Font(name="黑体", size=12, bold=True)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_OPEN = Protection(locked=False)
_MONEY_FORMAT = "0.00"
_TABLE_WIDTHS = (18, 16, 40) + (11,) * 13  # columns A, B, C hold the labels of table B; the rest figures
_CHAR_UNITS = 1.9  # column-width units a Chinese character of 10 pt takes
_LINE_PT = 14
_KIND_TEXT = {
    "count": Label("非负整数", "a whole number, 0 or more"),
    "signed": Label("整数，可为负数", "a whole number, possibly negative"),
    "money": Label("非负数，单位万元，可带小数", "an amount in 10,000 yuan, 0 or more"),
}


def _ref(place: Place) -> str:
    return f"{get_column_letter(place.col)}{place.row}"


def _absolute(place: Place) -> str:
    return f"'{place.sheet}'!${get_column_letter(place.col)}${place.row}"


def _name(book: Workbook, path: Path, place: Place) -> None:
    name = dotted(path)
    book.defined_names[name] = DefinedName(name, attr_text=_absolute(place))


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _figure(value: Any) -> Any:
    """A figure as a spreadsheet cell holds it: Decimal money as a number, shown with its decimals."""
    return float(value) if isinstance(value, Decimal) else value


# --- the form ----------------------------------------------------------------------------------


def _tables(sheet: Worksheet, form: Form, data: Mapping[str, Any], book: Workbook) -> None:
    fmt = form.format
    for width, column in zip(_TABLE_WIDTHS, range(1, len(_TABLE_WIDTHS) + 1), strict=True):
        sheet.column_dimensions[get_column_letter(column)].width = width
    for (row, label), origin in zip(form.headings, form.origins, strict=True):
        sheet.cell(row, 1, label.zh).font = _BOLD
        if origin != form.origins[0]:
            sheet.row_breaks.append(Break(id=row - 1))  # each table starts a printed page
    for index, grid in enumerate(GRIDS[fmt.name]):
        for cell in grid.cells:
            place = form.grid_place(index, cell.row, cell.col)
            if cell.rows > 1 or cell.cols > 1:
                sheet.merge_cells(
                    start_row=place.row,
                    start_column=place.col,
                    end_row=place.row + cell.rows - 1,
                    end_column=place.col + cell.cols - 1,
                )
            for r in range(cell.rows):
                for c in range(cell.cols):
                    sheet.cell(place.row + r, place.col + c).border = _BOX
            target = sheet.cell(place.row, place.col)
            target.font = _FONT
            if cell.role == "value":
                continue
            target.value = cell.label.zh if cell.label else ""
            target.fill = _LABEL_FILL
            target.alignment = _LEFT if cell.align == "left" else _CENTER
    _fit_rows(sheet, form)
    _check_labels(sheet, form)
    formulas = _total_formulas(form)
    for path, place in form.figures.items():
        _figure_cell(sheet, book, form, path, place, data, formulas.get(path))
    for check in form.checks:
        _check_cell(sheet, form, check.place, check.total, check.addends, check.note)
    cells = " ".join(_ref(check.place) for check in form.checks)
    red = CellIsRule(operator="notEqual", formula=[f'"{OK}"'], fill=_RED)  # type: ignore[no-untyped-call]
    sheet.conditional_formatting.add(cells, red)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.protection.sheet = True


def _figure_cell(
    sheet: Worksheet,
    book: Workbook,
    form: Form,
    path: Path,
    place: Place,
    data: Mapping[str, Any],
    formula: str | None,
) -> None:
    """A figure: an open, validated input; or a total, a locked formula unless the report gives it alone."""
    cell = sheet.cell(place.row, place.col)
    cell.alignment = _CENTER
    info = CELLS[form.format.name][path]
    _name(book, path, place)
    row = lookup(data, path[:-1])
    written = lookup(data, path)
    if formula is not None and not (isinstance(row, int) and path[-1] == "total"):
        cell.value = formula
        cell.fill = _TOTAL_FILL
        return
    if is_total(form.format, path):  # a row the report gives as its total alone: typed, as the clerk wrote it
        written = row
    if written is not None and not isinstance(written, (dict, list)):
        cell.value = _figure(written)
    cell.fill = _INPUT_FILL
    cell.protection = _OPEN
    if info.kind == "money":
        decimals = _decimals(written) if isinstance(written, Decimal) else 2
        cell.number_format = "0." + "0" * decimals if decimals else "0"
    where = f"{info.row.zh} / {info.column.zh}"
    rule = DataValidation(
        type="whole" if info.kind != "money" else "decimal",
        operator="greaterThanOrEqual" if info.kind != "signed" else "between",
        formula1="0" if info.kind != "signed" else "-1000000000",
        formula2=None if info.kind != "signed" else "1000000000",
        allow_blank=True,
        showInputMessage=True,
        showErrorMessage=True,
        promptTitle=info.column.zh[:32],
        prompt=f"{where}：填{_KIND_TEXT[info.kind].zh}；不填印为空白"[:255],
        errorTitle="不是有效的数字",
        error=f"{where} 应为{_KIND_TEXT[info.kind].zh}"[:255],
    )
    sheet.add_data_validation(rule)
    rule.add(cell)


def _fit_rows(sheet: Worksheet, form: Form) -> None:
    """Rows tall enough for their wrapped labels: spreadsheets keep a row's height as written."""
    heights: dict[int, int] = {}
    for index, grid in enumerate(GRIDS[form.format.name]):
        for cell in grid.cells:
            if cell.label is None or cell.rows > 1:
                continue
            place = form.grid_place(index, cell.row, cell.col)
            width = sum(_TABLE_WIDTHS[place.col - 1 + c] for c in range(cell.cols))
            lines = math.ceil(text_width(cell.label.zh) * _CHAR_UNITS / width)
            heights[place.row] = max(heights.get(place.row, 1), lines)
    for row, lines in heights.items():
        sheet.row_dimensions[row].height = _LINE_PT * lines + 2


def _check_labels(sheet: Worksheet, form: Form) -> None:
    """What each row and column of check cells checks, in the label columns beside them."""
    rows: dict[int, str] = {}
    for check in form.checks:
        said = f"检查 {check.rule}：{RULES[check.rule].title.zh}"
        if check.rule == "C3":  # a column of them beside table B, headed over its three header rows
            top = form.origins[1] + 1
            if sheet.cell(top, check.place.col).value is None:
                sheet.merge_cells(
                    start_row=top, start_column=check.place.col, end_row=top + 2, end_column=check.place.col
                )
                header = sheet.cell(top, check.place.col, said)
                header.font, header.alignment = Font(name="宋体", size=9), _CENTER
        else:
            rows[check.place.row] = said
    for row, said in rows.items():
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        cell = sheet.cell(row, 1, said)
        cell.font, cell.alignment = Font(name="宋体", size=9), _LEFT


def _total_formulas(form: Form) -> dict[Path, str]:
    """Each total's live formula: what its rule adds up.  A row's 总计 adds its applicants (C3) or outcomes (C5);
    each column of （七）总计 adds the results above it (C4)."""
    out: dict[Path, str] = {}
    for rule in ("C3", "C5", "C4"):  # （七）总计's own 总计 adds its row, as every row's does
        for check in form.checks:
            if check.rule == rule and len(check.total) == 1 and check.total[0] not in out:
                out[check.total[0]] = "=SUM(" + ",".join(_ref(form.figures[p]) for p in check.addends) + ")"
    return out


def _check_cell(
    sheet: Worksheet, form: Form, place: Place, total: Sequence[Path], addends: Sequence[Path], note: str
) -> None:
    left = "+".join(_ref(form.figures[p]) for p in total)
    right = "+".join(_ref(form.figures[p]) for p in addends)
    cell = sheet.cell(place.row, place.col, f'=IF(({left})=({right}),"{OK}","{note}")')
    cell.font = Font(name="宋体", size=9)
    cell.alignment = _CENTER


def _basic(sheet: Worksheet, form: Form, data: Mapping[str, Any], book: Workbook) -> None:
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 60
    sheet.cell(1, 1, "项目").font = _BOLD
    sheet.cell(1, 2, "内容").font = _BOLD
    places = form.meta
    issuer, year = _ref(places[("issuer",)]), _ref(places[("year",)])
    for path, label in META_FIELDS:
        place = places[path]
        sheet.cell(place.row, 1, label.zh).fill = _LABEL_FILL
        cell = sheet.cell(place.row, place.col)
        cell.alignment = _LEFT
        cell.border = _BOX
        _name(book, path, place)
        value = data.get(path[0])
        if path == ("format",):
            cell.value = form.format.name  # the layout of this workbook: not to be changed
            continue
        cell.protection = _OPEN
        if path == ("title",) and not isinstance(value, str):
            cell.value = f'={issuer}&{year}&"年政府信息公开工作年度报告"'  # derived, as docgen derives it
        elif path == ("date",) and isinstance(value, str):
            cell.value = datetime.date.fromisoformat(value)
            cell.number_format = "yyyy-mm-dd"
        elif path == ("date",):
            cell.number_format = "yyyy-mm-dd"
        elif value is not None:
            cell.value = value
    sheet.cell(len(places) + 3, 1, f"标题可改写；不改则为“{TITLE_DEFAULT}”。成文日期如 2025-01-08。")
    sheet.protection.sheet = True


def _text(sheet: Worksheet, form: Form, data: Mapping[str, Any], book: Workbook) -> None:
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 100
    sheet.cell(1, 1, "项目").font = _BOLD
    sheet.cell(
        1, 2, "内容（一个格子里按 Alt+Enter 分段；{issuer}、{applications.received.total} 等占位符按表格填入）"
    ).font = _BOLD
    sections = lookup(data, ("overview", "sections"))
    for path, place in form.texts.items():
        label = sheet.cell(place.row, 1, form.text_labels[path])
        label.fill = _LABEL_FILL
        label.alignment = _LEFT
        cell = sheet.cell(place.row, place.col)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.protection = _OPEN
        cell.border = _BOX
        _name(book, path, place)
        value = _text_value(data, sections, path)
        if value:
            cell.value = value
        sheet.row_dimensions[place.row].height = 20 if path[-1] == "heading" else 90
    sheet.protection.sheet = True


def _text_value(data: Mapping[str, Any], sections: Any, path: Path) -> str:
    if path[:2] == ("overview", "sections"):
        index = int(path[2])
        section = sections[index] if isinstance(sections, list) and index < len(sections) else None
        text = lookup(section, (path[3],)) if section is not None else None
    else:
        text = lookup(data, path)
    if not isinstance(text, str):
        return ""
    return "\n".join(paragraphs(text)) if path[-1] == "text" else text.strip()


def form_workbook(fmt_name: str, data: Mapping[str, Any] | None = None) -> bytes:
    """The form of ``fmt_name`` as .xlsx bytes, filled from report ``data`` (its given cells) when given."""
    form = FORMS[fmt_name]
    filled: Mapping[str, Any] = data or {}
    book = Workbook()
    basic = book.active
    assert basic is not None
    basic.title = BASIC
    _basic(basic, form, filled, book)
    _tables(book.create_sheet(TABLES), form, filled, book)
    _text(book.create_sheet(TEXT), form, filled, book)
    book.active = 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- the roster ----------------------------------------------------------------------------------


def roster_workbook(
    fmt_name: str,
    rows: Iterable[Mapping[str, Any]],
    *,
    status: Sequence[str] | None = None,
    total: Mapping[str, Any] | None = None,
) -> bytes:
    """A roster of ``fmt_name``: a row per report (:func:`roster_row`), ``total`` last.

    ``status`` gives each row's check: empty for a valid report, else why it
    is not (the row is marked red), and the total adds the valid ones; its
    row says it is the sum, so reading the roster back leaves it out.
    """
    rows = list(rows)
    if total is not None:
        checks = list(status or [""] * len(rows))
        status = [*checks, f"{ROSTER_TOTAL}（{checks.count('')} 份报告之和）"]
    columns = roster_columns(fmt_name)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = ROSTER
    for level, attribute in enumerate(("table", "row", "column"), start=1):
        labels = [getattr(column, attribute) for column in columns]
        for first, last, label in header_spans(labels):
            if last > first:
                sheet.merge_cells(start_row=level, start_column=first + 1, end_row=level, end_column=last + 1)
            cell = sheet.cell(level, first + 1, label)
            cell.alignment, cell.font, cell.fill = _CENTER, _FONT, _LABEL_FILL
    for index, column in enumerate(columns, start=1):
        sheet.cell(ROSTER_HEADER_ROWS, index, dotted(column.path)).font = Font(size=8, color="808080")
        sheet.column_dimensions[get_column_letter(index)].width = 24 if index == 1 else 11
    status_col = len(columns) + 1
    if status is not None:
        sheet.cell(1, status_col, ROSTER_STATUS.zh).font = _FONT
        sheet.column_dimensions[get_column_letter(status_col)].width = 60
    row = ROSTER_HEADER_ROWS
    for row, data in enumerate(rows + ([total] if total is not None else []), start=ROSTER_HEADER_ROWS + 1):
        for index, column in enumerate(columns, start=1):
            value = lookup(data, column.path)
            if isinstance(value, str) and column.path[-1] == "text":
                value = "\n".join(paragraphs(value))
            if value is not None and not isinstance(value, (dict, list)):
                cell = sheet.cell(row, index, _figure(value))
                if isinstance(value, Decimal):  # shown, and read back, with the decimals it was written with
                    cell.number_format = "0." + "0" * _decimals(value) if _decimals(value) else "0"
        if status is not None and row - ROSTER_HEADER_ROWS - 1 < len(status):
            said = status[row - ROSTER_HEADER_ROWS - 1]
            cell = sheet.cell(row, status_col, said or OK)
            if said and not said.startswith(ROSTER_TOTAL):
                cell.fill = _RED
    if total is not None:
        for index in range(1, len(columns) + 1):
            sheet.cell(row, index).font = Font(bold=True)
    sheet.freeze_panes = f"C{ROSTER_HEADER_ROWS + 1}"
    book.defined_names["format"] = DefinedName("format", attr_text=f"'{ROSTER}'!$A$1")
    sheet.cell(1, 1, f"{fmt_name}年格式")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def carried_over(data: Mapping[str, Any], last: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` with 二、上年结转 taken from last year's 四、结转下年度继续办理 (``last`` is its data)."""
    out = dict(data)
    applications = dict(out.get("applications") or {})
    forward = lookup(last, ("applications", "carried_forward"))
    if forward is not None:
        applications["carried_in"] = forward
    out["applications"] = applications
    return out


def roster_row(data: Mapping[str, Any]) -> dict[str, Any]:
    """A report's row of a roster: its facts and texts, and every figure it prints, computed totals included."""
    from ..model import tabulate

    row: dict[str, Any] = {key: data[key] for key in ("issuer", "year", "date", "title") if key in data}
    for key in ("overview", "problems", "other_matters"):
        text = lookup(data, (key, "text"))
        if isinstance(text, str):
            row[key] = {"text": text}
    tables = tabulate(data)
    for path, cell in tables.cells.items():
        if cell.state == "blank":
            continue
        node = row
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = cell.value
    return row
