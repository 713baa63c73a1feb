"""The report as docgen understands it: every cell of the tables, given, blank or computed, and the text.

:func:`tabulate` reads the figures of a report's data and computes the totals it
omits; :class:`Report` is a checked report with everything the document prints.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from .errors import FormatError
from .narrative import paragraphs, resolve, xml_safe
from .statute import (
    CELLS,
    DEFAULT_FORMAT,
    FORMAT_SPECS,
    TABLE_B_ROOT,
    TABLE_C_LEAVES,
    TITLE_DEFAULT,
    TOTAL,
    Format,
    Path,
)

NOTHING_TO_REPORT = "无"

Number = int | Decimal


@dataclass(frozen=True)
class Cell:
    """One figure of a table: its value (0 when blank) and where it came from."""

    value: Number
    state: Literal["given", "blank", "computed"]

    @property
    def text(self) -> str:
        """What the printed table shows: nothing for a blank, the value as written otherwise."""
        if self.state == "blank":
            return ""
        return format(self.value, "f") if isinstance(self.value, Decimal) else str(self.value)


BLANK = Cell(0, "blank")


def lookup(data: Any, path: tuple[str | int, ...]) -> Any:
    """The value at ``path``, or None where any step is missing or of the wrong shape."""
    for key in path:
        if isinstance(key, int):
            if not isinstance(data, list) or key >= len(data):
                return None
        elif not isinstance(data, dict):
            return None
        data = data[key] if isinstance(key, int) else data.get(key)
        if data is None:
            return None
    return data


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _read(value: Any, kind: str) -> Cell:
    """A cell as written; anything of the wrong type reads as blank (the schema reports it)."""
    if _is_count(value):
        return Cell(value, "given")
    if kind == "money":
        if isinstance(value, str):
            try:
                value = Decimal(value)
            except ArithmeticError:
                return BLANK
        if isinstance(value, Decimal) and value.is_finite():
            return Cell(value.copy_abs() if value.is_zero() else value, "given")  # -0.0 is printed 0.0
    return BLANK


# the prose fields of a report, each checked for placeholders and quoted figures
TEXT_FIELDS: tuple[tuple[str, ...], ...] = (
    ("issuer",),
    ("title",),
    ("overview", "text"),
    ("problems", "text"),
    ("other_matters", "text"),
)


def narrative_texts(data: Any) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every piece of prose in the report, with its data path."""
    for path in TEXT_FIELDS:
        text = lookup(data, path)
        if isinstance(text, str):
            yield path, text
    sections = lookup(data, ("overview", "sections"))
    for index, section in enumerate(sections if isinstance(sections, list) else []):
        for key in ("heading", "text"):
            text = lookup(section, (key,))
            if isinstance(text, str):
                yield ("overview", "sections", index, key), text


def section_prose(data: Any, values: Mapping[str, str]) -> dict[str, str]:
    """The prose of sections 一, 五 and 六 (一 with its sub-sections' headings and text), placeholders
    resolved, by the section's key."""
    out: dict[str, str] = {}
    for path, text in narrative_texts(data):
        key = str(path[0])
        if key in ("overview", "problems", "other_matters"):
            out[key] = out.get(key, "") + ("\n\n" if key in out else "") + resolve(text, values)[0]
    return out


def format_named(name: str) -> Format:
    """The format called ``name`` ("2021", "2019"); any other name raises :class:`~docgen.errors.FormatError`."""
    fmt = FORMAT_SPECS.get(name) if isinstance(name, str) else None
    if fmt is None:
        raise FormatError(name)
    return fmt


def format_of(data: Mapping[str, Any]) -> Format:
    """The format a report declares; an unknown one is the schema's to report, read as the default."""
    return FORMAT_SPECS.get(str(data.get("format", DEFAULT_FORMAT)), FORMAT_SPECS[DEFAULT_FORMAT])


def numbered_rows(fmt: Format) -> list[Path]:
    """Rows of table B and groups of table C: each may be written as its total alone."""
    rows = [path for path, _ in fmt.table_b_leaves()]
    return rows + [path for path, _ in TABLE_C_LEAVES]


@dataclass(frozen=True)
class Tables:
    """Every cell of tables A, B and C, and which rows were written as a bare total."""

    format: Format
    cells: dict[Path, Cell]
    bare: frozenset[Path]

    def value(self, path: Path) -> Number:
        return self.cells[path].value


def tabulate(data: Mapping[str, Any]) -> Tables:
    """Read every cell, then compute each omitted total from the equations, in their order."""
    fmt = format_of(data)
    rows: dict[Path, Any] = {}  # each row looked up once, not once per column
    cells: dict[Path, Cell] = {}
    for path, info in CELLS[fmt.name].items():
        parent = path[:-1]
        if parent not in rows:
            rows[parent] = lookup(data, parent)
        row = rows[parent]
        cells[path] = _read(row.get(path[-1]) if isinstance(row, dict) else None, info.kind)
    bare: set[Path] = set()
    for row in numbered_rows(fmt):
        written = lookup(data, row)
        if _is_count(written):
            cells[row + (TOTAL.key,)] = Cell(written, "given")
            bare.add(row)
    for eq in fmt.equations:
        if len(eq.total) != 1:
            continue
        target = eq.total[0]
        if cells[target].state == "blank" and target[:-1] not in bare:
            cells[target] = Cell(sum((cells[a].value for a in eq.addends), start=0), "computed")
    return Tables(fmt, cells, frozenset(bare))


def add(parts: Sequence[Tables]) -> Tables:
    """The tables whose every figure is the sum of ``parts``' (all of one format): many reports rolled up.

    A cell is blank where every part leaves it blank, computed where every
    part that fills it computed it, given otherwise, so the sum prints as its
    parts print.  A group of table C that a part gives as its total alone (a
    non-zero one) is given as its total alone.  A row of table B given so
    leaves nothing to add by applicant in that column, so the whole of table B
    is then given as totals alone: its column rules (C1, C4) hold for the
    总计 column of every part, and only there for every part at once.
    """
    fmt = parts[0].format
    bare = {row for part in parts for row in part.bare if part.value(row + (TOTAL.key,)) != 0}
    if any(row[: len(TABLE_B_ROOT)] == TABLE_B_ROOT for row in bare):
        bare |= {path for path, _ in fmt.table_b_leaves()}
    cells: dict[Path, Cell] = {}
    for path in CELLS[fmt.name]:
        filled = [cell for part in parts if (cell := part.cells[path]).state != "blank"]
        if not filled or (path[:-1] in bare and path[-1] != TOTAL.key):
            cells[path] = BLANK
            continue
        # a row given as its total alone gives its total; otherwise a total every part computed is computed
        computed = path[:-1] not in bare and all(cell.state == "computed" for cell in filled)
        cells[path] = Cell(sum((cell.value for cell in filled), start=0), "computed" if computed else "given")
    return Tables(fmt, cells, frozenset(bare))


def figures(tables: Tables) -> dict[str, Any]:
    """The figures of ``tables`` as a report file holds them: the given cells, a row given as its total alone.

    Blank cells and computed totals are left out; tabulating the result gives
    ``tables`` back.
    """
    data: dict[str, Any] = {}
    for path, cell in tables.cells.items():
        if cell.state != "given":
            continue
        row = path[:-1]
        target, value = (row, cell.value) if row in tables.bare else (path, cell.value)
        node = data
        for key in target[:-1]:
            node = node.setdefault(key, {})
        node[target[-1]] = value
    return data


def chinese_date(day: datetime.date) -> str:
    """2025年1月8日: no zero padding, as official documents write it."""
    return f"{day.year}年{day.month}月{day.day}日"


def title_of(data: Mapping[str, Any]) -> str:
    title = data.get("title")
    if isinstance(title, str) and title:
        return title
    return TITLE_DEFAULT.format(issuer=data.get("issuer", ""), year=data.get("year", ""))


def placeholder_values(data: Mapping[str, Any], tables: Tables) -> dict[str, str]:
    """What each placeholder path prints: the report's facts and every cell (a blank reads 0)."""
    values = {".".join(path): (cell.text or "0") for path, cell in tables.cells.items()}
    for key in ("issuer", "year", "format"):
        if key in data and not isinstance(data[key], dict | list):
            values[key] = str(data[key])
    values["format"] = tables.format.name
    values["title"] = title_of(data)
    day = parse_date(data.get("date"))
    if day is not None:
        values["date"] = chinese_date(day)
    return values


def parse_date(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Section:
    """A numbered sub-section of 一、总体情况."""

    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    """A checked report with every figure computed and every placeholder resolved."""

    format: Format
    year: int
    issuer: str
    title: str
    date: datetime.date
    tables: Tables
    overview: tuple[str, ...]
    sections: tuple[Section, ...]
    problems: tuple[str, ...]
    other_matters: tuple[str, ...]

    @property
    def date_text(self) -> str:
        """The signature date as printed: 2025年1月8日."""
        return chinese_date(self.date)


def build_report(data: Mapping[str, Any], tables: Tables, values: Mapping[str, str]) -> Report:
    """The report of data already checked, from its tables and placeholder values."""

    def text(*path: str | int) -> str:
        value = lookup(data, path)
        return xml_safe(resolve(value, values)[0]) if isinstance(value, str) else ""

    sections = lookup(data, ("overview", "sections")) or []
    day = parse_date(data["date"])
    assert day is not None  # the checks saw to it
    return Report(
        format=tables.format,
        year=data["year"],
        issuer=xml_safe(data["issuer"]),
        title=xml_safe(resolve(title_of(data), values)[0]),
        date=day,
        tables=tables,
        overview=paragraphs(text("overview", "text")),
        sections=tuple(
            Section(
                text("overview", "sections", i, "heading").strip(), paragraphs(text("overview", "sections", i, "text"))
            )
            for i in range(len(sections))
        ),
        problems=paragraphs(text("problems", "text")),
        other_matters=paragraphs(text("other_matters", "text")) or (NOTHING_TO_REPORT,),
    )
