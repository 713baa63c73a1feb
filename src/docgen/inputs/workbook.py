"""Reading docgen's workbooks back: a filled-in form as one report, a roster as one report a row.

Figures come from the cells named by their data paths, or from where the
form puts them when another program lost a name.  Totals are docgen's to
compute: a total cell holding its formula is left out; one holding a number
was typed (a row given as its total alone, or a total to check).  Every
value knows its sheet and cell, so a message reads
``2024.xlsx!表格!E12: [C3] …``.
"""

from __future__ import annotations

import datetime
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import FileError, InputError
from ..issues import CellLocation, Issue, Location
from ..sheets import (
    FORM_SHEETS,
    FORMS,
    ROSTER,
    ROSTER_HEADER_ROWS,
    ROSTER_STATUS,
    SECTION_SLOTS,
    TABLES,
    TEXT_FIELDS,
    Form,
    Place,
    is_total,
    section_paths,
    undotted,
)
from ..statute import CELLS, DEFAULT_FORMAT, FORMAT_SPECS, GRIDS, TOTAL, Label
from .source import DataPath, Source

ROSTER_TOTAL = "汇总"  # the status of a roster's last row, the county's sum: not a body's report
_CFB = b"\xd0\xcf\x11\xe0"  # an OLE file: an encrypted workbook, or an old .xls
_FORMAT = re.compile(r"(20[0-9]{2})")


def sheet_order(sheet: str) -> int:
    """Where a sheet of docgen's workbooks comes, so that messages read in the order of the sheets."""
    order = (*FORM_SHEETS, ROSTER)
    return order.index(sheet) if sheet in order else len(order)


def _key(path: DataPath) -> tuple[str, ...]:
    return tuple(str(part) for part in path)


@dataclass(frozen=True)
class CellLocator:
    """Places in a workbook: the sheet and cell of every value."""

    file: str
    places: Mapping[tuple[str, ...], Place]
    written: frozenset[tuple[str, ...]]
    rows: Mapping[tuple[str, ...], Place]  # a table row's place: its 总计 cell

    def holds(self, path: DataPath) -> bool:
        return _key(path) in self.written

    def at(self, path: DataPath) -> Location:
        key = _key(path)
        for end in range(len(key), 0, -1):
            place = self.places.get(key[:end]) or self.rows.get(key[:end])
            if place is not None:
                return CellLocation(self.file, place.sheet, place.row, place.col, sheet_order(place.sheet))
        return Location(self.file)

    def quoting(self, path: DataPath, snippet: str) -> Location:
        return self.at(path)


def _refusal(name: str, detail: Label) -> InputError:
    return InputError(issues=[Issue(location=Location(name), path="", rule="syntax", detail=detail)])


def _open(path: Path, name: str) -> Any:
    """The workbook, formulas as written; a file that is not one is refused with what it is instead."""
    import openpyxl

    try:
        head = path.read_bytes()[:4]
    except OSError as exc:
        raise FileError.from_os(name, exc) from None
    if head == _CFB:
        raise _refusal(
            name,
            Label(
                "工作簿设了打开密码，或是旧的 .xls 格式：请去掉密码，另存为 .xlsx 后重试",
                "the workbook is password-protected or an old .xls: remove the password and save it as .xlsx",
            ),
        )
    try:
        return openpyxl.load_workbook(path, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        said = f"{type(exc).__name__}: {exc}"
        raise _refusal(
            name, Label(f"不是可读的 .xlsx 工作簿（{said}）", f"not a readable .xlsx workbook ({said})")
        ) from None


def _names(book: Any) -> dict[tuple[str, ...], Place]:
    """The workbook-level names that point at one cell, by the data path they spell."""
    from openpyxl.utils.cell import coordinate_to_tuple

    out: dict[tuple[str, ...], Place] = {}
    for name, defined in book.defined_names.items():
        destinations = list(defined.destinations)
        if len(destinations) != 1 or ":" in destinations[0][1]:
            continue
        sheet, coordinate = destinations[0]
        row, col = coordinate_to_tuple(coordinate.replace("$", ""))
        out[undotted(name)] = Place(sheet, row, col)
    return out


def _number_format_decimals(number_format: str) -> int | None:
    """The decimals a cell shows: 2 for ``0.00``; None for ``General`` (as many as the value has)."""
    match = re.search(r"\.([0#]+)", number_format)
    return len(match.group(1)) if match else (0 if re.fullmatch(r"[#,0]+", number_format) else None)


def _figure(cell: Any, kind: str) -> Any:
    """A figure as a report holds it: a whole number as an int, money as the Decimal the cell shows."""
    value = cell.value
    if isinstance(value, float) and kind == "money":
        decimals = _number_format_decimals(str(cell.number_format))
        if decimals is None:
            return Decimal(repr(value))
        return Decimal(value).quantize(Decimal(1).scaleb(-decimals))
    if isinstance(value, float) and value.is_integer() and kind != "money":
        return int(value)
    if isinstance(value, str):
        return value.strip()
    return value


def _text(value: Any) -> str | None:
    """A text cell: each line of the cell (Alt+Enter) a paragraph."""
    if value is None:
        return None
    lines = [line.strip() for line in str(value).replace("\r", "").split("\n")]
    return "\n\n".join(line for line in lines if line)


class _Reader:
    """One report out of cells: each value taken where the form (or the roster) puts it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.data: dict[str, Any] = {}
        self.places: dict[tuple[str, ...], Place] = {}
        self.written: set[tuple[str, ...]] = set()
        self.rows: dict[tuple[str, ...], Place] = {}
        self.issues: list[Issue] = []

    def put(self, path: tuple[str, ...], value: Any, place: Place) -> None:
        node = self.data
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
        self.places[path] = place
        for end in range(1, len(path) + 1):
            self.written.add(path[:end])

    def formula(self, path: tuple[str, ...], value: str, place: Place) -> None:
        where = CellLocation(self.name, place.sheet, place.row, place.col)
        detail = Label(
            f"这里应填数字，却是公式 “{value}”；请改为数字",
            f"a figure belongs here, not the formula “{value}”; type the number",
        )
        self.issues.append(Issue(location=where, path=".".join(path), rule="C7", found=value, detail=detail))

    def figures(self, fmt_name: str, cell_at: Any, places: Mapping[tuple[str, ...], Place]) -> None:
        """Every figure: inputs as typed; a total only where a number was typed over its formula."""
        fmt = FORMAT_SPECS[fmt_name]
        totals: dict[tuple[str, ...], Any] = {}
        for path, info in CELLS[fmt_name].items():
            place = places[path]
            cell = cell_at(place)
            value = cell.value
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            if isinstance(value, str) and value.startswith("="):
                if not is_total(fmt, path):
                    self.formula(path, value, place)
                continue  # a total's own formula: docgen computes it
            if is_total(fmt, path):
                totals[path] = (_figure(cell, info.kind), place)
            else:
                self.put(path, _figure(cell, info.kind), place)
        typed_in = {path[:-1] for path in self.places} | {path[:-1] for path in totals if path[-1] != TOTAL.key}
        for path, (value, place) in totals.items():
            if path[-1] == TOTAL.key and path[:-1] not in typed_in:
                self.put(path[:-1], value, place)  # a row given as its total alone
            else:
                self.put(path, value, place)
        for path, place in places.items():
            if path[-1] == TOTAL.key:
                self.rows[path[:-1]] = place  # a message about a row points at its 总计

    def source(self, display: str | None = None) -> Source:
        """The report read, named ``display`` (a roster's row) or after the file."""
        locator = CellLocator(self.name, dict(self.places), frozenset(self.written), dict(self.rows))
        return Source(display or self.name, self.data, locator, tuple(self.issues))


# --- the form ------------------------------------------------------------------------------------


def _form_format(book: Any, names: Mapping[tuple[str, ...], Place]) -> str:
    place = names.get(("format",)) or FORMS[DEFAULT_FORMAT].meta[("format",)]
    if place.sheet not in book.sheetnames:
        return DEFAULT_FORMAT
    found = _FORMAT.search(str(book[place.sheet].cell(place.row, place.col).value or ""))
    return found.group(1) if found and found.group(1) in FORMAT_SPECS else DEFAULT_FORMAT


def _broken_merges(book: Any, form: Form, name: str) -> list[Issue]:
    """The merged label cells of 表格 that another program split or moved: the form was edited out of shape."""
    from openpyxl.utils import get_column_letter

    sheet = book[TABLES]
    present = {str(merged) for merged in sheet.merged_cells.ranges}
    issues = []
    for index, grid in enumerate(GRIDS[form.format.name]):
        for cell in grid.cells:
            if cell.rows == 1 and cell.cols == 1:
                continue
            top = form.grid_place(index, cell.row, cell.col)
            span = (
                f"{get_column_letter(top.col)}{top.row}:"
                f"{get_column_letter(top.col + cell.cols - 1)}{top.row + cell.rows - 1}"
            )
            if span not in present:
                label = cell.label.zh if cell.label else ""
                issues.append(
                    Issue(
                        location=CellLocation(name, TABLES, top.row, top.col),
                        path="",
                        rule="syntax",
                        found=span,
                        detail=Label(
                            f"合并单元格 {span}（{label}）被拆开或移动了：表格的样式不能改，请在 docgen init --xlsx "
                            "生成的新表里重填",
                            f"the merged cell {span} ({label}) was split or moved; fill in a new form from "
                            "docgen init --xlsx",
                        ),
                    )
                )
    return issues


def _read_form(book: Any, name: str) -> Source:
    names = _names(book)
    fmt_name = _form_format(book, names)
    form = FORMS[fmt_name]
    missing = [sheet for sheet in FORM_SHEETS if sheet not in book.sheetnames]
    if missing:
        raise _refusal(
            name,
            Label(
                f"缺少工作表 {'、'.join(missing)}：这不是 docgen init --xlsx 生成的报告表",
                f"sheet {', '.join(missing)} is missing: this is not a form made by docgen init --xlsx",
            ),
        )
    broken = _broken_merges(book, form, name)
    if broken:
        raise InputError(issues=broken)
    reader = _Reader(name)
    reader.put(("format",), fmt_name, form.meta[("format",)])

    def where(path: tuple[str, ...], layout: Mapping[tuple[str, ...], Place]) -> Place:
        return names.get(path) or layout[path]  # a name another program lost: the form's own place

    def cell_at(place: Place) -> Any:
        return book[place.sheet].cell(place.row, place.col)

    for fact in ("issuer", "year", "date", "title"):
        path = (fact,)
        place = where(path, form.meta)
        value = cell_at(place).value
        if (isinstance(value, str) and value.startswith("=")) or value is None:
            continue  # a title left to its formula is derived by docgen
        if isinstance(value, datetime.datetime | datetime.date):
            value = value.date().isoformat() if isinstance(value, datetime.datetime) else value.isoformat()
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        elif isinstance(value, str):
            value = value.strip()
        reader.put(path, value, place)
    reader.figures(fmt_name, cell_at, {path: where(path, form.figures) for path in form.figures})
    sections: list[dict[str, str]] = []
    for text_path in TEXT_FIELDS:
        text = _text(cell_at(where(text_path, form.texts)).value)
        if text is not None:
            reader.put(text_path, text, where(text_path, form.texts))
    for index in range(SECTION_SLOTS):
        heading_at, text_at = (where(p, form.texts) for p in section_paths(index))
        heading = _text(cell_at(heading_at).value)
        text = _text(cell_at(text_at).value)
        if heading or text:
            at = len(sections)
            sections.append({"heading": heading or "", "text": text or ""})
            reader.places[("overview", "sections", str(at), "heading")] = heading_at
            reader.places[("overview", "sections", str(at), "text")] = text_at
            reader.written |= {("overview", "sections", str(at), k) for k in ("heading", "text")}
    if sections:
        reader.data.setdefault("overview", {})["sections"] = sections
        reader.written |= {("overview",), ("overview", "sections")}
    # a value left empty is reported at the cell it belongs in; a whole section at its heading or text
    for layout_path, layout_place in {**form.meta, **form.figures, **form.texts}.items():
        reader.places.setdefault(layout_path, names.get(layout_path) or layout_place)
    for (row, _), key in zip(form.headings, ("proactive", "applications", "appeals"), strict=True):
        reader.places.setdefault((key,), Place(TABLES, row, 1))
    for key in ("overview", "problems", "other_matters"):
        reader.places.setdefault((key,), reader.places[(key, "text")])
    return reader.source()


# --- the roster ----------------------------------------------------------------------------------


def _read_roster(book: Any, name: str) -> list[Source]:
    sheet = book[ROSTER]
    names = _names(book)
    format_place = names.get(("format",))
    found = _FORMAT.search(str(sheet.cell(format_place.row, format_place.col).value or "")) if format_place else None
    fmt_name = found.group(1) if found and found.group(1) in FORMAT_SPECS else DEFAULT_FORMAT
    paths: dict[int, tuple[str, ...]] = {}
    status_col = None
    for col in range(1, sheet.max_column + 1):
        label = sheet.cell(ROSTER_HEADER_ROWS, col).value
        if isinstance(label, str) and label.strip():
            paths[col] = undotted(label.strip())
        if sheet.cell(1, col).value == ROSTER_STATUS.zh:
            status_col = col
    figures = CELLS[fmt_name]
    out = []
    for row in range(ROSTER_HEADER_ROWS + 1, sheet.max_row + 1):
        values = {col: sheet.cell(row, col) for col in paths}
        if all(cell.value in (None, "") for cell in values.values()):
            continue
        status = sheet.cell(row, status_col).value if status_col else None
        if isinstance(status, str) and status.startswith(ROSTER_TOTAL):
            continue
        reader = _Reader(name)
        reader.put(("format",), fmt_name, Place(ROSTER, 1, 1))
        places = {path: Place(ROSTER, row, col) for col, path in paths.items()}
        for col, path in paths.items():
            if path in figures:
                continue
            value = values[col].value
            if value is None:
                continue
            if isinstance(value, datetime.datetime | datetime.date):
                value = value.date().isoformat() if isinstance(value, datetime.datetime) else value.isoformat()
            elif isinstance(value, float) and value.is_integer():
                value = int(value)
            elif path[-1] == "text":
                value = _text(value)
            reader.put(path, value, places[path])
        present = {path: place for path, place in places.items() if path in figures}
        if len(present) == len(figures):
            reader.figures(fmt_name, lambda place: sheet.cell(place.row, place.col), present)
        out.append(reader.source(f"{name}!{ROSTER}!{row}"))
    return out


# --- any of docgen's workbooks ---------------------------------------------------------------------


@dataclass(frozen=True)
class Workbook:
    """The reports of one of docgen's workbooks: a form's one, or a roster's one a row."""

    roster: bool
    reports: tuple[Source, ...]


@lru_cache(maxsize=8)
def _read(path: Path, stamp: tuple[int, int], name: str) -> Workbook:
    book = _open(path, name)
    if ROSTER in book.sheetnames:
        return Workbook(True, tuple(_read_roster(book, name)))
    return Workbook(False, (_read_form(book, name),))


def read_workbook(path: str | Path, *, display: str | None = None) -> Workbook:
    """A form or a roster, read once while the file is unchanged; one that cannot be read raises InputError."""
    path = Path(path)
    name = display if display is not None else str(path)
    try:
        info = path.stat()
    except OSError as exc:
        raise FileError.from_os(name, exc) from None
    return _read(path, (info.st_mtime_ns, info.st_size), name)
