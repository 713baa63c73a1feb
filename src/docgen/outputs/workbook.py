"""docgen's workbooks, written with openpyxl: the form a body fills in, and the county's roster.

The form (``docgen init --xlsx``) draws tables A, B and C as the report prints
them, labels locked and figures open, every figure's cell named by its data
path, totals as live formulas (a row's 总计 may be typed over, for a row
given as its total alone) and a check cell per rule that turns red when the
figures do not add up.  The roster has a row per body, its totals live too.
Where each cell goes is :mod:`docgen.sheets`; the reader
(:mod:`docgen.inputs.workbook`) reads the same places back.
"""

from __future__ import annotations

import datetime
import io
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.protection import SheetProtection
from openpyxl.worksheet.worksheet import Worksheet

from ..model import lookup, tabulate
from ..narrative import paragraphs
from ..sheets import (
    BASIC,
    COLUMN_WIDTHS,
    FORMS,
    LABEL_COLUMNS,
    META_FIELDS,
    OK,
    ROSTER,
    ROSTER_HEADER_ROWS,
    ROSTER_STATUS,
    ROSTER_TOTAL,
    ROSTER_TOTAL_NAME,
    SECTION_SLOTS,
    TABLES,
    TEXT,
    Check,
    Form,
    Place,
    dotted,
    header_spans,
    is_row_total,
    is_total,
    roster_columns,
)
from ..statute import CELLS, GRIDS, RULES, TOTAL, Path
from .docx.page import text_width

_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_LABEL_FILL = PatternFill("solid", fgColor="F2F2F2")
_INPUT_FILL = PatternFill("solid", fgColor="FFFFFF")
_TOTAL_FILL = PatternFill("solid", fgColor="DDEBF7")
_RED = PatternFill("solid", fgColor="FF4D4D")
_FONT = Font(name="宋体", size=10)
_SMALL = Font(name="宋体", size=9)
_BOLD = Font(name="黑体", size=12, bold=True)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_OPEN = Protection(locked=False)
_MONEY = "0.00##"  # a blank form shows what is typed, two to four decimals
_CHAR_UNITS = 1.9  # column-width units a Chinese character of 10 pt takes
_LINE_PT = 14
_KIND_TEXT = {"count": "非负整数", "signed": "整数，可为负数", "money": "非负数，单位万元，可带小数"}


def number_format(decimals: int) -> str:
    """A number format showing exactly ``decimals`` decimals: ``0.0000`` keeps 18.8710 as written."""
    return "0." + "0" * decimals if decimals else "0"


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _cell_value(value: Any) -> Any:
    """A figure as a spreadsheet cell holds it: Decimal money as a number (its format keeps its decimals)."""
    return float(value) if isinstance(value, Decimal) else value


def words(cell: Any, value: Any) -> Any:
    """``cell`` holding a report's ``value``: text that starts with "=" is words, never a formula to run
    (an issuer typed "=HYPERLINK(...)" must not become a link in the county's workbook)."""
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def _ref(place: Place) -> str:
    return f"{get_column_letter(place.col)}{place.row}"


def _name(book: Workbook, path: Path, place: Place) -> None:
    name = dotted(path)
    target = f"'{place.sheet}'!${get_column_letter(place.col)}${place.row}"
    book.defined_names[name] = DefinedName(name, attr_text=target)


def _protect(sheet: Worksheet) -> None:
    """Labels safe from a slip of the hand, with no password; rows and columns may still be resized."""
    sheet.protection = SheetProtection(sheet=True, formatRows=False, formatColumns=False)


def _fit_width(sheet: Worksheet, orientation: Literal["portrait", "landscape"] = "landscape") -> None:
    """Printed on A4 as wide as the page, as many pages down as it takes."""
    sheet.page_setup.orientation = orientation
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _validation(sheet: Worksheet, cell: Any, title: str, prompt: str, **rule: Any) -> None:
    check = DataValidation(
        allow_blank=True,
        showInputMessage=True,
        showErrorMessage=True,
        promptTitle=title[:32],
        prompt=prompt[:255],
        errorTitle="填写有误",
        error=prompt[:255],
        **rule,
    )
    sheet.add_data_validation(check)
    check.add(cell)


# --- the form: 表格 ------------------------------------------------------------------------------


def _tables(sheet: Worksheet, form: Form, data: Mapping[str, Any], book: Workbook) -> None:
    fmt = form.format
    for column, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    for (row, label), origin in zip(form.headings, form.origins, strict=True):
        sheet.cell(row, 1, label.zh).font = _BOLD
        if origin != form.origins[0]:
            sheet.row_breaks.append(Break(id=row - 1))  # each table starts a printed page
    for index, grid in enumerate(GRIDS[fmt.name]):
        for cell in grid.cells:
            place = form.grid_place(index, cell.row, cell.col)
            first, last = form.grid_span(index, cell.col, cell.cols)
            bottom = place.row + cell.rows - 1
            if bottom > place.row or last > first:
                sheet.merge_cells(start_row=place.row, start_column=first, end_row=bottom, end_column=last)
            for r in range(place.row, bottom + 1):
                for c in range(first, last + 1):
                    sheet.cell(r, c).border = _BOX
            target = sheet.cell(place.row, place.col)
            target.font = _FONT
            if cell.role != "value":
                target.value = cell.label.zh if cell.label else ""
                target.fill = _LABEL_FILL
                target.alignment = _LEFT if cell.align == "left" else _CENTER
    _fit_rows(sheet, form)
    _check_labels(sheet, form)
    formulas = total_formulas(form, lambda path: _ref(form.figures[path]))
    stated = stated_totals(form, data)
    for path, place in form.figures.items():
        _figure_cell(sheet, book, form, path, place, data, stated.get(path, formulas.get(path)))
    for check in form.checks:
        _check_cell(sheet, form, check)
    cells = " ".join(_ref(check.place) for check in form.checks)
    red = CellIsRule(operator="notEqual", formula=[f'"{OK}"'], fill=_RED)  # type: ignore[no-untyped-call]
    sheet.conditional_formatting.add(cells, red)
    _fit_width(sheet)
    _protect(sheet)


def _figure_cell(
    sheet: Worksheet,
    book: Workbook,
    form: Form,
    path: Path,
    place: Place,
    data: Mapping[str, Any],
    total: Any,
) -> None:
    """A figure: an open, validated input; a total, ``total`` (its formula, or the number the report states);
    a row's 总计 open to be typed over, （七）总计 locked."""
    cell = sheet.cell(place.row, place.col)
    cell.alignment = _CENTER
    info = CELLS[form.format.name][path]
    _name(book, path, place)
    written = total if is_total(path) else lookup(data, path)
    if is_total(path):
        cell.fill = _TOTAL_FILL
    if written is not None and not isinstance(written, dict | list):
        cell.value = _cell_value(written)
    if is_total(path) and not is_row_total(path):
        return  # （七）总计 adds the rows above it: nothing to type
    cell.protection = _OPEN
    if info.kind == "money":
        cell.number_format = number_format(_decimals(written)) if isinstance(written, Decimal) else _MONEY
    where = f"{info.row.zh} / {info.column.zh}"
    said = f"{where}：填{_KIND_TEXT[info.kind]}；不填印为空白"
    if is_row_total(path):
        said = f"{where}：自动相加；只有总计、没有分类数字时，可直接改填总计"
    kind = "whole" if info.kind != "money" else "decimal"
    if info.kind == "signed":
        _validation(sheet, cell, info.column.zh, said, type=kind, operator="between", formula1="-1e9", formula2="1e9")
    else:
        _validation(sheet, cell, info.column.zh, said, type=kind, operator="greaterThanOrEqual", formula1="0")


def _fit_rows(sheet: Worksheet, form: Form) -> None:
    """Rows tall enough for their wrapped labels: spreadsheets keep a row's height as written."""
    heights: dict[int, int] = {}
    for index, grid in enumerate(GRIDS[form.format.name]):
        for cell in grid.cells:
            if cell.label is None or cell.rows > 1:
                continue
            place = form.grid_place(index, cell.row, cell.col)
            first, last = form.grid_span(index, cell.col, cell.cols)
            width = sum(COLUMN_WIDTHS[c - 1] for c in range(first, last + 1))
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
                header.font, header.alignment = _SMALL, _CENTER
        else:
            rows[check.place.row] = said
    for row, said in rows.items():
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=LABEL_COLUMNS)
        cell = sheet.cell(row, 1, said)
        cell.font, cell.alignment = _SMALL, _LEFT


def _sum(cells: Iterable[str]) -> str:
    return "SUM(" + ",".join(cells) + ")"


def _effective(form: Form, ref: Callable[[Path], str]) -> Callable[[Path], str]:
    """A figure as docgen reads it: a row's 总计 left empty is the sum of its cells, as docgen computes it."""
    adds = {check.total[0]: check.addends for check in form.checks if check.rule in ("C3", "C5")}

    def effective(path: Path) -> str:
        if path not in adds:
            return ref(path)
        return f"IF(ISBLANK({ref(path)}),{_sum(ref(p) for p in adds[path])},{ref(path)})"

    return effective


def total_formulas(form: Form, ref: Callable[[Path], str]) -> dict[Path, str]:
    """Each total's live formula, ``ref`` naming a figure's cell: what its rule adds.  A row's 总计 adds its
    applicants (C3) or outcomes (C5); each cell of （七）总计 adds its column of the results above (C4)."""
    effective = _effective(form, ref)
    return {
        check.total[0]: "=" + _sum(effective(p) for p in check.addends)
        for check in form.checks
        if check.rule in ("C3", "C4", "C5")
    }


def stated_totals(form: Form, data: Mapping[str, Any]) -> dict[Path, Any]:
    """The totals ``data`` states that a formula would not give back, kept as numbers: a row given as its
    total alone (its other totals, in （七）总计, left empty), and a total its cells do not add up to (so the
    form's check shows the report's mistake)."""
    tables = tabulate({**data, "format": form.format.name})
    out: dict[Path, Any] = {}
    for check in form.checks:
        total = check.total[0]
        if check.rule not in ("C3", "C4", "C5"):
            continue
        if total[:-1] in tables.bare:
            out[total] = tables.value(total) if total[-1] == TOTAL.key else None
            continue
        cells = [tables.cells[p] for p in check.addends]
        stated = tables.cells[total].state == "given"
        if stated and (all(c.state == "blank" for c in cells) or tables.value(total) != sum(c.value for c in cells)):
            out[total] = tables.value(total)
    return out


def _check_cell(sheet: Worksheet, form: Form, check: Check) -> None:
    effective = _effective(form, lambda path: _ref(form.figures[path]))
    left = "+".join(effective(p) for p in check.total)
    addends = [_ref(form.figures[p]) for p in check.addends]
    right = "+".join(effective(p) for p in check.addends)
    test = f'IF(({left})=({right}),"{OK}","{check.note}")'
    if check.needs_addends:  # a row given as its total alone has nothing to add up
        test = f'IF(COUNT({",".join(addends)})=0,"{OK}",{test})'
    cell = sheet.cell(check.place.row, check.place.col, f"={test}")
    cell.font, cell.alignment = _SMALL, _CENTER


# --- the form: 基本信息 and 正文 ----------------------------------------------------------------


def _basic(sheet: Worksheet, form: Form, data: Mapping[str, Any], book: Workbook) -> None:
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 70
    sheet.cell(1, 1, "项目").font = _BOLD
    sheet.cell(1, 2, "内容").font = _BOLD
    places = form.meta
    issuer, year = _ref(places[("issuer",)]), _ref(places[("year",)])
    for path, label in META_FIELDS:
        place = places[path]
        sheet.cell(place.row, 1, label.zh).fill = _LABEL_FILL
        cell = sheet.cell(place.row, place.col)
        cell.alignment, cell.border = _LEFT, _BOX
        _name(book, path, place)
        value = data.get(path[0])
        if path == ("format",):
            cell.value = form.format.name  # the layout of this workbook: not to be changed
            continue
        cell.protection = _OPEN
        if path == ("title",):
            if isinstance(value, str):
                words(cell, value)
            else:
                cell.value = f'={issuer}&{year}&"年政府信息公开工作年度报告"'
        elif path == ("date",):
            cell.number_format = "yyyy-mm-dd"
            cell.value = _date(value)
            _validation(
                sheet,
                cell,
                label.zh,
                "成文日期，如 2025-01-08",
                type="date",
                operator="between",
                formula1="36526",  # 2000-01-01 and 2100-12-31 as spreadsheet day numbers: 20250108 is refused
                formula2="73415",
            )
        elif path == ("year",):
            cell.value = value
            _validation(
                sheet,
                cell,
                label.zh,
                "报告年度，如 2024",
                type="whole",
                operator="between",
                formula1="2008",
                formula2="2100",
            )
        elif value is not None:
            words(cell, value)
    note = sheet.cell(
        len(places) + 3, 2, "标题不改则为“发布机关＋年度＋年政府信息公开工作年度报告”；改写即用所写的标题。"
    )
    note.alignment, note.font = _LEFT, _SMALL
    _fit_width(sheet, "portrait")
    _protect(sheet)


def _date(value: Any) -> Any:
    """A report's date as a spreadsheet date; anything else as it was written, for the checks to judge."""
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _text(sheet: Worksheet, form: Form, data: Mapping[str, Any], book: Workbook) -> None:
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 100
    sheet.cell(1, 1, "项目").font = _BOLD
    head = sheet.cell(
        1, 2, "内容（一个格子里按 Alt+Enter 分段；{issuer}、{applications.received.total} 等占位符按表格填入）"
    )
    head.font = _BOLD
    for path, place in form.texts.items():
        label = sheet.cell(place.row, 1, form.text_labels[path])
        label.fill, label.alignment = _LABEL_FILL, _LEFT
        cell = sheet.cell(place.row, place.col)
        cell.alignment, cell.protection, cell.border = Alignment(wrap_text=True, vertical="top"), _OPEN, _BOX
        _name(book, path, place)
        value = text_value(data, path)
        if value:
            words(cell, value)
        sheet.row_dimensions[place.row].height = 20 if path[-1] == "heading" else 90
    _fit_width(sheet)
    _protect(sheet)


def text_value(data: Mapping[str, Any], path: Path) -> str:
    """A text of the report as a cell holds it: each paragraph on a line of its own."""
    if path[:2] == ("overview", "sections"):
        sections = lookup(data, path[:2])
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


def sections_beyond_the_form(data: Mapping[str, Any]) -> int:
    """How many sub-sections of 一、总体情况 the form has no room for."""
    sections = lookup(data, ("overview", "sections"))
    return max(0, len(sections) - SECTION_SLOTS) if isinstance(sections, list) else 0


# --- the roster ----------------------------------------------------------------------------------


def roster_row(data: Mapping[str, Any]) -> dict[str, Any]:
    """A report's row of a roster: its facts and texts, and every figure it prints, computed totals included."""
    row: dict[str, Any] = {key: data[key] for key in ("issuer", "year", "date", "title") if key in data}
    for key in ("overview", "problems", "other_matters"):
        if isinstance(text := lookup(data, (key, "text")), str):
            row[key] = {"text": text}
    if isinstance(sections := lookup(data, ("overview", "sections")), list):
        row.setdefault("overview", {})["sections"] = sections
    for path, cell in tabulate(data).cells.items():
        if cell.state == "blank":
            continue
        node = row
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = cell.value
    return row


def roster_workbook(
    fmt_name: str,
    rows: Iterable[Mapping[str, Any]],
    *,
    status: Sequence[str] | None = None,
    total: Mapping[str, Any] | None = None,
) -> bytes:
    """A roster of ``fmt_name``: a row per report (:func:`roster_row`), and a sum row named by ``total``'s
    issuer and year last.

    A row's totals are live formulas, so an edited figure moves them; a total
    a report states otherwise keeps its number (:func:`stated_totals`).
    ``status`` gives each row's check: empty for a valid report, else why it
    is not (the row is marked red).  The sum row adds each column over the
    rows checked OK, live too; its check and its name (``roster_total``) say
    it is the sum, so reading the roster back leaves it out.
    """
    rows = list(rows)
    if total is not None:
        checks = list(status or [""] * len(rows))
        status = [*checks, f"{ROSTER_TOTAL}（{checks.count('')} 份报告之和）"]
    columns = roster_columns(fmt_name)
    where = {column.path: index for index, column in enumerate(columns, start=1)}
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = ROSTER
    for level, attribute in enumerate(("table", "row", "column"), start=1):
        labels = [getattr(column, attribute) for column in columns]
        for start, end, label in header_spans(labels):
            if end > start:
                sheet.merge_cells(start_row=level, start_column=start + 1, end_row=level, end_column=end + 1)
            cell = sheet.cell(level, start + 1, label)
            cell.alignment, cell.font, cell.fill = _CENTER, _FONT, _LABEL_FILL
    for index, column in enumerate(columns, start=1):
        sheet.cell(ROSTER_HEADER_ROWS, index, dotted(column.path)).font = Font(size=8, color="808080")
        sheet.column_dimensions[get_column_letter(index)].width = 24 if index == 1 else 11
    status_col = len(columns) + 1
    if status is not None:
        sheet.cell(1, status_col, ROSTER_STATUS.zh).font = _FONT
        sheet.column_dimensions[get_column_letter(status_col)].width = 60
    figures = CELLS[fmt_name]
    first, last = ROSTER_HEADER_ROWS + 1, ROSTER_HEADER_ROWS + len(rows)  # the reports' rows
    for number, data in enumerate(rows):
        row = first + number
        cells = {**total_formulas(FORMS[fmt_name], _in_row(where, row)), **stated_totals(FORMS[fmt_name], data)}
        for index, column in enumerate(columns, start=1):
            path = column.path
            value = text_value(data, path) if path[-1] in ("text", "heading") else lookup(data, path)
            formula = path in figures and is_total(path)
            if formula:
                value = cells[path]
            if value not in (None, "") and not isinstance(value, dict | list):
                target = sheet.cell(row, index)
                if formula:
                    target.value = _cell_value(value)
                else:
                    words(target, _cell_value(value))
                if isinstance(value, Decimal):  # shown, and read back, with the decimals it was written with
                    target.number_format = number_format(_decimals(value))
    if total is not None:  # each figure the sum of its column over the valid reports' rows
        row = last + 1
        status_range = f"${get_column_letter(status_col)}${first}:${get_column_letter(status_col)}${last}"
        for key in ("issuer", "year"):
            sheet.cell(row, where[(key,)], total.get(key)).font = Font(bold=True)
        for path, info in figures.items():
            letter = get_column_letter(where[path])
            cells_range = f"{letter}{first}:{letter}{last}"
            cell = sheet.cell(row, where[path], f'=SUMIF({status_range},"{OK}",{cells_range})')
            cell.font = Font(bold=True)
            if info.kind == "money":
                cell.number_format = _MONEY
        book.defined_names[ROSTER_TOTAL_NAME] = DefinedName(ROSTER_TOTAL_NAME, attr_text=f"'{ROSTER}'!$A${row}")
    for number, said in enumerate(status or []):
        cell = sheet.cell(first + number, status_col, said or OK)
        if said and not said.startswith(ROSTER_TOTAL):
            cell.fill = _RED
    sheet.freeze_panes = f"C{ROSTER_HEADER_ROWS + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.print_title_rows = f"1:{ROSTER_HEADER_ROWS - 1}"  # each printed page repeats the labels and the bodies
    sheet.print_title_cols = "A:B"
    book.defined_names["format"] = DefinedName("format", attr_text=f"'{ROSTER}'!$A$1")
    sheet.cell(1, 1, f"{fmt_name}年格式")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _in_row(columns: Mapping[Path, int], row: int) -> Callable[[Path], str]:
    """The cell of a roster row holding each figure."""
    return lambda path: f"{get_column_letter(columns[path])}{row}"


def carried_over(data: Mapping[str, Any], last: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` with 二、上年结转 taken from last year's 四、结转下年度继续办理 (``last`` is its data)."""
    out = dict(data)
    applications = dict(out.get("applications") or {})
    forward = lookup(last, ("applications", "carried_forward"))
    if forward is not None:
        applications["carried_in"] = forward
    out["applications"] = applications
    return out
