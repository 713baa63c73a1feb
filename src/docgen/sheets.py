"""Where everything sits in docgen's workbooks: the form a body fills in, and the county's roster.

The form has three sheets: 基本信息 (issuer, year, date, title), 表格 (tables A,
B and C drawn from the statute's grids, one under another, with check cells
beside them) and 正文 (the six sections' text).  The roster has one sheet,
名册: a row per body, a column per figure.  The writer and the reader both
read this module, so a cell is where the other expects it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .narrative import numeral
from .statute import (
    APPLICANT_COLUMNS,
    CELLS,
    FORMAT_SPECS,
    GRIDS,
    META,
    OUTCOME_COLUMNS,
    RULES,
    SECTION_LABELS,
    TABLE_B_ROOT,
    TABLE_C_LEAVES,
    TOTAL,
    Format,
    Grid,
    Label,
    Path,
)

BASIC = "基本信息"
TABLES = "表格"
TEXT = "正文"
ROSTER = "名册"
FORM_SHEETS = (BASIC, TABLES, TEXT)
SECTION_SLOTS = 10  # sub-sections （一） to （十） of 一、总体情况 the form has room for
TEXT_FIELDS: tuple[Path, ...] = (("overview", "text"), ("problems", "text"), ("other_matters", "text"))
OK = "OK"
ROSTER_TOTAL = "汇总"  # the check of a roster's last row, the county's sum: not a body's report
ROSTER_TOTAL_NAME = "roster_total"  # the workbook name of that row's first cell, kept when the check is cleared

# Sheet 表格's columns: A to C hold table B's three label columns, D onwards one figure column each.
# Table A's labels take A to C and its figures D onwards; table C's fifteen figures start at D too,
# so every figure column has the same width.
LABEL_COLUMNS = 3
COLUMN_WIDTHS = (18, 16, 40) + (11,) * 16
_GRID_COLUMNS = {
    "A": ((1, 3), (4, 1), (5, 1), (6, 1)),
    "B": tuple((1 + i, 1) for i in range(LABEL_COLUMNS + 7)),
    "C": tuple((4 + i, 1) for i in range(15)),
}


@dataclass(frozen=True)
class Place:
    """A cell of a workbook, counted from 1."""

    sheet: str
    row: int
    col: int


@dataclass(frozen=True)
class Check:
    """A check cell of the form: where it is, the rule it checks, and the cells it compares (total = addends).

    As in the statute's equations, a row's check (C3, C5) holds by itself when
    none of its addends is typed: a row given as its total alone.
    """

    place: Place
    rule: str
    total: tuple[Path, ...]
    addends: tuple[Path, ...]

    @property
    def needs_addends(self) -> bool:
        return self.rule in ("C3", "C5")

    @property
    def note(self) -> str:
        """What the cell says when the figures do not add up."""
        return f"{self.rule} 不符：{RULES[self.rule].title.zh}"


@dataclass(frozen=True)
class Form:
    """The layout of the form workbook of one format."""

    format: Format
    origins: tuple[int, int, int]  # the sheet row above the first row of tables A, B and C
    headings: tuple[tuple[int, Label], ...]  # the sheet rows of the tables' section headings
    figures: dict[Path, Place]  # every cell of the three tables, totals included
    meta: dict[Path, Place]  # issuer, year, date, title, format on 基本信息
    texts: dict[Path, Place]  # the text cells of 正文, sub-section headings included
    text_labels: dict[Path, str]  # what the row of each text cell is labelled
    checks: tuple[Check, ...]

    def grid_place(self, table: int, grid_row: int, grid_col: int) -> Place:
        """Where a cell of a statute grid is drawn on 表格."""
        return Place(TABLES, self.origins[table] + grid_row + 1, grid_columns(table)[grid_col][0])

    def grid_span(self, table: int, grid_col: int, cols: int) -> tuple[int, int]:
        """The first and last sheet column of a grid cell ``cols`` wide."""
        columns = grid_columns(table)
        last_start, last_width = columns[grid_col + cols - 1]
        return columns[grid_col][0], last_start + last_width - 1


META_FIELDS: tuple[tuple[Path, Label], ...] = (
    (("issuer",), META["issuer"]),
    (("year",), META["year"]),
    (("date",), META["date"]),
    (("title",), META["title"]),
    (("format",), META["format"]),
)


def grid_columns(table: int) -> tuple[tuple[int, int], ...]:
    """Each grid column of a table as the sheet column it starts at and how many it takes."""
    return _GRID_COLUMNS["ABC"[table]]


_RESULTS_TOTAL = TABLE_B_ROOT + ("results", "total")


def is_total(path: Path) -> bool:
    """A cell the form computes: a row's 总计, and every cell of （七）总计."""
    return path[-1] == TOTAL.key or path[: len(_RESULTS_TOTAL)] == _RESULTS_TOTAL


def is_row_total(path: Path) -> bool:
    """A row's 总计 a clerk may type over its formula, for a row given as its total alone (not （七）总计)."""
    return path[-1] == TOTAL.key and path[: len(_RESULTS_TOTAL)] != _RESULTS_TOTAL


def section_paths(index: int) -> tuple[Path, Path]:
    return ("overview", "sections", str(index), "heading"), ("overview", "sections", str(index), "text")


def _checks(fmt: Format, origins: tuple[int, int, int], grids: tuple[Grid, Grid, Grid]) -> tuple[Check, ...]:
    """Beside table B a C3 cell a row, under it a C4 and a C1 cell a column; under table C a C5 cell a group."""
    _, table_b, table_c = grids
    place = {cell.path: cell for grid in grids for cell in grid.cells if cell.role == "value"}
    applicants = [c.key for c in APPLICANT_COLUMNS]
    rows = [path for path, _ in fmt.table_b_leaves()]
    results = [p for p in rows if p[:2] == TABLE_B_ROOT + ("results",) and p[-1] != "total"]
    results_total = TABLE_B_ROOT + ("results", "total")
    columns = applicants + [TOTAL.key]
    check_col = grid_columns(1)[-1][0] + 1
    out: list[Check] = []
    for path in rows:
        if path == results_total:  # its cells add the rows above them (C4), none of them typed
            continue
        row = origins[1] + place[path + (TOTAL.key,)].row + 1
        out.append(
            Check(Place(TABLES, row, check_col), "C3", (path + (TOTAL.key,),), tuple(path + (k,) for k in applicants))
        )
    below = origins[1] + table_b.rows + 1
    received, carried_in = TABLE_B_ROOT + ("received",), TABLE_B_ROOT + ("carried_in",)
    carried_forward = TABLE_B_ROOT + ("carried_forward",)
    for key in columns:
        col = grid_columns(1)[place[results_total + (key,)].col][0]
        out.append(
            Check(Place(TABLES, below, col), "C4", (results_total + (key,),), tuple(p + (key,) for p in results))
        )
        out.append(
            Check(
                Place(TABLES, below + 1, col),
                "C1",
                (results_total + (key,), carried_forward + (key,)),
                (received + (key,), carried_in + (key,)),
            )
        )
    below_c = origins[2] + table_c.rows + 1
    for group, _ in TABLE_C_LEAVES:
        total = group + (TOTAL.key,)
        addends = tuple(group + (c.key,) for c in OUTCOME_COLUMNS)
        out.append(Check(Place(TABLES, below_c, grid_columns(2)[place[total].col][0]), "C5", (total,), addends))
    return tuple(out)


def form(fmt_name: str) -> Form:
    """The layout of the form of ``fmt_name``."""
    fmt = FORMAT_SPECS[fmt_name]
    grids = GRIDS[fmt_name]
    origins: list[int] = []
    headings: list[tuple[int, Label]] = []
    row = 0
    for grid, section in zip(grids, ("proactive", "applications", "appeals"), strict=True):
        row += 1
        headings.append((row, SECTION_LABELS[section]))
        origins.append(row)
        row += grid.rows + (3 if grid.name in "BC" else 1)  # room for the check cells under B and C
    origin = (origins[0], origins[1], origins[2])
    figures: dict[Path, Place] = {}
    for index, grid in enumerate(grids):
        for cell in grid.cells:
            if cell.role == "value":
                figures[cell.path] = Place(TABLES, origin[index] + cell.row + 1, grid_columns(index)[cell.col][0])
    assert set(figures) == set(CELLS[fmt_name])
    meta = {path: Place(BASIC, n, 2) for n, (path, _) in enumerate(META_FIELDS, start=2)}
    texts: dict[Path, Place] = {}
    text_labels: dict[Path, str] = {}
    n = 2
    texts[("overview", "text")] = Place(TEXT, n, 2)
    text_labels[("overview", "text")] = f"{SECTION_LABELS['overview'].zh}（导语）"
    for index in range(SECTION_SLOTS):
        heading, text = section_paths(index)
        for path, what in ((heading, "小标题"), (text, "正文")):
            n += 1
            texts[path] = Place(TEXT, n, 2)
            text_labels[path] = f"（{numeral(index + 1)}）{what}"
    for key in ("problems", "other_matters"):
        n += 1
        texts[(key, "text")] = Place(TEXT, n, 2)
        text_labels[(key, "text")] = SECTION_LABELS[key].zh
    return Form(fmt, origin, tuple(headings), figures, meta, texts, text_labels, _checks(fmt, origin, grids))


FORMS: dict[str, Form] = {name: form(name) for name in FORMAT_SPECS}


# --- the roster ----------------------------------------------------------------------------------

ROSTER_HEADER_ROWS = 4  # table, row label, column label, and the data path each column holds
ROSTER_STATUS = Label("检查结果", "check")
ROSTER_FACTS: tuple[Path, ...] = (("date",), ("title",))


@dataclass(frozen=True)
class RosterColumn:
    """A column of the roster: the value it holds and the three labels above it."""

    path: Path
    table: str
    row: str
    column: str


def roster_columns(fmt_name: str) -> list[RosterColumn]:
    """Issuer and year first, then every figure in the statute's order, then the optional texts."""
    fmt = FORMAT_SPECS[fmt_name]
    out = [RosterColumn(("issuer",), "", META["issuer"].zh, ""), RosterColumn(("year",), "", META["year"].zh, "")]
    tables = {"proactive": SECTION_LABELS["proactive"].zh, "applications": SECTION_LABELS["applications"].zh}
    for path, info in CELLS[fmt.name].items():
        table = tables.get(path[0], SECTION_LABELS["appeals"].zh)
        out.append(RosterColumn(path, table, info.row.zh, info.column.zh))
    for path in ROSTER_FACTS:
        out.append(RosterColumn(path, "", META[path[0]].zh, ""))
    for path in TEXT_FIELDS[:1]:
        out.append(RosterColumn(path, SECTION_LABELS["overview"].zh, "导语", ""))
    for index in range(SECTION_SLOTS):
        for path, what in zip(section_paths(index), ("小标题", "正文"), strict=True):
            out.append(RosterColumn(path, SECTION_LABELS["overview"].zh, f"（{numeral(index + 1)}）", what))
    for path in TEXT_FIELDS[1:]:
        out.append(RosterColumn(path, "", SECTION_LABELS[path[0]].zh, ""))
    return out


def dotted(path: Path) -> str:
    return ".".join(path)


def undotted(name: str) -> Path:
    return tuple(name.split("."))


def header_spans(labels: list[str]) -> Iterator[tuple[int, int, str]]:
    """Runs of equal, non-empty labels in a header row: (first index, last index, label)."""
    start = 0
    for index in range(1, len(labels) + 1):
        if index == len(labels) or labels[index] != labels[start]:
            if labels[start]:
                yield start, index - 1, labels[start]
            start = index
