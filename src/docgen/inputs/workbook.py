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
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import FileError, InputError
from ..files import read_head
from ..issues import CellLocation, Issue, Location
from ..sheets import (
    FORM_SHEETS,
    FORMS,
    META_FIELDS,
    ROSTER,
    ROSTER_HEADER_ROWS,
    ROSTER_STATUS,
    ROSTER_TOTAL,
    ROSTER_TOTAL_NAME,
    SECTION_SLOTS,
    TABLES,
    TEXT_FIELDS,
    Form,
    Place,
    is_total,
    roster_columns,
    section_paths,
    undotted,
)
from ..statute import CELLS, DEFAULT_FORMAT, FORMAT_SPECS, GRIDS, META, SECTION_LABELS, TOTAL, Label
from .documents.archive import open_archive
from .source import DataPath, Source

_CFB = b"\xd0\xcf\x11\xe0"  # an OLE file: an encrypted workbook, or an old .xls
_FORMAT = re.compile(r"(20[0-9]{2})")
_SHOWN = re.compile(r"\.(0*)(#*)")
_DATE = re.compile(r"(20[0-9]{2})\s*[年./-]\s*([0-9]{1,2})\s*[月./-]\s*([0-9]{1,2})\s*日?")


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
        place = self.places.get(())  # a roster's row, for a value whose column is gone
        if place is not None:
            return CellLocation(self.file, place.sheet, place.row, place.col, sheet_order(place.sheet))
        return Location(self.file)

    def quoting(self, path: DataPath, snippet: str) -> Location:
        return self.at(path)


def _refusal(name: str, detail: Label) -> InputError:
    return InputError(issues=[Issue(location=Location(name), path="", rule="syntax", detail=detail)])


def not_a_workbook(name: str, what: str) -> InputError:
    """The refusal of a file that is not a workbook docgen reads: ``what`` says what it is instead."""
    return _refusal(
        name,
        Label(
            f"不是可读的 .xlsx 工作簿（{what}）：请用 WPS 或 Excel 另存为 .xlsx 后重试",
            f"not a readable .xlsx workbook ({what}): save it as .xlsx from WPS or Excel and try again",
        ),
    )


def _open(path: Path, name: str) -> Any:
    """The workbook, formulas as written; a file that is not one is refused with what it is instead."""
    import openpyxl

    head = read_head(path, name, 4)
    if head == _CFB:
        raise not_a_workbook(name, "设了打开密码，或是旧的 .xls 格式")
    if head == b"PK\x03\x04":  # an archive that would unpack to an absurd size is refused before openpyxl sees it
        open_archive(path, name, needs="[Content_Types].xml", what=".xlsx").close()
    with warnings.catch_warnings():  # what openpyxl warns of (a date it cannot convert) is said by the checks
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(path, data_only=False)


def _names(book: Any) -> dict[tuple[str, ...], Place]:
    """The workbook-level names that point at one cell of a sheet it has, by the data path they spell."""
    from openpyxl.utils.cell import coordinate_to_tuple

    out: dict[tuple[str, ...], Place] = {}
    for name, defined in book.defined_names.items():
        try:
            destinations = list(defined.destinations)
        except Exception:  # noqa: BLE001 -- a name with a formula or a #REF! points nowhere: the layout is used
            continue
        if len(destinations) != 1 or ":" in destinations[0][1] or destinations[0][0] not in book.sheetnames:
            continue
        sheet, coordinate = destinations[0]
        row, col = coordinate_to_tuple(coordinate.replace("$", ""))
        out[undotted(name)] = Place(sheet, row, col)
    return out


def _fact(value: Any) -> Any:
    """A fact or text as a report holds it: a date as ISO text, a whole number as an int, text stripped."""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip()
    return value


def shown_money(value: float, number_format: str) -> Decimal:
    """Money as its cell shows it: ``0.00##`` shows 2.675 as 2.675 and 2.6751 as 2.6751, ``0.00`` as 2.68.

    The float a spreadsheet stores is read as the shortest decimal that gives
    it back (2.675, not 2.67499999…), then rounded half up to the decimals the
    format shows; the optional ``#`` decimals only where they are not zero.
    """
    exact = Decimal(repr(value))
    match = _SHOWN.search(number_format)
    if match is None:
        if not re.fullmatch(r"[#,0]+", number_format):
            return exact  # General: as many decimals as the value has
        least = most = 0
    else:
        least = len(match.group(1))
        most = least + len(match.group(2))
    shown = exact.quantize(Decimal(1).scaleb(-most), ROUND_HALF_UP)
    for decimals in range(most - 1, least - 1, -1):
        shorter = shown.quantize(Decimal(1).scaleb(-decimals))
        if shorter != shown:
            break
        shown = shorter
    return shown


def _figure(cell: Any, kind: str) -> Any:
    """A figure as a report holds it: a whole number as an int, money as the Decimal the cell shows.

    Anything else (text, a formula) is kept as written, for the checks to say
    what belongs in the cell instead.
    """
    value = cell.value
    if isinstance(value, float) and kind == "money":
        return shown_money(value, str(cell.number_format))
    if isinstance(value, float) and value.is_integer():
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


def _is_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("=")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


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

    def fact(self, path: tuple[str, ...], value: Any, place: Place) -> None:
        """A fact or text: a formula's own text is not what it shows, so it is said and kept for the checks."""
        if _blank(value):
            return
        if _is_formula(value) and path[-1] in ("issuer", "text", "heading"):
            where = CellLocation(self.name, place.sheet, place.row, place.col, sheet_order(place.sheet))
            detail = Label(
                f"这里应填文字，却是公式 “{value}”：公式不会被读取，请填写文字本身",
                f"text belongs here, not the formula “{value}”: type the text itself",
            )
            row = META.get(path[0]) if len(path) == 1 else SECTION_LABELS.get(path[0])
            issue = Issue(location=where, path=".".join(path), rule="schema", row=row, found=value, detail=detail)
            self.issues.append(issue)
        if path[-1] in ("text", "heading"):
            value = _text(value)
        elif path == ("date",) and isinstance(value, str) and (typed := _DATE.fullmatch(value.strip())):
            value = "{}-{:02d}-{:02d}".format(*map(int, typed.groups()))  # 2025年1月8日, 2025.1.8, 2025/1/8
        self.put(path, _fact(value), place)

    def figures(self, fmt_name: str, cell_at: Callable[[Place], Any], places: Mapping[tuple[str, ...], Place]) -> None:
        """The figures at ``places``: inputs as typed; a total only where a number was typed over its formula."""
        cells = CELLS[fmt_name]
        totals: dict[tuple[str, ...], tuple[Any, Place]] = {}
        filled: set[tuple[str, ...]] = set()  # rows with a cell besides their 总计 typed or holding a formula
        for path, place in places.items():
            cell = cell_at(place)
            if _blank(cell.value):
                continue
            if path[-1] != TOTAL.key:
                filled.add(path[:-1])
            if is_total(path) and _is_formula(cell.value):
                continue  # a total's own formula: docgen computes it
            value = _figure(cell, cells[path].kind)
            if is_total(path):
                totals[path] = (value, place)
            else:
                self.put(path, value, place)
        for path, (value, place) in totals.items():
            if path[-1] == TOTAL.key and path[:-1] not in filled:
                self.put(path[:-1], value, place)  # a row given as its total alone
            else:
                self.put(path, value, place)
        for path, place in places.items():
            self.places.setdefault(path, place)  # a figure left empty is reported at its cell
            if path[-1] == TOTAL.key:
                self.rows[path[:-1]] = place  # a message about a row points at its 总计
        for table in ("proactive", "applications", "appeals"):
            self.data.setdefault(table, {})  # a table left blank prints blank

    def sections(self, cells: Mapping[tuple[str, ...], tuple[Any, Place]]) -> None:
        """The sub-sections of 一、总体情况 from their heading and text cells (value and place), empty ones
        left out: the form's slots, or the roster's columns (a column it lacks is an empty cell)."""
        sections: list[dict[str, str]] = []
        for index in range(SECTION_SLOTS):
            (heading, heading_at), (text, text_at) = (cells.get(p, (None, None)) for p in section_paths(index))
            if _blank(heading) and _blank(text):
                continue
            at = str(len(sections))
            paths = (("overview", "sections", at, "heading"), ("overview", "sections", at, "text"))
            for path, value, place in zip(paths, (heading, text), (heading_at, text_at), strict=True):
                where = place or heading_at or text_at
                assert where is not None
                self.fact(path, value, where)
                self.places.setdefault(path, where)
            sections.append({k: v for k, v in (("heading", _text(heading)), ("text", _text(text))) if v})
        if sections:
            self.data.setdefault("overview", {})["sections"] = sections
            self.written |= {("overview",), ("overview", "sections")}

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


@dataclass(frozen=True)
class _Shift:
    """Where a table of the form sits now: its sheet, and the rows and columns it moved by since it was made."""

    sheet: str
    rows: int = 0
    cols: int = 0

    def __call__(self, place: Place) -> Place:
        return Place(self.sheet, place.row + self.rows, place.col + self.cols)


def _labels(book: Any) -> dict[tuple[str, str], int]:
    """The row of each label in the first column of every sheet, by (sheet, label): where a lost name's
    value is looked for."""
    out: dict[tuple[str, str], int] = {}
    for sheet in book.worksheets:
        for row, (value,) in enumerate(sheet.iter_rows(min_col=1, max_col=1, values_only=True), start=1):
            if isinstance(value, str):
                out.setdefault((sheet.title, value.strip()), row)
    return out


def _shifts(
    form: Form, names: Mapping[tuple[str, ...], Place], labels: Mapping[tuple[str, str], int]
) -> tuple[_Shift, _Shift, _Shift]:
    """Each table's move since the form was made, told by the first of its figures whose name survived (a
    renamed sheet, rows inserted above it: the names move with the cells) or, with none, by where its
    heading now stands."""
    shifts = []
    for index, grid in enumerate(GRIDS[form.format.name]):
        shift = _Shift(TABLES)
        named = [(names[cell.path], cell.path) for cell in grid.cells if cell.role == "value" and cell.path in names]
        heading_row, heading = form.headings[index]
        if named:
            place, path = named[0]
            made = form.figures[path]
            shift = _Shift(place.sheet, place.row - made.row, place.col - made.col)
        elif (found := labels.get((TABLES, heading.zh))) is not None:
            shift = _Shift(TABLES, found - heading_row)
        shifts.append(shift)
    return shifts[0], shifts[1], shifts[2]


def _labelled(
    layout: Mapping[tuple[str, ...], Place],
    captions: Mapping[tuple[str, ...], str],
    labels: Mapping[tuple[str, str], int],
) -> dict[tuple[str, ...], Place]:
    """The facts' and texts' places by the label beside them, where the label still stands."""
    out = {}
    for path, made in layout.items():
        row = labels.get((made.sheet, captions.get(path, "")))
        if row is not None:
            out[path] = Place(made.sheet, row, made.col)
    return out


def _broken_merges(book: Any, form: Form, shifts: tuple[_Shift, ...], name: str) -> list[Issue]:
    """The tables whose merged label cells another program split or moved: the form was edited out of
    shape.  One message a table, at its first such cell, saying how many more there are."""
    from openpyxl.utils import get_column_letter

    issues = []
    for index, grid in enumerate(GRIDS[form.format.name]):
        shift = shifts[index]
        present = {str(merged) for merged in book[shift.sheet].merged_cells.ranges}
        broken: list[tuple[Place, str, str]] = []
        for cell in grid.cells:
            if cell.rows == 1 and cell.cols == 1:
                continue
            top = shift(form.grid_place(index, cell.row, cell.col))
            first, last = (col + shift.cols for col in form.grid_span(index, cell.col, cell.cols))
            span = f"{get_column_letter(first)}{top.row}:{get_column_letter(last)}{top.row + cell.rows - 1}"
            if span not in present:
                broken.append((top, span, cell.label.zh if cell.label else ""))
        if not broken:
            continue
        top, span, label = broken[0]
        more = (
            Label(f"（另有 {len(broken) - 1} 处）", f" ({len(broken) - 1} more)") if len(broken) > 1 else Label("", "")
        )
        issues.append(
            Issue(
                location=CellLocation(name, top.sheet, top.row, top.col),
                path="",
                rule="syntax",
                found=span,
                detail=Label(
                    f"合并单元格 {span}（{label}）被拆开或移动了{more.zh}：表格的样式不能改，请在 docgen init --xlsx "
                    "生成的新表里重填",
                    f"the merged cell {span} ({label}) was split or moved{more.en}; fill in a new form from "
                    "docgen init --xlsx",
                ),
            )
        )
    return issues


def _read_form(book: Any, name: str) -> Source:
    names = _names(book)
    fmt_name = _form_format(book, names)
    form = FORMS[fmt_name]
    labels = _labels(book)
    shifts = _shifts(form, names, labels)
    table_of = {cell.path: index for index, grid in enumerate(GRIDS[fmt_name]) for cell in grid.cells}
    figures = {path: names.get(path) or shifts[table_of[path]](made) for path, made in form.figures.items()}
    captions = {**{path: label.zh for path, label in META_FIELDS}, **form.text_labels}
    layout = {**form.meta, **form.texts}
    # a fact or text is where its name points, or beside its label: with neither (rows deleted) it is absent
    by_label = _labelled(layout, captions, labels)
    others = {path: place for path in layout if (place := names.get(path) or by_label.get(path)) is not None}
    wanted = {place.sheet for place in [*figures.values(), *(others.get(p, made) for p, made in layout.items())]}
    missing = sorted(wanted - set(book.sheetnames))
    if missing:
        raise _refusal(
            name,
            Label(
                f"缺少工作表 {'、'.join(missing)}：这不是 docgen init --xlsx 生成的报告表",
                f"sheet {', '.join(missing)} is missing: this is not a form made by docgen init --xlsx",
            ),
        )
    broken = _broken_merges(book, form, shifts, name)
    if broken:
        raise InputError(issues=broken)

    def cell_at(place: Place) -> Any:
        return book[place.sheet].cell(place.row, place.col)

    reader = _Reader(name)
    reader.put(("format",), fmt_name, others.get(("format",), layout[("format",)]))
    values = {path: cell_at(place).value for path, place in others.items()}
    facts: list[tuple[str, ...]] = [("issuer",), ("year",), ("date",), ("title",), *TEXT_FIELDS]
    for fact in facts:
        if fact in others and not (fact == ("title",) and _is_formula(values[fact])):  # the title's formula: derived
            reader.fact(fact, values[fact], others[fact])
    reader.figures(fmt_name, cell_at, figures)
    reader.sections({path: (values[path], place) for path, place in others.items()})
    # a value left empty is reported at the cell it belongs in; a whole table at its heading
    for path, made in layout.items():
        reader.places.setdefault(path, others.get(path, made))
    for (row, _), key, shift in zip(form.headings, ("proactive", "applications", "appeals"), shifts, strict=True):
        reader.places.setdefault((key,), shift(Place(TABLES, row, 1)))
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
    total_place = names.get((ROSTER_TOTAL_NAME,))
    sum_row = total_place.row if total_place is not None and total_place.sheet == ROSTER else None
    known = {column.path for column in roster_columns(fmt_name)}
    paths: dict[int, tuple[str, ...]] = {}
    status_col = None
    for col in range(1, sheet.max_column + 1):
        label = sheet.cell(ROSTER_HEADER_ROWS, col).value
        if isinstance(label, str) and undotted(label.strip()) in known:
            paths[col] = undotted(label.strip())
        if sheet.cell(1, col).value == ROSTER_STATUS.zh:
            status_col = col
    figures = CELLS[fmt_name]
    out = []
    for row in range(ROSTER_HEADER_ROWS + 1, sheet.max_row + 1):
        values = {path: sheet.cell(row, col).value for col, path in paths.items()}
        if all(_blank(value) for value in values.values()):
            continue
        status = sheet.cell(row, status_col).value if status_col else None
        if (isinstance(status, str) and status.startswith(ROSTER_TOTAL)) or row == sum_row:
            continue  # the county's sum, not a body's report
        reader = _Reader(name)
        reader.put(("format",), fmt_name, Place(ROSTER, 1, 1))
        places = {path: Place(ROSTER, row, col) for col, path in paths.items()}
        for path, place in places.items():
            if path not in figures and path[1:2] != ("sections",):
                reader.fact(path, values[path], place)
        reader.figures(
            fmt_name,
            lambda place: sheet.cell(place.row, place.col),
            {path: place for path, place in places.items() if path in figures},
        )
        reader.sections({path: (values[path], place) for path, place in places.items()})
        for path, place in places.items():
            reader.places.setdefault(path, place)
            reader.places.setdefault(path[:1], place)  # a table, or a text, missing: its first column
        reader.places.setdefault((), Place(ROSTER, row, 1))
        out.append(reader.source(f"{name}!{ROSTER}!{row}"))
    return out


# --- any of docgen's workbooks ---------------------------------------------------------------------


@dataclass(frozen=True)
class WorkbookReports:
    """The reports of one of docgen's workbooks: a form's one, or a roster's one a row."""

    roster: bool
    reports: tuple[Source, ...]


@lru_cache(maxsize=8)
def _read(path: Path, stamp: tuple[int, int], name: str) -> WorkbookReports:
    try:
        book = _open(path, name)
        if ROSTER in book.sheetnames:
            return WorkbookReports(True, tuple(_read_roster(book, name)))
        return WorkbookReports(False, (_read_form(book, name),))
    except (InputError, FileError):
        raise
    except Exception as exc:  # noqa: BLE001 -- openpyxl raises what its zip, XML and style parsers raise
        raise not_a_workbook(name, f"{type(exc).__name__}: {exc}") from None


def read_workbook(path: str | Path, *, display: str | None = None) -> WorkbookReports:
    """A form or a roster, read once while the file is unchanged; one that cannot be read raises InputError."""
    path = Path(path)
    name = display if display is not None else str(path)
    try:
        info = path.stat()
    except OSError as exc:
        raise FileError.from_os(name, exc) from None
    return _read(path, (info.st_mtime_ns, info.st_size), name)
