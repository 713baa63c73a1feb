"""Finding the report in a document: its sections by their headings, its figures by their labels.

A table is matched to the statute's grid of the same table (:data:`docgen.statute.GRIDS`)
row by row and then cell by cell: a row by the labels to its left, a cell by
the headers above it, each compared after normalising (full-width forms,
spaces, ``1、`` for ``1.``) and, failing equality, by similarity.  Nothing
depends on where a cell sits, so a table with a column more or a row less
still reads, and every label matched by similarity, every figure read by
assumption ("/" as blank, 元 as 万元) is said in a warning at its cell.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ...errors import InputError
from ...issues import Issue, Location, TableLocation
from ...model import lookup, numbered_rows
from ...narrative import PLACEHOLDER, numeral_value
from ...statute import (
    CELLS,
    DEFAULT_FORMAT,
    FORMAT_SPECS,
    GRIDS,
    SECTIONS,
    TITLE_DEFAULT,
    TOTAL,
    Grid,
    Label,
    Path,
)
from ..source import DataPath, Source
from .model import Cell, Document, Paragraph, Table

SAME = 1.0  # a label read without a word: the official one, once spaces and full-width forms are set aside
LIKE = 0.5  # one less like it than this is not the official one
_SECTION_NUMBER = re.compile(r"^([一二三四五六七八九十]{1,2})\s*[、.．,，]")
_IN_YUAN = re.compile(r"[（(]\s*(?:单位\s*[:：]\s*)?元\s*[)）]")  # a money column in 元, not 万元
_CONTINUED = re.compile(r"[(（]?(?:续表|表[一二三ABC]?[(（]?续[)）]?)[)）]?")  # the line over a 续表
_SUB_NUMBER = re.compile(r"^[(（]\s*([一二三四五六七八九十]{1,3})\s*[)）]\s*")
_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_CN_DATE = re.compile(
    r"^([〇零一二三四五六七八九○Ｏ]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$"
)
_YEAR = re.compile(r"(20\d{2})\s*年")
_NUMBER = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$")
_UNIT = re.compile(r"(万元|元|件|个|项|条|次|人次|份)$")
_BLANKS = {"/", "\\", "-", "—", "——", "–", "－", "─", "无", "空", "×"}


# --- text as compared --------------------------------------------------------------------------------


def norm(text: str) -> str:
    """A label as compared: full-width forms folded, no spaces or line breaks, ``1、`` read as ``1.``."""
    folded = unicodedata.normalize("NFKC", text)
    folded = re.sub(r"\s+", "", folded)
    folded = re.sub(r"^(\d+)[、,，](?=\D)", r"\1.", folded)
    return folded.rstrip(":：")


def similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _date(text: str) -> str | None:
    """``2025年1月8日`` or ``二〇二五年一月八日`` as ISO; anything else None."""
    compact = unicodedata.normalize("NFKC", text).replace(" ", "")
    found = _DATE.match(compact)
    if found:
        year, month, day = (int(part) for part in found.groups())
    elif found := _CN_DATE.match(compact):
        year = int("".join(str(numeral_value(c)) for c in found.group(1)))
        month, day = numeral_value(found.group(2)) or 0, numeral_value(found.group(3)) or 0
    else:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None


# --- what reading a document noticed ----------------------------------------------------------------


@dataclass
class _Reading:
    """The report being read: its data, where each value came from, and the warnings of what was assumed."""

    name: str
    data: dict[str, Any] = field(default_factory=dict)
    places: dict[tuple[str, ...], Location] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)

    def put(self, path: tuple[str, ...], value: Any, place: Location | None = None) -> None:
        node = self.data
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
        self.places[path] = place or Location(self.name)

    def assumed(
        self,
        detail: Label,
        place: Location | None = None,
        path: Path = (),
        fmt_name: str = DEFAULT_FORMAT,
        rule: str = "extract",
    ) -> None:
        """A warning of what reading assumed (or, with ``rule``, saw); one about a figure names its official
        row and column."""
        info = CELLS[fmt_name].get(path)
        row, column = (info.row, info.column) if info else (None, None)
        where = place or Location(self.name)
        issue = Issue(location=where, path=".".join(path), rule=rule, row=row, column=column, detail=detail)
        self.issues.append(issue)


@dataclass(frozen=True)
class DocumentLocator:
    """Places in a document: the table cell of each figure; the file for the text."""

    file: str
    places: Mapping[tuple[str, ...], Location]

    def holds(self, path: DataPath) -> bool:
        key = tuple(str(p) for p in path)
        return any(place[: len(key)] == key for place in self.places)

    def at(self, path: DataPath) -> Location:
        key = tuple(str(p) for p in path)
        for end in range(len(key), 0, -1):
            if key[:end] in self.places:
                return self.places[key[:end]]
        return Location(self.file)

    def quoting(self, path: DataPath, snippet: str) -> Location:
        return self.at(path)


# --- the tables ------------------------------------------------------------------------------------


def _blank_mark(text: str) -> bool:
    return norm(text) in _BLANKS


def figure_like(text: str) -> bool:
    """A cell that holds a figure (or a mark for none) rather than a label."""
    compact = norm(text)
    if not compact or compact in _BLANKS:
        return bool(compact)
    return bool(_NUMBER.match(_UNIT.sub("", compact)))


@dataclass(frozen=True)
class _Side:
    """A table seen as labels: each data row's labels to its left, each figure cell's headers above it."""

    rows: dict[int, str]  # row -> its labels, joined
    above: dict[tuple[int, int], tuple[str, ...]]  # figure cell (row, col) -> headers above it, nearest first
    row_labels: dict[int, str]  # row -> its labels as shown (for messages)
    shown_above: dict[tuple[int, int], tuple[str, ...]]  # the headers above as shown (for messages)


def _labels_left(grid: list[list[Any]], row: int, is_label: Any) -> list[Any]:
    seen: list[Any] = []
    for item in grid[row]:
        if item is not None and is_label(item) and (not seen or seen[-1] is not item):
            seen.append(item)
    return seen


def _labels_above(grid: list[list[Any]], row: int, col: int, is_label: Any) -> tuple[Any, ...]:
    seen: list[Any] = []
    start = grid[row][col]
    for r in range(row - 1, -1, -1):
        item = grid[r][col]
        if item is None or item is start or not is_label(item):
            continue
        if not seen or seen[-1] is not item:
            seen.append(item)
    return tuple(seen)


def _statute_side(grid: Grid) -> tuple[_Side, dict[tuple[int, int], Path]]:
    cells: list[list[Any]] = [[None] * grid.cols for _ in range(grid.rows)]
    for cell in grid.cells:
        for r in range(cell.row, cell.row + cell.rows):
            for c in range(cell.col, cell.col + cell.cols):
                cells[r][c] = cell

    def is_label(cell: Any) -> bool:
        return cell.role != "value" and cell.label is not None

    values = {(cell.row, cell.col): cell.path for cell in grid.cells if cell.role == "value"}
    rows = {r for r, _ in values}
    left = {r: _labels_left(cells, r, is_label) for r in rows}
    return (
        _Side(
            {r: "".join(norm(c.label.zh) for c in left[r]) for r in rows},
            {pos: tuple(norm(c.label.zh) for c in _labels_above(cells, *pos, is_label)) for pos in values},
            {r: "".join(c.label.zh for c in left[r]) for r in rows},
            {pos: tuple(c.label.zh for c in _labels_above(cells, *pos, is_label)) for pos in values},
        ),
        values,
    )


def _document_side(table: Table) -> tuple[_Side, dict[tuple[int, int], Cell]]:
    grid = table.grid()

    def is_label(cell: Cell) -> bool:
        return bool(norm(cell.text)) and not figure_like(cell.text)

    figures: dict[tuple[int, int], Cell] = {}
    for r in range(table.rows):
        for cell in grid[r]:
            if cell is not None and cell.row == r and figure_like(cell.text) and (r, cell.col) not in figures:
                figures[(r, cell.col)] = cell
    rows = {r for r, _ in figures}
    left = {r: _labels_left(grid, r, is_label) for r in rows}
    return (
        _Side(
            {r: "".join(norm(c.text) for c in left[r]) for r in rows},
            {pos: tuple(norm(c.text) for c in _labels_above(grid, *pos, is_label)) for pos in figures},
            {r: "".join(c.text.replace("\n", "") for c in left[r]) for r in rows},
            {pos: tuple(c.text.replace("\n", "") for c in _labels_above(grid, *pos, is_label)) for pos in figures},
        ),
        figures,
    )


def _chain_likeness(found: Sequence[str], wanted: Sequence[str]) -> float:
    """How like two header chains are, the nearest header counting most."""
    weights = (1.0, 0.5, 0.25)
    score = total = 0.0
    for index, weight in enumerate(weights):
        a = found[index] if index < len(found) else ""
        b = wanted[index] if index < len(wanted) else ""
        if not a and not b:
            continue
        score += weight * similarity(a, b)
        total += weight
    return score / total if total else 1.0


def _pairs(
    found: Mapping[Any, Any], wanted: Mapping[Any, Any], likeness: Any, floor: float
) -> Iterator[tuple[float, Any, Any]]:
    """The best one-to-one pairing of ``found`` with ``wanted`` by the likeness of their keys: equal keys
    first, then the rest greedily from the most alike down to ``floor``."""
    by_key: dict[Any, list[Any]] = {}
    for b, key in wanted.items():
        by_key.setdefault(key, []).append(b)
    taken: set[Any] = set()
    rest = []
    for a, key in found.items():
        free = [b for b in by_key.get(key, ()) if b not in taken]
        if free:
            taken.add(free[0])
            yield 1.0, a, free[0]
        else:
            rest.append(a)
    others = [b for b in wanted if b not in taken]
    scored = sorted(((likeness(found[a], wanted[b]), a, b) for a in rest for b in others), key=lambda t: -t[0])
    used: set[Any] = set()
    for score, a, b in scored:
        if score >= floor and a not in used and b not in taken:
            used.add(a)
            taken.add(b)
            yield score, a, b


@dataclass(frozen=True)
class _Match:
    """A figure cell of the document and the statute's cell it is read as."""

    path: Path
    cell: Cell
    row_likeness: float
    column_likeness: float
    found_row: str
    wanted_row: str
    found_column: str
    wanted_column: str


def match_table(table: Table, grid: Grid) -> tuple[list[_Match], list[Cell]]:
    """The document's figure cells read as cells of ``grid`` (rows by labels, then cells by headers), and
    those matching none of its cells."""
    found, figures = _document_side(table)
    wanted, values = _statute_side(grid)
    out: list[_Match] = []
    for row_score, r, s in _pairs(found.rows, wanted.rows, similarity, LIKE):
        cells = {pos: found.above[pos] for pos in figures if pos[0] == r}
        targets = {pos: wanted.above[pos] for pos in values if pos[0] == s}
        for col_score, a, b in _pairs(cells, targets, _chain_likeness, LIKE):
            found_above, wanted_above = found.shown_above[a], wanted.shown_above[b]
            out.append(
                _Match(
                    values[b],
                    figures[a],
                    row_score,
                    col_score,
                    found.row_labels[r],
                    wanted.row_labels[s],
                    found_above[0] if found_above else "",
                    wanted_above[0] if wanted_above else "",
                )
            )
    matched = {id(m.cell) for m in out}
    return out, [cell for cell in figures.values() if id(cell) not in matched]


_TABLE_KEYS = (
    ("A", ("第二十条", "信息内容")),
    ("B", ("申请人情况", "自然人", "本年新收")),
    ("C", ("行政复议", "行政诉讼")),
)


def table_kind(table: Table) -> str | None:
    """Which of the statute's tables ``table`` is, by the words only that table has."""
    text = norm("".join(cell.text for cell in table.cells[:60]))
    hits = {name: sum(word in text for word in words) for name, words in _TABLE_KEYS}
    if hits["B"] and (hits["B"] >= hits["C"] or "自然人" in text):
        return "B"
    best = max(hits, key=lambda name: hits[name])
    return best if hits[best] else None


def _labels_of(kind: str, roles: tuple[str, ...]) -> frozenset[str]:
    """The words of table ``kind``'s cells of ``roles``, in every format, as :func:`norm` writes them."""
    index = "ABC".index(kind)
    return frozenset(
        norm(cell.label.zh)
        for grids in GRIDS.values()
        for cell in grids[index].cells
        if cell.role in roles and cell.label is not None
    )


def _has_row_labels(table: Table, kind: str) -> bool:
    """Whether a table nothing names holds a row label of table ``kind`` (as a 续表 of it does)."""
    rows = _labels_of(kind, ("label",))
    return any(norm(cell.text) in rows for cell in table.cells)


def _without_headings(table: Table, kind: str) -> Table:
    """A part of a table without the heading rows it repeats from the first part."""
    headings = _labels_of(kind, ("header", "heading", "note"))
    grid = table.grid()
    first = 0
    while first < len(grid) and all(c is None or not c.text.strip() or norm(c.text) in headings for c in grid[first]):
        first += 1
    if first == 0:
        return table
    cells = tuple(Cell(c.row - first, c.col, c.text, c.rows, c.cols) for c in table.cells if c.row >= first)
    return Table(cells, table.rows - first, table.cols, table.continued)


def continuation(above: Table, part: Table) -> Table:
    """A table's continuation (续表: its further rows without its headings) lined up with the part above.

    A row of a 续表 has lost the labels merged down over the cut (三、本年度办理结果), so its labels cover
    fewer columns on the left; each row is moved right until its figures stand where the figures above do.
    """
    above_grid, part_grid = above.grid(), part.grid()
    widths = [_label_width(row) for row in above_grid if any(c is not None and figure_like(c.text) for c in row)]
    first = max(set(widths), key=widths.count) if widths else 0
    shifts = [max(0, first - _label_width(row)) for row in part_grid]
    width = max(above.cols, part.cols)
    cells = []
    for cell in part.cells:
        col = cell.col + shifts[cell.row]
        if col + cell.cols <= width or cell.text.strip():
            cells.append(Cell(cell.row, col, cell.text, cell.rows, cell.cols))
    return Table(tuple(cells), part.rows, max([width, *(c.col + c.cols for c in cells)]), continued=True)


def _label_width(row: Sequence[Cell | None]) -> int:
    """How many columns a row's labels cover from the left."""
    col = 0
    while col < len(row) and (cell := row[col]) is not None and cell.text.strip() and not figure_like(cell.text):
        col = cell.col + cell.cols
    return col


def _stacked(tables: Sequence[Table]) -> Table:
    """Tables one under another as one: a table a page break or a writer split in parts."""
    cells: list[Cell] = []
    offset = 0
    for table in tables:
        moved = [Cell(c.row + offset, c.col, c.text, c.rows, c.cols) for c in table.cells]
        if table.continued:
            cells = _labels_down(cells, moved, offset)
        cells += moved
        offset += table.rows
    return Table(tuple(cells), offset, max((t.cols for t in tables), default=0))


def _labels_down(above: list[Cell], part: list[Cell], top: int) -> list[Cell]:
    """The cells above a continuation, each label of their last row that has nothing under it at the top of
    the continuation reaching down over those rows (三、本年度办理结果 over the rows of its 续表)."""
    taken = {
        (r, c)
        for cell in part
        for r in range(cell.row, cell.row + cell.rows)
        for c in range(cell.col, cell.col + cell.cols)
    }
    bottom = max((r for r in (cell.row + cell.rows for cell in part)), default=top)
    out = []
    for cell in above:
        if cell.row + cell.rows == top and cell.text.strip() and not figure_like(cell.text):
            reach = top
            while reach < bottom and not any((reach, c) in taken for c in range(cell.col, cell.col + cell.cols)):
                reach += 1
            cell = Cell(cell.row, cell.col, cell.text, cell.rows + reach - top, cell.cols)
        out.append(cell)
    return out


# --- figures -----------------------------------------------------------------------------------------


def read_figure(text: str, kind: str) -> tuple[Any, Label | None]:
    """A figure as written in a cell: the value, and what was assumed to read it (None when nothing was).

    Blank is None; a dash or "/" is None, said; thousands separators and
    full-width digits are read; money in 元 becomes 万元, said.  Anything else
    is kept as text, for the checks to refuse (C7).
    """
    compact = norm(text)
    if not compact:
        return None, None
    if compact in _BLANKS:
        return None, Label(f"“{text.strip()}”按空白读取", f"“{text.strip()}” read as blank")
    unit_match = _UNIT.search(compact)
    unit = unit_match.group(1) if unit_match else ""
    digits = _UNIT.sub("", compact)
    found = _NUMBER.match(digits)
    if not found:
        return text.strip(), None
    sign, whole, fraction = found.group(1), found.group(2).replace(",", ""), found.group(3) or ""
    try:
        number = Decimal(sign + whole + fraction)
    except InvalidOperation:
        return text.strip(), None
    if kind == "money":
        if unit == "元":
            shown = (number / 10000).normalize()
            return shown, Label(
                f"“{text.strip()}”按 {shown} 万元读取", f"“{text.strip()}” read as {shown} (10,000 yuan)"
            )
        return number, None
    if fraction:
        return text.strip(), None  # a count with decimals: the checks say so
    return int(number), None


# --- the text ----------------------------------------------------------------------------------------


def _section_of(paragraph: Paragraph) -> tuple[int, float] | None:
    """Which of the six sections a heading opens (0 to 5), and how like the official heading it is."""
    text = norm(paragraph.text)
    numbered = _SECTION_NUMBER.match(text)
    if numbered is None or len(text) > 40:
        return None
    index = (numeral_value(numbered.group(1)) or 0) - 1
    if not 0 <= index < len(SECTIONS):
        return None
    likeness = similarity(text, norm(SECTIONS[index][1].zh))
    return (index, likeness) if likeness >= LIKE else None


def _escaped(text: str) -> str:
    """Text that would read as a placeholder, doubled so that it prints as written."""
    return PLACEHOLDER.sub(lambda m: m.group(0) if m.group(1) else "{" + m.group(0) + "}", text)


def _joined(paragraphs: Sequence[Paragraph]) -> str:
    return "\n\n".join(_escaped(p.text.strip()) for p in paragraphs if p.text.strip())


def _sub_heading(paragraph: Paragraph) -> tuple[str, str] | None:
    """A paragraph opening a sub-section: its heading, and text that follows it in the same paragraph."""
    text = paragraph.text.strip()
    numbered = _SUB_NUMBER.match(unicodedata.normalize("NFKC", text[:8]) + text[8:])
    if numbered is None:
        return None
    rest = text[len(numbered.group(0)) :] if text.startswith(numbered.group(0)) else _SUB_NUMBER.sub("", text, 1)
    if paragraph.role == "heading" or (len(rest) <= 40 and not re.search(r"[。；;]", rest.rstrip("。"))):
        return rest.rstrip("。 "), ""
    stop = re.search(r"[。：:]", rest)
    if stop is None or stop.start() > 40:
        return None
    return rest[: stop.start()], rest[stop.end() :].strip()


@dataclass
class _Parts:
    """A document split at the six section headings."""

    before: list[Paragraph] = field(default_factory=list)
    sections: dict[int, list[Paragraph | Table]] = field(default_factory=dict)
    headings: dict[int, str] = field(default_factory=dict)


def _split(document: Document, reading: _Reading) -> _Parts:
    parts = _Parts()
    current: int | None = None
    for block in document.blocks:
        if isinstance(block, Paragraph):
            opened = _section_of(block)
            if opened is not None and opened[0] not in parts.sections:
                if parts.sections and opened[0] < max(parts.sections):
                    after = SECTIONS[max(parts.sections)][1]
                    reading.assumed(
                        Label(
                            f"“{block.text.strip()}”出现在“{after.zh}”之后：六个部分应按一至六的顺序",
                            f"“{block.text.strip()}” comes after “{after.en}”: the six sections go in order",
                        ),
                        rule="sections",
                    )
                current, likeness = opened
                parts.sections[current] = []
                parts.headings[current] = block.text.strip()
                if likeness < SAME:
                    official = SECTIONS[current][1].zh
                    reading.assumed(
                        Label(
                            f"标题“{block.text.strip()}”按“{official}”读取",
                            f"heading “{block.text.strip()}” read as “{official}”",
                        )
                    )
                continue
        if current is None:
            if isinstance(block, Paragraph):
                parts.before.append(block)
        else:
            parts.sections[current].append(block)
    return parts


def _signature(paragraphs: list[Paragraph]) -> tuple[list[Paragraph], str | None, str | None]:
    """The body of the last section, and the issuer and date signed under it."""
    texts = [p for p in paragraphs if p.text.strip()]
    date = issuer = None
    if texts and (date := _date(texts[-1].text.strip())) is not None:
        texts.pop()
        last = texts[-1].text.strip() if texts else ""
        if texts and len(last) <= 40 and not re.search(r"[。；;，,]", last):
            issuer = last
            texts.pop()
    return texts, issuer, date


# --- the report ----------------------------------------------------------------------------------------


def read_report(document: Document) -> Source:
    """The report ``document`` holds, every value placed where it was found, and what was assumed."""
    reading = _Reading(document.name)
    for note in document.notes:
        reading.assumed(Label(note, note))
    parts = _split(document, reading)
    missing = [SECTIONS[i][1].zh for i in range(len(SECTIONS)) if i not in parts.sections]
    if len(missing) == len(SECTIONS):
        refusal = Label(
            "没有找到年度报告各部分的标题（一、总体情况 至 六、其他需要报告的事项）：这不像是一份年度报告",
            "none of the six section headings of an annual report was found",
        )
        raise InputError(issues=[Issue(location=Location(document.name), path="", rule="syntax", detail=refusal)])
    for heading in missing:
        reading.assumed(Label(f"没有“{heading}”这一部分", f"no section “{heading}”"), rule="sections")
    _front(parts, reading)
    _tables(document, reading)
    _texts(parts, reading)
    return Source(document.name, reading.data, DocumentLocator(document.name, reading.places), tuple(reading.issues))


def _tables(document: Document, reading: _Reading) -> None:
    """Tables A, B and C read into the report, in the format they are written in."""
    by_kind: dict[str, list[Table]] = {}
    last: str | None = None
    for table in document.tables():
        kind = table_kind(table)
        if kind is None and last is not None and _has_row_labels(table, last):
            kind, table = last, continuation(by_kind[last][-1], table)  # a 续表: its rows, no headings
        elif kind in ("B", "C") and by_kind.get(kind):  # a 续表 repeating the headings (table A's are its own)
            table = continuation(by_kind[kind][-1], _without_headings(table, kind))
        if kind is not None:
            by_kind.setdefault(kind, []).append(table)
        last = kind
    stacked = {kind: _stacked(tables) for kind, tables in by_kind.items()}
    matches = {
        fmt_name: {kind: match_table(table, GRIDS[fmt_name]["ABC".index(kind)]) for kind, table in stacked.items()}
        for fmt_name in FORMAT_SPECS
    }
    fmt_name = _format(matches, lookup(reading.data, ("year",)))
    reading.put(("format",), fmt_name)
    for kind in "ABC":
        if kind not in stacked:
            heading = SECTIONS[1 + "ABC".index(kind)][1].zh
            reading.assumed(Label(f"没有找到“{heading}”的表格", f"no table of “{heading}” was found"))
    for kind, (found, unmatched) in matches[fmt_name].items():
        _read_table(document.name, kind, found, unmatched, reading, fmt_name)
    for row in numbered_rows(FORMAT_SPECS[fmt_name]):  # a row with its 总计 alone filled in is given so
        written = lookup(reading.data, row)
        if isinstance(written, dict) and set(written) == {TOTAL.key}:
            reading.put(row, written[TOTAL.key], reading.places[row + (TOTAL.key,)])
    for key in ("proactive", "applications", "appeals"):
        reading.data.setdefault(key, {})


FIRST_2021_YEAR = 2021  # 国办公开办函〔2021〕30号 set the format of the reports on 2021 onwards


def _format(matches: Mapping[str, Mapping[str, tuple[list[_Match], list[Cell]]]], year: Any) -> str:
    """The format tables A and B are written in: the one both match best; where they disagree (a later
    report with the old table A, or with （六）其他处理 as one row), the format of the report's year."""
    votes = set()
    for kind in ("A", "B"):
        scores = {
            fmt_name: sum(m.row_likeness + m.column_likeness for m in found[kind][0])
            for fmt_name, found in matches.items()
            if kind in found
        }
        if scores and len(set(scores.values())) > 1:
            votes.add(max(scores, key=lambda name: scores[name]))
    if len(votes) == 1:
        return votes.pop()
    if isinstance(year, int):
        return "2021" if year >= FIRST_2021_YEAR else "2019"
    return DEFAULT_FORMAT


def _read_table(
    name: str, kind: str, found: list[_Match], unmatched: list[Cell], reading: _Reading, fmt_name: str
) -> None:
    """The figures of one table, and a warning for each label guessed and each mark read as blank."""
    said: set[tuple[str, str]] = set()
    marks: list[tuple[TableLocation, str]] = []

    def guessed(what: tuple[str, str], detail: Label, place: TableLocation) -> None:
        if what not in said:
            said.add(what)
            reading.assumed(detail, place)

    for match in found:
        place = TableLocation(name, kind, match.cell.row + 1, match.cell.col + 1)
        kind_of_cell = CELLS[fmt_name][match.path].kind
        value, assumed = read_figure(match.cell.text, kind_of_cell)
        in_yuan = kind_of_cell == "money" and _IN_YUAN.search(match.found_column) and "万" not in match.cell.text
        if in_yuan and assumed is None and isinstance(value, int | Decimal) and value != 0:
            value = (Decimal(value) / 10000).normalize()  # the column says 元; the report holds 万元
            assumed = Label(
                f"列“{match.found_column}”以元为单位：“{match.cell.text.strip()}”按 {value} 万元读取",
                f"column “{match.found_column}” is in yuan: “{match.cell.text.strip()}” read as {value} (10,000 yuan)",
            )
        if assumed is not None and _blank_mark(match.cell.text):
            marks.append((place, match.cell.text.strip()))
        elif assumed is not None:
            reading.assumed(assumed, place, match.path, fmt_name)
        if match.row_likeness < SAME:
            row_said = Label(
                f"行“{match.found_row}”按“{match.wanted_row}”读取",
                f"row “{match.found_row}” read as “{match.wanted_row}”",
            )
            guessed(("row", match.found_row), row_said, place)
        if match.column_likeness < SAME:
            column_said = Label(
                f"列“{match.found_column}”按“{match.wanted_column}”读取",
                f"column “{match.found_column}” read as “{match.wanted_column}”",
            )
            guessed(("column", match.found_column), column_said, place)
        if value is not None:
            reading.put(match.path, value, place)
    if marks:
        shown = "、".join(sorted({f"“{text}”" for _, text in marks}))
        reading.assumed(
            Label(
                f"表{kind}中 {len(marks)} 个单元格的 {shown} 按空白读取", f"{len(marks)} cells of {shown} read as blank"
            ),
            marks[0][0],
        )
    for cell in unmatched:
        if norm(cell.text) and not _blank_mark(cell.text):
            reading.assumed(
                Label(
                    f"“{cell.text.strip()}”未读取：它的行或列不在 {fmt_name} 年格式的表{kind}里",
                    f"“{cell.text.strip()}” not read: its row or column is not in the {fmt_name} table {kind}",
                ),
                TableLocation(name, kind, cell.row + 1, cell.col + 1),
            )


def _front(parts: _Parts, reading: _Reading) -> None:
    """Title, year, issuer and date: from the lines above 一 and the signature under 六."""
    titled = [p for p in parts.before if p.role == "title"] or [p for p in parts.before if "报告" in p.text]
    title = "".join(p.text.strip() for p in titled[:3])
    others = [p for p in parts.before if p not in titled and p.text.strip()]
    last = parts.sections.get(len(SECTIONS) - 1, [])
    body, issuer, date = _signature([b for b in last if isinstance(b, Paragraph)])
    parts.sections[len(SECTIONS) - 1] = list(body)
    year_found = _YEAR.search(title) or next((_YEAR.search(p.text) for p in parts.before if _YEAR.search(p.text)), None)
    if year_found:
        reading.put(("year",), int(year_found.group(1)))
    elif date is not None:
        reading.put(("year",), int(date[:4]) - 1)
        reading.assumed(
            Label(f"标题中没有年度：按成文日期 {date} 的上一年读取", f"no year in the title: read from {date}")
        )
    if issuer is None and title and year_found:
        issuer = title[: title.find(year_found.group(0))].strip() or None
        if issuer:
            reading.assumed(
                Label(f"文末没有落款：发布机关按标题读作“{issuer}”", "no signature: issuer read from the title")
            )
    if issuer:
        reading.put(("issuer",), issuer)
    if date:
        reading.put(("date",), date)
    if title and title != TITLE_DEFAULT.format(issuer=issuer or "", year=lookup(reading.data, ("year",)) or ""):
        reading.put(("title",), title)
    if others:
        parts.sections.setdefault(0, [])[:0] = others  # words before 一、总体情况 open it


def _texts(parts: _Parts, reading: _Reading) -> None:
    overview = [b for b in parts.sections.get(0, []) if isinstance(b, Paragraph)]
    lead: list[Paragraph] = []
    sections: list[dict[str, str]] = []
    body: list[Paragraph] = []
    for paragraph in overview:
        opened = _sub_heading(paragraph)
        if opened is not None:
            if sections:
                sections[-1]["text"] = _joined(body)
            heading, rest = opened
            sections.append({"heading": _escaped(heading), "text": ""})
            body = [Paragraph(rest)] if rest else []
        elif sections:
            body.append(paragraph)
        else:
            lead.append(paragraph)
    if sections:
        sections[-1]["text"] = _joined(body)
    if lead or sections:
        reading.put(("overview", "text"), _joined(lead))
    if sections:
        reading.data.setdefault("overview", {})["sections"] = sections
    for index, key in ((4, "problems"), (5, "other_matters")):
        paragraphs = [b for b in parts.sections.get(index, []) if isinstance(b, Paragraph)]
        if index in parts.sections:
            reading.put((key, "text"), _joined(paragraphs))
    for index in (1, 2, 3):
        words = [
            b
            for b in parts.sections.get(index, [])
            if isinstance(b, Paragraph) and b.text.strip() and not _CONTINUED.fullmatch(norm(b.text))
        ]
        if words:
            heading = SECTIONS[index][1].zh
            reading.assumed(
                Label(
                    f"“{heading}”中表格以外的 {len(words)} 段文字未读取（报告格式里这一部分只有表格）",
                    f"{len(words)} paragraphs beside the table of “{heading}” were not read",
                )
            )
